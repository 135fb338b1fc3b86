/**
 * An annotator's answer: what it must be for a task under a project's rules
 * ({@link validateAnswer}, {@link rationaleRequired}: the server and the task form apply
 * the same functions), and how an answer given in display terms (slots as shown) becomes
 * the canonical one that is stored, and back ({@link answerToCanonical},
 * {@link answerToDisplay}).
 *
 * No I/O, no framework: client components import these rules as they are.
 */
import { DIMENSION_SCALE } from "./dimensions";
import type { TaskKind } from "./enums";
import {
  isValidStrength,
  scaleHasTie,
  scaleMax,
  strengthToCanonical,
  ROLEPLAY_FLAGS,
  UNSAFE_CATEGORIES,
  type DisplayOrder,
  type ScalePoints,
} from "./preference";

/**
 * Seconds measured by a client are kept to the millisecond, by the task form and by every
 * boundary that takes them: they are stored as a 4-byte float, where a value such as 5e-324
 * underflows and would fail the write instead of the check.
 */
export const toMilliseconds = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/**
 * An answer in display terms, as the annotator gave it. Slots are display positions
 * (0 = left / first shown).
 */
export type DisplayAnswer = {
  /** Pairwise: negative = the reply shown first (left) is better, positive = the second, 0 = tie. */
  strength?: number;
  /** K-wise: `ranking[j]` is the rank (1 = best) of the reply shown in slot j; equal ranks are ties. */
  ranking?: number[];
  bothUnacceptable?: boolean;
  /** Display slot → dimension key → 1–5. */
  ratings?: Record<string, Record<string, number>>;
  /** Display slot → safety category. */
  unsafe?: Record<string, string>;
  /** Display slot → role-play flags. */
  roleplayFlags?: Record<string, string[]>;
  rationale?: string;
  seconds?: number;
};

/** The same answer in canonical candidate order, as stored on the judgment. */
export type CanonicalAnswer = {
  strength: number | null;
  /** `ranks[i]` = rank of canonical candidate i. */
  ranks: number[] | null;
  bothUnacceptable: boolean;
  /** Canonical candidate index → dimension key → 1–5. */
  ratings: Record<string, Record<string, number>>;
  /** Canonical candidate index → category. */
  unsafe: Record<string, string>;
  /** Canonical candidate index → role-play flags (in ROLEPLAY_FLAGS order, no repeats). */
  roleplayFlags: Record<string, string[]>;
  rationale: string | null;
  seconds: number | null;
};

/** What validation needs to know about the task being answered. */
export type AnswerTask = { kind: TaskKind; scalePoints: ScalePoints; candidateCount: number };

/** The project settings that constrain an answer. */
export type AnswerRules = {
  dimensions: readonly string[];
  rationale: "off" | "optional" | "required_for_ties" | "required_for_strong" | "required";
  allowRankingTies: boolean;
  allowBothUnacceptable: boolean;
  safetyFlags: boolean;
  /** Whether the project collects role-play flags (unset: yes). */
  roleplayFlags?: boolean;
};

/** One problem with an answer, with the field it concerns (dotted path, display terms). */
export type AnswerIssue = { path: (string | number)[]; message: string };

/**
 * Whether `ranks` is a valid ranking of `k` candidates: every rank an integer in 1..k,
 * and — "standard competition" ranking — a tie at rank r takes up the places after it
 * (1, 1, 3 is valid; 1, 1, 2 is not). Without ties the ranks are a permutation of 1..k.
 */
export function rankingProblem(ranks: readonly number[], k: number, allowTies: boolean): string | null {
  if (ranks.length !== k) return `must rank all ${k} replies (got ${ranks.length})`;
  if (!ranks.every((r) => Number.isInteger(r) && r >= 1 && r <= k)) return `every rank must be a whole number from 1 to ${k}`;
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  const tied = [...counts.values()].some((c) => c > 1);
  if (tied && !allowTies) return "must give every reply a different rank (this project allows no ties)";
  // Standard competition ranking: rank r is held by exactly the replies that have
  // r - 1 replies ranked above them.
  for (const rank of counts.keys()) {
    const better = ranks.filter((r) => r < rank).length;
    if (better !== rank - 1) return `rank ${rank} is not possible with ${better} ${better === 1 ? "reply" : "replies"} ranked above it`;
  }
  return null;
}

/** Whether a pairwise strength is the strongest point of the scale either way. */
function isStrong(strength: number, points: ScalePoints): boolean {
  return Math.abs(strength) === scaleMax(points);
}

/**
 * Checks an answer (display terms) against its task and the project's rules. Returns
 * every problem, each naming its field; an empty list means the answer may be stored.
 */
