/**
 * Server actions' side of the one error mapping (describeError in lib/errors.ts): a
 * failure becomes a result object, so forms show a message next to the field instead of
 * an error page.
 */
import { unstable_rethrow } from "next/navigation";
import { describeError } from "./errors";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    unstable_rethrow(error);
    const answer = describeError(error, { subject: "form" });
    if (answer.unexpected) console.error("[action] unexpected error:", error);
    return { ok: false, code: answer.code, message: answer.message, ...(answer.fields ? { fieldErrors: answer.fields } : {}) };
  }
}
