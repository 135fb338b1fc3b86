import {
  countLiveLeases,
  getJudgmentHead,
  getReviewTask,
  insertReview,
  listContestedTasks,
  listProjectChoices,
  listReviewFilterOptions,
  listTaskJudgments,
  lockTaskForReview,
  revokeJudgmentVerdicts,
  revokeStandingAdjudication,
  setJudgmentReviewState,
} from "@/db/queries/review";
import type { AdjudicatedLabel } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { isValidStrength, scaleValues, type ScalePoints } from "@/lib/domain/preference";
import { rankByUncertainty, UNCERTAIN_POSTERIOR } from "@/lib/domain/stats/consensus";
import { AppError, conflictError, forbiddenError, notFoundError, validationError } from "@/lib/errors";
import type { z } from "zod";
import { parseInput } from "@/lib/validation/parse";
import { AdjudicateTaskInput, JudgmentVerdictInput, RejectJudgmentInput, ReviewQueueInput, TaskReviewInput } from "@/lib/validation/review";
import { recordAudit, recordTaskAudit } from "./audit";
import { fitProjectConsensus } from "./consensus";
import type { ServiceContext } from "./context";
import type { TaskKind } from "@/lib/domain/enums";
import { assertReachesProject, reachableProjectIds, requireProjectFor } from "./project-access";

function authorise(ctx: ServiceContext): void {
  if (!can(ctx.actor.role, "judgment.review")) throw forbiddenError();
}

/**
 * One page of the review queue: judged tasks, most contested first (see the contest score
 * in lib/domain/review.ts), filtered by project, character, model and annotator, with the
 * menus those filters offer. `contestedOnly` (default) hides tasks scoring 0.
 */
export async function listReviewQueue(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(ReviewQueueInput, raw);
  let projectId: number | undefined;
  if (input.projectSlug) projectId = (await requireProjectFor(ctx, input.projectSlug)).id;
  // Without a project filter: the projects the lead reaches.
  const projectIds = projectId === undefined ? await reachableProjectIds(ctx) : undefined;
  if (input.rank === "uncertainty") {
    if (!input.projectSlug) throw validationError([{ path: ["rank"], message: "choose a project to rank by uncertainty" }]);
    const fitted = await fitProjectConsensus(ctx, {
      projectSlug: input.projectSlug,
      character: input.character || undefined,
      model: input.model || undefined,
      annotator: input.annotator,
      consensus: "dawid-skene",
    });
    const ranked = rankByUncertainty(fitted.labels, input.contestedOnly ? UNCERTAIN_POSTERIOR : 1);
    const pageOf = ranked.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
    const [rows, projects, options] = await Promise.all([
      pageOf.length === 0
        ? Promise.resolve({ rows: [], total: 0 })
        : listContestedTasks(ctx.db, { projectId, taskIds: pageOf.map((r) => r.taskId), minScore: 0, limit: pageOf.length, offset: 0 }),
      listProjectChoices(ctx.db, await reachableProjectIds(ctx)),
      listReviewFilterOptions(ctx.db, projectId!),
    ]);
    const byId = new Map(rows.rows.map((r) => [r.taskId, r]));
    const ordered = pageOf.flatMap(({ taskId, uncertainty }) => {
      const row = byId.get(taskId);
      return row ? [{ ...row, uncertainty }] : [];
    });
    return { rows: ordered, total: ranked.length, page: input.page, pageSize: input.pageSize, filters: input, projects, options };
  }
  const [page, projects, options] = await Promise.all([
    listContestedTasks(ctx.db, {
      projectId,
      projectIds,
      character: input.character || undefined,
      model: input.model || undefined,
      annotatorId: input.annotator,
      // The score has four decimals: anything above 0 is at least 0.0001.
      minScore: input.contestedOnly ? 0.0001 : 0,
      limit: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
    }),
    listProjectChoices(ctx.db, await reachableProjectIds(ctx)),
    projectId === undefined ? Promise.resolve(null) : listReviewFilterOptions(ctx.db, projectId),
  ]);
  return { ...page, page: input.page, pageSize: input.pageSize, filters: input, projects, options };
}

