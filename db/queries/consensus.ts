import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow, Wire } from "@/db/queries/rows";
import type { candidates, judgments, tasks, users } from "@/db/schema";
import { judgmentWhere, type StatsFilter } from "./stats";

/** One valid pairwise judgment as the annotator models read it. */
export type ConsensusRow = {
  taskId: number;
  annotatorId: number;
  annotatorName: string;
  annotatorEmail: string;
  strength: number;
  /** Canonical index shown in each slot (0 = left). */
  displayOrder: number[];
  modelA: string | null;
  modelB: string | null;
  /** The gold answer's strength when the task is a gold task. */
  goldStrength: number | null;
};

/**
 * Valid pairwise judgments (strength given) of a project under the dashboard's filters,
 * gold tasks included (Dawid–Skene starts from their answers), with the task's two models,
 * in (task, annotator) order so that every fit sees the same sequence.
 */
export async function selectConsensusJudgments(db: Db, f: StatsFilter): Promise<ConsensusRow[]> {
  const { rows } = await db.execute<
    RawRow<typeof judgments, "taskId" | "annotatorId" | "displayOrder"> &
      RawRow<typeof users, "name" | "email"> & {
        /** Not null: the query keeps judgments with a strength only. */
        strength: NonNullable<Wire<typeof judgments.strength>>;
        model_a: Wire<typeof candidates.model> | null;
        model_b: Wire<typeof candidates.model> | null;
        gold_strength: number | null;
      }
  >(sql`
    select j.task_id, j.annotator_id, u.name, u.email, j.strength, j.display_order,
           ca.model as model_a, cb.model as model_b, (t.gold ->> 'strength')::int as gold_strength
      from judgments j
      join tasks t on t.id = j.task_id
      join users u on u.id = j.annotator_id
      left join candidates ca on ca.id = t.candidate_ids[1]
      left join candidates cb on cb.id = t.candidate_ids[2]
     where ${judgmentWhere(f, "any")} and j.strength is not null
     order by j.task_id, j.annotator_id
  `);
  return rows.map((r) => ({
    taskId: Number(r.task_id),
    annotatorId: Number(r.annotator_id),
    annotatorName: r.name,
    annotatorEmail: r.email,
    strength: r.strength,
    displayOrder: r.display_order,
    modelA: r.model_a,
    modelB: r.model_b,
    goldStrength: r.gold_strength,
  }));
}

/**
 * Adaptive overlap: raises by one the overlap of the given tasks that have met it, are
 * non-gold pairwise tasks without an adjudicated label, and have had fewer than `maxExtra`
 * extra judgments. Only ever raises the ceiling, so the engine's invariants (never more
 * valid judgments than overlap, one judgment per annotator) hold as they are; the partial
 * index of open tasks picks the task up again. Returns the ids raised.
 */
export async function raiseTaskOverlap(db: Db, projectId: number, taskIds: readonly number[], maxExtra: number): Promise<number[]> {
  if (taskIds.length === 0) return [];
  const ids = `{${taskIds.map((id) => Math.trunc(id)).join(",")}}`;
  const { rows } = await db.execute<RawRow<typeof tasks, "id">>(sql`
    update tasks t set overlap = t.overlap + 1, extra_overlap = t.extra_overlap + 1
     where t.project_id = ${projectId} and t.id = any(${ids}::bigint[])
       and t.gold is null and t.kind = 'pairwise'
       and t.extra_overlap < ${maxExtra} and t.valid_judgments >= t.overlap
       and not exists (select 1 from reviews r where r.task_id = t.id and r.verdict = 'adjudicate' and r.revoked_at is null)
    returning t.id`);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}
