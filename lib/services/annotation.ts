/**
 * The annotator's verbs: take the next task (a lease), submit a judgment, skip, edit a
 * recent judgment, read one's history. The UI's server actions and the JSON API both
 * call these, so they share one code path.
 *
 * Every verb authorises, parses, applies the pure rules of lib/domain/assignment.ts and
 * writes in one transaction. The engine lives in the database (row locks, SKIP LOCKED,
 * the trigger-maintained valid-judgment count and its CHECK), never in process memory,
 * so any number of app instances may serve the same project.
 */
import type { Db } from "@/db/client";
import {
  getAssignmentContext,
  getProjectCompletion,
  getProjectForAnnotator,
  getProjectSummary,
  getTaskContent,
  leaseNextTaskInDb,
  lockAssignment,
  lockTask,
  markAssignmentSkipped,
  type LeaseOutcome,
  type LockedTask,
} from "@/db/queries/assignments";
import {
  getFirstSubmittedAt,
  getJudgmentById,
  getJudgmentForUpdate,
  insertJudgment,
  listJudgmentsOfAnnotator,
  submitJudgmentInDb,
  supersedeJudgment,
} from "@/db/queries/judgments";
import type { CharacterProfile, ContextMessage, Judgment, Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import {
  answerToCanonical,
  answerToDisplay,
  editableUntil,
  isEditable,
  validateAnswer,
  type AnswerRules,
  type DisplayAnswer,
  type RandomSource,
} from "@/lib/domain/assignment";
import type { ScalePoints } from "@/lib/domain/preference";
import { AppError, conflict, forbidden, notFound, postgresErrorOf, validationError } from "@/lib/errors";
import {
  EditJudgmentInput,
  HistoryInput,
  IdParam,
  LeaseInput,
  SkipInput,
  SubmitJudgmentInput,
} from "@/lib/validation/judgment";
import { parseInput } from "@/lib/validation/parse";
import { defaultProjectSettings, type ProjectSettings } from "@/lib/validation/project-settings";
import type { ServiceContext } from "./context";

/** How many of the best open tasks one lease looks at (those at the highest level among them are tried in random order). */
const CANDIDATE_WINDOW = 32;
/** Project completion is a scan of the project's tasks: shown figures may be this old. */
const COMPLETION_TTL_MS = 5_000;
/** Deadlocks and serialisation failures are retried this many times before surfacing. */
const TRANSACTION_ATTEMPTS = 4;

// ---------------------------------------------------------------------------------------
// Payloads

/** The project settings the task view needs. */
export type TaskViewSettings = Pick<
  ProjectSettings,
  "dimensions" | "rationale" | "markdown" | "allowBothUnacceptable" | "allowRankingTies" | "safetyFlags" | "roleplayFlags" | "editWindowMinutes"
>;

/** What the task view (and the JSON API) gets for a lease. Candidates are in display order, without models. */
export type LeasePayload = {
  assignment: { id: number; leasedAt: string; expiresAt: string; resumed: boolean };
  project: { slug: string; name: string; settings: TaskViewSettings };
  task: { id: number; kind: "pairwise" | "ranking"; scalePoints: number; candidateCount: number };
  item: { character: { name: string; profile: CharacterProfile }; scene: string | null; context: ContextMessage[] };
  /** `slot` 0 is shown first (left). Answers refer to slots. */
  candidates: { slot: number; content: string }[];
  progress: {
    /** The annotator's valid judgments in this project since `todaySince`. */
    mineToday: number;
    /** Valid judgments on the project's non-gold tasks (capped per task at overlap) and how many are needed. */
    projectJudgments: number;
    projectNeeded: number;
    /** projectJudgments / projectNeeded, 0..1 (may lag a few seconds). */
    projectCompletion: number;
  };
};

/** A stored judgment as its annotator sees it: the answer in display terms, never the canonical order. */
export type JudgmentView = {
  id: number;
  assignmentId: number;
  taskId: number;
  state: Judgment["state"];
  /** The judgment this one replaced through an edit. */
  supersedesId: number | null;
  createdAt: string;
  /** Until when an edit is accepted (the edit window counts from the first submission). */
  editableUntil: string;
  answer: {
    strength?: number;
    ranking?: number[];
    both_unacceptable: boolean;
    ratings: Record<string, Record<string, number>>;
    unsafe: Record<string, string>;
    roleplay_flags: Record<string, string[]>;
    rationale?: string;
    seconds?: number;
  };
};

// ---------------------------------------------------------------------------------------
// Lease

/**
 * Leases the next task of a project to the actor, or resumes the live lease they hold.
 * Returns null when nothing is left for them (the API answers 204).
 *
 * Rules: the actor is an active member of an active project; a live lease they hold
 * (oldest first, except the assignment ids in `exclude`, which a client that prefetches
 * already shows) is returned as it is; otherwise, below the project's cap of live leases,
 * one transaction reclaims expired leases, picks a task that still needs judgments (valid
 * + live leases < overlap) and that this annotator never judged or skipped — gold at the
 * project's ratio, closest to completion first, at random among equals — locks it with
 * SKIP LOCKED, and leases it with a balanced display order.
 *
 * All of it is one round trip: arbiter_lease_next_task (db/functions/arbiter_lease_next_task.sql, ADR 0004), which
 * applies shouldInjectGold and chooseDisplayOrder as mirrored in SQL, with the random
 * numbers drawn here from `options.random`.
 */
export async function leaseNextTask(
  ctx: ServiceContext,
  params: { projectSlug: string; exclude?: number[]; todaySince?: Date | string; now?: Date },
  options: { random?: RandomSource } = {},
): Promise<LeasePayload | null> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const input = parseInput(LeaseInput, { projectSlug: params.projectSlug, todaySince: params.todaySince, exclude: params.exclude });
  const now = params.now ?? new Date();
  const random = options.random ?? Math.random;
  const defaults = defaultSettings();

  // One round trip (db/functions/arbiter_lease_next_task.sql); it answers 'retry' only when
  // it would otherwise wait for a task's lock while holding another's.
  let outcome: LeaseOutcome;
  for (let attempt = 1; ; attempt++) {
    outcome = await withDeadlockRetry(() =>
      leaseNextTaskInDb(ctx.db, {
        slug: input.projectSlug,
        annotatorId: ctx.actor.id,
        now,
        exclude: input.exclude ?? [],
        todaySince: input.todaySince ?? utcMidnight(now),
        rands: leaseDraws(random),
        window: CANDIDATE_WINDOW,
        defaults: { goldRatio: defaults.goldRatio, maxLeasesPerAnnotator: defaults.maxLeasesPerAnnotator, leaseMinutes: defaults.leaseMinutes },
      }),
    );
    if (outcome.status !== "retry") break;
    if (attempt >= TRANSACTION_ATTEMPTS * 4) throw new AppError("UNAVAILABLE", "Many annotators are taking tasks at this moment; try again.");
  }
  if (outcome.status === "not_found") throw notFound("The project");
  const project = outcome.project;
  const settings = settingsOf(project.settings);
  if (outcome.status === "refused") {
    assertMayWork(outcome.memberStatus);
    assertProjectOpen(project.status, project.name);
  }
  if (outcome.status === "capped") {
    const held = outcome.liveLeases;
    throw conflict(
      `You already hold ${held} task${held === 1 ? "" : "s"} in this project (the most at once is ${settings.maxLeasesPerAnnotator}); submit or skip one first.`,
    );
  }
  if (outcome.status !== "leased" && outcome.status !== "resumed") return null;

  const completion = await cachedCompletion(ctx.db, project.id);
  const { lease, task, contents, item } = outcome;
  rememberLease(
    ctx.db,
    lease.id,
    {
      annotatorId: ctx.actor.id,
      projectId: project.id,
      displayOrder: lease.displayOrder,
      task: { kind: task.kind, scalePoints: task.scalePoints, candidateCount: contents.length },
      expiresAt: lease.expiresAt.getTime(),
    },
    settings,
    now.getTime(),
  );
  return {
    assignment: {
      id: lease.id,
      leasedAt: lease.leasedAt.toISOString(),
      expiresAt: lease.expiresAt.toISOString(),
      resumed: outcome.status === "resumed",
    },
    project: { slug: input.projectSlug, name: project.name, settings: taskViewSettings(settings) },
    task: { id: task.id, kind: task.kind, scalePoints: task.scalePoints, candidateCount: contents.length },
    item: { character: item.character, scene: item.scene, context: item.context },
    candidates: lease.displayOrder.map((canonical, slot) => ({ slot, content: contents[canonical] ?? "" })),
    progress: {
      mineToday: outcome.mineToday,
      projectJudgments: completion.judgments,
      projectNeeded: completion.needed,
      projectCompletion: completion.needed ? completion.judgments / completion.needed : 1,
    },
  };
}