/** One task as its annotators saw it (candidates in canonical order, with model names) and every judgment. */
export async function getTaskReview(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const { taskId } = parseInput(TaskReviewInput, raw);
  const task = await getReviewTask(ctx.db, taskId);
  if (!task) throw notFoundError("The task");
  await assertReachesProject(ctx, task.project.id, "The task");
  const judgments = await listTaskJudgments(ctx.db, taskId);
  return { task, judgments, scale: scaleValues(task.scalePoints as ScalePoints) };
}

/**
 * Validates a verdict on a judgment and runs it in a transaction that holds the judgment's
 * task locked (404 for a judgment out of reach). The judgment is re-read after the lock: its
 * state may have moved while the lock was awaited.
 */
async function withLockedJudgment<S extends z.ZodType<{ judgmentId: number }>, R>(
  ctx: ServiceContext,
  schema: S,
  raw: unknown,
  change: (
    c: ServiceContext,
    input: z.output<S>,
    locked: { judgment: JudgmentHead; task: NonNullable<Awaited<ReturnType<typeof lockTaskForReview>>> },
  ) => Promise<R>,
): Promise<R> {
  authorise(ctx);
  const input = parseInput(schema, raw);
  return ctx.db.transaction(async (tx) => {
    const c = { db: tx, actor: ctx.actor };
    const head = await getJudgmentHead(tx, input.judgmentId);
    if (!head) throw notFoundError("The judgment");
    await assertReachesProject(c, head.projectId, "The judgment");
    const task = await lockTaskForReview(tx, head.taskId);
    if (!task) throw notFoundError("The task");
    const judgment = (await getJudgmentHead(tx, input.judgmentId))!;
    return change(c, input, { judgment, task });
  });
}

type JudgmentHead = NonNullable<Awaited<ReturnType<typeof getJudgmentHead>>>;

/** Locks a task the reader reaches, in the caller's transaction; 404 for one out of reach, as for none. */
export async function lockReachableTask(c: ServiceContext, taskId: number) {
  const task = await lockTaskForReview(c.db, taskId);
  if (!task) throw notFoundError("The task");
  await assertReachesProject(c, task.projectId, "The task");
  return task;
}

/**
 * Stores a lead's verdict on a judgment: earlier verdicts on it are revoked, the review
 * row is written and the change is audited — in the caller's transaction.
 */
async function recordVerdict(
  c: ServiceContext,
  judgment: { id: number; projectId: number; taskId: number; annotatorId: number },
  verdict: "accept" | "reject",
  action: "judgment.accept" | "judgment.reject" | "judgment.restore",
  note: string,
): Promise<void> {
  await revokeJudgmentVerdicts(c.db, judgment.id);
  const reviewId = await insertReview(c.db, {
    projectId: judgment.projectId,
    taskId: judgment.taskId,
    judgmentId: judgment.id,
    reviewerId: c.actor.id,
    verdict,
    label: null,
    note,
  });
  await recordAudit(c, {
    action,
    targetType: "judgment",
    targetId: judgment.id,
    projectId: judgment.projectId,
    details: { taskId: judgment.taskId, annotatorId: judgment.annotatorId, note, reviewId },
  });
}

/** Accepts a valid judgment with an optional note (a review row; the judgment is unchanged). Audited "judgment.accept". */
export async function acceptJudgment(ctx: ServiceContext, raw: unknown) {
  return withLockedJudgment(ctx, JudgmentVerdictInput, raw, async (c, input, { judgment }) => {
    if (judgment.state !== "valid") {
      throw conflictError(
        judgment.state === "rejected" ? "This judgment is rejected: restore it instead." : "This judgment was replaced by an edit.",
      );
    }
    await recordVerdict(c, judgment, "accept", "judgment.accept", input.note);
    return { judgmentId: judgment.id, state: "valid" as const };
  });
}

/**
 * Rejects a valid judgment with a note: its state becomes `rejected`, so it stops counting
 * toward overlap (tasks.valid_judgments drops through the trigger) and the task is offered
 * to another annotator; exports leave it out. Audited "judgment.reject".
 */
export async function rejectJudgment(ctx: ServiceContext, raw: unknown) {
  return withLockedJudgment(ctx, RejectJudgmentInput, raw, async (c, input, { judgment, task }) => {
    if (judgment.state === "rejected") throw conflictError("This judgment is already rejected.");
    if (judgment.state === "superseded") throw conflictError("This judgment was replaced by an edit; review the new one.");
    await setJudgmentReviewState(c.db, judgment.id, "rejected");
    await recordVerdict(c, judgment, "reject", "judgment.reject", input.note);
    return { judgmentId: judgment.id, state: "rejected" as const, validJudgments: task.validJudgments - 1, overlap: task.overlap };
  });
}

