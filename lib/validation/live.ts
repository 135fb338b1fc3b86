/**
 * Bodies of the live-session API. The turn judgment reuses the static judgment body
 * (SubmitJudgmentInput, docs/api.md) with slot j = label j (A, B, …), plus `editedText`.
 */
import { z } from "zod";
import { IdParam, SubmitJudgmentInput } from "./judgment";

export const StartSessionInput = z.object({ projectSlug: z.string().min(1).max(64) }).strict();
export type StartSessionInput = z.infer<typeof StartSessionInput>;

export const CreateTurnInput = z
  .object({
    text: z.string().trim().min(1, { message: "must not be empty" }).max(8_000, { message: "must be at most 8,000 characters" }),
    /** The node the new user turn follows (an earlier chosen reply or the greeting); omitted: the current branch. */
    parentNodeId: IdParam.optional(),
  })
  .strict();
export type CreateTurnInput = z.infer<typeof CreateTurnInput>;

/** The edited (or, after "all unacceptable", written) reply that continues the conversation. */
export const EditedText = z
  .string()
  .trim()
  .min(1, { message: "must not be empty" })
  .max(20_000, { message: "must be at most 20,000 characters" });

/**
 * Splits a turn judgment body into the static judgment answer and `editedText`, and
 * parses the answer with the static schema (so every rule and message is the same).
 */
export function splitTurnJudgmentBody(input: unknown): { answer: unknown; editedText: unknown } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return { answer: input, editedText: undefined };
  const { editedText, ...answer } = input as Record<string, unknown>;
  return { answer, editedText };
}

export const TurnJudgmentAnswer = SubmitJudgmentInput;

export const LabelParam = z
  .string()
  .regex(/^[A-Da-d]$/, { message: "must be a label A–D" })
  .transform((s) => s.toUpperCase());

export const EndSessionInput = z
  .object({
    /** Optional whole-session rating, 1–5. */
    rating: z.number().int({ message: "must be a whole number" }).min(1).max(5).optional(),
    note: z.string().trim().max(4_000).optional(),
  })
  .strict();
export type EndSessionInput = z.infer<typeof EndSessionInput>;

export const FreezeTurnInput = z
  .object({
    /** The static project the frozen turn becomes an item of (same scale and comparison mode). */
    targetProject: z.string().min(1).max(64),
  })
  .strict();
export type FreezeTurnInput = z.infer<typeof FreezeTurnInput>;
