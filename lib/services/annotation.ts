/**
 * The annotator's verbs: take the next task (a lease), submit a judgment, skip, edit a
 * recent judgment, read one's history. The UI's server actions and the JSON API both
 * call these, so they share one code path.
 *
 * Every verb authorises, parses, applies the pure rules (lib/domain/assignment.ts,
 * lib/domain/answer.ts) and writes in one transaction. Who gets which task and whether an
 * answer counts is decided in the database (db/functions/: row locks, SKIP LOCKED, the
 * trigger-maintained valid-judgment count and its CHECK), so any number of app instances
 * may serve the same project; what an instance keeps in memory are hints that spare a
 * read (annotation-cache.ts). Payloads and their mapping from rows: annotation-views.ts;
 * deadlock retries: transactions.ts.
 */
import {
  getAssignmentContext,
  getProjectForAnnotator,
  getProjectSummary,
  getTaskContent,
  leaseNextTaskInDb,
  lockAssignment,
  submitAndLeaseNextInDb,
  lockTask,
  markAssignmentSkipped,
  type LeaseOutcome,
  type LockedTask,
} from "@/db/queries/assignments";
import {
  getEditStanding,
  getFirstSubmittedAt,
  getJudgmentById,
  getJudgmentForUpdate,
  insertJudgment,
  listJudgmentsOfAnnotator,
  submitJudgmentInDb,
  supersedeJudgment,
  type SubmitOutcome,
  type SubmitParams,
} from "@/db/queries/judgments";
import type { Db } from "@/db/client";
import type { Judgment, Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { answerToCanonical, validateAnswer, type AnswerRules, type DisplayAnswer } from "@/lib/domain/answer";
import { isEditable, type RandomSource } from "@/lib/domain/assignment";
import type { MemberStatus } from "@/lib/domain/enums";
import type { ScalePoints } from "@/lib/domain/preference";
import { AppError, conflictError, forbiddenError, notFoundError, postgresErrorOf, validationError } from "@/lib/errors";
import { EditJudgmentInput, HistoryInput, IdParam, LeaseInput, SkipInput, SubmitJudgmentInput } from "@/lib/validation/judgment";
import { parseInput } from "@/lib/validation/parse";
import { projectSettingsDefaults, withDefaultSettings, type ProjectSettings } from "@/lib/validation/project-settings";
import { cachedCompletion, forgetLease, recalledLease, rememberLease } from "./annotation-cache";
import {
  historyEntryOf,
  present,
  taskViewSettings,
  viewOf,
  type HistoryEntry,
  type JudgmentView,
  type LeasePayload,
} from "./annotation-views";
import type { ServiceContext } from "./context";
import { inTransaction, TRANSACTION_ATTEMPTS, withDeadlockRetry } from "./transactions";

/** How many of the best open tasks one lease looks at (those at the highest level among them are tried in random order). */
const CANDIDATE_WINDOW = 32;

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
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const input = parseInput(LeaseInput, { projectSlug: params.projectSlug, todaySince: params.todaySince, exclude: params.exclude });
  const now = params.now ?? new Date();
  const random = options.random ?? Math.random;

  // One round trip (db/functions/arbiter_lease_next_task.sql); it answers 'retry' only when
  // it would otherwise wait for a task's lock while holding another's.
  let outcome: LeaseOutcome;
  for (let attempt = 1; ; attempt++) {
    outcome = await withDeadlockRetry(() =>
      leaseNextTaskInDb(ctx.db, { annotatorId: ctx.actor.id, now, exclude: input.exclude ?? [], ...leaseRequest(input, now, random) }),
    );
    if (outcome.status !== "retry") break;
    if (attempt >= TRANSACTION_ATTEMPTS * 4)
      throw new AppError("UNAVAILABLE", "Many annotators are taking tasks at this moment; try again.");
  }
  return leasePayloadOf(ctx, outcome, input.projectSlug, now);
}

/** What every lease request passes to the engine besides who asks, when, and what to leave out. */
function leaseRequest(input: LeaseInput, now: Date, random: RandomSource) {
  const defaults = projectSettingsDefaults();
  return {
    slug: input.projectSlug,
    todaySince: input.todaySince ?? utcMidnight(now),
    rands: leaseDraws(random),
    window: CANDIDATE_WINDOW,
    defaults: { goldRatio: defaults.goldRatio, maxLeasesPerAnnotator: defaults.maxLeasesPerAnnotator, leaseMinutes: defaults.leaseMinutes },
  };
}

