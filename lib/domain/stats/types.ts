/**
 * Input shapes shared by the statistics modules. Every figure works on canonical
 * strength (negative = candidate A better, 0 = tie, positive = B better; see
 * `lib/domain/preference.ts`), never on what was shown left or right.
 */

/** Identifies a task (or any unit of analysis): its id as a string or number. */
export type TaskKey = string | number;

/** One valid pairwise judgment: who judged which task, and the canonical strength given. */
export interface StrengthJudgment {
  readonly task: TaskKey;
  readonly annotator: string;
  /** Canonical strength: negative prefers A, positive prefers B, 0 is a tie. */
  readonly strength: number;
}

/**
 * Per-unit counts of values over a fixed, ordered list of categories, row-major:
 * `counts[u * categories.length + c]` is how many values of unit `u` equal `categories[c]`.
 * This is what a SQL `GROUP BY task, value` aggregate gives, and what the agreement
 * coefficients are computed from.
 */
export interface CategoryCounts {
  /** The category values in ascending order (e.g. a scale's strengths). */
  readonly categories: readonly number[];
  /** Number of units (rows). */
  readonly units: number;
  /** `units × categories.length` counts, row-major. */
  readonly counts: ArrayLike<number>;
}

/**
 * Optional per-unit multiplicities (length = number of units), e.g. how many times a
 * bootstrap resample drew each unit. Absent means every unit counts once.
 */
export type UnitWeights = ArrayLike<number>;
