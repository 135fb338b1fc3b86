/**
 * The generation worker: takes queued units from pg-boss, asks the endpoints, and stores
 * what comes back. Runs inside `npm run dev` / `npm start` and as `npm run worker`;
 * several may run at once (pg-boss hands an entry to one worker; candidates are unique by
 * item × endpoint × sample index, so even a duplicate request stores nothing twice).
 *
 * - Concurrency per endpoint is global: entries are taken under a per-endpoint advisory
 *   lock, never more than `concurrency` active across workers.
 * - `rpm` and a 429's Retry-After go through the endpoint's shared rate gate.
 * - Results are written in small batches, one transaction each: candidates, unit states,
 *   tasks of items whose samples are all in, and the queue entries' completion together.
 * - A retryable failure re-queues the unit with back-off (Retry-After when given); the
 *   last attempt records the endpoint's error on the unit, which can be retried alone.
 * - SIGKILL loses only requests in flight: their entries expire and pg-boss retries them.
 */
import type PgBoss from "pg-boss";
import type pg from "pg";
import type { SamplingParams } from "@/db/schema/models";
import {
  finishSettledJobs,
  getUnitsWork,
  inClientTransaction,
  insertGeneratedCandidates,
  insertPlannedTasks,
  listPendingUnitsWithoutQueueEntry,
  lockItems,
  markUnitsDone,
  pushRateGate,
  recordUnitErrors,
  reserveRateSlot,
  settledItemsForPlanning,
  stoppedJobs,
  type SampleResult,
  type UnitWork,
} from "@/db/queries/generation";
import { MAX_ATTEMPTS, planGeneratedTasks, retryDelayMs, sampleSeed } from "@/lib/domain/generation/plan";
import { promptMessages } from "@/lib/domain/generation/prompt";
import type { ScalePoints } from "@/lib/domain/preference";
import { bossDb, enqueueUnits, ensureQueue, queueName, startBoss, type UnitJobData } from "@/lib/generation/queue";
import { EndpointError, type EndpointTarget, ModelClient } from "@/lib/models";
import { ProjectSettings } from "@/lib/validation/project-settings";

/** An endpoint as the worker keeps it: what the client needs, and its limits and rate state. */
type EndpointRow = EndpointTarget & {
  id: number;
  concurrency: number;
  rpm: number | null;
  updatedAt: string;
  rateNextAt: Date | null;
};

type Outcome =
  | { kind: "done"; queue: string; entryId: string; result: SampleResult }
  | { kind: "retry"; queue: string; entryId: string; unit: UnitWork; error: string; attempts: number; delayMs: number }
  | { kind: "failed"; queue: string; entryId: string; unit: UnitWork; error: string; attempts: number }
  /** Nothing to do (unit settled or job stopped): only the queue entry is completed. */
  | { kind: "skip"; queue: string; entryId: string };