/**
 * The engine's answer as the annotator gets it: a refusal as its error, null when nothing
 * is left, or the lease — whose facts this instance keeps for the submit (annotation-cache.ts).
 */
async function leasePayloadOf(ctx: ServiceContext, outcome: LeaseOutcome, projectSlug: string, now: Date): Promise<LeasePayload | null> {
  if (outcome.status === "not_found") throw notFoundError("The project");
  const project = outcome.project;
  const settings = withDefaultSettings(project.settings);
  if (outcome.status === "refused") {
    assertMayWork(outcome.memberStatus);
    assertProjectOpen(project.status, project.name);
  }
  if (outcome.status === "capped") {
    const held = outcome.liveLeases;
    throw conflictError(
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
    project: { slug: projectSlug, name: project.name, settings: taskViewSettings(settings) },
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
): Promise<SubmittedJudgment> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const now = params.now ?? new Date();
  const prepared = await prepareSubmit(ctx, params.assignmentId, params.input, now);
  if ("replay" in prepared) return prepared.replay;
  const outcome = await withDeadlockRetry(() => submitJudgmentInDb(ctx.db, prepared.write).catch(constraintToConflict));
  return submitResultOf(ctx, prepared, outcome, now);
}

export type SubmittedJudgment = { judgment: JudgmentView; replayed: boolean };

/** A submit checked and ready to write (or already answered: a replay found by the read). */
type PreparedSubmit = { replay: SubmittedJudgment } | { write: SubmitParams; settings: ProjectSettings };

/**
 * Everything a submit does before its write: parse, find what the answer is checked
 * against, check it and turn it into canonical order.
 */
async function prepareSubmit(ctx: ServiceContext, rawAssignmentId: unknown, rawInput: unknown, now: Date): Promise<PreparedSubmit> {
  const assignmentId = parseId(rawAssignmentId, "The assignment");
  const input = parseInput(SubmitJudgmentInput, rawInput);

  // What the answer is checked against: the facts this process kept when it handed out the
  // lease (fresh enough), or else a read of the lease, unlocked. Either way the write
  // (arbiter_submit_judgment, one round trip) locks the task and the lease and repeats
  // every check under the locks: owner, state, project and membership status, replay.
  let facts = await recalledLease(ctx.db, assignmentId, ctx.actor.id, now.getTime());
  if (!facts) {
    const a = await getAssignmentContext(ctx.db, assignmentId);
    if (!a) throw leaseNotFound();
    if (a.annotatorId !== ctx.actor.id) throw forbiddenError("This task was assigned to someone else.");
    const settings = withDefaultSettings(a.project.settings);
    if (a.liveJudgmentId !== null) {
      const stored = (await getJudgmentById(ctx.db, a.liveJudgmentId))!;
      return { replay: { judgment: await present(ctx.db, stored, settings), replayed: true } };
    }
    assertProjectOpen(a.project.status);
    assertMayWork(a.memberStatus as ProjectMemberStatus);
    if (a.state === "skipped") throw conflictError(SKIPPED_MESSAGE);
    if (a.state === "submitted") throw conflictError(SUBMITTED_MESSAGE);
    facts = {
      annotatorId: a.annotatorId,
      projectId: a.projectId,
      displayOrder: a.displayOrder,
      task: a.task,
      expiresAt: a.expiresAt.getTime(),
      settings,
    };
  }
  const { settings, displayOrder } = facts;

  const answer = toDisplayAnswer(input);
  checkAnswer(answer, facts.task, settings);
  return { write: { assignmentId, annotatorId: ctx.actor.id, now, answer: answerToCanonical(answer, displayOrder) }, settings };
}

/** The write's outcome as the annotator gets it: the judgment, or the refusal as its error. */
async function submitResultOf(
  ctx: ServiceContext,
  prepared: { write: SubmitParams; settings: ProjectSettings },
  outcome: SubmitOutcome,
  now: Date,
): Promise<SubmittedJudgment> {
  const { settings } = prepared;
  if (outcome.status !== "forbidden" && outcome.status !== "refused") forgetLease(ctx.db, prepared.write.assignmentId);
  switch (outcome.status) {
    case "stored":
      return { judgment: await present(ctx.db, outcome.judgment, settings, now), replayed: false };
    case "replayed":
      return { judgment: await present(ctx.db, outcome.judgment, settings), replayed: true };
    case "not_found":
      throw leaseNotFound();
    case "forbidden":
      throw forbiddenError("This task was assigned to someone else.");
    case "refused":
      assertProjectOpen(outcome.projectStatus);
      assertMayWork(outcome.memberStatus);
      throw conflictError("This answer was not stored.");
    case "skipped":
      throw conflictError(SKIPPED_MESSAGE);
    case "submitted":
      throw conflictError(SUBMITTED_MESSAGE);
    case "no_room":
      throw conflictError(
        "Your time on this task ran out and other annotators have since taken or completed it, so this answer was not stored. Take the next task.",
      );
  }
  throw new Error(`unexpected submit outcome ${(outcome as { status: string }).status}`);
}

const SKIPPED_MESSAGE = "You skipped this task, so it takes no answer from you.";
/** A submit on a lease that is not there: a wrong id, or a lease lost when the database crashed (leases commit asynchronously, ADR 0004). */
const leaseNotFound = () =>
  new AppError(
    "NOT_FOUND",
    "The assignment was not found; if the service was just restarted, it may have been lost with it. Your answer was not stored: take the next task.",
  );
const SUBMITTED_MESSAGE = "This task was already submitted.";

/**
 * Skips the actor's lease with a reason; the task is never offered to them again.
 * Skipping an already skipped lease answers the same again.
 */
export async function skipAssignment(
  ctx: ServiceContext,
  params: { assignmentId: unknown; input: unknown; now?: Date },
): Promise<{ assignmentId: number; state: "skipped"; reason: string }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const assignmentId = parseId(params.assignmentId, "The assignment");
  const input = parseInput(SkipInput, params.input);
  const now = params.now ?? new Date();
  forgetLease(ctx.db, assignmentId);

  return inTransaction(ctx.db, async (tx) => {
    const a = await getAssignmentContext(tx, assignmentId);
    if (!a) throw notFoundError("The assignment");
    if (a.annotatorId !== ctx.actor.id) throw forbiddenError("This task was assigned to someone else.");
    const lease = (await lockAssignment(tx, a.id))!;
    if (lease.state === "skipped") return { assignmentId: a.id, state: "skipped" as const, reason: lease.skipReason ?? input.reason };
    if (lease.state === "submitted") throw conflictError("You already submitted this task; change it from your history instead.");
    if (a.memberStatus === null || a.memberStatus === "removed") throw forbiddenError("You are not a member of this project.");
    await markAssignmentSkipped(tx, { assignmentId: a.id, reason: input.reason, note: input.note || null, at: now });
    return { assignmentId: a.id, state: "skipped" as const, reason: input.reason };
  });
}

