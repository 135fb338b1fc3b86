/**
 * One line of the raw-judgment JSONL format (the "Raw" export of docs/export-format.md),
 * as the statistics command (`npm run stats`) and the dataset converters read
 * and write it. One JSON object per line, one judgment per object.
 *
 * Required: `task_id`, `annotator`, `scale_points`, and an answer — `strength`
 * (pairwise) or `ranking` (K-wise) — unless `both_unacceptable` is true. Everything else
 * is optional and used when present; unknown fields are kept and ignored.
 *
 * Orientation (see `lib/domain/preference.ts`):
 * - `strength` is canonical: negative prefers candidate A (`candidates[0]`), positive B,
 *   0 = tie; it must be a legal point of `scale_points` (no 0 on the 2-point scale).
 * - `ranking[i]` is the rank of canonical candidate i, 1 = best (the `Ranks` type, the
 *   `judgments.ranks` column): `[2, 1, 3]` means candidate 1 was ranked best, then 0,
 *   then 2. Equal ranks are ties. Ranks are integers 1..K.
 * - `display_order[j]` is the canonical index of the candidate shown in slot j
 *   (slot 0 = left / first); `[1, 0]` = B was shown on the left.
 * - `ratings` are 1–5 per canonical candidate: `{"0": {"fluency": 4}, "1": {...}}`
 *   (the database's shape) or an array in canonical order.
 * - `candidate_lengths` (an extension the converters write; not in the database) gives
 *   each canonical candidate's reply length in characters, for the length-bias figure.
 */
import { z } from "zod";
import { SCALE_POINTS, isValidStrength, scaleValues, type ScalePoints } from "@/lib/domain/preference";
import { fieldIssues, type FieldIssue } from "./import";
import { toMilliseconds } from "@/lib/domain/answer";
import type { TaskKind } from "@/lib/domain/enums";

export type { FieldIssue } from "./import";

/** Judgment states of the raw export; only `valid` judgments count in the statistics. */
export const RAW_JUDGMENT_STATES = ["valid", "rejected", "superseded"] as const;

/** Most candidates a task may have (the database's limit). */
export const RAW_MAX_CANDIDATES = 16;

const typeName = (input: unknown): string => (input === null ? "null" : Array.isArray(input) ? "array" : typeof input);

const mustBe = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? "is required" : `must be ${what} (got ${typeName(iss.input)})`;

const id = z.union(
  [z.string().trim().min(1, "must not be empty"), z.number().int("must be an integer").nonnegative("must not be negative")],
  {
    error: mustBe("a non-empty string or a non-negative integer"),
  },
);

const int = (what = "an integer") => z.number({ error: mustBe(what) }).int({ error: `must be ${what}` });

const rating = z
  .number({ error: mustBe("a rating 1–5") })
  .int({ error: "must be an integer rating 1–5" })
  .min(1, "must be a rating 1–5")
  .max(5, "must be a rating 1–5");

/** A candidate's dimension ratings: dimension key → 1..5. */
const candidateRatings = z.record(z.string(), rating.nullable(), { error: mustBe("an object of ratings") });

const gold = z
  .looseObject(
    {
      strength: int().optional(),
      accept: z.array(int(), { error: mustBe("a list of strengths") }).optional(),
      ranks: z.array(int(), { error: mustBe("a list of ranks") }).optional(),
    },
    { error: mustBe("an object {strength, accept} or {ranks}") },
  )
  .nullable();

/**
 * The zod schema of one raw-judgment line. Cross-field rules (answer present and on the
 * scale, list lengths agree, display order a permutation, ranks in 1..K) are checked
 * after the field types.
 */
