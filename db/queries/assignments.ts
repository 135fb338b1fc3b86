/**
 * The assignment engine's SQL: leases (assignments) and the task rows they lock.
 *
 * Callers pass a transaction; nothing here checks permissions or validates input. The
 * statements are raw SQL because the lease path is the hottest in the product and each
 * one is written against a specific index (docs/adr/0001-schema-invariants.md).
 *
 * Concurrency model, in short: a lease transaction locks its annotator's membership row
 * (one annotator's concurrent requests queue, different annotators never wait for each
 * other), then picks a task with `FOR UPDATE SKIP LOCKED` and only then counts the task's
 * live leases in a fresh statement. Every writer of a task's leases or judgments holds
 * that task row's lock, so the count is exact when it is taken.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Assignment, CharacterProfile, ContextMessage, Project } from "@/db/schema";

const num = (v: unknown) => Number(v);
/** Raw SQL through drizzle returns timestamptz as PostgreSQL's text; parse it here. */
const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** A project as the annotation engine needs it, with the asking user's membership. */
export type ProjectForAnnotator = Pick<Project, "id" | "slug" | "name" | "status" | "mode" | "scalePoints" | "overlap" | "settings" | "guidelines"> & {
  /** The user's membership status in the project, or null when not a member. */
  memberStatus: "active" | "paused" | "qualification" | null;
};

/** The project with this slug and the user's membership in it (no lock). */
export async function getProjectForAnnotator(db: Db, params: { slug: string; userId: number }): Promise<ProjectForAnnotator | undefined> {
  const { rows } = await db.execute<{
    id: string;
    slug: string;
    name: string;
    status: Project["status"];
    mode: Project["mode"];
    scale_points: number;
    overlap: number;
    settings: Project["settings"];
    guidelines: string;
    member_status: ProjectForAnnotator["memberStatus"];
  }>(sql`
    select p.id, p.slug, p.name, p.status, p.mode, p.scale_points, p.overlap, p.settings, p.guidelines, m.status as member_status
    from projects p
    left join project_members m on m.project_id = p.id and m.user_id = ${params.userId}
    where p.slug = ${params.slug}`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: num(r.id),
    slug: r.slug,
    name: r.name,
    status: r.status,
    mode: r.mode,
    scalePoints: r.scale_points,
    overlap: r.overlap,
    settings: r.settings,
    guidelines: r.guidelines,
    memberStatus: r.member_status,
  };
}

/**
 * Locks the user's membership row until the transaction ends and returns its status
 * (undefined when not a member). Serialises one annotator's lease requests, so that two
 * tabs asking at once resume the same lease instead of both taking a new one past the cap.
 *
 * `asyncCommit` turns synchronous_commit off for this transaction only (in the same round
 * trip): the caller writes nothing but a lease, and a lease lost to a server crash in the
 * last fraction of a second before it is flushed costs nothing — the annotator is simply
 * given a task again. Judgments always commit synchronously.
 */
export async function lockMembership(db: Db, params: { projectId: number; userId: number; asyncCommit?: boolean }): Promise<string | undefined> {
  const { rows } = await db.execute<{ status: string }>(sql`
    select status${params.asyncCommit ? sql`, set_config('synchronous_commit', 'off', true) as sync` : sql``}
    from project_members
    where project_id = ${params.projectId} and user_id = ${params.userId}
    for update`);
  return rows[0]?.status;
}

/** A lease as the engine reads it back. */
export type LiveLease = { id: number; taskId: number; displayOrder: number[]; leasedAt: Date; expiresAt: Date };

/**
 * The annotator's lease state in a project, in one round trip:
 * - their live leases, oldest first (assignments_annotator_live_idx); leases whose time
 *   is up are simply not live — whoever next locks their task marks them expired
 *   ({@link reclaimAndCountLeases}), so this read takes no row locks;
 * - when `countGold`, how many tasks they have been given here and how many were gold
 *   (expired and released leases do not count: the task was never worked on).
 */
