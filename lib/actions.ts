/**
 * Server actions' side of the one error mapping (describeError in lib/errors.ts): a
 * failure becomes a result object, so forms show a message next to the field instead of
 * an error page.
 */
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { getDb } from "@/db/client";
import { actorFor } from "./auth/session";
import type { Permission } from "./auth/permissions";
import { describeError } from "./errors";
import type { ServiceContext } from "./services/context";

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

/**
 * The shape of every page's server action: the signed-in user must hold `permission`
 * (any signed-in user without one), `work` calls the service verb, then the pages that
 * show what changed are revalidated (`revalidate` may read the result, such as a slug).
 */
export async function serviceAction<T>(
  permission: Permission | undefined,
  work: (ctx: ServiceContext) => Promise<T>,
  revalidate: readonly string[] | ((result: T) => readonly string[]) = [],
): Promise<ActionResult<T>> {
  return runAction(async () => {
    const result = await work({ db: getDb(), actor: await actorFor(permission) });
    for (const path of typeof revalidate === "function" ? revalidate(result) : revalidate) revalidatePath(path);
    return result;
  });
}
