/**
 * Generation jobs and their units, in raw SQL on a pg client or pool: the worker and the
 * job service run these in the same transaction as the queue's own statements (pg-boss
 * takes a `{executeSql}` adapter), so a unit and its queue entry commit together.
 * Nothing here checks permissions or validates input.
 */
import pg from "pg";
import type { Db } from "@/db/client";
import { num, type RawRow } from "@/db/queries/rows";
import type { candidates } from "@/db/schema/content";
import type { SamplingParams } from "@/db/schema/models";
import type { GenerationFilter, generationJobs, generationUnits } from "@/db/schema/generation";
import type { Gold } from "@/lib/validation/import";

/** A pool, or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient | pg.Client;

/** The pg pool under a drizzle handle (drizzle keeps it as `$client`). */
export function poolOf(db: Db): pg.Pool {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) return client;
  throw new Error("generation needs the database handle of a pool (not a transaction)");
}

/** Runs `fn` in a transaction on one pooled client. */
export async function inClientTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("begin");
    const out = await fn(client);
    await client.query("commit");
    return out;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A unit as the queue knows it: its id and the endpoint whose queue it goes to. */
type UnitRow = RawRow<typeof generationUnits, "id" | "endpointId">;
const unitOf = (r: UnitRow) => ({ id: num(r.id), endpointId: num(r.endpoint_id) });

/** A stored candidate by its generation key (none of these columns is a time, so pg's rows match RawRow). */
type GeneratedCandidateRow = RawRow<typeof candidates, "id" | "itemId" | "endpointId" | "sampleIndex">;

/**
 * Creates a job and its units: item × endpoint × sample index for the project's items
 * (all, the listed external ids, or — `onlyMissing` — those with fewer than
 * `minCandidates` candidates), skipping samples that already exist as candidates and
 * samples another running job is already making. The job is born finished when nothing
 * is left to make.
 */
export async function insertJobWithUnits(
  client: Queryable,
  params: {
    projectId: number;
    createdBy: number | null;
    samples: number;
    filter: GenerationFilter;
    params: SamplingParams;
    endpointIds: number[];
    minCandidates: number;
  },
): Promise<{ jobId: number; units: { id: number; endpointId: number }[] }> {
  const { rows: jobRows } = await client.query<RawRow<typeof generationJobs, "id">>(
    `insert into generation_jobs (project_id, created_by, samples, filter, params, total)
     values ($1, $2, $3, $4, $5, 0) returning id`,
    [params.projectId, params.createdBy, params.samples, JSON.stringify(params.filter), JSON.stringify(params.params)],
  );
  const jobId = num(jobRows[0]!.id);
  const { rows } = await client.query<UnitRow>(
    `insert into generation_units (job_id, item_id, endpoint_id, sample_index)
     select $1, i.id, e.id, s.idx
     from items i
     cross join unnest($3::bigint[]) with ordinality as e(id, ord)
     cross join generate_series(0, $4::int - 1) as s(idx)
     where i.project_id = $2
       and ($5::text[] is null or i.external_id = any($5::text[]))
       and (not $6::boolean or (select count(*) from candidates c where c.item_id = i.id) < $7::int)
       and not exists (select 1 from candidates c where c.item_id = i.id and c.endpoint_id = e.id and c.sample_index = s.idx)
       and not exists (
         select 1 from generation_units u join generation_jobs j on j.id = u.job_id
         where u.item_id = i.id and u.endpoint_id = e.id and u.sample_index = s.idx and u.state = 'pending' and j.state = 'running')
     order by i.external_id collate "C", e.ord, s.idx
     returning id, endpoint_id`,
    [
      jobId,
      params.projectId,
      params.endpointIds,
      params.samples,
      params.filter.externalIds ?? null,
      params.filter.onlyMissing,
      params.minCandidates,
    ],
  );
  await client.query(
    `update generation_jobs set total = $2, state = case when $2 = 0 then 'finished'::generation_job_state else state end,
            finished_at = case when $2 = 0 then now() else null end
     where id = $1`,
    [jobId, rows.length],
  );
  return { jobId, units: rows.map(unitOf) };
}