/** How many random numbers a lease request passes to the database (see leaseNextTaskInDb). */
const LEASE_DRAWS = 12;
/** [0] the gold draw, [1] the candidates' shuffle, [2..] the display order of the task leased. */
function leaseDraws(random: RandomSource): number[] {
  return Array.from({ length: LEASE_DRAWS }, () => random());
}

// ---------------------------------------------------------------------------------------
// Submit, skip, edit

/**
 * Stores the actor's answer for their lease, in canonical order. Idempotent: a retried
 * submit of the same assignment returns the judgment already stored (`replayed: true`)
 * and counts nothing twice. A submit on an expired lease is accepted while the task still
 * needs judgments (valid + others' live leases < overlap), otherwise refused (CONFLICT).
 */
export async function submitJudgment(
  ctx: ServiceContext,
  params: { assignmentId: unknown; input: unknown; now?: Date },
): Promise<{ judgment: JudgmentView; replayed: boolean }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const assignmentId = parseId(params.assignmentId, "The assignment");
  const input = parseInput(SubmitJudgmentInput, params.input);
  const now = params.now ?? new Date();

  // What the answer is checked against: the facts this process kept when it handed out the
  // lease (fresh enough), or else a read of the lease, unlocked. Either way the write
  // (arbiter_submit_judgment, one round trip) locks the task and the lease and repeats
  // every check under the locks: owner, state, project and membership status, replay.
  let facts = await recalledLease(ctx.db, assignmentId, ctx.actor.id, now.getTime());
  if (!facts) {
    const a = await getAssignmentContext(ctx.db, assignmentId);
    if (!a) throw leaseNotFound();
    if (a.annotatorId !== ctx.actor.id) throw forbidden("This task was assigned to someone else.");
    const settings = settingsOf(a.project.settings);
    if (a.liveJudgmentId !== null) {
      const stored = (await getJudgmentById(ctx.db, a.liveJudgmentId))!;
      return { judgment: await present(ctx.db, stored, settings), replayed: true };
    }
    assertProjectOpen(a.project.status);
    assertMayWork(a.memberStatus as ProjectMemberStatus);
    if (a.state === "skipped") throw conflict(SKIPPED_MESSAGE);
    if (a.state === "submitted") throw conflict(SUBMITTED_MESSAGE);
    facts = { annotatorId: a.annotatorId, projectId: a.projectId, displayOrder: a.displayOrder, task: a.task, expiresAt: a.expiresAt.getTime(), settings };
  }
  const { settings, displayOrder } = facts;

  const answer = toDisplayAnswer(input);
  checkAnswer(answer, facts.task, settings);
  const canonical = answerToCanonical(answer, displayOrder);
  const outcome = await withDeadlockRetry(() =>
    submitJudgmentInDb(ctx.db, { assignmentId, annotatorId: ctx.actor.id, now, answer: canonical }).catch(constraintToConflict),
  );
  if (outcome.status !== "forbidden" && outcome.status !== "refused") forgetLease(ctx.db, assignmentId);
  switch (outcome.status) {
    case "stored":
      return { judgment: await present(ctx.db, outcome.judgment, settings, now), replayed: false };
    case "replayed":
      return { judgment: await present(ctx.db, outcome.judgment, settings), replayed: true };
    case "not_found":
      throw leaseNotFound();
    case "forbidden":
      throw forbidden("This task was assigned to someone else.");
    case "refused":
      assertProjectOpen(outcome.projectStatus);
      assertMayWork(outcome.memberStatus);
      throw conflict("This answer was not stored.");
    case "skipped":
      throw conflict(SKIPPED_MESSAGE);
    case "submitted":
      throw conflict(SUBMITTED_MESSAGE);
    case "no_room":
      throw conflict("Your time on this task ran out and other annotators have since taken or completed it, so this answer was not stored. Take the next task.");
  }
  throw new Error(`unexpected submit outcome ${(outcome as { status: string }).status}`);
}

