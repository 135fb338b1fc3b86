import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * Fixed-window rate limits kept in PostgreSQL, so that every app instance counts against
 * the same window. They share the `sign_in_throttle` table with the sign-in throttle
 * (no extra table): `failures` is the count of the current window, `first_failed_at` its
 * start. Keys here start with an upper-case letter ("Rate:…"); sign-in keys are
 * lower-cased emails, so the two can never collide.
 */
export function rateLimitKey(action: string, subject: string | number): string {
  return `Rate:${action}:${subject}`;
}

/**
 * Counts one attempt against `key` in one statement (safe under concurrency) and says
 * whether it is within `limit` attempts per `windowSeconds`; when not, how many seconds
 * remain until the window ends.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  policy: { limit: number; windowSeconds: number },
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const { rows } = await db.execute<{ count: number; retry: number }>(sql`
    insert into sign_in_throttle as t (key, failures, first_failed_at, blocked_until)
    values (${key}, 1, now(), null)
    on conflict (key) do update set
      failures = case when t.first_failed_at <= now() - make_interval(secs => ${policy.windowSeconds})
                      then 1 else t.failures + 1 end,
      first_failed_at = case when t.first_failed_at <= now() - make_interval(secs => ${policy.windowSeconds})
                             then now() else t.first_failed_at end
    returning failures as count,
      ceil(extract(epoch from (first_failed_at + make_interval(secs => ${policy.windowSeconds}) - now())))::int as retry`);
  const row = rows[0]!;
  return Number(row.count) <= policy.limit ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Number(row.retry)) };
}