/** What the worker needs to make one sample. */
export type UnitWork = {
  unitId: number;
  jobId: number;
  jobState: "running" | "finished" | "cancelled";
  jobParams: SamplingParams;
  state: "pending" | "done" | "failed" | "cancelled";
  attempts: number;
  itemId: number;
  sampleIndex: number;
  endpointId: number;
  externalId: string;
  characterName: string;
  characterProfile: Record<string, unknown>;
  scene: string | null;
  context: { role: "user" | "assistant"; content: string }[];
  language: string | null;
};

/** The units with these ids, joined with their job, item and character. */
export async function getUnitsWork(client: Queryable, unitIds: number[]): Promise<UnitWork[]> {
  if (unitIds.length === 0) return [];
  const { rows } = await client.query(
    `select u.id, u.job_id, j.state as job_state, j.params as job_params, u.state, u.attempts, u.item_id, u.sample_index,
            u.endpoint_id, i.external_id, c.name as character_name, c.profile, i.scene, i.context, i.language
     from generation_units u
     join generation_jobs j on j.id = u.job_id
     join items i on i.id = u.item_id
     join characters c on c.id = i.character_id
     where u.id = any($1::bigint[])`,
    [unitIds],
  );
  return rows.map((r) => ({
    unitId: num(r.id),
    jobId: num(r.job_id),
    jobState: r.job_state,
    jobParams: r.job_params ?? {},
    state: r.state,
    attempts: num(r.attempts),
    itemId: num(r.item_id),
    sampleIndex: num(r.sample_index),
    endpointId: num(r.endpoint_id),
    externalId: r.external_id,
    characterName: r.character_name,
    characterProfile: r.profile ?? {},
    scene: r.scene,
    context: r.context,
    language: r.language,
  }));
}

/** A sample that came back. */
export type SampleResult = {
  unitId: number;
  itemId: number;
  jobId: number;
  endpointId: number;
  sampleIndex: number;
  attempts: number;
  model: string;
  modelVersion: string | null;
  content: string;
  params: SamplingParams;
  seed: number | null;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  totalMs: number;
  responseId: string | null;
};

/** The fields of a sample stored as a candidate's columns, in the order of insertGeneratedCandidates' unnest. */
const GENERATED_COLUMNS = [
  "itemId",
  "position",
  "model",
  "modelVersion",
  "content",
  "endpointId",
  "sampleIndex",
  "params",
  "seed",
  "finishReason",
  "promptTokens",
  "completionTokens",
  "ttftMs",
  "totalMs",
  "responseId",
] as const;

/** Project rules the task planner needs, per item. */
export type ItemPlanContext = {
  itemId: number;
  projectId: number;
  mode: "pairwise" | "ranking";
  scalePoints: number;
  overlap: number;
  settings: Record<string, unknown>;
  gold: Gold | null;
  candidates: { id: number; model: string; content: string }[];
  tasks: number[][];
};

/** Locks the items (in id order: two writers never deadlock) for the rest of the transaction. */
export async function lockItems(client: Queryable, itemIds: number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await client.query(`select id from items where id = any($1::bigint[]) order by id for update`, [itemIds]);
}

/**
 * Stores samples as candidates (next free positions of their items; the caller holds the
 * items' locks). A sample that already exists (item × endpoint × sample index) is not
 * stored twice: its existing candidate is returned instead.
 */
