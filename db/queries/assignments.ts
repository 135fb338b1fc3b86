/**
 * The assignment engine's SQL: leases (assignments) and the task rows they lock.
 *
 * Callers pass a transaction; nothing here checks permissions or validates input. The
 * statements are raw SQL because the lease path is the hottest in the product and each
 * one is written against a specific index (docs/adr/0001-schema-invariants.md).
 *
 * Concurrency model, in short: a lease (db/functions/arbiter_lease_next_task.sql) locks
 * its annotator's membership row (one annotator's concurrent requests queue, different
 * annotators never wait for each other), then picks a task with `FOR UPDATE SKIP LOCKED`
 * and only then counts the task's live leases in a fresh statement. Every writer of a
 * task's leases or judgments holds that task row's lock, so the count is exact when it is
 * taken.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { num, type RawRow, toDate, type Wire } from "@/db/queries/rows";
import {
  type Assignment,
  type assignments,
  type CharacterProfile,
  type ContextMessage,
  type characters,
  type items,
  type judgments,
  type Project,
  projectMembers,
  projects,
  tasks,
} from "@/db/schema";
import { submitOutcomeOf, submitValues, type SubmitOutcome, type SubmitParams } from "./judgments";
import { queryPrepared } from "./prepared";
import type { MemberStatus, TaskKind } from "@/lib/domain/enums";

/** A project as the annotation engine needs it, with the asking user's membership. */
export type ProjectForAnnotator = Pick<
  Project,
  "id" | "slug" | "name" | "status" | "mode" | "scalePoints" | "overlap" | "settings" | "guidelines"
> & {
  /** The user's membership status in the project, or null when not a member. */
  memberStatus: MemberStatus | null;
};

/** The project with this slug and the user's membership in it (no lock). */
export async function getProjectForAnnotator(db: Db, params: { slug: string; userId: number }): Promise<ProjectForAnnotator | undefined> {
  const [row] = await db
    .select({
      id: projects.id,
      slug: projects.slug,
      name: projects.name,
      status: projects.status,
      mode: projects.mode,
      scalePoints: projects.scalePoints,
      overlap: projects.overlap,
      settings: projects.settings,
      guidelines: projects.guidelines,
      memberStatus: projectMembers.status,
    })
    .from(projects)
    .leftJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, params.userId)))
    .where(eq(projects.slug, params.slug));
  return row;
}

/** A lease as the engine reads it back. */
export type LiveLease = { id: number; taskId: number; displayOrder: number[]; leasedAt: Date; expiresAt: Date };

/** A task row as the lease and submit paths need it. */
export type LockedTask = {
  id: number;
  projectId: number;
  kind: TaskKind;
  candidateCount: number;
  scalePoints: number;
  overlap: number;
  validJudgments: number;
};

/** The columns of {@link LockedTask}, for the statements that lock a task row. */
export const lockedTaskColumns = {
  id: tasks.id,
  projectId: tasks.projectId,
  kind: tasks.kind,
  candidateCount: sql<number>`cardinality(${tasks.candidateIds})`,
  scalePoints: tasks.scalePoints,
  overlap: tasks.overlap,
  validJudgments: tasks.validJudgments,
};

/** Locks one task row (waiting for it): submits and edits serialise on their task. */
export async function lockTask(db: Db, taskId: number): Promise<LockedTask | undefined> {
  const [row] = await db.select(lockedTaskColumns).from(tasks).where(eq(tasks.id, taskId)).for("update");
  return row;
}

/** An assignment with what submit, skip and edit need of its task and project. */
export type AssignmentContext = Pick<
  Assignment,
  "id" | "taskId" | "projectId" | "annotatorId" | "displayOrder" | "state" | "leasedAt" | "expiresAt" | "skipReason"
> & {
  task: LockedTask;
  project: Pick<Project, "slug" | "status" | "settings">;
  memberStatus: string | null;
  /** The live judgment already stored for this lease (a retried submit), as of this read. */
  liveJudgmentId: number | null;
};

/**
 * An assignment with its task, project and the annotator's membership. `lockTask` also
 * locks the task row (waiting for it): submits and leases of a task serialise on it.
 */
