/**
 * Per-process handles: one pg-boss for enqueueing (cached on globalThis: dev reloads
 * re-create module singletons) and, where this process runs a worker, that worker, so a
 * job queued here starts at once instead of at the next poll.
 */
import type PgBoss from "pg-boss";
import type pg from "pg";
import { startBoss } from "@/lib/generation/queue";
import type { GenerationWorker } from "@/lib/generation/worker";

const cache = globalThis as unknown as { __arbiterBoss?: Map<pg.Pool, Promise<PgBoss>>; __arbiterWorkers?: Set<GenerationWorker> };

/** The process's pg-boss on `pool` (started once; no maintenance: workers supervise). */
export function queueOn(pool: pg.Pool): Promise<PgBoss> {
  cache.__arbiterBoss ??= new Map();
  let boss = cache.__arbiterBoss.get(pool);
  if (!boss) {
    boss = startBoss(pool, { supervise: false });
    boss.catch(() => cache.__arbiterBoss?.delete(pool));
    cache.__arbiterBoss.set(pool, boss);
  }
  return boss;
}

/** Stops the process's enqueue-only pg-boss instances (scripts, tests). */
export async function closeQueues(): Promise<void> {
  const all = [...(cache.__arbiterBoss?.values() ?? [])];
  cache.__arbiterBoss?.clear();
  for (const b of all) await (await b.catch(() => null))?.stop({ graceful: false, close: false }).catch(() => undefined);
}

export function registerWorker(worker: GenerationWorker): () => void {
  cache.__arbiterWorkers ??= new Set();
  cache.__arbiterWorkers.add(worker);
  return () => cache.__arbiterWorkers?.delete(worker);
}

/** Wakes the workers of this process (if any). */
export function wakeWorkers(): void {
  for (const w of cache.__arbiterWorkers ?? []) w.wake();
}