export async function insertGeneratedCandidates(client: Queryable, results: SampleResult[]): Promise<Map<number, number | null>> {
  const byUnit = new Map<number, number | null>();
  if (results.length === 0) return byUnit;
  const itemIds = [...new Set(results.map((r) => r.itemId))];
  const { rows: maxRows } = await client.query<{ item_id: string; max: number | null }>(
    `select i.id as item_id, (select max(position) from candidates c where c.item_id = i.id) as max
     from unnest($1::bigint[]) as i(id)`,
    [itemIds],
  );
  const next = new Map(maxRows.map((r) => [num(r.item_id), r.max === null ? 0 : num(r.max) + 1]));
  const rows = results.map((r) => {
    const position = next.get(r.itemId)!;
    next.set(r.itemId, position + 1);
    return { ...r, position };
  });
  const fits = rows.filter((r) => r.position <= 15);
  for (const r of rows) if (r.position > 15) byUnit.set(r.unitId, null);
  if (fits.length > 0) {
    const { rows: inserted } = await client.query<GeneratedCandidateRow>(
      `insert into candidates (item_id, position, model, model_version, content, metadata, endpoint_id, sample_index, params, seed,
                               finish_reason, prompt_tokens, completion_tokens, ttft_ms, total_ms, response_id, generated_at)
       select u.item_id, u.position, u.model, u.model_version, u.content, '{}'::jsonb, u.endpoint_id, u.sample_index, u.params::jsonb, u.seed,
              u.finish_reason, u.prompt_tokens, u.completion_tokens, u.ttft_ms, u.total_ms, u.response_id, now()
       from unnest($1::bigint[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::smallint[], $8::text[], $9::bigint[],
                   $10::text[], $11::int[], $12::int[], $13::int[], $14::int[], $15::text[])
         as u(item_id, position, model, model_version, content, endpoint_id, sample_index, params, seed,
              finish_reason, prompt_tokens, completion_tokens, ttft_ms, total_ms, response_id)
       on conflict (item_id, endpoint_id, sample_index) where endpoint_id is not null do nothing
       returning id, item_id, endpoint_id, sample_index`,
      // One array per column of the unnest, in its order ($1 … $15); params travel as JSON text.
      GENERATED_COLUMNS.map((k) => fits.map((r) => (k === "params" ? JSON.stringify(r.params) : r[k]))),
    );
    const key = (item: number, endpoint: number, sample: number) => `${item}:${endpoint}:${sample}`;
    const got = new Map(inserted.map((r) => [key(num(r.item_id), num(r.endpoint_id), num(r.sample_index)), num(r.id)]));
    const missing = fits.filter((r) => !got.has(key(r.itemId, r.endpointId, r.sampleIndex)));
    if (missing.length > 0) {
      // Made before (another job, or a retried request that had in fact been stored): keep the first.
      const { rows: found } = await client.query<GeneratedCandidateRow>(
        `select c.id, c.item_id, c.endpoint_id, c.sample_index from candidates c
         join unnest($1::bigint[], $2::bigint[], $3::smallint[]) as k(item_id, endpoint_id, sample_index)
           on c.item_id = k.item_id and c.endpoint_id = k.endpoint_id and c.sample_index = k.sample_index`,
        [missing.map((r) => r.itemId), missing.map((r) => r.endpointId), missing.map((r) => r.sampleIndex)],
      );
      for (const r of found) got.set(key(num(r.item_id), num(r.endpoint_id), num(r.sample_index)), num(r.id));
    }
    for (const r of fits) byUnit.set(r.unitId, got.get(key(r.itemId, r.endpointId, r.sampleIndex)) ?? null);
  }
  return byUnit;
}

/** Marks units done with their candidates. */
export async function markUnitsDone(client: Queryable, done: { unitId: number; candidateId: number; attempts: number }[]): Promise<void> {
  if (done.length === 0) return;
  await client.query(
    `update generation_units u set state = 'done', candidate_id = d.candidate_id, attempts = d.attempts, error = null,
            updated_at = now(), finished_at = now()
     from unnest($1::bigint[], $2::bigint[], $3::smallint[]) as d(id, candidate_id, attempts)
     where u.id = d.id and u.state = 'pending'`,
    [done.map((d) => d.unitId), done.map((d) => d.candidateId), done.map((d) => d.attempts)],
  );
}