export async function getAssignmentContext(
  db: Db,
  assignmentId: number,
  options: { lockTask?: boolean } = {},
): Promise<AssignmentContext | undefined> {
  const { rows } = await db.execute<
    RawRow<
      typeof assignments,
      "id" | "taskId" | "projectId" | "annotatorId" | "displayOrder" | "state" | "leasedAt" | "expiresAt" | "skipReason"
    > &
      RawRow<typeof tasks, "kind" | "scalePoints" | "overlap" | "validJudgments"> &
      RawRow<typeof projects, "slug" | "status" | "settings"> & {
        candidate_count: number;
        member_status: Wire<typeof projectMembers.status> | null;
        judgment_id: Wire<typeof judgments.id> | null;
      }
  >(sql`
    select a.id, a.task_id, a.project_id, a.annotator_id, a.display_order, a.state, a.leased_at, a.expires_at, a.skip_reason,
           t.kind, t.scale_points, t.overlap, t.valid_judgments, cardinality(t.candidate_ids) as candidate_count,
           p.slug, p.status, p.settings, m.status as member_status,
           (select j.id from judgments j where j.assignment_id = a.id and j.state <> 'superseded' order by j.id desc limit 1) as judgment_id
    from assignments a
    join tasks t on t.id = a.task_id
    join projects p on p.id = a.project_id
    left join project_members m on m.project_id = a.project_id and m.user_id = a.annotator_id
    where a.id = ${assignmentId}
    ${options.lockTask ? sql`for update of t` : sql``}`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: num(r.id),
    taskId: num(r.task_id),
    projectId: num(r.project_id),
    annotatorId: num(r.annotator_id),
    displayOrder: r.display_order,
    state: r.state,
    leasedAt: toDate(r.leased_at),
    expiresAt: toDate(r.expires_at),
    skipReason: r.skip_reason,
    task: {
      id: num(r.task_id),
      projectId: num(r.project_id),
      kind: r.kind,
      scalePoints: r.scale_points,
      overlap: r.overlap,
      validJudgments: r.valid_judgments,
      candidateCount: r.candidate_count,
    },
    project: { slug: r.slug, status: r.status, settings: r.settings },
    memberStatus: r.member_status,
    liveJudgmentId: r.judgment_id === null ? null : num(r.judgment_id),
  };
}

/**
 * Re-reads an assignment's state under a row lock (inside the task lock), with the id of
 * the live judgment already stored for it, if any (a retried submit).
 */
export async function lockAssignment(
  db: Db,
  assignmentId: number,
): Promise<{ state: Assignment["state"]; expiresAt: Date; skipReason: string | null; liveJudgmentId: number | null } | undefined> {
  const { rows } = await db.execute<
    RawRow<typeof assignments, "state" | "expiresAt" | "skipReason"> & { judgment_id: Wire<typeof judgments.id> | null }
  >(sql`
    select a.state, a.expires_at, a.skip_reason,
           (select j.id from judgments j where j.assignment_id = a.id and j.state <> 'superseded' order by j.id desc limit 1) as judgment_id
    from assignments a where a.id = ${assignmentId} for update`);
  const r = rows[0];
  return r
    ? {
        state: r.state,
        expiresAt: toDate(r.expires_at),
        skipReason: r.skip_reason,
        liveJudgmentId: r.judgment_id === null ? null : num(r.judgment_id),
      }
    : undefined;
}

/** Marks a lease skipped with its reason; the task is never offered to this annotator again. */
export async function markAssignmentSkipped(
  db: Db,
  params: { assignmentId: number; reason: string; note: string | null; at: Date },
): Promise<void> {
  await db.execute(sql`
    update assignments set state = 'skipped', skip_reason = ${params.reason}, skip_note = ${params.note},
           finished_at = ${params.at.toISOString()}::timestamptz
    where id = ${params.assignmentId}`);
}

/** What the task view shows: the item and the candidates' text (never their models). */
export type TaskContent = {
  taskId: number;
  kind: TaskKind;
  scalePoints: number;
  /** In canonical order (the caller reorders them for display). */
  candidates: { id: number; content: string }[];
  item: { id: number; scene: string | null; context: ContextMessage[]; character: { name: string; profile: CharacterProfile } };
};

/**
 * A task's content for the annotator, in one round trip; with `mineSince`, also the
 * annotator's valid judgments in the task's project since then
 * (judgments_annotator_created_idx).
 */
