/**
 * Judgment rows: insert, supersede, and the reads submit, edit and history need.
 * Judgments are immutable (trigger judgments_answer_immutable): only `state` moves.
 * Callers pass a transaction; nothing here checks permissions or validates input.
 */
import { eq, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { num, type RawRow, toDate, type Wire } from "@/db/queries/rows";
import {
  type characters,
  type items,
  judgments,
  type Judgment,
  type NewJudgment,
  type Project,
  type projectMembers,
  projects,
} from "@/db/schema";
import { queryPrepared } from "./prepared";
import type { MemberStatus } from "@/lib/domain/enums";

/**
 * Stores a judgment; the trigger counts it on its task (and the task's CHECK caps it at
 * overlap). With `finishAssignmentAt`, the same statement marks its assignment submitted.
 */
export async function insertJudgment(db: Db, judgment: NewJudgment, options: { finishAssignmentAt?: Date } = {}): Promise<Judgment> {
  const j = judgment;
  const { rows } = await db.execute<JudgmentRow>(sql`
    with inserted as (
      insert into judgments (task_id, kind, scale_points, assignment_id, annotator_id, project_id, strength, ranks,
                             both_unacceptable, ratings, unsafe, roleplay_flags, rationale, display_order, seconds, state, supersedes_id, created_at)
      values (${j.taskId}, ${j.kind}, ${j.scalePoints}, ${j.assignmentId}, ${j.annotatorId}, ${j.projectId}, ${j.strength ?? null},
              ${j.ranks ? sql`${sql.param(j.ranks)}::smallint[]` : sql`null`}, ${j.bothUnacceptable ?? false},
              ${JSON.stringify(j.ratings ?? {})}::jsonb, ${JSON.stringify(j.unsafe ?? {})}::jsonb, ${JSON.stringify(j.roleplayFlags ?? {})}::jsonb, ${j.rationale ?? null},
              ${sql.param(j.displayOrder)}::smallint[], ${j.seconds ?? null}, ${j.state ?? "valid"}, ${j.supersedesId ?? null},
              ${(j.createdAt ?? new Date()).toISOString()}::timestamptz)
      returning *
    )${
      options.finishAssignmentAt
        ? sql`, finished as (
      update assignments set state = 'submitted', finished_at = ${options.finishAssignmentAt.toISOString()}::timestamptz
      where id = ${j.assignmentId})`
        : sql``
    }
    select * from inserted`);
  return toJudgment(rows[0]!);
}

type JudgmentRow = RawRow<typeof judgments, keyof Judgment>;

function toJudgment(r: JudgmentRow): Judgment {
  return {
    id: num(r.id),
    taskId: num(r.task_id),
    kind: r.kind,
    scalePoints: r.scale_points,
    assignmentId: num(r.assignment_id),
    annotatorId: num(r.annotator_id),
    projectId: num(r.project_id),
    strength: r.strength,
    ranks: r.ranks,
    bothUnacceptable: r.both_unacceptable,
    ratings: r.ratings,
    unsafe: r.unsafe,
    roleplayFlags: r.roleplay_flags ?? {},
    rationale: r.rationale,
    displayOrder: r.display_order,
    seconds: r.seconds,
    state: r.state,
    supersedesId: r.supersedes_id === null ? null : num(r.supersedes_id),
    createdAt: toDate(r.created_at),
    stateChangedAt: r.state_changed_at === null ? null : toDate(r.state_changed_at),
  };
}

/** A judgment with its project's settings and status, locked for an edit. */
export async function getJudgmentForUpdate(
  db: Db,
  judgmentId: number,
): Promise<(Judgment & { project: Pick<Project, "slug" | "status" | "settings"> }) | undefined> {
  const [row] = await db.select().from(judgments).where(eq(judgments.id, judgmentId)).for("update");
  if (!row) return undefined;
  const [project] = await db
    .select({ slug: projects.slug, status: projects.status, settings: projects.settings })
    .from(projects)
    .where(eq(projects.id, row.projectId));
  return { ...row, project: project! };
}

/** A judgment without a lock (to find its task before locking it). */
export async function getJudgmentById(db: Db, judgmentId: number): Promise<Judgment | undefined> {
  const [row] = await db.select().from(judgments).where(eq(judgments.id, judgmentId)).limit(1);
  return row;
}

/** Marks a judgment superseded by an edit (the trigger takes it out of the task's valid count). */
export async function supersedeJudgment(db: Db, params: { judgmentId: number; at: Date }): Promise<void> {
  await db.execute(sql`
    update judgments set state = 'superseded', state_changed_at = ${params.at.toISOString()}::timestamptz
    where id = ${params.judgmentId}`);
}

/** When an assignment's answer was first submitted (the start of its edit window). */
export async function getFirstSubmittedAt(db: Db, assignmentId: number): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: min(judgments.createdAt) })
    .from(judgments)
    .where(eq(judgments.assignmentId, assignmentId));
  return row?.at ?? undefined;
}