export function validateAnswer(answer: DisplayAnswer, task: AnswerTask, rules: AnswerRules): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const k = task.candidateCount;
  const both = answer.bothUnacceptable === true;

  if (both) {
    if (!rules.allowBothUnacceptable) issues.push({ path: ["both_unacceptable"], message: "is not allowed in this project" });
    if (answer.strength !== undefined) issues.push({ path: ["strength"], message: "must be left out when both replies are unacceptable" });
    if (answer.ranking !== undefined) issues.push({ path: ["ranking"], message: "must be left out when the replies are all unacceptable" });
  } else if (task.kind === "pairwise") {
    if (answer.ranking !== undefined) issues.push({ path: ["ranking"], message: "is for ranking tasks; this task takes a strength" });
    if (answer.strength === undefined) {
      issues.push({ path: ["strength"], message: "is required (or both_unacceptable)" });
    } else if (!isValidStrength(answer.strength, task.scalePoints)) {
      const max = scaleMax(task.scalePoints);
      issues.push({
        path: ["strength"],
        message: scaleHasTie(task.scalePoints)
          ? `must be a whole number from -${max} to ${max}`
          : `must be -${max} or ${max} (this scale has no tie)`,
      });
    }
  } else {
    if (answer.strength !== undefined) issues.push({ path: ["strength"], message: "is for pairwise tasks; this task takes a ranking" });
    if (answer.ranking === undefined) {
      issues.push({ path: ["ranking"], message: "is required (or both_unacceptable)" });
    } else {
      const problem = rankingProblem(answer.ranking, k, rules.allowRankingTies);
      if (problem) issues.push({ path: ["ranking"], message: problem });
    }
  }

  // Rationale: required by the project's rule for this answer.
  const rationale = answer.rationale?.trim() ?? "";
  if (rules.rationale === "off" && rationale) {
    issues.push({ path: ["rationale"], message: "is not collected in this project" });
  } else if (!rationale && rationaleRequired(answer, task, rules)) {
    issues.push({ path: ["rationale"], message: rationaleRequirementText(rules.rationale) });
  }

  // Ratings: only the project's dimensions, 1–5 integers, for slots that exist.
  const allowed = new Set(rules.dimensions);
  for (const [slot, byDimension] of Object.entries(answer.ratings ?? {})) {
    if (!isSlot(slot, k)) {
      issues.push({ path: ["ratings", slot], message: `is not a reply on screen (slots 0 to ${k - 1})` });
      continue;
    }
    for (const [dimension, value] of Object.entries(byDimension)) {
      if (!allowed.has(dimension)) {
        issues.push({
          path: ["ratings", slot, dimension],
          message: allowed.size ? `is not a dimension of this project (${[...allowed].join(", ")})` : "this project rates no dimensions",
        });
      } else if (!Number.isInteger(value) || value < DIMENSION_SCALE.min || value > DIMENSION_SCALE.max) {
        issues.push({
          path: ["ratings", slot, dimension],
          message: `must be a whole number from ${DIMENSION_SCALE.min} to ${DIMENSION_SCALE.max}`,
        });
      }
    }
  }

  // Safety flags: known categories, existing slots, and only where the project collects them.
  const unsafeEntries = Object.entries(answer.unsafe ?? {});
  if (unsafeEntries.length && !rules.safetyFlags) {
    issues.push({ path: ["unsafe"], message: "safety flags are not collected in this project" });
  } else {
    for (const [slot, category] of unsafeEntries) {
      if (!isSlot(slot, k)) issues.push({ path: ["unsafe", slot], message: `is not a reply on screen (slots 0 to ${k - 1})` });
      else if (!(UNSAFE_CATEGORIES as readonly string[]).includes(category)) {
        issues.push({ path: ["unsafe", slot], message: `must be one of ${UNSAFE_CATEGORIES.join(", ")}` });
      }
    }
  }

  // Role-play flags: known flags, existing slots, no repeats, where the project collects them.
  const flagEntries = Object.entries(answer.roleplayFlags ?? {}).filter(([, flags]) => flags.length > 0);
  if (flagEntries.length && rules.roleplayFlags === false) {
    issues.push({ path: ["roleplay_flags"], message: "role-play flags are not collected in this project" });
  } else {
    for (const [slot, flags] of flagEntries) {
      if (!isSlot(slot, k)) issues.push({ path: ["roleplay_flags", slot], message: `is not a reply on screen (slots 0 to ${k - 1})` });
      else if (flags.some((f) => !(ROLEPLAY_FLAGS as readonly string[]).includes(f))) {
        issues.push({ path: ["roleplay_flags", slot], message: `must list flags from ${ROLEPLAY_FLAGS.join(", ")}` });
      } else if (new Set(flags).size !== flags.length) {
        issues.push({ path: ["roleplay_flags", slot], message: "must not repeat a flag" });
      }
    }
  }

  if (answer.seconds !== undefined && !(answer.seconds >= 0 && answer.seconds <= 86400)) {
    issues.push({ path: ["seconds"], message: "must be between 0 and 86400" });
  }
  return issues;
}

