import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottle } from "@/db/schema";

export type ThrottlePolicy = { freeFailures: number; windowSeconds: number; maxBlockSeconds: number };

/** The time until which sign-in for `key` is refused, if it is. */
export async function getSignInBlock(db: Db, key: string): Promise<Date | null> {
  const [row] = await db
    .select({ blockedUntil: signInThrottle.blockedUntil })
    .from(signInThrottle)
    .where(eq(signInThrottle.key, key))
    .limit(1);
  return row?.blockedUntil && row.blockedUntil > new Date() ? row.blockedUntil : null;
}

export type ThrottleState = { failures: number; lastFailedAt: Date; blockedUntil: Date | null };

/** The rows of several keys in one round trip (absent keys are missing from the map). */
export async function getThrottleStates(db: Db, keys: string[]): Promise<Map<string, ThrottleState>> {
  const rows = await db
    .select({
      key: signInThrottle.key,
      failures: signInThrottle.failures,
      lastFailedAt: signInThrottle.lastFailedAt,
      blockedUntil: signInThrottle.blockedUntil,
    })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, keys));
  return new Map(rows.map((r) => [r.key, { failures: r.failures, lastFailedAt: r.lastFailedAt, blockedUntil: r.blockedUntil }]));
}

/** Rows whose run of failures and block ended this long ago are deleted. */
const PRUNE_AFTER_SECONDS = 24 * 60 * 60;
/** At most this many stale rows go per failure: pruning never makes one sign-in slow. */
const PRUNE_BATCH = 200;

/**
 * Counts a failed sign-in in one statement (safe under concurrency). The window slides: a
 * run of failures lasts while each comes within `windowSeconds` of the previous one, and
 * only restarts after `windowSeconds` without failures. From `freeFailures` on, each
 * failure blocks the key for 2^(n - freeFailures) seconds, at most `maxBlockSeconds`.
 *
 * Each call also deletes a batch of rows whose run and block ended a day ago (the token
 * rate limit's `Rate:` rows included, whose windows are shorter), so a spray of unknown
 * emails cannot grow the table without bound.
 */
export async function recordSignInFailure(db: Db, key: string, policy: ThrottlePolicy): Promise<void> {
  const stale = sql`now() - make_interval(secs => ${policy.windowSeconds})`;
  await db.execute(sql`
    with pruned as (
      delete from sign_in_throttle
       where key in (select key from sign_in_throttle
                      where last_failed_at < now() - make_interval(secs => ${PRUNE_AFTER_SECONDS})
                        and first_failed_at < now() - make_interval(secs => ${PRUNE_AFTER_SECONDS})
                        and (blocked_until is null or blocked_until < now())
                        and key <> ${key}
                      limit ${PRUNE_BATCH})
    )
    insert into sign_in_throttle as t (key, failures, first_failed_at, last_failed_at, blocked_until)
    values (${key}, 1, now(), now(), null)
    on conflict (key) do update set
      failures = case when t.last_failed_at < ${stale} then 1 else t.failures + 1 end,
      first_failed_at = case when t.last_failed_at < ${stale} then now() else t.first_failed_at end,
      last_failed_at = now(),
      blocked_until = case
        when t.last_failed_at >= ${stale} and t.failures + 1 >= ${policy.freeFailures}
        then greatest(t.blocked_until, now() + make_interval(secs => least(${policy.maxBlockSeconds}, power(2, t.failures + 1 - ${policy.freeFailures}))))
        else t.blocked_until end`);
}

export async function clearSignInFailures(db: Db, key: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
