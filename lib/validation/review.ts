import { z } from "zod";
import { pageNumber, pageSize, queryFlag } from "./list-query";
import { ProjectSlugInput } from "./projects";

const id = z.coerce.number({ message: "must be a number" }).int().positive();
const slug = ProjectSlugInput.shape.projectSlug;
const note = z.string().trim().max(2000, { message: "at most 2,000 characters" });

/** Filters and page of the review queue (values may arrive as URL strings). */
export const ReviewQueueInput = z.object({
  projectSlug: slug.optional(),
  character: z.string().trim().max(200).optional(),
  model: z.string().trim().max(200).optional(),
  annotator: id.optional(),
  /** Only tasks with a positive contest score (the default); false lists every judged task. */
  contestedOnly: queryFlag(true),
  page: pageNumber(),
  pageSize: pageSize(25),
  /**
   * `contest` (default): the contest score; `uncertainty`: 1 − the posterior of the task's
   * Dawid–Skene label, highest first (needs a project; "contested only" then means a top
   * posterior below 0.8).
   */
  rank: z.enum(["contest", "uncertainty"], { message: "must be contest or uncertainty" }).default("contest"),
});
export type ReviewQueueInput = z.infer<typeof ReviewQueueInput>;

export const TaskReviewInput = z.object({ taskId: id });
export type TaskReviewInput = z.infer<typeof TaskReviewInput>;

/** Accept or restore a judgment: the note is optional. */
export const JudgmentVerdictInput = z.object({ judgmentId: id, note: note.default("") });
export type JudgmentVerdictInput = z.infer<typeof JudgmentVerdictInput>;

/** Reject a judgment: say why (the annotator's lead and the audit log read it). */
export const RejectJudgmentInput = z.object({
  judgmentId: id,
  note: note.min(1, { message: "say why the judgment is rejected" }),
});
export type RejectJudgmentInput = z.infer<typeof RejectJudgmentInput>;

/**
 * A final label for a task: exactly one of a strength (pairwise), ranks (K-wise) or
 * "both unacceptable". Range checks against the task's scale and size happen in the
 * service, which knows the task.
 */
export const AdjudicateTaskInput = z
  .object({
    taskId: id,
    strength: z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number" }).optional(),
    ranks: z
      .array(z.coerce.number().int().min(1, { message: "ranks start at 1" }))
      .min(2)
      .max(16)
      .optional(),
    bothUnacceptable: z.boolean().optional(),
    note: note.default(""),
  })
  .superRefine((v, ctx) => {
    const given = [v.strength !== undefined, v.ranks !== undefined, v.bothUnacceptable === true].filter(Boolean).length;
    if (given !== 1)
      ctx.addIssue({ code: "custom", path: ["label"], message: "give exactly one: a strength, a ranking, or both unacceptable" });
  });
export type AdjudicateTaskInput = z.infer<typeof AdjudicateTaskInput>;

/** A gold answer for a pairwise task: the answer and the strengths that count as correct. */
export const SetGoldInput = z.object({
  taskId: id,
  strength: z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number" }),
  accept: z.array(z.coerce.number().int()).max(7),
  note: note.default(""),
});
export type SetGoldInput = z.infer<typeof SetGoldInput>;

export const RetireGoldInput = z.object({ taskId: id, note: note.default("") });
export type RetireGoldInput = z.infer<typeof RetireGoldInput>;

export const GoldListInput = z.object({
  projectSlug: slug,
  page: pageNumber(),
  pageSize: pageSize(50),
});
export type GoldListInput = z.infer<typeof GoldListInput>;

/** Annotators of one project. */
export const AnnotatorListInput = z.object({ projectSlug: slug });
export type AnnotatorListInput = z.infer<typeof AnnotatorListInput>;

/** Membership statuses a lead sets: pause, resume (active), back to qualification. */
export const SetAnnotatorStatusInput = z.object({
  projectSlug: slug,
  userId: id,
  status: z.enum(["active", "paused", "qualification"], { message: "must be active, paused or qualification" }),
  note: note.default(""),
});
export type SetAnnotatorStatusInput = z.infer<typeof SetAnnotatorStatusInput>;

export const SetAnnotatorExcludedInput = z.object({
  projectSlug: slug,
  userId: id,
  excluded: z.boolean(),
  note: note.default(""),
});
export type SetAnnotatorExcludedInput = z.infer<typeof SetAnnotatorExcludedInput>;

export const AnnotatorWorkInput = z.object({ projectSlug: slug, userId: id });
export type AnnotatorWorkInput = z.infer<typeof AnnotatorWorkInput>;