export async function getAnnotatorLeaseState(
  db: Db,
  params: { projectId: number; annotatorId: number; now: Date; countGold: boolean },
): Promise<{ live: LiveLease[]; totalSoFar: number; goldSoFar: number }> {
  const now = params.now.toISOString();
  const { rows } = await db.execute<{ live: { id: string; task_id: string; display_order: number[]; leased_at: string; expires_at: string }[] | null; total: number; gold: number }>(sql`
    select
      (select json_agg(json_build_object('id', a.id, 'task_id', a.task_id, 'display_order', a.display_order,
                                         'leased_at', a.leased_at, 'expires_at', a.expires_at) order by a.leased_at, a.id)
         from assignments a
        where a.annotator_id = ${params.annotatorId} and a.project_id = ${params.projectId}
          and a.state = 'active' and a.expires_at > ${now}::timestamptz) as live,
      ${
        params.countGold
          ? sql`(select count(*)::int from assignments a where a.annotator_id = ${params.annotatorId} and a.project_id = ${params.projectId} and a.state in ('active', 'submitted', 'skipped') and (a.state <> 'active' or a.expires_at > ${now}::timestamptz)) as total,
                (select count(*)::int from assignments a join tasks t on t.id = a.task_id
                  where a.annotator_id = ${params.annotatorId} and a.project_id = ${params.projectId}
                    and a.state in ('active', 'submitted', 'skipped') and (a.state <> 'active' or a.expires_at > ${now}::timestamptz)
                    and t.gold is not null) as gold`
          : sql`0 as total, 0 as gold`
      }`);
  const r = rows[0]!;
  return {
    live: (r.live ?? []).map((l) => ({
      id: num(l.id),
      taskId: num(l.task_id),
      displayOrder: l.display_order,
      leasedAt: new Date(l.leased_at),
      expiresAt: new Date(l.expires_at),
    })),
    totalSoFar: r.total,
    goldSoFar: r.gold,
  };
}

/** A task row as the lease and submit paths need it. */
export type LockedTask = { id: number; projectId: number; kind: "pairwise" | "ranking"; candidateCount: number; scalePoints: number; overlap: number; validJudgments: number };

/** What {@link pickAndLockTask} found. */
export type PickResult =
  /** Nothing in this pool is left for the annotator. */
  | { status: "none" }
  /** Candidates exist but every one is locked by a concurrent lease or submit right now. */
  | { status: "busy"; candidateIds: number[] }
  /** A task locked for this transaction, with the display orders already handed out on it. */
  | {
      status: "locked";
      task: LockedTask;
      usedOrders: number[][];
      candidateIds: number[];
      /** The annotator holds an expired lease on this task still marked active (reclaim it before {@link claimLease}). */
      ownStaleLease: boolean;
    };

/**
 * Picks and locks, in one statement, a task this annotator may take:
 * - eligible: below overlap counting live leases; never leased to this annotator except
 *   by a lease that expired or was released; never judged by them. `gold` picks active
 *   gold tasks (tasks_gold_idx) instead of ordinary ones; retired gold is never offered;
 * - priority: the first `limit` eligible tasks in tasks_open_idx order (most valid
 *   judgments first), of which those at the highest level are the candidates;
 * - among the candidates, a random one (`shuffleSeed` orders them by a hash), skipping
 *   rows another transaction has locked.
 * SKIP LOCKED: concurrent leases must never wait for each other or take the same slot.
 * The caller still counts the task's live leases after this statement (see
 * {@link claimLease}): a lease committed while this statement ran is not visible here.
 */