export const RawJudgmentLine = z
  .looseObject(
    {
      judgment_id: id.nullish(),
      task_id: id,
      item_id: id.nullish(),
      annotator: z
        .string({ error: mustBe("a string") })
        .trim()
        .min(1, "must not be empty"),
      kind: z.enum(["pairwise", "ranking"], { error: mustBe('"pairwise" or "ranking"') }).nullish(),
      scale_points: z.literal(SCALE_POINTS, {
        error: (iss) =>
          iss.input === undefined ? "is required" : `must be one of ${SCALE_POINTS.join(", ")} (got ${JSON.stringify(iss.input)})`,
      }),
      candidates: z
        .array(id, { error: mustBe("a list of candidate ids") })
        .min(2, "must list at least 2 candidates")
        .max(RAW_MAX_CANDIDATES, `must list at most ${RAW_MAX_CANDIDATES} candidates`)
        .nullish(),
      models: z
        .array(
          z
            .string({ error: mustBe("a model name") })
            .trim()
            .min(1, "must not be empty")
            .nullable(),
          {
            error: mustBe("a list of model names"),
          },
        )
        .nullish(),
      strength: int("an integer strength").nullish(),
      ranking: z.array(int("an integer rank"), { error: mustBe("a list of ranks") }).nullish(),
      both_unacceptable: z.boolean({ error: mustBe("true or false") }).nullish(),
      display_order: z.array(int("a candidate index"), { error: mustBe("a list of candidate indices") }).nullish(),
      ratings: z
        .union([z.record(z.string().regex(/^\d+$/, "must be a candidate index"), candidateRatings), z.array(candidateRatings.nullable())], {
          error: mustBe("an object {candidate index: {dimension: rating}} or a list"),
        })
        .nullish(),
      unsafe: z.unknown().optional(),
      rationale: z.string({ error: mustBe("a string") }).nullish(),
      seconds: z
        .number({ error: mustBe("a number of seconds") })
        .nonnegative("must not be negative")
        .max(86_400, "must be at most 86400 (a day)")
        // Kept to the millisecond, as the annotation API keeps them (a 4-byte float column).
        .transform(toMilliseconds)
        .nullish(),
      gold: gold.optional(),
      state: z.enum(RAW_JUDGMENT_STATES, { error: mustBe(RAW_JUDGMENT_STATES.map((s) => `"${s}"`).join(", ")) }).nullish(),
      created_at: z
        .string({ error: mustBe("an ISO 8601 time") })
        .refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 time")
        .nullish(),
      candidate_lengths: z
        .array(
          z
            .number({ error: mustBe("a length") })
            .int("must be an integer")
            .nonnegative("must not be negative"),
          {
            error: mustBe("a list of non-negative integers"),
          },
        )
        .nullish(),
    },
    { error: mustBe("a JSON object") },
  )
  .superRefine((j, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const points = j.scale_points as ScalePoints;
    const legal = `allowed on the ${points}-point scale: ${scaleValues(points).join(", ")}`;
    const hasStrength = j.strength !== null && j.strength !== undefined;
    const hasRanking = j.ranking !== null && j.ranking !== undefined;

    // The answer.
    if (j.both_unacceptable === true) {
      if (hasStrength) issue(["strength"], "must be empty when both_unacceptable is true");
      if (hasRanking) issue(["ranking"], "must be empty when both_unacceptable is true");
    } else if (hasStrength && hasRanking) {
      issue(["ranking"], "a judgment has a strength (pairwise) or a ranking (K-wise), not both");
    } else if (!hasStrength && !hasRanking) {
      issue([j.kind === "ranking" ? "ranking" : "strength"], "is required (strength for pairwise, ranking for K-wise)");
    }
    if (hasStrength && !isValidStrength(j.strength!, points)) issue(["strength"], `${j.strength} is not on the scale (${legal})`);
    if (j.kind === "pairwise" && hasRanking) issue(["kind"], 'is "pairwise" but the line has a ranking');
    if (j.kind === "ranking" && hasStrength) issue(["kind"], 'is "ranking" but the line has a strength');

    // K: the number of candidates, from whichever list gives it.
    let k: number | null = null;
    let kFrom = "";
    const sized: [string, readonly unknown[] | null | undefined][] = [
      ["candidates", j.candidates],
      ["ranking", j.ranking],
      ["models", j.models],
      ["display_order", j.display_order],
      ["candidate_lengths", j.candidate_lengths],
    ];
    for (const [field, list] of sized) {
      if (list === null || list === undefined) continue;
      if (k === null) {
        k = list.length;
        kFrom = field;
      } else if (list.length !== k) issue([field], `has ${list.length} entries but ${kFrom} has ${k}`);
    }
    const pairwise = hasStrength || j.kind === "pairwise";
    if (pairwise && k !== null && k !== 2) issue([kFrom], `a pairwise judgment has 2 candidates (got ${k})`);
    if (k === null) k = pairwise ? 2 : null;

    if (hasRanking) {
      const ranks = j.ranking!;
      if (ranks.length < 2) issue(["ranking"], "must rank at least 2 candidates");
      else if (ranks.length > RAW_MAX_CANDIDATES) issue(["ranking"], `must rank at most ${RAW_MAX_CANDIDATES} candidates`);
      ranks.forEach((r, i) => {
        if (r < 1 || r > ranks.length) issue(["ranking", i], `must be a rank 1..${ranks.length} (1 = best; got ${r})`);
      });
      if (ranks.length >= 2 && !ranks.includes(1)) issue(["ranking"], "must give rank 1 (best) to at least one candidate");
    }
    if (j.display_order !== null && j.display_order !== undefined) {
      const order = j.display_order;
      const sorted = [...order].sort((a, b) => a - b);
      if (!sorted.every((v, i) => v === i)) {
        issue(["display_order"], `must be a permutation of the candidate indices 0..${order.length - 1}`);
      }
    }
    if (j.gold !== null && j.gold !== undefined) {
      const g = j.gold;
      if (g.strength !== undefined && !isValidStrength(g.strength, points)) {
        issue(["gold", "strength"], `${g.strength} is not on the scale (${legal})`);
      }
      g.accept?.forEach((a, i) => {
        if (!isValidStrength(a, points)) issue(["gold", "accept", i], `${a} is not on the scale (${legal})`);
      });
    }
    if (j.ratings !== null && j.ratings !== undefined && k !== null) {
      const keys = Array.isArray(j.ratings) ? j.ratings.map((_, i) => i) : Object.keys(j.ratings).map(Number);
      for (const c of keys) {
        if (c >= k) issue(["ratings", Array.isArray(j.ratings) ? c : String(c)], `candidate index ${c} is out of range 0..${k - 1}`);
      }
    }
  });