const SKIPPED_MESSAGE = "You skipped this task, so it takes no answer from you.";
/** A submit on a lease that is not there: a wrong id, or a lease lost when the database crashed (leases commit asynchronously, ADR 0004). */
const leaseNotFound = () =>
  new AppError("NOT_FOUND", "The assignment was not found; if the service was just restarted, it may have been lost with it. Your answer was not stored: take the next task.");
const SUBMITTED_MESSAGE = "This task was already submitted.";

/**
 * Skips the actor's lease with a reason; the task is never offered to them again.
 * Skipping an already skipped lease answers the same again.
 */
export async function skipAssignment(
  ctx: ServiceContext,
  params: { assignmentId: unknown; input: unknown; now?: Date },
): Promise<{ assignmentId: number; state: "skipped"; reason: string }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const assignmentId = parseId(params.assignmentId, "The assignment");
  const input = parseInput(SkipInput, params.input);
  const now = params.now ?? new Date();
  forgetLease(ctx.db, assignmentId);

  return inTransaction(ctx.db, async (tx) => {
    const a = await getAssignmentContext(tx, assignmentId);
    if (!a) throw notFound("The assignment");
    if (a.annotatorId !== ctx.actor.id) throw forbidden("This task was assigned to someone else.");
    const lease = (await lockAssignment(tx, a.id))!;
    if (lease.state === "skipped") return { assignmentId: a.id, state: "skipped" as const, reason: lease.skipReason ?? input.reason };
    if (lease.state === "submitted") throw conflict("You already submitted this task; change it from your history instead.");
    if (a.memberStatus === null || a.memberStatus === "removed") throw forbidden("You are not a member of this project.");
    await markAssignmentSkipped(tx, { assignmentId: a.id, reason: input.reason, note: input.note || null, at: now });
    return { assignmentId: a.id, state: "skipped" as const, reason: input.reason };
  });
}

