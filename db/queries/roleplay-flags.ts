import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow } from "@/db/queries/rows";
import type { candidates, judgments } from "@/db/schema";

/** One count: how many valid judgments gave `flag` to a reply, per model or per annotator. */
export type RoleplayFlagCountRow = { key: string; label: string; flag: string; replies: number };

/**
 * Role-play flags given in valid judgments of a project, counted per model of the flagged
 * reply and per annotator who gave them. Reads only flagged judgments
 * (judgments_project_roleplay_flagged_idx), so its cost follows the flags, not the project.
 */
export async function countRoleplayFlags(
  db: Db,
  projectId: number,
): Promise<{ byModel: RoleplayFlagCountRow[]; byAnnotator: RoleplayFlagCountRow[] }> {
  const { rows } = await db.execute<
    RawRow<typeof candidates, "model"> & RawRow<typeof judgments, "annotatorId"> & { annotator: string; flag: string; replies: number }
  >(sql`
    select c.model, j.annotator_id::text, coalesce(nullif(u.name, ''), u.email) as annotator, f.flag, count(*)::int as replies
      from judgments j
      cross join lateral jsonb_each(j.roleplay_flags) e(idx, flags)
      cross join lateral jsonb_array_elements_text(e.flags) f(flag)
      join tasks t on t.id = j.task_id
      join candidates c on c.id = t.candidate_ids[(e.idx)::int + 1]
      join users u on u.id = j.annotator_id
     where j.project_id = ${projectId} and j.roleplay_flags <> '{}'::jsonb and j.state = 'valid'
     group by 1, 2, 3, 4`);
  const sum = (key: (r: (typeof rows)[number]) => [string, string]) => {
    const out = new Map<string, RoleplayFlagCountRow>();
    for (const r of rows) {
      const [k, label] = key(r);
      const id = `${k}\u0000${r.flag}`;
      const row = out.get(id) ?? { key: k, label, flag: r.flag, replies: 0 };
      row.replies += r.replies;
      out.set(id, row);
    }
    return [...out.values()].sort((a, b) => b.replies - a.replies || a.label.localeCompare(b.label) || a.flag.localeCompare(b.flag));
  };
  return { byModel: sum((r) => [r.model, r.model]), byAnnotator: sum((r) => [r.annotator_id, r.annotator]) };
}