/** A validated raw-judgment line (unknown fields kept). */
export type RawJudgment = z.output<typeof RawJudgmentLine>;
/** What a writer of the format (a converter) may put on a line. */
export type RawJudgmentInput = z.input<typeof RawJudgmentLine>;

/** Validates one decoded JSON value as a raw-judgment line. */
export function validateRawJudgment(value: unknown): { ok: true; value: RawJudgment } | { ok: false; issues: FieldIssue[] } {
  const r = RawJudgmentLine.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: fieldIssues(r.error) };
}

/**
 * Decodes and validates one line of text. Blank lines give `{ok: true, value: null}`
 * (skipped); invalid JSON is one issue on the field `(json)`.
 */
export function parseRawJudgmentLine(text: string): { ok: true; value: RawJudgment | null } | { ok: false; issues: FieldIssue[] } {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (trimmed.trim() === "") return { ok: true, value: null };
  let decoded: unknown;
  try {
    decoded = JSON.parse(trimmed);
  } catch (err) {
    return { ok: false, issues: [{ field: "(json)", message: `invalid JSON: ${(err as Error).message}` }] };
  }
  return validateRawJudgment(decoded);
}

interface TaskShape {
  line: number;
  kind: TaskKind | null;
  scalePoints: number;
  k: number | null;
  models: string | null;
}

/**
 * Checks that the lines of one task agree with each other (scale, kind, number of
 * candidates, models): statistics over a task whose lines disagree would be meaningless.
 * Feed every validated line in file order; each call returns the problems of that line.
 */
export class RawTaskConsistency {
  private readonly tasks = new Map<string, TaskShape>();

  check(line: number, j: RawJudgment): FieldIssue[] {
    const key = String(j.task_id);
    const kind = rawJudgmentKind(j);
    const k = j.ranking?.length ?? j.candidates?.length ?? j.models?.length ?? (kind === "pairwise" ? 2 : null);
    const models = j.models ? JSON.stringify(j.models) : null;
    const seen = this.tasks.get(key);
    if (seen === undefined) {
      this.tasks.set(key, { line, kind, scalePoints: j.scale_points, k, models });
      return [];
    }
    const issues: FieldIssue[] = [];
    const where = `task ${JSON.stringify(key)} on line ${seen.line}`;
    if (seen.scalePoints !== j.scale_points) {
      issues.push({ field: "scale_points", message: `is ${j.scale_points} but ${seen.scalePoints} for ${where}` });
    }
    if (kind !== null && seen.kind !== null && kind !== seen.kind) {
      issues.push({ field: "kind", message: `is ${kind} but ${seen.kind} for ${where}` });
    }
    if (k !== null && seen.k !== null && k !== seen.k) {
      issues.push({ field: "ranking", message: `has ${k} candidates but ${seen.k} for ${where}` });
    }
    if (models !== null && seen.models !== null && models !== seen.models) {
      issues.push({ field: "models", message: `are ${models} but ${seen.models} for ${where}` });
    }
    if (seen.kind === null && kind !== null) seen.kind = kind;
    if (seen.k === null && k !== null) seen.k = k;
    if (seen.models === null && models !== null) seen.models = models;
    return issues;
  }
}

/** The kind of a validated line: its `kind`, else inferred from its answer (null if "both unacceptable" without a kind). */
export function rawJudgmentKind(j: RawJudgment): TaskKind | null {
  if (j.kind) return j.kind;
  if (j.strength !== null && j.strength !== undefined) return "pairwise";
  if (j.ranking !== null && j.ranking !== undefined) return "ranking";
  return null;
}
