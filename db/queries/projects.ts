import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectMembers, projects, tasks, users, type NewProject, type Project } from "@/db/schema";

export async function getProjectBySlug(db: Db, slug: string): Promise<Project | undefined> {
  const [row] = await db.select().from(projects).where(eq(projects.slug, slug)).limit(1);
  return row;
}

export async function insertProject(db: Db, project: NewProject): Promise<Project> {
  const [row] = await db.insert(projects).values(project).returning();
  return row!;
}

export async function listProjectIdsForMember(db: Db, userId: number): Promise<number[]> {
  const rows = await db
    .select({ id: projectMembers.projectId })
    .from(projectMembers)
    .where(and(eq(projectMembers.userId, userId), ne(projectMembers.status, "removed")));
  return rows.map((r) => r.id);
}

export async function isProjectMember(db: Db, projectId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId), ne(projectMembers.status, "removed")))
    .limit(1);
  return Boolean(row);
}

/**
 * Adds members; a removed member comes back with the standing a lead gave them before the
 * removal (and keeps their export exclusion). Returns the rows added or restored.
 */
export async function addProjectMembers(db: Db, projectId: number, userIds: number[], addedBy: number | null) {
  if (!userIds.length) return [];
  return db
    .insert(projectMembers)
    .values(userIds.map((userId) => ({ projectId, userId, addedBy })))
    .onConflictDoUpdate({
      target: [projectMembers.projectId, projectMembers.userId],
      set: { status: sql`coalesce(${projectMembers.statusBeforeRemoval}, 'active')`, statusBeforeRemoval: null },
      setWhere: sql`${projectMembers.status} = 'removed'`,
    })
    .returning({ userId: projectMembers.userId, status: projectMembers.status, excludedFromExports: projectMembers.excludedFromExports });
}

export type ProjectProgress = {
  id: number;
  slug: string;
  name: string;
  description: string;
  status: Project["status"];
  /** `live` projects open sessions instead of a queue. */
  kind: Project["kind"];
  mode: Project["mode"];
  scalePoints: number;
  overlap: number;
  items: number;
  tasks: number;
  tasksComplete: number;
  /** Valid judgments on non-gold tasks, capped per task at its overlap. */
  judgments: number;
  /** Judgments needed to finish every non-gold task. */
  judgmentsNeeded: number;
  members: number;
  /** The asking user's valid judgments in this project (all time, and since `todaySince`). */
  myJudgments: number;
  myJudgmentsToday: number;
};

/**
 * Projects with their real progress figures, in one round trip: per-project aggregates
 * over tasks (served by tasks_project_idx) and the user's own judgments
 * (judgments_annotator_created_idx).
 */
export async function listProjectsWithProgress(
  db: Db,
  params: { projectIds?: number[]; userId: number; todaySince: Date },
): Promise<ProjectProgress[]> {
  if (params.projectIds && params.projectIds.length === 0) return [];
  const filter = params.projectIds ? inArray(projects.id, params.projectIds) : undefined;
  const rows = await db
    .select({
      id: projects.id,
      slug: projects.slug,
      name: projects.name,
      description: projects.description,
      status: projects.status,
      kind: projects.kind,
      mode: projects.mode,
      scalePoints: projects.scalePoints,
      overlap: projects.overlap,
      items: sql<number>`(select count(*)::int from items i where i.project_id = ${projects.id})`,
      tasks: sql<number>`coalesce(t.tasks, 0)`,
      tasksComplete: sql<number>`coalesce(t.complete, 0)`,
      judgments: sql<number>`coalesce(t.judged, 0)`,
      judgmentsNeeded: sql<number>`coalesce(t.needed, 0)`,
      members: sql<number>`(select count(*)::int from project_members m where m.project_id = ${projects.id} and m.status <> 'removed')`,
      myJudgments: sql<number>`coalesce(mine.total, 0)`,
      myJudgmentsToday: sql<number>`coalesce(mine.today, 0)`,
    })
    .from(projects)
    .leftJoin(
      sql`lateral (
        select count(*)::int as tasks,
               count(*) filter (where valid_judgments >= overlap)::int as complete,
               sum(least(valid_judgments, overlap)) filter (where gold is null)::int as judged,
               sum(overlap) filter (where gold is null)::int as needed
        from tasks where tasks.project_id = ${projects.id}) t`,
      sql`true`,
    )
    .leftJoin(
      sql`lateral (
        select count(*)::int as total,
               count(*) filter (where j.created_at >= ${params.todaySince.toISOString()}::timestamptz)::int as today
        from judgments j
        where j.annotator_id = ${params.userId} and j.project_id = ${projects.id} and j.state = 'valid') mine`,
      sql`true`,
    )
    .where(filter)
    .orderBy(projects.name);
  return rows;
}

export async function updateProjectRow(db: Db, id: number, patch: Partial<NewProject>): Promise<Project> {
  const [row] = await db
    .update(projects)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(projects.id, id))
    .returning();
  return row!;
}

/**
 * Removes members without erasing a lead's decisions: the row stays, marked removed, with
 * the standing it had (restored on re-adding) and its export exclusion. Returns the rows
 * that were members until now.
 */
export async function removeProjectMembers(db: Db, projectId: number, userIds: number[]) {
  if (!userIds.length) return [];
  return db
    .update(projectMembers)
    .set({ status: "removed", statusBeforeRemoval: sql`${projectMembers.status}` })
    .where(and(eq(projectMembers.projectId, projectId), inArray(projectMembers.userId, userIds), ne(projectMembers.status, "removed")))
    .returning({
      userId: projectMembers.userId,
      status: projectMembers.statusBeforeRemoval,
      excludedFromExports: projectMembers.excludedFromExports,
    });
}

/** Members of a project with their account and per-project standing, and their judgment counts. */
export async function listProjectMembers(db: Db, projectId: number) {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      status: projectMembers.status,
      excludedFromExports: projectMembers.excludedFromExports,
      addedAt: projectMembers.addedAt,
      judgments: sql<number>`(select count(*)::int from judgments j where j.project_id = ${projectId} and j.annotator_id = ${users.id} and j.state = 'valid')`,
    })
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .where(and(eq(projectMembers.projectId, projectId), ne(projectMembers.status, "removed")))
    .orderBy(users.email);
}

/** Counts that decide which settings may still change: tasks and judgments so far. */
export async function getProjectWorkCounts(db: Db, projectId: number) {
  const [row] = await db
    .execute<{ tasks: number; judgments: number; max_valid: number }>(sql`
    select (select count(*)::int from tasks where project_id = ${projectId}) as tasks,
           (select count(*)::int from judgments where project_id = ${projectId}) as judgments,
           (select coalesce(max(valid_judgments), 0)::int from tasks where project_id = ${projectId} and gold is null) as max_valid`)
    .then((r) => r.rows);
  return { tasks: row?.tasks ?? 0, judgments: row?.judgments ?? 0, maxValid: row?.max_valid ?? 0 };
}

/** How many tasks a project has (served by tasks_project_idx; no judgment scan). */
export async function countProjectTasks(db: Db, projectId: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.projectId, projectId));
  return row?.n ?? 0;
}

/** Keeps non-gold tasks' overlap equal to the project's (plus the extra judgments adaptive overlap asked for). */
export async function setTaskOverlap(db: Db, projectId: number, overlap: number) {
  await db.execute(
    sql`update tasks set overlap = ${overlap} + extra_overlap where project_id = ${projectId} and gold is null and overlap <> ${overlap} + extra_overlap`,
  );
}