/**
 * Replaces one of the actor's judgments within the project's edit window (counted from
 * the first submission of the assignment): in one transaction the old judgment is marked
 * superseded first — so the valid count never passes the overlap — and the new one is
 * inserted with `supersedes_id`, on the same assignment and display order. The input
 * speaks of the replies as they were shown.
 */
export async function editJudgment(
  ctx: ServiceContext,
  params: { judgmentId: unknown; input: unknown; now?: Date },
): Promise<{ judgment: JudgmentView }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const judgmentId = parseId(params.judgmentId, "The judgment");
  const input = parseInput(EditJudgmentInput, params.input);
  const now = params.now ?? new Date();

  return inTransaction(ctx.db, async (tx) => {
    const found = await getJudgmentById(tx, judgmentId);
    if (!found) throw notFound("The judgment");
    if (found.annotatorId !== ctx.actor.id) throw forbidden("You can only change your own judgments.");
    const task = await lockTask(tx, found.taskId);
    if (!task) throw notFound("The task");
    const old = (await getJudgmentForUpdate(tx, judgmentId))!;
    if (old.state === "superseded") throw conflict("This judgment was already changed; edit its newest version from your history.");
    if (old.state === "rejected") throw conflict("A reviewer rejected this judgment, so it can no longer be changed.");
    assertProjectOpen(old.project.status);
    const settings = settingsOf(old.project.settings);
    const first = (await getFirstSubmittedAt(tx, old.assignmentId)) ?? old.createdAt;
    if (!isEditable(first, settings.editWindowMinutes, now)) {
      throw conflict(`Judgments can be changed for ${settings.editWindowMinutes} minutes after submitting; that time has passed.`);
    }
    const answer = toDisplayAnswer(input);
    checkAnswer(answer, task, settings);
    const canonical = answerToCanonical(answer, old.displayOrder);
    if (canonical.seconds === null) canonical.seconds = old.seconds;
    // Supersede first: the CHECK on tasks.valid_judgments is immediate.
    await supersedeJudgment(tx, { judgmentId: old.id, at: now });
    const judgment = await insertJudgmentOrConflict(tx, {
      taskId: old.taskId,
      kind: old.kind,
      scalePoints: old.scalePoints,
      assignmentId: old.assignmentId,
      annotatorId: old.annotatorId,
      projectId: old.projectId,
      ...canonical,
      displayOrder: old.displayOrder,
      supersedesId: old.id,
      createdAt: now,
    });
    return { judgment: await present(tx, judgment, settings, first) };
  });
}