export async function pickAndLockTask(
  db: Db,
  params: { projectId: number; annotatorId: number; now: Date; gold: boolean; limit: number; excludeTaskIds?: number[]; shuffleSeed: number },
): Promise<PickResult> {
  const now = params.now.toISOString();
  const seed = String(params.shuffleSeed);
  const exclude = params.excludeTaskIds?.length ? sql`and t.id <> all(${sql.param(params.excludeTaskIds)}::bigint[])` : sql``;
  // The eligibility tests are per-row index probes (`offset 0` keeps PostgreSQL from
  // turning them into anti-joins), so the scan walks tasks_open_idx in priority order and
  // stops after `limit` rows instead of reading and sorting every open task. The ORDER BY
  // spells the index's own `desc nulls last` (the column is never null) for the same reason.
  const { rows } = await db.execute<{
    candidate_ids: string[] | null;
    id: string | null;
    project_id: string;
    kind: "pairwise" | "ranking";
    candidate_count: number;
    scale_points: number;
    overlap: number;
    valid_judgments: number;
    orders: number[][] | null;
    own_stale: boolean;
  }>(sql`
    with eligible as (
      select t.id, t.valid_judgments
      from tasks t
      where t.project_id = ${params.projectId}
        and t.valid_judgments < t.overlap
        and ${params.gold ? sql`t.gold is not null and t.gold_retired_at is null` : sql`t.gold is null`}
        ${exclude}
        and not exists (
          select 1 from assignments a
          where a.annotator_id = ${params.annotatorId} and a.task_id = t.id
            and (a.state in ('submitted', 'skipped') or (a.state = 'active' and a.expires_at > ${now}::timestamptz))
          offset 0)
        and not exists (
          select 1 from judgments j
          where j.task_id = t.id and j.annotator_id = ${params.annotatorId} and j.state <> 'superseded'
          offset 0)
        and t.valid_judgments + (
          select count(*) from assignments l
          where l.task_id = t.id and l.state = 'active' and l.expires_at > ${now}::timestamptz) < t.overlap
      order by t.valid_judgments desc nulls last, t.id
      limit ${params.limit}
    ),
    top as (
      select id, md5(id::text || ${seed}) as shuffle from eligible
      where valid_judgments = (select max(valid_judgments) from eligible)
    ),
    picked as (
      select t.id, t.project_id, t.kind, cardinality(t.candidate_ids) as candidate_count, t.scale_points, t.overlap, t.valid_judgments
      from tasks t join top on top.id = t.id
      where t.valid_judgments < t.overlap
      order by top.shuffle
      limit 1
      for update of t skip locked
    )
    select (select array_agg(id order by shuffle) from top) as candidate_ids, p.*,
           (select json_agg(a.display_order) from assignments a
             where a.task_id = p.id and (a.state = 'submitted' or (a.state = 'active' and a.expires_at > ${now}::timestamptz))) as orders,
           exists (select 1 from assignments a where a.task_id = p.id and a.annotator_id = ${params.annotatorId} and a.state = 'active') as own_stale
    from (select 1) as one left join picked p on true`);
  const r = rows[0]!;
  const candidateIds = (r.candidate_ids ?? []).map(num);
  if (candidateIds.length === 0) return { status: "none" };
  if (r.id === null) return { status: "busy", candidateIds };
  return { status: "locked", task: toLockedTask(r as TaskRow), usedOrders: r.orders ?? [], candidateIds, ownStaleLease: r.own_stale };
}

/** Locks one task row (waiting for it): submits and edits serialise on their task. */
export async function lockTask(db: Db, taskId: number): Promise<LockedTask | undefined> {
  const { rows } = await db.execute<TaskRow>(sql`
    select id, project_id, kind, cardinality(candidate_ids) as candidate_count, scale_points, overlap, valid_judgments
    from tasks where id = ${taskId}
    for update`);
  return rows[0] ? toLockedTask(rows[0]) : undefined;
}

type TaskRow = { id: string; project_id: string; kind: "pairwise" | "ranking"; candidate_count: number; scale_points: number; overlap: number; valid_judgments: number };
function toLockedTask(r: TaskRow): LockedTask {
  return {
    id: num(r.id),
    projectId: num(r.project_id),
    kind: r.kind,
    candidateCount: r.candidate_count,
    scalePoints: r.scale_points,
    overlap: r.overlap,
    validJudgments: r.valid_judgments,
  };
}

/**
 * On a task the caller has locked: marks leases whose time is up as expired, and returns
 * the live leases that remain (optionally not counting one annotator's) and the display
 * orders already handed out (live and submitted leases) for balancing. Must run as its
 * own statement after the lock, so that it sees every lease committed before the lock
 * was granted.
 */
