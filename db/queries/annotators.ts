/** A project's members as the leads' annotators page manages them. */
import { and, eq, exists, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { assignments, judgments, projectMembers, users } from "@/db/schema";
import type { MemberStatus } from "@/lib/domain/enums";

export type { MemberStatus };

const memberColumns = {
  userId: projectMembers.userId,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  status: projectMembers.status,
  excluded: projectMembers.excludedFromExports,
  addedAt: projectMembers.addedAt,
};

export type ProjectMemberRow = Awaited<ReturnType<typeof listMembersWithStanding>>[number];

/** Every annotating member of a project with their standing (removed ones too), by email. */
export async function listMembersWithStanding(db: Db, projectId: number) {
  return db
    .select(memberColumns)
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        // Staff are members to reach the project; they are listed here only if they annotate.
        or(
          eq(users.role, "annotator"),
          exists(
            db
              .select({ one: sql`1` })
              .from(judgments)
              .where(and(eq(judgments.projectId, projectMembers.projectId), eq(judgments.annotatorId, projectMembers.userId))),
          ),
        ),
      ),
    )
    .orderBy(users.email);
}

/** One membership, locked for an update (FOR UPDATE), or undefined. */
export async function lockMembershipForUpdate(db: Db, projectId: number, userId: number) {
  const [row] = await db
    .select({ status: memberColumns.status, excluded: memberColumns.excluded, email: memberColumns.email })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
    .for("update", { of: projectMembers });
  return row;
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
  const released = await db
    .update(assignments)
    .set({ state: "released", finishedAt: sql`now()` })
    .where(and(eq(assignments.projectId, projectId), eq(assignments.annotatorId, userId), eq(assignments.state, "active")))
    .returning({ id: assignments.id });
  return released.length;
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