/** One row of an annotator's history. */
export type HistoryRow = Omit<Judgment, "annotatorId" | "supersedesId" | "stateChangedAt"> & {
  projectSlug: string;
  projectName: string;
  projectStatus: Project["status"];
  editWindowMinutes: number;
  firstSubmittedAt: Date;
  edited: boolean;
  characterName: string;
  scene: string | null;
  lastUserMessage: string | null;
};

/**
 * The annotator's recent live judgments (valid or rejected in review, never the
 * superseded versions), newest first, with an item summary
 * (judgments_annotator_created_idx).
 */
export async function listJudgmentsOfAnnotator(
  db: Db,
  params: { annotatorId: number; projectId?: number; limit: number },
): Promise<HistoryRow[]> {
  const project = params.projectId === undefined ? sql`` : sql`and j.project_id = ${params.projectId}`;
  const { rows } = await db.execute<
    JudgmentRow &
      RawRow<typeof projects, "slug" | "name" | "status"> &
      RawRow<typeof items, "scene" | "context"> & {
        edit_window: number | null;
        first_at: Wire<typeof judgments.createdAt>;
        character_name: Wire<typeof characters.name>;
      }
  >(sql`
    select j.*, p.slug, p.name, p.status,
           (p.settings ->> 'editWindowMinutes')::int as edit_window,
           coalesce((select min(o.created_at) from judgments o where o.assignment_id = j.assignment_id), j.created_at) as first_at,
           c.name as character_name, i.scene, i.context
    from judgments j
    join projects p on p.id = j.project_id
    join tasks t on t.id = j.task_id
    join items i on i.id = t.item_id
    join characters c on c.id = i.character_id
    where j.annotator_id = ${params.annotatorId} and j.state <> 'superseded' ${project}
    order by j.created_at desc, j.id desc
    limit ${params.limit}`);
  return rows.map((r) => {
    // The history shows the annotator their own answers: not whose they are, nor what they replaced.
    const { annotatorId: _annotator, supersedesId, stateChangedAt: _changed, ...judgment } = toJudgment(r);
    const lastUser = [...(r.context ?? [])].reverse().find((m) => m.role === "user");
    return {
      ...judgment,
      projectSlug: r.slug,
      projectName: r.name,
      projectStatus: r.status,
      editWindowMinutes: r.edit_window ?? 0,
      firstSubmittedAt: toDate(r.first_at),
      edited: supersedesId !== null,
      characterName: r.character_name,
      scene: r.scene,
      lastUserMessage: lastUser?.content ?? null,
    };
  });
}

/** What {@link submitJudgmentInDb} did. */
export type SubmitOutcome =
  | { status: "stored" | "replayed"; judgment: Judgment }
  | { status: "not_found" | "forbidden" | "skipped" | "submitted" | "no_room" }
  | { status: "refused"; projectStatus: Project["status"]; memberStatus: MemberStatus | null };

