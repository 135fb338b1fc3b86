/**
 * Bodies of the annotation API and the annotator's forms. Everything here speaks of the
 * replies AS SHOWN: slot 0 is the left (first) reply on screen. The service converts to
 * canonical order with the assignment's display order before storing.
 *
 * These schemas check shape only; whether an answer fits the task and project (scale,
 * dimensions, rationale rule, ties) is `validateAnswer` in lib/domain/assignment.ts.
 */
import { z } from "zod";
import { toMilliseconds } from "@/lib/domain/answer";
import { SKIP_REASONS } from "./skip-reasons";

/** A display slot as a JSON object key: "0" … "15". */
const SlotKey = z.string().regex(/^(0|[1-9]\d?)$/, { message: "must be a reply slot number (0 = first shown)" });

/** Visible-tab seconds as the annotation API takes them: 0 to a day, to the millisecond. */
const Seconds = z.number().min(0).max(86_400).transform(toMilliseconds);

export const SubmitJudgmentInput = z
  .object({
    /**
     * Pairwise preference in display terms: negative = the first (left) reply shown is
     * better, positive = the second (right), 0 = about the same; |strength| up to the
     * scale's maximum (3 on the 7-point scale).
     */
    strength: z.number().int({ message: "must be a whole number" }).min(-3).max(3).optional(),
    /**
     * K-wise answer in display terms: `ranking[j]` is the rank (1 = best) of the reply
     * shown in slot j. Equal ranks are ties (only where the project allows them), ranked
     * "1, 1, 3" style.
     */
    ranking: z
      .array(z.number().int({ message: "must be a whole number" }).min(1).max(16))
      .min(2)
      .max(16)
      .optional(),
    /** Neither reply is acceptable: its own answer, instead of a strength or ranking. */
    both_unacceptable: z.boolean().optional(),
    /** Display slot → dimension key → 1–5. */
    ratings: z
      .record(SlotKey, z.record(z.string().min(1).max(64), z.number().int({ message: "must be a whole number" }).min(1).max(5)))
      .optional(),
    /** Display slot → safety category (see UNSAFE_CATEGORIES). */
    unsafe: z.record(SlotKey, z.string().min(1).max(32)).optional(),
    /** Display slot → role-play flags (see ROLEPLAY_FLAGS): out_of_character, speaks_for_user, reveals_ai. */
    roleplay_flags: z.record(SlotKey, z.array(z.string().min(1).max(32)).max(3)).optional(),
    rationale: z.string().max(10_000).optional(),
    /** Visible-tab seconds from first render to submit, measured by the client. */
    seconds: Seconds.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const answers = [v.strength !== undefined, v.ranking !== undefined, v.both_unacceptable === true].filter(Boolean).length;
    if (answers === 0) {
      ctx.addIssue({ code: "custom", path: ["strength"], message: "give a strength (pairwise), a ranking (K-wise) or both_unacceptable" });
    } else if (answers > 1) {
      ctx.addIssue({
        code: "custom",
        path: [v.both_unacceptable ? "both_unacceptable" : "ranking"],
        message: "give only one of strength, ranking and both_unacceptable",
      });
    }
  });
export type SubmitJudgmentInput = z.infer<typeof SubmitJudgmentInput>;

/** An edit replaces the whole answer; same shape and display order as the original submit. */
export const EditJudgmentInput = SubmitJudgmentInput;
export type EditJudgmentInput = SubmitJudgmentInput;

export { SKIP_REASONS, type SkipReason } from "./skip-reasons";

export const SkipInput = z
  .object({
    reason: z.enum(SKIP_REASONS, { message: `must be one of ${SKIP_REASONS.join(", ")}` }),
    note: z.string().trim().max(2_000).optional(),
  })
  .strict();
export type SkipInput = z.infer<typeof SkipInput>;

/** A database id in a path or body: a positive safe integer (strings of digits accepted). */
export const IdParam = z.coerce
  .number({ message: "must be a number" })
  .int({ message: "must be a whole number" })
  .positive()
  .max(Number.MAX_SAFE_INTEGER);

export const LeaseInput = z
  .object({
    projectSlug: z.string().min(1).max(64),
    /** Start of "today" for the annotator's daily count (the client's local midnight); default UTC midnight. */
    todaySince: z.coerce.date().optional(),
    /** Live leases the client already shows (a prefetching UI): resume another one, or take a new one. */
    exclude: z.array(z.number().int().positive()).max(50).optional(),
  })
  .strict();
export type LeaseInput = z.infer<typeof LeaseInput>;

export const HistoryInput = z
  .object({
    projectSlug: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type HistoryInput = z.infer<typeof HistoryInput>;