/** Records an attempt's error: the unit stays pending (a retry is queued) or becomes failed. */
export async function recordUnitErrors(
  client: Queryable,
  errors: { unitId: number; error: string; attempts: number; final: boolean }[],
): Promise<void> {
  if (errors.length === 0) return;
  await client.query(
    `update generation_units u set error = e.error, attempts = e.attempts, updated_at = now(),
            state = case when e.final then 'failed'::generation_unit_state else u.state end,
            finished_at = case when e.final then now() else u.finished_at end
     from unnest($1::bigint[], $2::text[], $3::smallint[], $4::boolean[]) as e(id, error, attempts, final)
     where u.id = e.id and u.state = 'pending'`,
    [errors.map((e) => e.unitId), errors.map((e) => e.error), errors.map((e) => e.attempts), errors.map((e) => e.final)],
  );
}

/** Of these items, those with no sample still pending in a running job, with what planning their tasks needs. */
export async function settledItemsForPlanning(client: Queryable, itemIds: number[]): Promise<ItemPlanContext[]> {
  if (itemIds.length === 0) return [];
  const { rows } = await client.query(
    `select i.id, i.project_id, p.mode, p.scale_points, p.overlap, p.settings, i.gold,
            coalesce((select json_agg(json_build_array(c.id, c.model, c.content) order by c.position) from candidates c where c.item_id = i.id), '[]') as candidates,
            coalesce((select json_agg(t.candidate_ids) from tasks t where t.item_id = i.id), '[]') as tasks
     from items i join projects p on p.id = i.project_id
     where i.id = any($1::bigint[])
       and not exists (
         select 1 from generation_units u join generation_jobs j on j.id = u.job_id
         where u.item_id = i.id and u.state = 'pending' and j.state = 'running')`,
    [itemIds],
  );
  return rows.map((r) => ({
    itemId: num(r.id),
    projectId: num(r.project_id),
    mode: r.mode,
    scalePoints: num(r.scale_points),
    overlap: num(r.overlap),
    settings: r.settings ?? {},
    gold: r.gold,
    candidates: (r.candidates as [number, string, string][]).map(([id, model, content]) => ({ id: num(id), model, content })),
    tasks: (r.tasks as (number | string)[][]).map((ids) => ids.map(num)),
  }));
}

/** Inserts planned tasks (one project's scale per row, as the composite key demands). */
export async function insertPlannedTasks(
  client: Queryable,
  tasks: { projectId: number; scalePoints: number; itemId: number; kind: string; candidateIds: number[]; overlap: number; gold: unknown }[],
): Promise<number> {
  if (tasks.length === 0) return 0;
  const result = await client.query(
    `insert into tasks (project_id, item_id, kind, candidate_ids, scale_points, overlap, gold)
     select u.project_id, u.item_id, u.kind::task_kind, u.candidate_ids::bigint[], u.scale_points, u.overlap, u.gold::jsonb
     from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::smallint[], $6::smallint[], $7::text[])
       as u(project_id, item_id, kind, candidate_ids, scale_points, overlap, gold)`,
    [
      tasks.map((t) => t.projectId),
      tasks.map((t) => t.itemId),
      tasks.map((t) => t.kind),
      tasks.map((t) => `{${t.candidateIds.join(",")}}`),
      tasks.map((t) => t.scalePoints),
      tasks.map((t) => t.overlap),
      tasks.map((t) => (t.gold ? JSON.stringify(t.gold) : null)),
    ],
  );
  return result.rowCount ?? tasks.length;
}

/** Running jobs among these with no pending unit left become finished. */
export async function finishSettledJobs(client: Queryable, jobIds: number[]): Promise<void> {
  if (jobIds.length === 0) return;
  await client.query(
    `update generation_jobs j set state = 'finished', finished_at = now()
     where j.id = any($1::bigint[]) and j.state = 'running'
       and not exists (select 1 from generation_units u where u.job_id = j.id and u.state = 'pending')`,
    [jobIds],
  );
}

export type JobRow = {
  id: number;
  projectId: number;
  projectSlug: string;
  state: "running" | "finished" | "cancelled";
  samples: number;
  filter: GenerationFilter;
  params: SamplingParams;
  total: number;
  createdAt: Date;
  finishedAt: Date | null;
  createdBy: string | null;
  endpoints: string[];
};