export async function reclaimAndCountLeases(
  db: Db,
  params: { taskId: number; now: Date; exceptAnnotatorId?: number },
): Promise<{ liveLeases: number; usedOrders: number[][] }> {
  const now = params.now.toISOString();
  const except = params.exceptAnnotatorId === undefined ? sql`` : sql`and annotator_id <> ${params.exceptAnnotatorId}`;
  const { rows } = await db.execute<{ live: number; orders: number[][] | null }>(sql`
    with reclaimed as (
      update assignments set state = 'expired', finished_at = ${now}::timestamptz
      where task_id = ${params.taskId} and state = 'active' and expires_at <= ${now}::timestamptz
      returning id
    )
    select
      (select count(*)::int from assignments
        where task_id = ${params.taskId} and state = 'active' and expires_at > ${now}::timestamptz ${except}
          and id not in (select id from reclaimed)) as live,
      (select json_agg(display_order) from assignments
        where task_id = ${params.taskId} and state in ('active', 'submitted') and id not in (select id from reclaimed)) as orders`);
  const r = rows[0]!;
  return { liveLeases: r.live, usedOrders: r.orders ?? [] };
}

/**
 * On a task the caller has locked, in one statement: marks leases whose time is up as
 * expired (lazy reclaim: no cron job), counts the live ones, and creates the lease only if
 * valid judgments + live leases stay below the overlap. Must run after the lock was taken,
 * as a statement of its own, so that it sees every lease committed before the lock was
 * granted. Returns null when the task turned out to be full. The annotator's own stale
 * lease on the task must have been reclaimed by an earlier statement
 * ({@link reclaimAndCountLeases}): within one statement the unique index on live leases
 * still sees it.
 */
export async function claimLease(
  db: Db,
  params: { taskId: number; projectId: number; annotatorId: number; displayOrder: number[]; leasedAt: Date; expiresAt: Date },
): Promise<LiveLease | null> {
  const now = params.leasedAt.toISOString();
  const { rows } = await db.execute<{ id: string | null }>(sql`
    with reclaimed as (
      update assignments set state = 'expired', finished_at = ${now}::timestamptz
      where task_id = ${params.taskId} and state = 'active' and expires_at <= ${now}::timestamptz
      returning id
    ),
    inserted as (
      insert into assignments (task_id, project_id, annotator_id, display_order, state, leased_at, expires_at)
      select ${params.taskId}, ${params.projectId}, ${params.annotatorId}, ${sql.param(params.displayOrder)}::smallint[], 'active',
             ${now}::timestamptz, ${params.expiresAt.toISOString()}::timestamptz
      from tasks t
      where t.id = ${params.taskId}
        and t.valid_judgments + (
          select count(*) from assignments l
          where l.task_id = t.id and l.state = 'active' and l.expires_at > ${now}::timestamptz) < t.overlap
      returning id
    )
    select (select id from inserted) as id, (select count(*) from reclaimed) as reclaimed`);
  const id = rows[0]?.id;
  if (id === null || id === undefined) return null;
  return { id: num(id), taskId: params.taskId, displayOrder: params.displayOrder, leasedAt: params.leasedAt, expiresAt: params.expiresAt };
}

/** An assignment with what submit, skip and edit need of its task and project. */
export type AssignmentContext = Pick<Assignment, "id" | "taskId" | "projectId" | "annotatorId" | "displayOrder" | "state" | "leasedAt" | "expiresAt" | "skipReason"> & {
  task: LockedTask;
  project: Pick<Project, "slug" | "status" | "settings">;
  memberStatus: string | null;
};

/**
 * An assignment with its task, project and the annotator's membership. `lockTask` also
 * locks the task row (waiting for it): submits and leases of a task serialise on it.
 */