export async function getTaskContent(
  db: Db,
  taskId: number,
  mineSince?: { annotatorId: number; since: Date },
): Promise<(TaskContent & { mineSince: number }) | undefined> {
  const { rows } = await db.execute<
    RawRow<typeof tasks, "id" | "kind" | "scalePoints" | "candidateIds"> &
      RawRow<typeof items, "scene" | "context"> & {
        item_id: Wire<typeof items.id>;
        character_name: Wire<typeof characters.name>;
        character_profile: Wire<typeof characters.profile>;
        candidates: { id: number; content: string }[];
        mine: number;
      }
  >(sql`
    select t.id, t.kind, t.scale_points, t.candidate_ids, i.id as item_id, i.scene, i.context,
           c.name as character_name, c.profile as character_profile,
           (select json_agg(json_build_object('id', cd.id, 'content', cd.content))
              from candidates cd where cd.id = any(t.candidate_ids)) as candidates,
           ${
             mineSince
               ? sql`(select count(*)::int from judgments mj where mj.annotator_id = ${mineSince.annotatorId} and mj.project_id = t.project_id
                        and mj.created_at >= ${mineSince.since.toISOString()}::timestamptz and mj.state = 'valid')`
               : sql`0`
           } as mine
    from tasks t
    join items i on i.id = t.item_id
    join characters c on c.id = i.character_id
    where t.id = ${taskId}`);
  const r = rows[0];
  if (!r) return undefined;
  const byId = new Map(r.candidates.map((c) => [num(c.id), c.content]));
  return {
    taskId: num(r.id),
    kind: r.kind,
    scalePoints: r.scale_points,
    candidates: r.candidate_ids.map((id) => ({ id: num(id), content: byId.get(num(id)) ?? "" })),
    item: { id: num(r.item_id), scene: r.scene, context: r.context, character: { name: r.character_name, profile: r.character_profile } },
    mineSince: r.mine,
  };
}

/** A project's completion over its non-gold tasks: valid judgments (capped at overlap) of those needed. */
export async function getProjectCompletion(
  db: Db,
  projectId: number,
): Promise<{ judgments: number; needed: number; tasks: number; tasksComplete: number }> {
  const { rows } = await db.execute<{ judgments: number | null; needed: number | null; tasks: number; complete: number }>(sql`
    select sum(least(valid_judgments, overlap))::int as judgments, sum(overlap)::int as needed,
           count(*)::int as tasks, count(*) filter (where valid_judgments >= overlap)::int as complete
    from tasks where project_id = ${projectId} and gold is null`);
  const r = rows[0]!;
  return { judgments: r.judgments ?? 0, needed: r.needed ?? 0, tasks: r.tasks, tasksComplete: r.complete };
}

/** A project's name, status and settings by id. */
export async function getProjectSummary(
  db: Db,
  projectId: number,
): Promise<Pick<Project, "slug" | "name" | "status" | "settings"> | undefined> {
  const [row] = await db
    .select({ slug: projects.slug, name: projects.name, status: projects.status, settings: projects.settings })
    .from(projects)
    .where(eq(projects.id, projectId));
  return row;
}

/** What {@link leaseNextTaskInDb} found: a refusal with its facts, or a lease with its content. */
export type LeaseOutcome =
  | { status: "not_found" }
  | { status: "refused" | "capped" | "empty" | "retry"; project: LeaseProject; memberStatus: MemberStatus | null; liveLeases: number }
  | {
      status: "leased" | "resumed";
      project: LeaseProject;
      lease: LiveLease;
      task: { id: number; kind: TaskKind; scalePoints: number };
      /** Candidate texts in canonical order. */
      contents: string[];
      item: { scene: string | null; context: ContextMessage[]; character: { name: string; profile: CharacterProfile } };
      mineToday: number;
    };
type LeaseProject = { id: number; name: string; status: Project["status"]; settings: Project["settings"] };

/**
 * The whole lease request in one round trip: `arbiter_lease_next_task` (db/functions/arbiter_lease_next_task.sql)
 * locks the membership, resumes a live lease or picks, locks (SKIP LOCKED) and leases a
 * task, and returns its content. Runs as a statement of its own (its own transaction):
 * call it on the pool, not inside a transaction that writes judgments (it turns
 * synchronous_commit off for its transaction).
 *
 * `rands` are uniform numbers in [0, 1): [0] the gold draw, [1] the candidates' shuffle,
 * [2..] the display order (see shouldInjectGold and chooseDisplayOrder).
 */
export async function leaseNextTaskInDb(db: Db, params: LeaseParams): Promise<LeaseOutcome> {
  const rows = await queryPrepared<LeaseRow>(
    db,
    "arbiter_lease_next_task",
    "select * from arbiter_lease_next_task($1, $2, $3::timestamptz, $4::bigint[], $5::timestamptz, $6::float8[], $7, $8, $9, $10)",
    [
      params.slug,
      params.annotatorId,
      params.now.toISOString(),
      params.exclude,
      params.todaySince.toISOString(),
      ...leaseDrawValues(params),
    ],
  );
  return leaseOutcomeOf(rows[0]!);
}