function jobOf(r: Record<string, unknown>): JobRow {
  return {
    id: num(r.id),
    projectId: num(r.project_id),
    projectSlug: r.slug as string,
    state: r.state as JobRow["state"],
    samples: num(r.samples),
    filter: r.filter as GenerationFilter,
    params: (r.params ?? {}) as SamplingParams,
    total: num(r.total),
    createdAt: r.created_at as Date,
    finishedAt: (r.finished_at as Date | null) ?? null,
    createdBy: (r.created_by_name as string | null) ?? null,
    endpoints: (r.endpoints as string[] | null) ?? [],
  };
}

const JOB_SELECT = `
  select j.*, p.slug, u.name as created_by_name,
         (select array_agg(e.name order by e.name) from model_endpoints e
           where e.id in (select distinct endpoint_id from generation_units gu where gu.job_id = j.id)) as endpoints
  from generation_jobs j join projects p on p.id = j.project_id left join users u on u.id = j.created_by`;

export async function getJob(client: Queryable, jobId: number): Promise<JobRow | undefined> {
  const { rows } = await client.query(`${JOB_SELECT} where j.id = $1`, [jobId]);
  return rows[0] ? jobOf(rows[0]) : undefined;
}

export async function listProjectJobs(client: Queryable, projectId: number, limit = 20): Promise<JobRow[]> {
  const { rows } = await client.query(`${JOB_SELECT} where j.project_id = $1 order by j.id desc limit $2`, [projectId, limit]);
  return rows.map(jobOf);
}

/** Unit counts of a job, and how many finished in the last `windowSeconds`. */
export async function jobCounts(client: Queryable, jobId: number, windowSeconds: number) {
  const { rows } = await client.query(
    `select count(*) filter (where state = 'done') as done, count(*) filter (where state = 'failed') as failed,
            count(*) filter (where state = 'cancelled') as cancelled, count(*) filter (where state = 'pending') as pending,
            count(*) as total,
            count(*) filter (where state in ('done', 'failed') and finished_at > now() - make_interval(secs => $2)) as recent,
            extract(epoch from now() - least(min(finished_at) filter (where finished_at > now() - make_interval(secs => $2)), now())) as recent_span
     from generation_units where job_id = $1`,
    [jobId, windowSeconds],
  );
  const r = rows[0]!;
  return {
    total: num(r.total),
    done: num(r.done),
    failed: num(r.failed),
    cancelled: num(r.cancelled),
    pending: num(r.pending),
    recent: num(r.recent),
    recentSpan: Number(r.recent_span ?? 0),
  };
}

export type UnitError = {
  unitId: number;
  externalId: string;
  endpoint: string;
  sampleIndex: number;
  attempts: number;
  error: string;
  state: string;
};

/** Failed units (and pending ones that have failed at least once), most recent first. */
export async function listJobErrors(client: Queryable, jobId: number, limit = 100): Promise<UnitError[]> {
  const { rows } = await client.query(
    `select u.id, i.external_id, e.name as endpoint, u.sample_index, u.attempts, u.error, u.state
     from generation_units u join items i on i.id = u.item_id join model_endpoints e on e.id = u.endpoint_id
     where u.job_id = $1 and u.error is not null and u.state in ('failed', 'pending')
     order by (u.state = 'failed') desc, u.updated_at desc limit $2`,
    [jobId, limit],
  );
  return rows.map((r) => ({
    unitId: num(r.id),
    externalId: r.external_id,
    endpoint: r.endpoint,
    sampleIndex: num(r.sample_index),
    attempts: num(r.attempts),
    error: r.error,
    state: r.state,
  }));
}

/** Cancels a running job: its pending units become cancelled. */
export async function cancelJobUnits(client: Queryable, jobId: number): Promise<number> {
  await client.query(`update generation_jobs set state = 'cancelled', finished_at = now() where id = $1 and state = 'running'`, [jobId]);
  const r = await client.query(
    `update generation_units set state = 'cancelled', updated_at = now(), finished_at = now() where job_id = $1 and state = 'pending'`,
    [jobId],
  );
  return r.rowCount ?? 0;
}