// ---------------------------------------------------------------------------------------
// Submit or skip, carrying the next task

/**
 * The next task after a submit or a skip: the lease, null when nothing is left, or why
 * none was given (the judgment or skip stands either way).
 */
export type NextLease = { ok: true; lease: LeasePayload | null } | { ok: false; code: string; message: string };

/**
 * {@link submitJudgment}, then {@link leaseNextTask} on `projectSlug` — with the same checks
 * and the same answers as the two verbs one after the other, in one round trip when the
 * instance kept the lease's facts: arbiter_submit_and_lease_next runs the submit and the
 * lease in one transaction (db/functions/arbiter_submit_and_lease_next.sql). A submit that
 * stores nothing throws as submitJudgment does and leases nothing; a lease refused after a
 * stored submit comes back as `next.ok === false`. The workspace's submit (the JSON API
 * keeps its two verbs).
 */
export async function submitJudgmentAndLeaseNext(
  ctx: ServiceContext,
  params: { assignmentId: unknown; input: unknown; projectSlug: string; todaySince?: Date | string; now?: Date },
  options: { random?: RandomSource } = {},
): Promise<SubmittedJudgment & { next: NextLease }> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const now = params.now ?? new Date();
  const prepared = await prepareSubmit(ctx, params.assignmentId, params.input, now);
  const lease = parseInput(LeaseInput, { projectSlug: params.projectSlug, todaySince: params.todaySince });
  const leaseOnItsOwn = () => nextLeaseOf(() => leaseNextTask(ctx, { ...lease, now }, options));
  if ("replay" in prepared) return { ...prepared.replay, next: await leaseOnItsOwn() };

  const random = options.random ?? Math.random;
  const outcome = await withDeadlockRetry(() =>
    submitAndLeaseNextInDb(ctx.db, { submit: prepared.write, lease: leaseRequest(lease, now, random) }).catch(constraintToConflict),
  );
  const submitted = await submitResultOf(ctx, prepared, outcome.submit, now);
  // 'retry': the lease would have waited for a task's lock while holding the submitted
  // task's; now that the submit has committed, the lease verb may wait.
  if (outcome.lease === null || outcome.lease.status === "retry") return { ...submitted, next: await leaseOnItsOwn() };
  const leased = outcome.lease;
  return { ...submitted, next: await nextLeaseOf(() => leasePayloadOf(ctx, leased, lease.projectSlug, now)) };
}