/** Whether the project's rationale rule asks for a rationale on this answer. */
export function rationaleRequired(answer: DisplayAnswer, task: AnswerTask, rules: Pick<AnswerRules, "rationale">): boolean {
  switch (rules.rationale) {
    case "required":
      return true;
    case "required_for_ties":
      if (answer.bothUnacceptable) return true;
      if (task.kind === "pairwise") return answer.strength === 0;
      return answer.ranking !== undefined && new Set(answer.ranking).size < answer.ranking.length;
    case "required_for_strong":
      return (
        task.kind === "pairwise" && !answer.bothUnacceptable && answer.strength !== undefined && isStrong(answer.strength, task.scalePoints)
      );
    default:
      return false;
  }
}

function rationaleRequirementText(rule: AnswerRules["rationale"]): string {
  switch (rule) {
    case "required_for_ties":
      return "is required for a tie or when both replies are unacceptable";
    case "required_for_strong":
      return "is required for the strongest preference";
    default:
      return "is required";
  }
}

function isSlot(key: string, k: number): boolean {
  return /^(0|[1-9]\d?)$/.test(key) && Number(key) < k;
}

/** Whether `order` is a permutation of 0..k-1. */
export function isDisplayOrder(order: readonly number[], k: number): boolean {
  return order.length === k && order.every((v) => Number.isInteger(v) && v >= 0 && v < k) && new Set(order).size === k;
}

/**
 * Converts a (validated) answer in display terms to canonical candidate order:
 * the strength's sign flips when B was shown first, and rankings, ratings and safety
 * flags move from display slots to the candidates' canonical indexes
 * (`displayOrder[slot]`). The rationale is trimmed; an empty one is stored as null.
 */
export function answerToCanonical(answer: DisplayAnswer, displayOrder: DisplayOrder): CanonicalAnswer {
  const k = displayOrder.length;
  if (!isDisplayOrder(displayOrder, k)) throw new RangeError(`not a display order: [${displayOrder.join(", ")}]`);
  const both = answer.bothUnacceptable === true;
  let ranks: number[] | null = null;
  if (!both && answer.ranking) {
    ranks = new Array<number>(k);
    answer.ranking.forEach((rank, slot) => {
      ranks![displayOrder[slot]!] = rank;
    });
  }
  const bySlot = <V>(record: Record<string, V> | undefined): Record<string, V> => {
    const out: Record<string, V> = {};
    for (const [slot, value] of Object.entries(record ?? {})) out[String(displayOrder[Number(slot)])] = value;
    return out;
  };
  const rationale = answer.rationale?.trim();
  return {
    // `|| 0`: a flipped tie is -0, which must not leak into stored or compared values.
    strength: !both && answer.strength !== undefined ? strengthToCanonical(answer.strength, displayOrder) || 0 : null,
    ranks,
    bothUnacceptable: both,
    ratings: bySlot(answer.ratings),
    unsafe: bySlot(answer.unsafe),
    roleplayFlags: bySlot(
      Object.fromEntries(
        Object.entries(answer.roleplayFlags ?? {})
          .filter(([, flags]) => flags.length > 0)
          .map(([slot, flags]) => [slot, ROLEPLAY_FLAGS.filter((f) => flags.includes(f))]),
      ),
    ),
    rationale: rationale ? rationale : null,
    seconds: answer.seconds ?? null,
  };
}

/**
 * The inverse of {@link answerToCanonical}: a stored answer as the annotator saw it, for
 * the history page and the edit form.
 */
export function answerToDisplay(
  answer: Omit<CanonicalAnswer, "seconds"> & { seconds?: number | null },
  displayOrder: DisplayOrder,
): DisplayAnswer {
  const slotOf = new Map(displayOrder.map((canonical, slot) => [canonical, slot]));
  const bySlot = <V>(record: Record<string, V>): Record<string, V> => {
    const out: Record<string, V> = {};
    for (const [index, value] of Object.entries(record)) out[String(slotOf.get(Number(index)))] = value;
    return out;
  };
  const out: DisplayAnswer = { bothUnacceptable: answer.bothUnacceptable };
  if (answer.strength !== null) out.strength = strengthToCanonical(answer.strength, displayOrder) || 0;
  if (answer.ranks) out.ranking = displayOrder.map((canonical) => answer.ranks![canonical]!);
  out.ratings = bySlot(answer.ratings);
  out.unsafe = bySlot(answer.unsafe);
  out.roleplayFlags = bySlot(answer.roleplayFlags ?? {});
  if (answer.rationale) out.rationale = answer.rationale;
  if (answer.seconds !== null && answer.seconds !== undefined) out.seconds = answer.seconds;
  return out;
}