/**
 * Puts units of a job back to pending — cancelled ones (resume) and/or failed ones
 * (retry; all, or the listed ones) — and marks the job running. Returns the units.
 */
export async function reopenUnits(
  client: Queryable,
  params: { jobId: number; cancelled: boolean; failed: boolean; unitIds?: number[] },
): Promise<{ id: number; endpointId: number }[]> {
  const states = [...(params.cancelled ? ["cancelled"] : []), ...(params.failed ? ["failed"] : [])];
  const { rows } = await client.query<UnitRow>(
    `update generation_units u set state = 'pending', attempts = 0, updated_at = now(), finished_at = null
     where u.job_id = $1 and u.state::text = any($2::text[]) and ($3::bigint[] is null or u.id = any($3::bigint[]))
       and not exists (select 1 from candidates c where c.item_id = u.item_id and c.endpoint_id = u.endpoint_id and c.sample_index = u.sample_index)
     returning u.id, u.endpoint_id`,
    [params.jobId, states, params.unitIds ?? null],
  );
  if (rows.length > 0) await client.query(`update generation_jobs set state = 'running', finished_at = null where id = $1`, [params.jobId]);
  return rows.map(unitOf);
}

/** Jobs among these that are no longer running (the worker aborts their requests). */
export async function stoppedJobs(client: Queryable, jobIds: number[]): Promise<Set<number>> {
  if (jobIds.length === 0) return new Set();
  const { rows } = await client.query<RawRow<typeof generationJobs, "id">>(
    `select id from generation_jobs where id = any($1::bigint[]) and state <> 'running'`,
    [jobIds],
  );
  return new Set(rows.map((r) => num(r.id)));
}

/**
 * Reserves the next request slot of an endpoint under its shared rate gate: returns how
 * long to wait (ms). With `rpm`, each call moves the gate on by 60/rpm s; without, it
 * only reads it (a 429's Retry-After may have pushed it out).
 */
export async function reserveRateSlot(client: Queryable, endpointId: number, rpm: number | null): Promise<number> {
  const { rows } = await client.query<{ wait: number }>(
    rpm
      ? `update model_endpoints set rate_next_at = greatest(coalesce(rate_next_at, now()), now()) + make_interval(secs => 60.0 / $2)
         where id = $1
         returning greatest(0, extract(epoch from (rate_next_at - make_interval(secs => 60.0 / $2)) - now()) * 1000)::float8 as wait`
      : `select greatest(0, coalesce(extract(epoch from rate_next_at - now()) * 1000, 0))::float8 as wait from model_endpoints where id = $1`,
    rpm ? [endpointId, rpm] : [endpointId],
  );
  return Number(rows[0]?.wait ?? 0);
}

/** Pushes an endpoint's rate gate out by `ms` (a 429's Retry-After), for every worker. */
export async function pushRateGate(client: Queryable, endpointId: number, ms: number): Promise<void> {
  await client.query(
    `update model_endpoints set rate_next_at = greatest(coalesce(rate_next_at, now()), now() + make_interval(secs => $2 / 1000.0)) where id = $1`,
    [endpointId, ms],
  );
}

/** Pending units of running jobs with no queue entry waiting or active (see the worker's sweep). */
export async function listPendingUnitsWithoutQueueEntry(client: Queryable): Promise<{ id: number; endpointId: number }[]> {
  const { rows } = await client.query<UnitRow>(
    `select u.id, u.endpoint_id from generation_units u join generation_jobs j on j.id = u.job_id
     where j.state = 'running' and u.state = 'pending' and u.updated_at < now() - interval '30 seconds'
       and not exists (
         select 1 from pgboss.job b
         where b.name = 'arbiter-generate-e' || u.endpoint_id and b.state in ('created', 'retry', 'active')
           and b.data->>'unitId' = u.id::text)
     limit 10000`,
  );
  return rows.map(unitOf);
}
