/**
 * The preference vocabulary every part of Arbiter shares.
 *
 * Strength is always stored relative to a task's canonical candidate order
 * (candidate 0 = "A", candidate 1 = "B"): negative prefers A, positive prefers B,
 * 0 is a tie. What the annotator saw on the left or right is recorded separately
 * (`displayOrder`) and never changes the stored strength.
 */

/** Preference scales a project may choose. */
export const SCALE_POINTS = [2, 3, 5, 7] as const;
export type ScalePoints = (typeof SCALE_POINTS)[number];

/** Largest |strength| on a scale: 7 → 3, 5 → 2, 3 → 1, 2 → 1. */
export function scaleMax(points: ScalePoints): number {
  return Math.floor(points / 2);
}

/** Whether a scale has a middle "about the same" point (odd scales do; the 2-point scale does not). */
export function scaleHasTie(points: ScalePoints): boolean {
  return points % 2 === 1;
}

/** Every valid strength on a scale, most A-leaning first (7-point: -3..3; 2-point: -1, 1). */
export function scaleValues(points: ScalePoints): number[] {
  const max = scaleMax(points);
  const values: number[] = [];
  for (let s = -max; s <= max; s++) {
    if (s !== 0 || scaleHasTie(points)) values.push(s);
  }
  return values;
}

/** Whether `strength` is a legal answer on the scale (an integer in range; no 0 on the 2-point scale). */
export function isValidStrength(strength: number, points: ScalePoints): boolean {
  return Number.isInteger(strength) && Math.abs(strength) <= scaleMax(points) && (strength !== 0 || scaleHasTie(points));
}

export type Direction = "A" | "tie" | "B";

/** A / tie / B of a canonical strength. */
export function directionOf(strength: number): Direction {
  return strength < 0 ? "A" : strength > 0 ? "B" : "tie";
}

/**
 * The score of the reply shown first in a pairwise answer (canonical order: negative
 * strength = the first is better): 1 when better, 0 when worse, ½ for a tie. Every
 * Bradley–Terry fit and vote count reads answers through this and {@link rankScore}.
 */
export const firstScore = (strength: number): number => (strength < 0 ? 1 : strength > 0 ? 0 : 0.5);

/** Reply x's score against reply y from their ranks (1 = best): the better rank wins, equal ranks tie. */
export const rankScore = (rankX: number, rankY: number): number => (rankX < rankY ? 1 : rankX > rankY ? 0 : 0.5);

/**
 * A K-wise answer: `ranks[i]` is the rank of canonical candidate i, 1 = best.
 * Equal ranks are ties (allowed only where the project allows them).
 */
export type Ranks = readonly number[];

/**
 * `displayOrder[j]` is the canonical index of the candidate shown in slot j
 * (slot 0 = left / first). `[1, 0]` means B was shown on the left.
 */
export type DisplayOrder = readonly number[];

/**
 * Converts a pairwise strength given in display terms (negative = the left reply is
 * better) to canonical terms (negative = candidate A is better).
 */
export function strengthToCanonical(displayStrength: number, displayOrder: DisplayOrder): number {
  return displayOrder[0] === 0 ? displayStrength : -displayStrength;
}

/** The inverse of {@link strengthToCanonical}: canonical strength as the annotator saw it. */
export function strengthToDisplay(canonicalStrength: number, displayOrder: DisplayOrder): number {
  return strengthToCanonical(canonicalStrength, displayOrder);
}

/** Safety categories a candidate can be flagged with. */
export const UNSAFE_CATEGORIES = ["sexual", "sexual_minor", "violence", "self_harm", "hate", "illegal", "privacy", "other"] as const;
export type UnsafeCategory = (typeof UNSAFE_CATEGORIES)[number];

/**
 * Role-play faults a reply can be flagged with, beside "unsafe": it steps out of the
 * character, it speaks or acts for the user (writes the user's lines or actions), or it
 * reveals that it is an AI.
 */
export const ROLEPLAY_FLAGS = ["out_of_character", "speaks_for_user", "reveals_ai"] as const;
export type RoleplayFlag = (typeof ROLEPLAY_FLAGS)[number];
