/** A project's members as the leads' annotators page manages them. */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { MemberStatus } from "@/lib/domain/enums";

export type { MemberStatus };

export type ProjectMemberRow = {
  userId: number;
  email: string;
  name: string;
  role: string;
  active: boolean;
  status: MemberStatus;
  excluded: boolean;
  addedAt: Date;
};

/** Every annotating member of a project with their standing (removed ones too), by email. */
export async function listMembersWithStanding(db: Db, projectId: number): Promise<ProjectMemberRow[]> {
  const { rows } = await db.execute<{
    user_id: string;
    email: string;
    name: string;
    role: string;
    active: boolean;
    status: MemberStatus;
    excluded: boolean;
    added_at: string | Date;
  }>(sql`
    select pm.user_id, u.email, u.name, u.role, u.active, pm.status, pm.excluded_from_exports as excluded, pm.added_at
      from project_members pm join users u on u.id = pm.user_id
     where pm.project_id = ${projectId}
       -- Staff are members to reach the project; they are listed here only if they annotate.
       and (u.role = 'annotator' or exists (select 1 from judgments j where j.project_id = pm.project_id and j.annotator_id = pm.user_id))
     order by u.email`);
  return rows.map((r) => ({
    userId: Number(r.user_id),
    email: r.email,
    name: r.name,
    role: r.role,
    active: r.active,
    status: r.status,
    excluded: r.excluded,
    addedAt: new Date(r.added_at),
  }));
}

/** One membership, locked for an update (FOR UPDATE), or undefined. */
export async function lockMembershipForUpdate(db: Db, projectId: number, userId: number) {
  const { rows } = await db.execute<{ status: MemberStatus; excluded: boolean; email: string }>(sql`
    select pm.status, pm.excluded_from_exports as excluded, u.email
      from project_members pm join users u on u.id = pm.user_id
     where pm.project_id = ${projectId} and pm.user_id = ${userId}
       for update of pm`);
  return rows[0];
}

export async function updateMembershipStanding(
  db: Db,
  projectId: number,
  userId: number,
  patch: { status?: MemberStatus; excluded?: boolean },
): Promise<void> {
  await db.execute(sql`
    update project_members
       set status = coalesce(${patch.status ?? null}::member_status, status),
           excluded_from_exports = coalesce(${patch.excluded ?? null}::boolean, excluded_from_exports)
     where project_id = ${projectId} and user_id = ${userId}`);
}

/**
 * Releases an annotator's live leases in a project, so that a paused annotator does not
 * hold places other annotators could fill. Returns how many were released.
 */
export async function releaseLiveLeases(db: Db, projectId: number, userId: number): Promise<number> {
  const { rows } = await db.execute<{ id: string }>(sql`
    update assignments set state = 'released', finished_at = now()
     where project_id = ${projectId} and annotator_id = ${userId} and state = 'active'
    returning id`);
  return rows.length;
}

/**
 * What excluding (or including) an annotator's work changes: their judgments in the project
 * by state, the valid ones on non-gold tasks (those an export would count), and the tasks.
 */
export async function countAnnotatorWork(db: Db, projectId: number, userId: number) {
  const { rows } = await db.execute<{ total: number; valid: number; counted: number; tasks: number }>(sql`
    select count(*)::int as total,
           count(*) filter (where j.state = 'valid')::int as valid,
           count(*) filter (where j.state = 'valid' and t.gold is null)::int as counted,
           count(distinct j.task_id) filter (where j.state = 'valid')::int as tasks
      from judgments j join tasks t on t.id = j.task_id
     where j.project_id = ${projectId} and j.annotator_id = ${userId} and j.state <> 'superseded'`);
  return rows[0] ?? { total: 0, valid: 0, counted: 0, tasks: 0 };
}