/** What a lease request passes to the engine (see {@link leaseNextTaskInDb}). */
export type LeaseParams = {
  slug: string;
  annotatorId: number;
  now: Date;
  exclude: number[];
  todaySince: Date;
  rands: number[];
  window: number;
  defaults: { goldRatio: number; maxLeasesPerAnnotator: number; leaseMinutes: number };
};

/** The lease function's last five parameters: the random draws, the window and the settings' defaults. */
function leaseDrawValues(params: Pick<LeaseParams, "rands" | "window" | "defaults">): unknown[] {
  return [params.rands, params.window, params.defaults.goldRatio, params.defaults.maxLeasesPerAnnotator, params.defaults.leaseMinutes];
}

type LeaseRow = {
  o_status: string;
  o_detail: number | null;
  o_project_id: string | number | null;
  o_project_name: string | null;
  o_project_status: Project["status"] | null;
  o_member_status: MemberStatus | null;
  o_settings: Project["settings"] | null;
  o_assignment_id: string | number | null;
  o_leased_at: Date | string | null;
  o_expires_at: Date | string | null;
  o_task_id: string | number | null;
  o_kind: TaskKind | null;
  o_scale_points: number | null;
  o_display_order: number[] | null;
  o_contents: string[] | null;
  o_scene: string | null;
  o_context: ContextMessage[] | null;
  o_character_name: string | null;
  o_character_profile: CharacterProfile | null;
  o_mine_today: number | null;
};

function leaseOutcomeOf(r: LeaseRow): LeaseOutcome {
  if (r.o_status === "not_found") return { status: "not_found" };
  const project: LeaseProject = { id: num(r.o_project_id), name: r.o_project_name!, status: r.o_project_status!, settings: r.o_settings! };
  if (r.o_status !== "leased" && r.o_status !== "resumed") {
    return {
      status: r.o_status as "refused" | "capped" | "empty" | "retry",
      project,
      memberStatus: r.o_member_status,
      liveLeases: r.o_detail ?? 0,
    };
  }
  return {
    status: r.o_status,
    project,
    lease: {
      id: num(r.o_assignment_id),
      taskId: num(r.o_task_id),
      displayOrder: r.o_display_order!,
      leasedAt: toDate(r.o_leased_at!),
      expiresAt: toDate(r.o_expires_at!),
    },
    task: { id: num(r.o_task_id), kind: r.o_kind!, scalePoints: r.o_scale_points! },
    contents: r.o_contents ?? [],
    item: { scene: r.o_scene, context: r.o_context ?? [], character: { name: r.o_character_name!, profile: r.o_character_profile! } },
    mineToday: r.o_mine_today ?? 0,
  };
}

/**
 * A submit and the next lease in one round trip and one transaction:
 * `arbiter_submit_and_lease_next` (db/functions/arbiter_submit_and_lease_next.sql) locks the
 * membership, runs the submit and, when it stored (or replayed) the judgment, the lease —
 * which then keeps the commit synchronous and answers 'retry' rather than wait for a lock.
 * `lease` is null when the submit stored nothing. Call it on the pool (one statement).
 */
export async function submitAndLeaseNextInDb(
  db: Db,
  params: { submit: SubmitParams; lease: Omit<LeaseParams, "exclude" | "annotatorId" | "now"> },
): Promise<{ submit: SubmitOutcome; lease: LeaseOutcome | null }> {
  const rows = await queryPrepared<{
    s_status: string;
    s_project_status: Project["status"] | null;
    s_member_status: MemberStatus | null;
    s_judgment: Record<string, unknown> | null;
    /** The lease function's row as JSON: bigints as numbers, times as ISO text (num and toDate read both). */
    o_lease: LeaseRow | null;
  }>(
    db,
    "arbiter_submit_and_lease_next",
    "select * from arbiter_submit_and_lease_next($1, $2, $3::timestamptz, $4, $5::smallint[], $6, $7::jsonb, $8::jsonb, $9, $10::real, $11::jsonb, $12, $13::timestamptz, $14::float8[], $15, $16, $17, $18)",
    [...submitValues(params.submit), params.lease.slug, params.lease.todaySince.toISOString(), ...leaseDrawValues(params.lease)],
  );
  const r = rows[0]!;
  return {
    submit: submitOutcomeOf({
      status: r.s_status,
      projectStatus: r.s_project_status,
      memberStatus: r.s_member_status,
      judgment: r.s_judgment,
    }),
    lease: r.o_lease === null ? null : leaseOutcomeOf(r.o_lease),
  };
}