/** One entry of the annotator's history. */
export type HistoryEntry = JudgmentView & {
  project: { slug: string; name: string };
  kind: "pairwise" | "ranking";
  scalePoints: number;
  edited: boolean;
  editable: boolean;
  item: { characterName: string; scene: string | null; lastUserMessage: string | null };
};

/**
 * The actor's recent judgments (valid or rejected; superseded versions are left out),
 * newest first, each with an item summary and whether it may still be edited.
 */
export async function listMyHistory(
  ctx: ServiceContext,
  params: { projectSlug?: string; limit?: number | string; now?: Date } = {},
): Promise<HistoryEntry[]> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const input = parseInput(HistoryInput, { projectSlug: params.projectSlug, limit: params.limit });
  const now = params.now ?? new Date();
  let projectId: number | undefined;
  if (input.projectSlug) {
    const project = await getProjectForAnnotator(ctx.db, { slug: input.projectSlug, userId: ctx.actor.id });
    if (!project) throw notFound("The project");
    projectId = project.id;
  }
  const rows = await listJudgmentsOfAnnotator(ctx.db, { annotatorId: ctx.actor.id, projectId, limit: input.limit });
  return rows.map((r) => {
    const until = editableUntil(r.firstSubmittedAt, r.editWindowMinutes);
    return {
      id: r.id,
      assignmentId: r.assignmentId,
      taskId: r.taskId,
      state: r.state,
      supersedesId: null,
      createdAt: r.createdAt.toISOString(),
      editableUntil: until.toISOString(),
      answer: answerView(r, r.displayOrder),
      project: { slug: r.projectSlug, name: r.projectName },
      kind: r.kind,
      scalePoints: r.scalePoints,
      edited: r.edited,
      editable: r.state === "valid" && r.projectStatus === "active" && now.getTime() <= until.getTime(),
      item: { characterName: r.characterName, scene: r.scene, lastUserMessage: r.lastUserMessage },
    };
  });
}

/**
 * One of the actor's judgments with its task as it was shown (candidates in the same
 * display order), for the edit form.
 */
