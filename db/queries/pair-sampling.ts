/**
 * Reads and writes of active pair sampling for static projects (lib/services/pair-sampling.ts):
 * the votes the sampling model is fitted on, the open pairwise tasks it ranks, and their
 * serving ranks (tasks.sampling_rank, read by arbiter_lease_next_task).
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Valid pairwise judgments of a project with their task's two models (canonical order), in judgment order. */
export async function selectSamplingVotes(db: Db, projectId: number) {
  const { rows } = await db.execute<{ model_a: string | null; model_b: string | null; strength: number }>(sql`
    select ca.model as model_a, cb.model as model_b, j.strength
      from judgments j
      join tasks t on t.id = j.task_id
      left join candidates ca on ca.id = t.candidate_ids[1]
      left join candidates cb on cb.id = t.candidate_ids[2]
     where j.project_id = ${projectId} and j.state = 'valid' and j.strength is not null and t.kind = 'pairwise'
     order by j.id`);
  return rows;
}

/** Open non-gold tasks of a project (tasks_open_idx), with the models of a pairwise task's two candidates. */
export async function selectOpenTasksForSampling(db: Db, projectId: number) {
  const { rows } = await db.execute<{
    id: string;
    item_id: string;
    kind: string;
    model_a: string | null;
    model_b: string | null;
    sampling_rank: number;
  }>(sql`
    select t.id, t.item_id, t.kind::text as kind,
           case when t.kind = 'pairwise' then ca.model end as model_a,
           case when t.kind = 'pairwise' then cb.model end as model_b,
           t.sampling_rank
      from tasks t
      left join candidates ca on ca.id = t.candidate_ids[1]
      left join candidates cb on cb.id = t.candidate_ids[2]
     where t.project_id = ${projectId} and t.valid_judgments < t.overlap and t.gold is null
     order by t.id`);
  return rows;
}

/** Rows per statement when ranks are rewritten: each statement locks only its own rows, briefly. */
const BATCH = 500;

/**
 * Sets the serving ranks of tasks (by id), in batches of their own: a lease that meets a row
 * being rewritten skips it (SKIP LOCKED) for a moment, never the whole project. Returns how
 * many rows changed.
 */
export async function setSamplingRanks(db: Db, projectId: number, ranks: readonly (readonly [number, number])[]): Promise<number> {
  let changed = 0;
  for (let k = 0; k < ranks.length; k += BATCH) {
    const part = ranks.slice(k, k + BATCH);
    const ids = `{${part.map(([id]) => id).join(",")}}`;
    const values = `{${part.map(([, r]) => r).join(",")}}`;
    const result = await db.execute(sql`
      update tasks t set sampling_rank = v.r
        from unnest(${ids}::bigint[], ${values}::float8[]) as v(id, r)
       where t.id = v.id and t.project_id = ${projectId} and t.sampling_rank <> v.r`);
    changed += result.rowCount ?? 0;
  }
  return changed;
}

/** Puts every task of a project back in id order (uniform sampling); returns how many changed. */
export async function clearSamplingRanks(db: Db, projectId: number): Promise<number> {
  const result = await db.execute(sql`update tasks set sampling_rank = 0 where project_id = ${projectId} and sampling_rank <> 0`);
  return result.rowCount ?? 0;
}