/** {@link skipAssignment}, then {@link leaseNextTask} on `projectSlug`: the workspace's skip, one request. */
export async function skipAndLeaseNext(
  ctx: ServiceContext,
  params: { assignmentId: unknown; input: unknown; projectSlug: string; todaySince?: Date | string; now?: Date },
  options: { random?: RandomSource } = {},
): Promise<Awaited<ReturnType<typeof skipAssignment>> & { next: NextLease }> {
  const now = params.now ?? new Date();
  const lease = parseInput(LeaseInput, { projectSlug: params.projectSlug, todaySince: params.todaySince });
  const skipped = await skipAssignment(ctx, { assignmentId: params.assignmentId, input: params.input, now });
  return { ...skipped, next: await nextLeaseOf(() => leaseNextTask(ctx, { ...lease, now }, options)) };
}

/** A lease after work that stands: a refusal is reported beside that work, not thrown. */
async function nextLeaseOf(lease: () => Promise<LeasePayload | null>): Promise<NextLease> {
  try {
    return { ok: true, lease: await lease() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
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
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const judgmentId = parseId(params.judgmentId, "The judgment");
  const input = parseInput(EditJudgmentInput, params.input);
  const now = params.now ?? new Date();

  return inTransaction(ctx.db, async (tx) => {
    const found = await getJudgmentById(tx, judgmentId);
    // Someone else's judgment is reported as missing, as the read route does: ids reveal nothing.
    if (!found || found.annotatorId !== ctx.actor.id) throw notFoundError("The judgment");
    const task = await lockTask(tx, found.taskId);
    if (!task) throw notFoundError("The task");
    const old = (await getJudgmentForUpdate(tx, judgmentId))!;
    if (old.state === "superseded") throw conflictError("This judgment was already changed; edit its newest version from your history.");
    if (old.state === "rejected") throw conflictError("A reviewer rejected this judgment, so it can no longer be changed.");
    // As submit: only an active member works on the project. And a lead's verdict is final
    // for the version it judged — a new version would carry no review (docs/security.md).
    const standing = await getEditStanding(tx, { judgmentId: old.id, taskId: old.taskId, projectId: old.projectId, userId: ctx.actor.id });
    assertMayWork(standing.memberStatus as ProjectMemberStatus);
    if (standing.reviewed)
      throw conflictError("A lead already accepted this judgment, so it can no longer be changed; ask a lead if it needs correcting.");
    if (standing.adjudicated) throw conflictError("A lead adjudicated this task's final label, so its judgments can no longer be changed.");
    assertProjectOpen(old.project.status);
    const settings = withDefaultSettings(old.project.settings);
    const first = (await getFirstSubmittedAt(tx, old.assignmentId)) ?? old.createdAt;
    if (!isEditable(first, settings.editWindowMinutes, now)) {
      throw conflictError(`Judgments can be changed for ${settings.editWindowMinutes} minutes after submitting; that time has passed.`);
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

/**
 * The actor's recent judgments (valid or rejected; superseded versions are left out),
 * newest first, each with an item summary and whether it may still be edited.
 */
export async function listMyHistory(
  ctx: ServiceContext,
  params: { projectSlug?: string; limit?: number | string; now?: Date } = {},
): Promise<HistoryEntry[]> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const input = parseInput(HistoryInput, { projectSlug: params.projectSlug, limit: params.limit });
  const now = params.now ?? new Date();
  let projectId: number | undefined;
  if (input.projectSlug) {
    const project = await getProjectForAnnotator(ctx.db, { slug: input.projectSlug, userId: ctx.actor.id });
    if (!project) throw notFoundError("The project");
    projectId = project.id;
  }
  const rows = await listJudgmentsOfAnnotator(ctx.db, { annotatorId: ctx.actor.id, projectId, limit: input.limit });
  return rows.map((r) => historyEntryOf(r, now));
}

/**
 * One of the actor's judgments with its task as it was shown (candidates in the same
 * display order), for the edit form.
 */
export async function getMyJudgment(
  ctx: ServiceContext,
  params: { judgmentId: unknown; now?: Date },
): Promise<{
  judgment: JudgmentView;
  editable: boolean;
  task: LeasePayload["task"];
  item: LeasePayload["item"];
  candidates: LeasePayload["candidates"];
  project: LeasePayload["project"];
}> {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const judgmentId = parseId(params.judgmentId, "The judgment");
  const now = params.now ?? new Date();
  const j = await getJudgmentById(ctx.db, judgmentId);
  // Someone else's judgment is reported as missing: annotators never see others' work.
  if (!j || j.annotatorId !== ctx.actor.id) throw notFoundError("The judgment");
  const [content, withProject, first] = await Promise.all([
    getTaskContent(ctx.db, j.taskId),
    getProjectSummary(ctx.db, j.projectId),
    getFirstSubmittedAt(ctx.db, j.assignmentId),
  ]);
  if (!content || !withProject) throw notFoundError("The task");
  const settings = withDefaultSettings(withProject.settings);
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

type ProjectMemberStatus = MemberStatus | null;

function assertMayWork(status: ProjectMemberStatus): void {
  if (status === null || status === "removed") throw forbiddenError("You are not a member of this project.");
  if (status !== "active") throw forbiddenError("Your work on this project is paused; ask a lead.");
}

function assertProjectOpen(status: Project["status"], name?: string): void {
  const what = name ? `The project "${name}"` : "This project";
  if (status === "paused") throw conflictError(`${what} is paused: no tasks are handed out or accepted until a researcher resumes it.`);
  if (status === "draft") throw conflictError(`${what} has not started yet.`);
  if (status === "archived") throw conflictError(`${what} is archived and takes no more work.`);
}

function parseId(raw: unknown, what: string): number {
  const parsed = IdParam.safeParse(raw);
  // An id that cannot exist is simply not found.
  if (!parsed.success) throw notFoundError(what);
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

function checkAnswer(
  answer: DisplayAnswer,
  task: Pick<LockedTask, "kind" | "scalePoints" | "candidateCount">,
  settings: ProjectSettings,
): void {
  const rules: AnswerRules = settings;
  const issues = validateAnswer(
    answer,
    { kind: task.kind, scalePoints: task.scalePoints as ScalePoints, candidateCount: task.candidateCount },
    rules,
  );
  // Field names as the API spells them.
  if (issues.length) throw validationError(issues.map((i) => ({ path: i.path, message: i.message })));
}

/** Inserts a judgment, turning the database's backstops into clear CONFLICTs. */
async function insertJudgmentOrConflict(
  tx: Db,
  judgment: Parameters<typeof insertJudgment>[1],
  options?: Parameters<typeof insertJudgment>[2],
): Promise<Judgment> {
  return insertJudgment(tx, judgment, options).catch(constraintToConflict);
}

/** The database's backstops (CHECK, unique indexes) as clear CONFLICTs; anything else rethrown. */
function constraintToConflict(error: unknown): never {
  const pg = postgresErrorOf(error);
  if (pg?.constraint === "tasks_valid_judgments_within_overlap") {
    throw conflictError("This task already has all the judgments it needs, so this answer was not stored.");
  }
  if (pg?.constraint === "judgments_live_per_annotator_key") throw conflictError("You have already judged this task.");
  if (pg?.constraint === "judgments_live_per_assignment_key") throw conflictError("This task was already submitted.");
  throw error;
}

function utcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