export async function getMyJudgment(
  ctx: ServiceContext,
  params: { judgmentId: unknown; now?: Date },
): Promise<{ judgment: JudgmentView; editable: boolean; task: LeasePayload["task"]; item: LeasePayload["item"]; candidates: LeasePayload["candidates"]; project: LeasePayload["project"] }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbidden();
  const judgmentId = parseId(params.judgmentId, "The judgment");
  const now = params.now ?? new Date();
  const j = await getJudgmentById(ctx.db, judgmentId);
  // Someone else's judgment is reported as missing: annotators never see others' work.
  if (!j || j.annotatorId !== ctx.actor.id) throw notFound("The judgment");
  const [content, withProject, first] = await Promise.all([
    getTaskContent(ctx.db, j.taskId),
    getProjectSummary(ctx.db, j.projectId),
    getFirstSubmittedAt(ctx.db, j.assignmentId),
  ]);
  if (!content || !withProject) throw notFound("The task");
  const settings = settingsOf(withProject.settings);
  const view = viewOf(j, settings, first ?? j.createdAt);
  return {
    judgment: view,
    editable: j.state === "valid" && withProject.status === "active" && isEditable(first ?? j.createdAt, settings.editWindowMinutes, now),
    project: { slug: withProject.slug, name: withProject.name, settings: taskViewSettings(settings) },
    task: { id: content.taskId, kind: content.kind, scalePoints: content.scalePoints, candidateCount: content.candidates.length },
    item: { character: content.item.character, scene: content.item.scene, context: content.item.context },
    candidates: j.displayOrder.map((canonical, slot) => ({ slot, content: content.candidates[canonical]?.content ?? "" })),
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

type ProjectMemberStatus = "active" | "paused" | "qualification" | "removed" | null;

function assertMayWork(status: ProjectMemberStatus): void {
  if (status === null || status === "removed") throw forbidden("You are not a member of this project.");
  if (status !== "active") throw forbidden("Your work on this project is paused; ask a lead.");
}

function assertProjectOpen(status: Project["status"], name?: string): void {
  const what = name ? `The project "${name}"` : "This project";
  if (status === "paused") throw conflict(`${what} is paused: no tasks are handed out or accepted until a researcher resumes it.`);
  if (status === "draft") throw conflict(`${what} has not started yet.`);
  if (status === "archived") throw conflict(`${what} is archived and takes no more work.`);
}

/** Stored settings with defaults for keys added after they were written. */
function settingsOf(stored: ProjectSettings): ProjectSettings {
  return { ...defaultSettings(), ...stored };
}
let defaults: ProjectSettings | undefined;
function defaultSettings(): ProjectSettings {
  return (defaults ??= defaultProjectSettings());
}

function taskViewSettings(s: ProjectSettings): TaskViewSettings {
  return {
    dimensions: s.dimensions,
    rationale: s.rationale,
    markdown: s.markdown,
    allowBothUnacceptable: s.allowBothUnacceptable,
    allowRankingTies: s.allowRankingTies,
    safetyFlags: s.safetyFlags,
    // Projects stored before role-play flags existed collect them too.
    roleplayFlags: s.roleplayFlags ?? true,
    editWindowMinutes: s.editWindowMinutes,
  };
}

function parseId(raw: unknown, what: string): number {
  const parsed = IdParam.safeParse(raw);
  // An id that cannot exist is simply not found.
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

function toDisplayAnswer(input: SubmitJudgmentInput): DisplayAnswer {
  return {
    strength: input.strength,
    ranking: input.ranking,
    bothUnacceptable: input.both_unacceptable,
    ratings: input.ratings,
    unsafe: input.unsafe,
    roleplayFlags: input.roleplay_flags,
    rationale: input.rationale,
    seconds: input.seconds,
  };
}

function checkAnswer(answer: DisplayAnswer, task: Pick<LockedTask, "kind" | "scalePoints" | "candidateCount">, settings: ProjectSettings): void {
  const rules: AnswerRules = settings;
  const issues = validateAnswer(answer, { kind: task.kind, scalePoints: task.scalePoints as ScalePoints, candidateCount: task.candidateCount }, rules);
  // Field names as the API spells them.
  if (issues.length) throw validationError(issues.map((i) => ({ path: i.path, message: i.message })));
}

function answerView(
  j: Pick<Judgment, "strength" | "ranks" | "bothUnacceptable" | "ratings" | "unsafe" | "roleplayFlags" | "rationale" | "seconds">,
  displayOrder: number[],
): JudgmentView["answer"] {
  const d = answerToDisplay(
    { strength: j.strength, ranks: j.ranks, bothUnacceptable: j.bothUnacceptable, ratings: j.ratings, unsafe: j.unsafe, roleplayFlags: j.roleplayFlags ?? {}, rationale: j.rationale, seconds: j.seconds },
    displayOrder,
  );
  return {
    ...(d.strength !== undefined ? { strength: d.strength } : {}),
    ...(d.ranking !== undefined ? { ranking: d.ranking } : {}),
    both_unacceptable: d.bothUnacceptable ?? false,
    ratings: d.ratings ?? {},
    unsafe: d.unsafe ?? {},
    roleplay_flags: d.roleplayFlags ?? {},
    ...(d.rationale !== undefined ? { rationale: d.rationale } : {}),
    ...(d.seconds !== undefined ? { seconds: d.seconds } : {}),
  };
}

function viewOf(j: Judgment, settings: ProjectSettings, firstSubmittedAt: Date): JudgmentView {
  return {
    id: j.id,
    assignmentId: j.assignmentId,
    taskId: j.taskId,
    state: j.state,
    supersedesId: j.supersedesId,
    createdAt: j.createdAt.toISOString(),
    editableUntil: editableUntil(firstSubmittedAt, settings.editWindowMinutes).toISOString(),
    answer: answerView(j, j.displayOrder),
  };
}

/** The stored judgment's view; the same bytes for a first submit and its retries. */
async function present(tx: Db, j: Judgment, settings: ProjectSettings, firstSubmittedAt?: Date): Promise<JudgmentView> {
  const first = firstSubmittedAt ?? (j.supersedesId === null ? j.createdAt : ((await getFirstSubmittedAt(tx, j.assignmentId)) ?? j.createdAt));
  return viewOf(j, settings, first);
}

/** Inserts a judgment, turning the database's backstops into clear CONFLICTs. */
async function insertJudgmentOrConflict(tx: Db, judgment: Parameters<typeof insertJudgment>[1], options?: Parameters<typeof insertJudgment>[2]): Promise<Judgment> {
  return insertJudgment(tx, judgment, options).catch(constraintToConflict);
}

/** The database's backstops (CHECK, unique indexes) as clear CONFLICTs; anything else rethrown. */
function constraintToConflict(error: unknown): never {
  const pg = postgresErrorOf(error);
  if (pg?.constraint === "tasks_valid_judgments_within_overlap") {
    throw conflict("This task already has all the judgments it needs, so this answer was not stored.");
  }
  if (pg?.constraint === "judgments_live_per_annotator_key") throw conflict("You have already judged this task.");
  if (pg?.constraint === "judgments_live_per_assignment_key") throw conflict("This task was already submitted.");
  throw error;
}

/** Runs work that is one transaction (a statement of its own, or db.transaction), retrying it when PostgreSQL aborts it as a deadlock victim or a serialisation failure. */
async function withDeadlockRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const code = postgresErrorOf(error)?.code;
      if (!(error instanceof AppError) && (code === "40P01" || code === "40001") && attempt < TRANSACTION_ATTEMPTS) {
        retriedTransactions++;
        continue;
      }
      throw error;
    }
  }
}