export interface WorkerOptions {
  pool: pg.Pool;
  /** ms between polls while idle (default 1000). */
  idlePollMs?: number;
  /** ms results wait to be written together (default 100). */
  flushMs?: number;
  /** Most results per write (default 200). */
  maxBatch?: number;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** Seconds between sweeps for pending units that lost their queue entry (default 30). */
  sweepSeconds?: number;
  /** Back-off before the next attempt (default: Retry-After, else 2 s, 8 s, 32 s … with jitter). */
  retryDelayMs?: (attempt: number, retryAfterMs: number | undefined) => number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class GenerationWorker {
  private boss: PgBoss | null = null;
  private running = false;
  private readonly stopController = new AbortController();
  private endpoints = new Map<number, EndpointRow>();
  private endpointsLoadedAt = 0;
  private readonly clients = new Map<number, { key: string; client: ModelClient }>();
  private readonly inflight = new Map<number, number>();
  private readonly active = new Map<string, { jobId: number; controller: AbortController; queue: string }>();
  private readonly pausedUntil = new Map<number, number>();
  private buffer: Outcome[] = [];
  private flushing: Promise<void> | null = null;
  private writing: Outcome[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private ticking = false;
  private tickAgain = false;
  private lastCancelCheck = 0;
  private lastSweep = 0;
  private loop: Promise<void> | null = null;
  private readonly log: (message: string) => void;
  /** Samples stored and failed since start (for logs and tests). */
  readonly counters = { stored: 0, retried: 0, failed: 0 };

  constructor(private readonly options: WorkerOptions) {
    this.log = options.log ?? ((m) => console.log(`[generation] ${m}`));
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.boss = await startBoss(this.options.pool);
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now (a job was just queued in this process). */
  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    void this.tick();
  }

  /**
   * Stops taking work, aborts requests in flight (their entries are failed back to the
   * queue, so pg-boss retries them), writes what came back, and stops pg-boss.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopController.abort();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const a of this.active.values()) a.controller.abort();
    await this.loop;
    for (let i = 0; i < 100 && this.active.size > 0; i++) await sleep(20);
    await this.flush();
    await this.boss?.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
    this.boss = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.tick();
      await sleep(this.options.idlePollMs ?? 1000, this.stopController.signal);
    }
  }

  private schedule(): void {
    if (!this.running || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.tick();
    }, 0);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.tickAgain = false;
        await this.refreshEndpoints();
        await this.checkCancellations();
        await this.sweep();
        const candidates = await this.endpointsWithWork();
        for (const id of candidates) {
          if (!this.running) break;
          const e = this.endpoints.get(id);
          if (!e) continue;
          const paused = this.pausedUntil.get(id) ?? 0;
          if (paused > Date.now()) continue;
          const busy = this.inflight.get(id) ?? 0;
          const free = e.concurrency - busy;
          // Refill in batches while requests are in flight: taking entries costs a transaction,
          // so one slot at a time would spend more on the queue than on the requests.
          if (free <= 0 || (busy > 0 && free < Math.max(1, Math.floor(e.concurrency / 4)))) continue;
          const entries = await this.take(e, free);
          if (entries.length > 0) await this.launch(e, entries);
          if (entries.length === free) this.tickAgain = true;
        }
      } while (this.tickAgain && this.running);
    } catch (error) {
      this.log(`poll failed: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  private async refreshEndpoints(): Promise<void> {
    if (Date.now() - this.endpointsLoadedAt < 2000) return;
    const { rows } = await this.options.pool.query(
      `select id, name, base_url, model, api_key_env, params, timeout_ms, concurrency, rpm, capabilities, is_demo, updated_at::text, rate_next_at
       from model_endpoints where archived_at is null`,
    );
    this.endpoints = new Map(
      rows.map((r) => [
        Number(r.id),
        {
          id: Number(r.id),
          name: r.name,
          baseUrl: r.base_url,
          model: r.model,
          apiKeyEnv: r.api_key_env,
          params: r.params ?? {},
          timeoutMs: r.timeout_ms,
          concurrency: r.concurrency,
          rpm: r.rpm,
          capabilities: r.capabilities,
          isDemo: r.is_demo,
          updatedAt: r.updated_at,
          rateNextAt: r.rate_next_at,
        },
      ]),
    );
    for (const e of this.endpoints.values()) {
      if (e.rateNextAt && e.rateNextAt.getTime() > Date.now() && !e.rpm) this.pausedUntil.set(e.id, e.rateNextAt.getTime());
    }
    this.endpointsLoadedAt = Date.now();
  }

  /** Endpoints with pending units in running jobs (a cheap query; the queue is only asked for these). */
  private withWork: { at: number; ids: number[] } = { at: 0, ids: [] };
  private async endpointsWithWork(): Promise<number[]> {
    const busy = [...this.inflight.entries()].filter(([, n]) => n > 0).map(([id]) => id);
    if (Date.now() - this.withWork.at > 500) {
      const { rows } = await this.options.pool.query<{ endpoint_id: string }>(
        `select distinct u.endpoint_id from generation_jobs j join generation_units u on u.job_id = j.id and u.state = 'pending'
         where j.state = 'running'`,
      );
      this.withWork = { at: Date.now(), ids: rows.map((r) => Number(r.endpoint_id)) };
    }
    return [...new Set([...this.withWork.ids, ...busy])];
  }

  /** Takes up to `free` entries of an endpoint's queue, within its global concurrency. */
  private async take(e: EndpointRow, free: number): Promise<PgBoss.Job<UnitJobData>[]> {
    const queue = queueName(e.id);
    return inClientTransaction(this.options.pool, async (client) => {
      await client.query(`select pg_advisory_xact_lock(hashtext('arbiter.generation.take'), $1::int)`, [e.id]);
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from pgboss.job where name = $1 and state = 'active'`, [
        queue,
      ]);
      // Entries whose reply is in but not yet written are still active in the queue: they are not requests in flight.
      const written = this.unwritten(queue);
      const allowed = Math.min(free, e.concurrency - Math.max(0, Number(rows[0]?.n ?? 0) - written));
      if (allowed <= 0 || !this.boss) return [];
      return this.boss.fetch<UnitJobData>(queue, { batchSize: allowed, db: bossDb(client) });
    });
  }

  private clientFor(e: EndpointRow): ModelClient {
    const key = `${e.updatedAt}`;
    const cached = this.clients.get(e.id);
    if (cached && cached.key === key) return cached.client;
    const client = new ModelClient(
      {
        name: e.name,
        baseUrl: e.baseUrl,
        model: e.model,
        apiKeyEnv: e.apiKeyEnv,
        params: e.params,
        timeoutMs: e.timeoutMs,
        isDemo: e.isDemo,
        capabilities: e.capabilities,
      },
      this.options.env,
    );
    this.clients.set(e.id, { key, client });
    return client;
  }

  private async launch(e: EndpointRow, entries: PgBoss.Job<UnitJobData>[]): Promise<void> {
    const queue = queueName(e.id);
    const works = new Map(
      (
        await getUnitsWork(
          this.options.pool,
          entries.map((j) => j.data.unitId),
        )
      ).map((w) => [w.unitId, w]),
    );
    for (const entry of entries) {
      const unit = works.get(entry.data.unitId);
      if (unit?.state !== "pending" || unit.jobState !== "running") {
        this.push({ kind: "skip", queue, entryId: entry.id });
        continue;
      }
      this.inflight.set(e.id, (this.inflight.get(e.id) ?? 0) + 1);
      const controller = new AbortController();
      this.active.set(entry.id, { jobId: unit.jobId, controller, queue });
      void this.request(e, queue, entry.id, unit, controller.signal).finally(() => {
        this.inflight.set(e.id, (this.inflight.get(e.id) ?? 1) - 1);
        this.active.delete(entry.id);
        this.schedule();
      });
    }
  }

  private async request(e: EndpointRow, queue: string, entryId: string, unit: UnitWork, signal: AbortSignal): Promise<void> {
    const attempts = unit.attempts + 1;
    const prompt = promptMessages({
      externalId: unit.externalId,
      character: { name: unit.characterName, profile: unit.characterProfile },
      scene: unit.scene,
      context: unit.context,
      language: unit.language,
    });
    if (!prompt.ok) {
      this.push({ kind: "failed", queue, entryId, unit, attempts, error: `the item's dialogue cannot be sent (${prompt.reason})` });
      return;
    }
    try {
      if (e.rpm || (e.rateNextAt && e.rateNextAt.getTime() > Date.now())) {
        await sleep(await reserveRateSlot(this.options.pool, e.id, e.rpm), signal);
      }
      const params: SamplingParams = { ...e.params, ...unit.jobParams };
      const seed = sampleSeed(unit.externalId, unit.sampleIndex, params.seed);
      const reply = await this.clientFor(e).sample(prompt.messages, { params, seed, signal, maxRetries: 1 });
      const choice = reply.choices[0]!;
      this.push({
        kind: "done",
        queue,
        entryId,
        result: {
          unitId: unit.unitId,
          itemId: unit.itemId,
          jobId: unit.jobId,
          endpointId: e.id,
          sampleIndex: unit.sampleIndex,
          attempts,
          model: e.name,
          modelVersion: e.model,
          content: choice.content,
          params: reply.params,
          seed: reply.seed,
          finishReason: choice.finishReason,
          promptTokens: reply.usage?.promptTokens ?? null,
          completionTokens: reply.usage?.completionTokens ?? null,
          ttftMs: reply.ttftMs,
          totalMs: reply.totalMs,
          responseId: reply.responseId,
        },
      });
    } catch (caught) {
      const error = caught instanceof EndpointError ? caught : new EndpointError("network", (caught as Error).message, { cause: caught });
      if (error.kind === "aborted") {
        // Stopping or the job was cancelled: the entry goes back to the queue (or is skipped once cancelled).
        if (this.boss) await this.boss.fail(queue, entryId, { reason: "worker stopped" }).catch(() => undefined);
        return;
      }
      if (error.status === 429 && error.retryAfterMs) {
        this.pausedUntil.set(e.id, Date.now() + error.retryAfterMs);
        await pushRateGate(this.options.pool, e.id, error.retryAfterMs).catch(() => undefined);
      }
      const message = error.message.slice(0, 1000);
      if (error.retryable && attempts < MAX_ATTEMPTS) {
        this.push({
          kind: "retry",
          queue,
          entryId,
          unit,
          attempts,
          error: message,
          delayMs: (this.options.retryDelayMs ?? ((a, r) => retryDelayMs(a, r, Math.random)))(attempts, error.retryAfterMs),
        });
      } else {
        this.push({ kind: "failed", queue, entryId, unit, attempts, error: message });
      }
    }
  }

  /** Outcomes of `queue` buffered or being written by this worker. */
  private unwritten(queue: string): number {
    let n = 0;
    for (const o of this.buffer) if (o.queue === queue) n++;
    for (const o of this.writing) if (o.queue === queue) n++;
    return n;
  }

  private push(outcome: Outcome): void {
    this.buffer.push(outcome);
    if (this.buffer.length >= (this.options.maxBatch ?? 200)) void this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), this.options.flushMs ?? 100);
  }

  /** Writes the buffered outcomes in one transaction (one at a time; a failed write is retried). */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.writing = batch;
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        this.log(`storing ${batch.length} results failed, will retry: ${(error as Error).message}`);
        this.buffer.unshift(...batch);
        if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), 1000);
      })
      .finally(() => {
        this.flushing = null;
        this.writing = [];
        // Written entries left the queue's active count: there may be room to take more.
        this.schedule();
      });
    await this.flushing;
  }

  private async write(batch: Outcome[]): Promise<void> {
    const boss = this.boss;
    await inClientTransaction(this.options.pool, async (client) => {
      const done = batch.filter((o): o is Extract<Outcome, { kind: "done" }> => o.kind === "done");
      const retry = batch.filter((o): o is Extract<Outcome, { kind: "retry" }> => o.kind === "retry");
      const failed = batch.filter((o): o is Extract<Outcome, { kind: "failed" }> => o.kind === "failed");
      const itemIds = [...new Set([...done.map((d) => d.result.itemId), ...failed.map((f) => f.unit.itemId)])];
      await lockItems(client, itemIds);
      const stored = await insertGeneratedCandidates(
        client,
        done.map((d) => d.result),
      );
      const overflow = done.filter((d) => stored.get(d.result.unitId) == null);
      await markUnitsDone(
        client,
        done
          .filter((d) => stored.get(d.result.unitId) != null)
          .map((d) => ({ unitId: d.result.unitId, candidateId: stored.get(d.result.unitId)!, attempts: d.result.attempts })),
      );
      await recordUnitErrors(client, [
        ...retry.map((r) => ({ unitId: r.unit.unitId, error: r.error, attempts: r.attempts, final: false })),
        ...failed.map((f) => ({ unitId: f.unit.unitId, error: f.error, attempts: f.attempts, final: true })),
        ...overflow.map((o) => ({
          unitId: o.result.unitId,
          error: "the item already has 16 candidates",
          attempts: o.result.attempts,
          final: true,
        })),
      ]);
      if (boss) {
        for (const r of retry) {
          await enqueueUnits(boss, client, [{ id: r.unit.unitId, endpointId: r.unit.endpointId }], { startAfterSeconds: r.delayMs / 1000 });
        }
        const byQueue = new Map<string, string[]>();
        for (const o of batch) byQueue.set(o.queue, [...(byQueue.get(o.queue) ?? []), o.entryId]);
        for (const [queue, ids] of byQueue) await completeEntries(boss, queue, ids, client);
      }
      await this.planTasks(client, itemIds);
      await finishSettledJobs(client, [...new Set([...done.map((d) => d.result.jobId), ...failed.map((f) => f.unit.jobId)])]);
      this.counters.stored += done.length - overflow.length;
      this.counters.retried += retry.length;
      this.counters.failed += failed.length + overflow.length;
    });
  }

  /** Plans the tasks of items whose samples are all in, as an import would. */
  private async planTasks(client: pg.PoolClient, itemIds: number[]): Promise<void> {
    await planTasksForItems(client, itemIds);
  }

  /** Aborts requests of jobs cancelled meanwhile (checked once a second). */
  private async checkCancellations(): Promise<void> {
    if (this.active.size === 0 || Date.now() - this.lastCancelCheck < 1000) return;
    this.lastCancelCheck = Date.now();
    const stopped = await stoppedJobs(this.options.pool, [...new Set([...this.active.values()].map((a) => a.jobId))]);
    for (const a of this.active.values()) if (stopped.has(a.jobId)) a.controller.abort();
  }

  /**
   * Re-queues pending units of running jobs that have no live queue entry (their entry
   * ran out of pg-boss retries while workers kept dying): a job never waits for ever.
   */
  private async sweep(): Promise<void> {
    const every = (this.options.sweepSeconds ?? 30) * 1000;
    if (!this.boss || Date.now() - this.lastSweep < every) return;
    this.lastSweep = Date.now();
    const lost = await listPendingUnitsWithoutQueueEntry(this.options.pool);
    if (lost.length === 0) return;
    this.log(`re-queueing ${lost.length} sample(s) whose queue entries were lost`);
    for (const endpointId of new Set(lost.map((u) => u.endpointId))) {
      const e = this.endpoints.get(endpointId);
      await ensureQueue(this.boss, endpointId, e?.timeoutMs ?? 120_000);
    }
    await enqueueUnits(this.boss, this.options.pool, lost);
  }
}

