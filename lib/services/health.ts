import { getPool } from "@/db/client";
import { can, type Role } from "@/lib/auth/permissions";

export type Health = {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs?: number; migrations?: number; error?: string };
  version: string;
  time: string;
};

/** Pings the database (bounded by a 3 s timeout) and reports the applied migration count. */
export async function checkDatabaseHealth(): Promise<Health> {
  const started = performance.now();
  const base = { version: process.env.npm_package_version ?? "0.1.0", time: new Date().toISOString() };
  try {
    const pool = getPool();
    const result = await Promise.race([
      pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations"),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("database did not answer within 3 s")), 3000)),
    ]);
    return {
      status: "ok",
      database: { ok: true, latencyMs: Math.round(performance.now() - started), migrations: result.rows[0]?.n ?? 0 },
      ...base,
    };
  } catch (error) {
    // The cause goes to the log; the public answer says only that the database is down.
    console.error("[health] database check failed:", (error as Error).message);
    return { status: "degraded", database: { ok: false, error: "unreachable" }, ...base };
  }
}

/**
 * What a caller may see of the health: the status for anyone (a monitor needs no more);
 * version, latency and migration count — which tell an attacker what is deployed — only
 * for roles with "health.details".
 */
export function healthFor(health: Health, role: Role | null): Health | Pick<Health, "status"> {
  return role && can(role, "health.details") ? health : { status: health.status };
}