/**
 * Runs a transaction, retrying it when PostgreSQL aborts it as a deadlock victim or a
 * serialisation failure — the lock order (membership → task → the task's leases) makes
 * these rare, but a retry is cheap and the client never sees them.
 */
function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return withDeadlockRetry(() => db.transaction(work));
}

let retriedTransactions = 0;
/** How many transactions were retried after a deadlock or serialisation failure (tests and benchmarks report it). */
export function transactionRetries(): number {
  return retriedTransactions;
}

function utcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * What a submit checks its answer against, kept by the process that handed the lease out
 * so that a submit needs no read before its write. The owner, the display order and the
 * task's shape of a lease never change, so they are kept until the lease's time is up.
 * The project's answer rules can change: they are kept per project for PROJECT_RULES_TTL_MS
 * (every lease of the project renews them, since the lease call returns them anyway) and
 * read again when older. A submit that reaches another instance reads the lease instead.
 * Nothing here decides who gets what: arbiter_submit_judgment re-checks the lease under its
 * locks — owner, state, project and membership status, replay.
 */
type LeaseFacts = {
  annotatorId: number;
  projectId: number;
  displayOrder: number[];
  task: Pick<LockedTask, "kind" | "scalePoints" | "candidateCount">;
  expiresAt: number;
};
const LEASE_FACTS_MAX = 50_000;
const PROJECT_RULES_TTL_MS = 5_000;
const leaseFacts = new WeakMap<Db, Map<number, LeaseFacts>>();
const projectRules = new WeakMap<Db, Map<number, { settings: ProjectSettings; at: number }>>();