/**
 * Completes queue entries inside our transaction. pg-boss's typings for an id list omit
 * the `data` argument its implementation takes before the options (complete(name, id,
 * data, options)): called as typed, `{db}` would be stored as output and the statement
 * would run outside the transaction.
 */
async function completeEntries(boss: PgBoss, queue: string, ids: string[], client: pg.PoolClient): Promise<void> {
  const complete = boss.complete.bind(boss) as unknown as (
    name: string,
    ids: string[],
    data: null,
    options: { db: PgBoss.Db },
  ) => Promise<unknown>;
  await complete(queue, ids, null, { db: bossDb(client) });
}

/** Plans the tasks of those items whose samples are all in (shared by the worker and the job service). */
export async function planTasksForItems(client: pg.PoolClient | pg.Pool, itemIds: number[]): Promise<number> {
  const contexts = await settledItemsForPlanning(client, itemIds);
  const rows = contexts.flatMap((c) => {
    const parsed = ProjectSettings.safeParse(c.settings);
    const settings = parsed.success ? parsed.data : ProjectSettings.parse({});
    const rules = {
      mode: c.mode,
      pairing: settings.pairing,
      baselineModel: settings.baselineModel,
      scalePoints: c.scalePoints as ScalePoints,
      allowRankingTies: settings.allowRankingTies,
    };
    return planGeneratedTasks(c.candidates, c.tasks, c.gold, rules, c.overlap).map((t) => ({
      projectId: c.projectId,
      scalePoints: c.scalePoints,
      itemId: c.itemId,
      kind: t.kind,
      candidateIds: t.candidateIds,
      overlap: t.overlap,
      gold: t.gold,
    }));
  });
  return insertPlannedTasks(client, rows);
}
