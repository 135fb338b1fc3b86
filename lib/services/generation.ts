/**
 * Generation jobs ("Fill candidates"): K samples per item from one or more endpoints, on
 * the durable queue. Researchers, leads and admins (or a token with the `generate`
 * scope) start, watch, cancel, resume and retry them. The units table is the record:
 * progress, errors and retries are read from it; the queue only dispatches.
 */
import { getEndpointsByNames } from "@/db/queries/endpoints";
import {
  cancelJobUnits,
  getJob,
  inClientTransaction,
  insertJobWithUnits,
  jobCounts,
  listJobErrors,
  listProjectJobs,
  poolOf,
  reopenUnits,
  type UnitError,
} from "@/db/queries/generation";
import { can } from "@/lib/auth/permissions";
import { progressOf, type GenerationProgress } from "@/lib/domain/generation/plan";
import { AppError, conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import { enqueueUnits, ensureQueue } from "@/lib/generation/queue";
import { queueOn, wakeWorkers } from "@/lib/generation/runtime";
import { planTasksForItems } from "@/lib/generation/worker";
import { GenerationRequest } from "@/lib/validation/endpoints";
import { IMPORT_LIMITS } from "@/lib/validation/import";
import { parseInput } from "@/lib/validation/parse";
import { recordAudit } from "./audit";
import type { ServiceContext, CliContext } from "./context";
import { assertReachesProject, requireProjectFor } from "./project-access";
import type { RawRow } from "@/db/queries/rows";
import type { generationUnits } from "@/db/schema/generation";
import type { modelEndpoints } from "@/db/schema/models";

/** Actor null = the command line (an operator with shell access to the server). */
type Ctx = ServiceContext | CliContext;

function audit(ctx: Ctx, entry: Parameters<typeof recordAudit>[1]): Promise<void> {
  return ctx.actor ? recordAudit(ctx, entry) : Promise.resolve();
}

/** Seconds over which the rate (and so the ETA) is measured. */
const RATE_WINDOW_SECONDS = 30;

/** A job as the UI, the API and the CLI show it. */
export type GenerationView = GenerationProgress & {
  id: number;
  project: string;
  state: "running" | "finished" | "cancelled";
  endpoints: string[];
  samples: number;
  onlyMissing: boolean;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string | null;
  /** Failed samples first, then samples waiting for a retry (at most 100). */
  errors: UnitError[];
};

function allow(ctx: Ctx): void {
  if (ctx.actor && !can(ctx.actor.role, "generation.create")) throw forbiddenError();
}

/**
 * Starts a job for a project: K (`samples`) samples per item from each endpoint, for all
 * items, the listed ones, or (`onlyMissing`) those with fewer than 2 candidates. Samples
 * that exist already, or that another running job is making, are skipped: re-running a
 * job makes nothing twice. Units and their queue entries commit together.
 */
export async function startGeneration(
  ctx: Ctx,
  input: { projectSlug: string } & Record<string, unknown>,
): Promise<{ id: number; total: number }> {
  allow(ctx);
  // A project out of reach is missing, whatever the body says.
  const project = await requireProjectFor(ctx, input.projectSlug);
  const v = parseInput(GenerationRequest, input);
  if (project.status === "archived") throw conflictError(`The project "${project.slug}" is archived.`);
  const rows = await getEndpointsByNames(ctx.db, v.endpoints);
  const byName = new Map(rows.filter((r) => r.archivedAt === null).map((r) => [r.name, r]));
  const unknown = v.endpoints.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const message = `no such endpoint: ${unknown.join(", ")}`;
    throw new AppError("VALIDATION", `endpoints: ${message}`, { endpoints: [message] });
  }
  if (v.endpoints.length * v.samples > IMPORT_LIMITS.maxCandidates) {
    const message = `endpoints × samples must be at most ${IMPORT_LIMITS.maxCandidates} (candidates per item)`;
    throw new AppError("VALIDATION", `samples: ${message}`, { samples: [message] });
  }
  const endpoints = v.endpoints.map((n) => byName.get(n)!);
  const pool = poolOf(ctx.db);
  const boss = await queueOn(pool);
  for (const e of endpoints) await ensureQueue(boss, e.id, e.timeoutMs);
  const { jobId, units } = await inClientTransaction(pool, async (client) => {
    const created = await insertJobWithUnits(client, {
      projectId: project.id,
      createdBy: ctx.actor?.id ?? null,
      samples: v.samples,
      filter: { onlyMissing: v.onlyMissing, ...(v.externalIds ? { externalIds: v.externalIds } : {}) },
      params: v.params,
      endpointIds: endpoints.map((e) => e.id),
      minCandidates: IMPORT_LIMITS.minCandidates,
    });
    await enqueueUnits(boss, client, created.units);
    return created;
  });
  await audit(ctx, {
    action: "generation.start",
    targetType: "generation",
    targetId: jobId,
    projectId: project.id,
    details: { endpoints: v.endpoints, samples: v.samples, onlyMissing: v.onlyMissing, units: units.length },
  });
  wakeWorkers();
  return { id: jobId, total: units.length };
}

async function jobOrThrow(ctx: Ctx, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) throw notFoundError("The generation job");
  const job = await getJob(poolOf(ctx.db), id);
  if (!job) throw notFoundError("The generation job");
  // A job of a project out of reach is answered as a missing one.
  await assertReachesProject(ctx, job.projectId, "The generation job");
  return job;
}

