/**
 * Reads and writes of the background upkeep of projects (lib/services/project-upkeep.ts):
 * which projects are due, the claim that keeps two processes off the same project, and the
 * record of the last run.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectUpkeep, type ProjectUpkeep } from "@/db/schema";

/**
 * The least time between two runs of a project: the interval, or ten times its last run's
 * duration when that is longer, so a project whose fits take seconds (100,000+ judgments)
 * never keeps the worker's process busy more than a tenth of the time.
 */
const spacing = (result: SQL, intervalSeconds: number) =>
  sql`make_interval(secs => greatest(${intervalSeconds}::float8, 10 * coalesce((${result}->>'ms')::float8, 0) / 1000))`;

/**
 * Active static projects that ask for upkeep (active pair sampling or adaptive overlap), are
 * not claimed, last began at least their spacing ago, and have judgments written since
 * (judgments_project_created_idx answers each probe). Longest-waiting first.
 */
export async function selectDueUpkeepProjects(db: Db, intervalSeconds: number) {
  const { rows } = await db.execute<{ id: string; slug: string }>(sql`
    select p.id, p.slug
      from projects p
      left join project_upkeep u on u.project_id = p.id
     where p.status = 'active' and p.kind = 'static'
       and (p.settings->>'pairSampling' = 'active' or coalesce((p.settings->'adaptiveOverlap'->>'extra')::int, 0) > 0)
       and (u.claimed_until is null or u.claimed_until < now())
       and (u.started_at is null or u.started_at <= now() - ${spacing(sql`u.result`, intervalSeconds)})
       and exists (select 1 from judgments j
                    where j.project_id = p.id and j.created_at >= coalesce(u.started_at, '-infinity'::timestamptz))
     order by u.started_at nulls first, p.id`);
  return rows.map((r) => ({ id: Number(r.id), slug: r.slug }));
}

/**
 * Claims a project's upkeep for `claimSeconds` unless another process holds it or it ran
 * within its spacing (checked again here: the list above may be stale). Returns the
 * claim's start as the database wrote it (to the microsecond), which the finishing write
 * must match, or null when not claimed.
 */
export async function claimUpkeep(db: Db, projectId: number, intervalSeconds: number, claimSeconds: number): Promise<string | null> {
  const { rows } = await db.execute<{ started_at: string }>(sql`
    insert into project_upkeep (project_id, claimed_until, started_at)
    values (${projectId}, now() + make_interval(secs => ${claimSeconds}), now())
    on conflict (project_id) do update
       set claimed_until = excluded.claimed_until, started_at = excluded.started_at
     where (project_upkeep.claimed_until is null or project_upkeep.claimed_until < now())
       and (project_upkeep.started_at is null or project_upkeep.started_at <= now() - ${spacing(sql`project_upkeep.result`, intervalSeconds)})
    returning started_at::text`);
  return rows[0]?.started_at ?? null;
}

/**
 * Records what a run did and lets go of the claim, if it is still this run's (a claim that
 * lapsed and was taken by another process stays theirs). Returns whether it was.
 */
export async function finishUpkeep(db: Db, projectId: number, claim: string, result: Record<string, unknown>): Promise<boolean> {
  const done = await db.execute(sql`
    update project_upkeep set claimed_until = null, finished_at = now(), result = ${JSON.stringify(result)}::jsonb
     where project_id = ${projectId} and started_at = ${claim}::timestamptz`);
  return (done.rowCount ?? 0) > 0;
}

/** The record of a project's last upkeep, or null when it has had none. */
export async function selectUpkeep(db: Db, projectId: number): Promise<ProjectUpkeep | null> {
  const [row] = await db.select().from(projectUpkeep).where(eq(projectUpkeep.projectId, projectId));
  return row ?? null;
}