export async function getAssignmentContext(db: Db, assignmentId: number, options: { lockTask?: boolean } = {}): Promise<AssignmentContext | undefined> {
  const { rows } = await db.execute<{
    id: string;
    task_id: string;
    project_id: string;
    annotator_id: string;
    display_order: number[];
    state: Assignment["state"];
    leased_at: Date | string;
    expires_at: Date | string;
    skip_reason: string | null;
    kind: "pairwise" | "ranking";
    scale_points: number;
    overlap: number;
    valid_judgments: number;
    candidate_count: number;
    slug: string;
    status: Project["status"];
    settings: Project["settings"];
    member_status: string | null;
  }>(sql`
    select a.id, a.task_id, a.project_id, a.annotator_id, a.display_order, a.state, a.leased_at, a.expires_at, a.skip_reason,
           t.kind, t.scale_points, t.overlap, t.valid_judgments, cardinality(t.candidate_ids) as candidate_count,
           p.slug, p.status, p.settings, m.status as member_status
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
    task: { id: num(r.task_id), projectId: num(r.project_id), kind: r.kind, scalePoints: r.scale_points, overlap: r.overlap, validJudgments: r.valid_judgments, candidateCount: r.candidate_count },
    project: { slug: r.slug, status: r.status, settings: r.settings },
    memberStatus: r.member_status,
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
  const { rows } = await db.execute<{ state: Assignment["state"]; expires_at: Date | string; skip_reason: string | null; judgment_id: string | null }>(sql`
    select a.state, a.expires_at, a.skip_reason,
           (select j.id from judgments j where j.assignment_id = a.id and j.state <> 'superseded' order by j.id desc limit 1) as judgment_id
    from assignments a where a.id = ${assignmentId} for update`);
  const r = rows[0];
  return r
    ? { state: r.state, expiresAt: toDate(r.expires_at), skipReason: r.skip_reason, liveJudgmentId: r.judgment_id === null ? null : num(r.judgment_id) }
    : undefined;
}

/** Marks a lease skipped with its reason; the task is never offered to this annotator again. */
export async function markAssignmentSkipped(db: Db, params: { assignmentId: number; reason: string; note: string | null; at: Date }): Promise<void> {
  await db.execute(sql`
    update assignments set state = 'skipped', skip_reason = ${params.reason}, skip_note = ${params.note},
           finished_at = ${params.at.toISOString()}::timestamptz
    where id = ${params.assignmentId}`);
}

/** What the task view shows: the item and the candidates' text (never their models). */
export type TaskContent = {
  taskId: number;
  kind: "pairwise" | "ranking";
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
  const { rows } = await db.execute<{
    id: string;
    kind: "pairwise" | "ranking";
    scale_points: number;
    candidate_ids: string[];
    item_id: string;
    scene: string | null;
    context: ContextMessage[];
    character_name: string;
    character_profile: CharacterProfile;
    candidates: { id: number; content: string }[];
    mine: number;
  }>(sql`
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
export async function getProjectCompletion(db: Db, projectId: number): Promise<{ judgments: number; needed: number; tasks: number; tasksComplete: number }> {
  const { rows } = await db.execute<{ judgments: number | null; needed: number | null; tasks: number; complete: number }>(sql`
    select sum(least(valid_judgments, overlap))::int as judgments, sum(overlap)::int as needed,
           count(*)::int as tasks, count(*) filter (where valid_judgments >= overlap)::int as complete
    from tasks where project_id = ${projectId} and gold is null`);
  const r = rows[0]!;
  return { judgments: r.judgments ?? 0, needed: r.needed ?? 0, tasks: r.tasks, tasksComplete: r.complete };
}

/**
 * Releases the annotator's other live leases on a task (after a late submit on an older,
 * expired lease of theirs), so that a lease they can no longer use stops holding a slot.
 */
export async function releaseOtherLeasesOnTask(db: Db, params: { taskId: number; annotatorId: number; exceptAssignmentId: number; at: Date }): Promise<void> {
  await db.execute(sql`
    update assignments set state = 'released', finished_at = ${params.at.toISOString()}::timestamptz
    where task_id = ${params.taskId} and annotator_id = ${params.annotatorId} and state = 'active' and id <> ${params.exceptAssignmentId}`);
}

/** A project's name, status and settings by id. */
export async function getProjectSummary(db: Db, projectId: number): Promise<Pick<Project, "slug" | "name" | "status" | "settings"> | undefined> {
  const { rows } = await db.execute<Pick<Project, "slug" | "name" | "status" | "settings">>(
    sql`select slug, name, status, settings from projects where id = ${projectId}`,
  );
  return rows[0];
}
