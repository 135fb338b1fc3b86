import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottle } from "@/db/schema";

/** The time until which sign-in for `key` is refused, if it is. */
export async function getSignInBlock(db: Db, key: string): Promise<Date | null> {
  const [row] = await db
    .select({ blockedUntil: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(eq(signInThrottle.key, key))
    .limit(1);
  return row?.blockedUntil && row.blockedUntil > new Date() ? row.blockedUntil : null;
}

/**
 * Counts a failed sign-in in one statement (safe under concurrency). The count restarts
 * after `windowSeconds` without failures; from `freeFailures` on, each failure blocks the
 * key for 2^(n - freeFailures) seconds, at most `maxBlockSeconds`.
 */
export async function recordSignInFailure(
  db: Db,
  key: string,
  policy: { freeFailures: number; windowSeconds: number; maxBlockSeconds: number },
): Promise<void> {
  await db.execute(sql`
    insert into sign_in_throttle as t (key, failures, first_failed_at, blocked_until)
    values (${key}, 1, now(), null)
    on conflict (key) do update set
      failures = case when t.first_failed_at < now() - make_interval(secs => ${policy.windowSeconds})
                      then 1 else t.failures + 1 end,
      first_failed_at = case when t.first_failed_at < now() - make_interval(secs => ${policy.windowSeconds})
                             then now() else t.first_failed_at end,
      blocked_until = case
        when t.first_failed_at >= now() - make_interval(secs => ${policy.windowSeconds})
             and t.failures + 1 >= ${policy.freeFailures}
        then now() + make_interval(secs => least(${policy.maxBlockSeconds}, power(2, t.failures + 1 - ${policy.freeFailures})))
        else null end`);
}

export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