/**
 * Reverts a rejection: the judgment is valid again. Allowed only while the task has room
 * (valid judgments + live leases < overlap) — once another annotator has filled the place,
 * restoring would exceed the overlap, so it is a CONFLICT. Audited "judgment.restore".
 */
export async function restoreJudgment(ctx: ServiceContext, raw: unknown) {
  return withLockedJudgment(ctx, JudgmentVerdictInput, raw, async (c, input, { judgment, task }) => {
    if (judgment.state !== "rejected") throw conflictError("Only a rejected judgment can be restored.");
    const live = await countLiveLeases(c.db, task.id);
    if (task.validJudgments + live >= task.overlap) {
      throw conflictError(
        `The task already has ${task.validJudgments} valid judgment${task.validJudgments === 1 ? "" : "s"}${live ? ` and ${live} live lease${live === 1 ? "" : "s"}` : ""} of ${task.overlap}: restoring this one would exceed the overlap.`,
      );
    }
    try {
      await setJudgmentReviewState(c.db, judgment.id, "valid");
    } catch (error) {
      // The overlap CHECK is the backstop if a submit slipped in (it cannot while we hold the task lock).
      if ((error as { code?: string }).code === "23514")
        throw conflictError("The task is full: restoring this judgment would exceed the overlap.");
      throw error;
    }
    await recordVerdict(c, judgment, "accept", "judgment.restore", input.note);
    return { judgmentId: judgment.id, state: "valid" as const };
  });
}

/** The label's problems against the task (scale, kind, size), as field errors. */
function labelProblems(
  task: { kind: TaskKind; scalePoints: number; candidateCount: number },
  input: AdjudicateTaskInput,
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  if (input.strength !== undefined) {
    if (task.kind !== "pairwise") fields.strength = ["this task is a ranking: give ranks"];
    else if (!isValidStrength(input.strength, task.scalePoints as ScalePoints)) {
      fields.strength = [`must be one of ${scaleValues(task.scalePoints as ScalePoints).join(", ")}`];
    }
  }
  if (input.ranks !== undefined) {
    if (task.kind !== "ranking") fields.ranks = ["this task is pairwise: give a strength"];
    else if (input.ranks.length !== task.candidateCount) fields.ranks = [`give a rank for each of the ${task.candidateCount} candidates`];
    else if (input.ranks.some((r) => r > task.candidateCount)) fields.ranks = [`ranks run from 1 to ${task.candidateCount}`];
    else if (!input.ranks.includes(1)) fields.ranks = ["some candidate must be ranked 1"];
  }
  return fields;
}

/**
 * Sets the task's final label (a strength, ranks, or both unacceptable), validated against
 * its scale and kind, replacing any standing one (revoked, kept for the record). Exports
 * then use the label instead of the vote and count the task as adjudicated in the
 * manifest. Audited "task.adjudicate" with the previous and the new label.
 */
export async function adjudicateTask(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(AdjudicateTaskInput, raw);
  return ctx.db.transaction(async (tx) => {
    const task = await lockReachableTask({ db: tx, actor: ctx.actor }, input.taskId);
    const fields = labelProblems(task, input);
    const [first] = Object.entries(fields);
    if (first) throw new AppError("VALIDATION", `${first[0]}: ${first[1][0]}`, fields);
    const label: AdjudicatedLabel = input.bothUnacceptable
      ? { bothUnacceptable: true }
      : input.strength !== undefined
        ? { strength: input.strength }
        : { ranks: input.ranks! };
    const previous = await revokeStandingAdjudication(tx, task.id);
    const reviewId = await insertReview(tx, {
      projectId: task.projectId,
      taskId: task.id,
      judgmentId: null,
      reviewerId: ctx.actor.id,
      verdict: "adjudicate",
      label,
      note: input.note,
    });
    await recordTaskAudit({ db: tx, actor: ctx.actor }, "task.adjudicate", task, { label, previous, note: input.note, reviewId });
    return { taskId: task.id, label, reviewId };
  });
}
