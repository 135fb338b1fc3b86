/** Gold tasks of a project for the leads' gold page: answers, accuracy, set and retire. */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow, Wire } from "@/db/queries/rows";
import type { characters, GoldAnswer, items, tasks } from "@/db/schema";

export type GoldTaskRow = {
  taskId: number;
  itemId: number;
  externalId: string;
  character: string;
  gold: GoldAnswer;
  retiredAt: Date | null;
  /** Valid pairwise judgments on the task, and those inside `accept` (or on the answer's side without one). */
  graded: number;
  correct: number;
  accuracy: number | null;
};

/**
 * One page of a project's gold tasks (active first, then retired; by task id) with per-gold
 * accuracy: the share of valid judgments inside the accepted answers — the rule the
 * dashboard's gold accuracy uses (db/queries/stats.ts).
 */
export async function listGoldTasks(
  db: Db,
  p: { projectId: number; limit: number; offset: number },
): Promise<{ rows: GoldTaskRow[]; total: number }> {
  const { rows } = await db.execute<
    RawRow<typeof tasks, "id" | "itemId" | "goldRetiredAt"> &
      RawRow<typeof items, "externalId"> & {
        character: Wire<typeof characters.name>;
        /** Not null: the query keeps gold tasks only. */
        gold: NonNullable<Wire<typeof tasks.gold>>;
        graded: number;
        correct: number;
        total: string;
      }
  >(sql`
    select t.id, t.item_id, i.external_id, ch.name as character, t.gold, t.gold_retired_at,
           g.graded, g.correct, count(*) over () as total
      from tasks t
      join items i on i.id = t.item_id
      join characters ch on ch.id = i.character_id
      cross join lateral (
        select count(*)::int as graded,
               count(*) filter (where case when t.gold ? 'accept'
                                   then j.strength = any(array(select jsonb_array_elements_text(t.gold -> 'accept')::int))
                                   else sign(j.strength) = sign((t.gold ->> 'strength')::int) end)::int as correct
          from judgments j where j.task_id = t.id and j.state = 'valid' and j.strength is not null
      ) g
     where t.project_id = ${p.projectId} and t.gold is not null
     order by (t.gold_retired_at is not null), t.id
     limit ${p.limit} offset ${p.offset}`);
  return {
    total: rows.length ? Number(rows[0]!.total) : 0,
    rows: rows.map((r) => ({
      taskId: Number(r.id),
      itemId: Number(r.item_id),
      externalId: r.external_id,
      character: r.character,
      gold: r.gold,
      retiredAt: r.gold_retired_at ? new Date(r.gold_retired_at) : null,
      graded: r.graded,
      correct: r.correct,
      accuracy: r.graded > 0 ? r.correct / r.graded : null,
    })),
  };
}

/** Gives a task its gold answer and makes it active gold again (clears a retirement). */
export async function setTaskGoldAnswer(db: Db, taskId: number, gold: GoldAnswer): Promise<void> {
  await db.execute(sql`update tasks set gold = ${JSON.stringify(gold)}::jsonb, gold_retired_at = null where id = ${taskId}`);
}

/** Retires a gold task: it keeps its answer (for the record) but is never offered again. */
export async function retireTaskGold(db: Db, taskId: number): Promise<void> {
  await db.execute(sql`update tasks set gold_retired_at = now() where id = ${taskId}`);
}