/**
 * Stores a judgment (canonical order) on a lease in one round trip:
 * `arbiter_submit_judgment` (db/functions/arbiter_submit_judgment.sql) locks the task, then the lease, repeats every
 * check under the locks, inserts the judgment (the trigger counts it; the overlap CHECK
 * and the unique indexes raise with their constraint's name) and marks the lease
 * submitted. Call it on the pool: it is one statement, so one transaction.
 */
export async function submitJudgmentInDb(db: Db, params: SubmitParams): Promise<SubmitOutcome> {
  const rows = await queryPrepared<SubmitRow>(
    db,
    "arbiter_submit_judgment",
    "select * from arbiter_submit_judgment($1, $2, $3::timestamptz, $4, $5::smallint[], $6, $7::jsonb, $8::jsonb, $9, $10::real, $11::jsonb)",
    submitValues(params),
  );
  const r = rows[0]!;
  return submitOutcomeOf({
    status: r.o_status,
    projectStatus: r.o_project_status,
    memberStatus: r.o_member_status,
    judgment: r.o_judgment,
  });
}

/** What a submit stores: the lease, its annotator, the time and the answer in canonical order. */
export type SubmitParams = {
  assignmentId: number;
  annotatorId: number;
  now: Date;
  answer: {
    strength: number | null;
    ranks: number[] | null;
    bothUnacceptable: boolean;
    ratings: Judgment["ratings"];
    unsafe: Judgment["unsafe"];
    roleplayFlags?: Judgment["roleplayFlags"];
    rationale: string | null;
    seconds: number | null;
  };
};

type SubmitRow = {
  o_status: string;
  o_project_status: Project["status"] | null;
  o_member_status: MemberStatus | null;
  o_judgment: Record<string, unknown> | null;
};

/** The 11 parameters of arbiter_submit_judgment, in order (arbiter_submit_and_lease_next takes them first too). */
export function submitValues(params: SubmitParams): unknown[] {
  const a = params.answer;
  return [
    params.assignmentId,
    params.annotatorId,
    params.now.toISOString(),
    a.strength,
    a.ranks,
    a.bothUnacceptable,
    JSON.stringify(a.ratings ?? {}),
    JSON.stringify(a.unsafe ?? {}),
    a.rationale,
    a.seconds,
    JSON.stringify(a.roleplayFlags ?? {}),
  ];
}

/** A submit's outcome from the columns arbiter_submit_judgment (or arbiter_submit_and_lease_next) returns. */
export function submitOutcomeOf(r: {
  status: string;
  projectStatus: Project["status"] | null;
  memberStatus: MemberStatus | null;
  judgment: Record<string, unknown> | null;
}): SubmitOutcome {
  if (r.status === "stored" || r.status === "replayed")
    return { status: r.status, judgment: toJudgment(r.judgment as unknown as JudgmentRow) };
  if (r.status === "refused") return { status: "refused", projectStatus: r.projectStatus!, memberStatus: r.memberStatus };
  return { status: r.status as "not_found" | "forbidden" | "skipped" | "submitted" | "no_room" };
}

/**
 * What decides whether an annotator may still change a judgment beyond its own state: their
 * membership standing in its project (null when not a member), whether a lead's verdict on
 * this judgment stands, and whether the task has a standing adjudication.
 */
export async function getEditStanding(
  db: Db,
  params: { judgmentId: number; taskId: number; projectId: number; userId: number },
): Promise<{ memberStatus: string | null; reviewed: boolean; adjudicated: boolean }> {
  const { rows } = await db.execute<{
    member_status: Wire<typeof projectMembers.status> | null;
    reviewed: boolean;
    adjudicated: boolean;
  }>(sql`
    select (select pm.status::text from project_members pm where pm.project_id = ${params.projectId} and pm.user_id = ${params.userId}) as member_status,
           exists (select 1 from reviews r where r.judgment_id = ${params.judgmentId} and r.revoked_at is null) as reviewed,
           exists (select 1 from reviews r where r.task_id = ${params.taskId} and r.verdict = 'adjudicate' and r.revoked_at is null) as adjudicated`);
  const r = rows[0]!;
  return { memberStatus: r.member_status, reviewed: r.reviewed, adjudicated: r.adjudicated };
}
