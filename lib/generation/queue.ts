/**
 * The durable queue under generation jobs: pg-boss 10 in the app's own PostgreSQL (schema
 * `pgboss`), on the app's pool. One queue per endpoint, one queue entry per unit (item ×
 * endpoint × sample index); entries are inserted in the same transaction as the units
 * (pg-boss takes a `{executeSql}` adapter), so a job is never half-queued.
 */
import PgBoss from "pg-boss";
import type pg from "pg";
import type { Queryable } from "@/db/queries/generation";

/** A whole number of seconds (≥ 1) from the environment (tests shorten the queue's timings). */
function secondsFromEnv(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** The queue of one endpoint. */
export function queueName(endpointId: number): string {
  return `arbiter-generate-e${endpointId}`;
}

/** pg-boss's database adapter over a pool or a client inside our transaction. */
export function bossDb(client: Queryable): PgBoss.Db {
  return { executeSql: (text: string, values?: unknown[]) => client.query(text, values as unknown[]) };
}

/** Queue entries of a unit: the unit id is all the worker needs. */
export type UnitJobData = { unitId: number };

/**
 * A started pg-boss on `pool`. `supervise` runs its maintenance (expiring entries whose
 * worker died, so they are retried); every worker process supervises, pg-boss
 * coordinates them. Its schema is created or migrated on first start.
 */
export async function startBoss(pool: pg.Pool, options: { supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    db: bossDb(pool),
    schema: "pgboss",
    supervise: options.supervise ?? true,
    // How often maintenance (expiring entries of dead workers) runs; pg-boss lets one instance do it per interval.
    maintenanceIntervalSeconds: secondsFromEnv("ARBITER_QUEUE_MAINTENANCE_S", 60),
    schedule: false,
    migrate: true,
    // Finished entries are kept for a day: the units table is the record, not the queue.
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 1,
  });
  boss.on("error", (error) => console.error("[generation] queue:", error instanceof Error ? error.message : error));
  await boss.start();
  return boss;
}

/**
 * Creates an endpoint's queue if needed. Entries expire (and are retried by pg-boss) a
 * minute after the endpoint's timeout: a worker killed mid-request loses only that request.
 */
export async function ensureQueue(boss: PgBoss, endpointId: number, timeoutMs: number): Promise<void> {
  await boss.createQueue(queueName(endpointId), {
    name: queueName(endpointId),
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: Math.ceil(timeoutMs / 1000) + secondsFromEnv("ARBITER_GENERATION_EXPIRY_MARGIN_S", 60),
  });
}

/** Queues units (inside the caller's transaction when `client` is one). */
export async function enqueueUnits(
  boss: PgBoss,
  client: Queryable,
  units: readonly { id: number; endpointId: number }[],
  options: { startAfterSeconds?: number } = {},
): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < units.length; i += CHUNK) {
    const jobs = units.slice(i, i + CHUNK).map((u) => ({
      name: queueName(u.endpointId),
      data: { unitId: u.id } satisfies UnitJobData,
      ...(options.startAfterSeconds ? { startAfter: `${options.startAfterSeconds.toFixed(3)} seconds` } : {}),
    }));
    await boss.insert(jobs, { db: bossDb(client) });
  }
}