/** A job's state and progress: counts, rate, ETA, and its errors. */
export async function getGeneration(ctx: Ctx, input: { id: number }): Promise<GenerationView> {
  allow(ctx);
  const job = await jobOrThrow(ctx, input.id);
  const pool = poolOf(ctx.db);
  const counts = await jobCounts(pool, job.id, RATE_WINDOW_SECONDS);
  const window = Math.max(1, Math.min(RATE_WINDOW_SECONDS, counts.recentSpan || RATE_WINDOW_SECONDS));
  const progress = progressOf(counts, { finished: job.state === "running" ? counts.recent : 0, windowSeconds: window });
  return {
    ...progress,
    id: job.id,
    project: job.projectSlug,
    state: job.state,
    endpoints: job.endpoints,
    samples: job.samples,
    onlyMissing: job.filter.onlyMissing,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdBy: job.createdBy,
    errors: await listJobErrors(pool, job.id),
  };
}

/** The project of a job (routes authorise tokens limited to one project with it). */
export async function projectSlugOfGeneration(ctx: Pick<ServiceContext, "db">, id: number): Promise<string | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return (await getJob(poolOf(ctx.db), id))?.projectSlug ?? null;
}

/** A project's latest jobs with their progress. */
export async function listGenerations(ctx: Ctx, input: { projectSlug: string }): Promise<GenerationView[]> {
  allow(ctx);
  const project = await requireProjectFor(ctx, input.projectSlug);
  const jobs = await listProjectJobs(poolOf(ctx.db), project.id, 10);
  return Promise.all(jobs.map((j) => getGeneration(ctx, { id: j.id })));
}

/**
 * Cancels a job: samples not yet made are cancelled, requests in flight are aborted by
 * their workers within a second. Items whose samples are all in (or cancelled) get their
 * tasks now, from what they have.
 */
export async function cancelGeneration(ctx: Ctx, input: { id: number }): Promise<GenerationView> {
  allow(ctx);
  const job = await jobOrThrow(ctx, input.id);
  if (job.state !== "running") throw conflictError(`The job is ${job.state}; only a running job can be cancelled.`);
  const pool = poolOf(ctx.db);
  await inClientTransaction(pool, async (client) => {
    await cancelJobUnits(client, job.id);
    const { rows } = await client.query<RawRow<typeof generationUnits, "itemId">>(
      `select distinct item_id from generation_units where job_id = $1`,
      [job.id],
    );
    const ids = rows.map((r) => Number(r.item_id)).sort((a, b) => a - b);
    await client.query(`select id from items where id = any($1::bigint[]) order by id for update`, [ids]);
    await planTasksForItems(client, ids);
  });
  await audit(ctx, { action: "generation.cancel", targetType: "generation", targetId: job.id, projectId: job.projectId });
  return getGeneration(ctx, { id: job.id });
}

async function reopen(ctx: Ctx, jobId: number, what: { cancelled: boolean; failed: boolean; unitIds?: number[] }) {
  const pool = poolOf(ctx.db);
  const boss = await queueOn(pool);
  const units = await inClientTransaction(pool, async (client) => {
    const reopened = await reopenUnits(client, { jobId, ...what });
    const endpointIds = [...new Set(reopened.map((u) => u.endpointId))];
    if (endpointIds.length > 0) {
      const { rows } = await client.query<RawRow<typeof modelEndpoints, "id" | "timeoutMs">>(
        `select id, timeout_ms from model_endpoints where id = any($1::bigint[])`,
        [endpointIds],
      );
      for (const r of rows) await ensureQueue(boss, Number(r.id), r.timeout_ms);
    }
    await enqueueUnits(boss, client, reopened);
    return reopened;
  });
  wakeWorkers();
  return units.length;
}

/** Resumes a cancelled job: its cancelled samples are queued again. */
export async function resumeGeneration(ctx: Ctx, input: { id: number }): Promise<GenerationView> {
  allow(ctx);
  const job = await jobOrThrow(ctx, input.id);
  if (job.state !== "cancelled") throw conflictError(`The job is ${job.state}; only a cancelled job can be resumed.`);
  const n = await reopen(ctx, job.id, { cancelled: true, failed: false });
  return reopened(ctx, job, "generation.resume", n);
}

/** Retries a job's failed samples (all, or the listed units), each from its first attempt. */
export async function retryGeneration(ctx: Ctx, input: { id: number; unitIds?: number[] }): Promise<GenerationView> {
  allow(ctx);
  const job = await jobOrThrow(ctx, input.id);
  if (job.state === "cancelled") throw conflictError("The job is cancelled; resume it first.");
  const unitIds = input.unitIds?.filter((n) => Number.isSafeInteger(n) && n > 0);
  const n = await reopen(ctx, job.id, { cancelled: false, failed: true, unitIds });
  if (n === 0) throw conflictError("There is no failed sample to retry.");
  return reopened(ctx, job, "generation.retry", n);
}

/** Audits the samples a resume or retry queued again and answers with the job as it now stands. */
async function reopened(
  ctx: Ctx,
  job: { id: number; projectId: number },
  action: "generation.resume" | "generation.retry",
  units: number,
): Promise<GenerationView> {
  await audit(ctx, { action, targetType: "generation", targetId: job.id, projectId: job.projectId, details: { units } });
  return getGeneration(ctx, { id: job.id });
}