function perDbMap<K, V>(maps: WeakMap<Db, Map<K, V>>, db: Db): Map<K, V> {
  let map = maps.get(db);
  if (!map) maps.set(db, (map = new Map()));
  return map;
}

function rememberLease(db: Db, assignmentId: number, facts: LeaseFacts, settings: ProjectSettings, now: number): void {
  const leases = perDbMap(leaseFacts, db);
  leases.delete(assignmentId);
  // A Map iterates in insertion order: the first key is the oldest lease.
  if (leases.size >= LEASE_FACTS_MAX) leases.delete(leases.keys().next().value!);
  leases.set(assignmentId, facts);
  perDbMap(projectRules, db).set(facts.projectId, { settings, at: now });
}

/** The kept facts of the actor's live lease and its project's current rules, or undefined (then the caller reads them). */
async function recalledLease(
  db: Db,
  assignmentId: number,
  annotatorId: number,
  now: number,
): Promise<(LeaseFacts & { settings: ProjectSettings }) | undefined> {
  const facts = leaseFacts.get(db)?.get(assignmentId);
  if (!facts || facts.annotatorId !== annotatorId || facts.expiresAt <= now) return undefined;
  const rules = perDbMap(projectRules, db);
  let kept = rules.get(facts.projectId);
  if (!kept || Math.abs(now - kept.at) > PROJECT_RULES_TTL_MS) {
    const project = await getProjectSummary(db, facts.projectId);
    if (!project) return undefined;
    kept = { settings: settingsOf(project.settings), at: now };
    rules.set(facts.projectId, kept);
  }
  return { ...facts, settings: kept.settings };
}

function forgetLease(db: Db, assignmentId: number): void {
  leaseFacts.get(db)?.delete(assignmentId);
}

type Completion = Awaited<ReturnType<typeof getProjectCompletion>>;
const completionCache = new WeakMap<Db, Map<number, { at: number; value: Completion }>>();

/** Project completion for the progress bar, recomputed at most every few seconds per instance. */
async function cachedCompletion(db: Db, projectId: number): Promise<Completion> {
  let perDb = completionCache.get(db);
  if (!perDb) completionCache.set(db, (perDb = new Map()));
  const hit = perDb.get(projectId);
  const t = Date.now();
  if (hit && t - hit.at < COMPLETION_TTL_MS) return hit.value;
  const value = await getProjectCompletion(db, projectId);
  perDb.set(projectId, { at: t, value });
  return value;
}
