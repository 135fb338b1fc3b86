/**
 * One mapping from errors to server-action results, so forms show a message next to
 * the field instead of an error page.
 */
import { unstable_rethrow } from "next/navigation";
import { AppError, isDatabaseUnavailable, isUnstorableInput } from "./errors";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };

export async function runAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) {
      return { ok: false, code: error.code, message: error.message, fieldErrors: error.fields };
    }
    if (isDatabaseUnavailable(error)) {
      return { ok: false, code: "UNAVAILABLE", message: "The database is unavailable. Try again shortly." };
    }
    if (isUnstorableInput(error)) {
      return { ok: false, code: "VALIDATION", message: "The form contains text the database cannot store (for example U+0000)." };
    }
    console.error("[action] unexpected error:", error);
    return { ok: false, code: "INTERNAL", message: "Something went wrong." };
  }
}
