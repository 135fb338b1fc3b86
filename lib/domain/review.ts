/**
 * How contested a task is, for the leads' review queue. Pure: the review query computes
 * the same score in SQL (db/queries/review.ts, `CONTEST_SCORE_SQL`) so that it can order
 * and page server-side; an integration test checks both agree row by row.
 *
 * score = 3 · dissent                 share of valid votes outside the most common answer
 *       + 2 · strongOpposite          someone strongly prefers A and someone strongly B
 *       + spread / (2 · scaleMax)     distance between the most A- and most B-leaning strengths
 *       + 1.5 · unsafeMajority        a majority flags some candidate unsafe
 *       + 2 · goldMissShare           share of judgments on a gold task outside `accept`
 *
 * Votes: pairwise A / tie / B by the sign of the strength, ranking by the top-ranked
 * candidate, "both unacceptable" its own answer. Dissent needs two votes (one vote has
 * nobody to disagree with). Weights put a genuine split (dissent 1/2 → 1.5, 2/3 → 2) and
 * an A-versus-B clash first, a flagged reply next; a single unanimous task scores 0.
 */

/** Per-task figures over its valid judgments. */
export type ContestSignals = {
  /** Valid judgments counted as votes. */
  votes: number;
  /** How many votes the most common answer got. */
  topVotes: number;
  /** Some vote ≤ −strong and some ≥ +strong (pairwise). */
  strongOpposite: boolean;
  /** max(strength) − min(strength) over pairwise votes (0 without any). */
  spread: number;
  /** The task's scale (pairwise); spread is normalised by 2 · ⌊scale/2⌋. */
  scalePoints: number;
  /** Some candidate flagged unsafe by more than half of the valid judgments. */
  unsafeMajority: boolean;
  /** Valid judgments of a gold task whose strength lies outside its accepted answers. */
  goldMisses: number;
  /** Valid judgments of a gold task that were graded. */
  goldGraded: number;
};

/** Weights of the contest score (documented above; the SQL uses the same numbers). */
export const CONTEST_WEIGHTS = { dissent: 3, strongOpposite: 2, spread: 1, unsafeMajority: 1.5, goldMiss: 2 } as const;

/** The smallest |strength| that counts as a strong preference: 7- and 5-point 2, else 1. */
export function strongThreshold(scalePoints: number): number {
  return Math.floor(Math.floor(scalePoints / 2) / 2) + 1;
}

/** The contest score of one task (higher = more contested; 0 = nothing to review). */
export function contestScore(s: ContestSignals): number {
  const dissent = s.votes >= 2 ? 1 - s.topVotes / s.votes : 0;
  const max = Math.floor(s.scalePoints / 2);
  const spread = max > 0 ? s.spread / (2 * max) : 0;
  const goldMiss = s.goldGraded > 0 ? s.goldMisses / s.goldGraded : 0;
  const score =
    CONTEST_WEIGHTS.dissent * dissent +
    CONTEST_WEIGHTS.strongOpposite * (s.strongOpposite ? 1 : 0) +
    CONTEST_WEIGHTS.spread * spread +
    CONTEST_WEIGHTS.unsafeMajority * (s.unsafeMajority ? 1 : 0) +
    CONTEST_WEIGHTS.goldMiss * goldMiss;
  // Four decimals: what the SQL rounds to, so ordering and display agree.
  return Math.round(score * 10_000) / 10_000;
}

/** Whether a strength is a legal gold answer set: the answer is on the scale and inside `accept`. */
export function goldAnswerProblems(
  gold: { strength: number; accept: readonly number[] },
  legal: readonly number[],
): { field: "strength" | "accept"; message: string }[] {
  const problems: { field: "strength" | "accept"; message: string }[] = [];
  if (!legal.includes(gold.strength)) problems.push({ field: "strength", message: `must be one of ${legal.join(", ")}` });
  const bad = gold.accept.filter((s) => !legal.includes(s));
  if (bad.length) problems.push({ field: "accept", message: `${bad.join(", ")} not on the scale (${legal.join(", ")})` });
  if (gold.accept.length === 0) problems.push({ field: "accept", message: "choose at least one accepted answer" });
  else if (!gold.accept.includes(gold.strength)) problems.push({ field: "accept", message: "must include the answer itself" });
  return problems;
}
