/**
 * Active pair sampling for the leaderboard (Chiang et al. 2024, "Chatbot Arena", §5, Eq. 9):
 * the next pair a = (i, j) is drawn with probability proportional to the expected shrinkage
 * of its interval when one more vote lands on it,
 *
 *   P(a) ∝ √(Σ_a / n_a) − √(Σ_a / (n_a + 1)) = sd_a · (1 − √(n_a / (n_a + 1))),
 *
 * with Σ_a / n_a = sd_a² the estimated variance of the pair's win rate p_a = σ(ŝ_i − ŝ_j) and n_a
 * the votes the pair already has. As in the paper, the variance is on the win-rate scale (the
 * paper's Eq. 9 is stated for the win matrix): by the delta method from the logistic
 * Bradley–Terry fit's sandwich covariance (`bt-logistic.ts`),
 *
 *   sd_a² = [p_a (1 − p_a)]² · Var̂(ŝ_i − ŝ_j),
 *
 * so a close pair, whose votes carry the most information, is preferred over a lopsided one
 * whose outcome is already clear. A pair never compared directly has n_a = 0 and weight sd_a.
 * A floor mixes in the uniform distribution, P = (1 − floor) · P_active + floor / |pairs|, so
 * every pair keeps being sampled (the estimate of a pair the fit believes settled can still be
 * corrected, and the sandwich estimate stays defined). Without a usable fit (no votes yet, or
 * a model no vote has reached) sampling is uniform over the pairs.
 */

import { contrastVariance, fitBtLogistic, type BtVotes } from "./bt-logistic";
import { sigmoid } from "./linear-algebra";
import type { Rng } from "./rng";

/** The project setting: how the next pair of an item with more than two candidates is chosen. */
export type PairSampling = "uniform" | "active";

/**
 * Ridge of the sampling model's fit: a N(0, 1) prior on the log-odds scores. Early on a model
 * that has never lost would otherwise run off to a huge score whose win rates look certain
 * (p(1 − p) → 0), and the sampler would stop asking about it, which keeps it unbeaten.
 */
export const SAMPLING_RIDGE = 1;

/** Default share of the uniform distribution mixed into active sampling. */
export const ACTIVE_SAMPLING_FLOOR = 0.2;

/** What active sampling knows about the models: a fitted leaderboard and per-pair vote counts. */
export interface SamplingModel {
  readonly models: string[];
  /** Sandwich covariance of the centred scores (m×m, row-major), or null without a usable fit. */
  readonly covariance: Float64Array | null;
  /** Votes per unordered pair, `counts[i * m + j]` (symmetric). */
  readonly counts: Float64Array;
  /** Centred log-odds scores, or null. */
  readonly scores: Float64Array | null;
}

/** One vote between two named models: `y` = 1 when `a` won, 0 when `b` won, ½ for a tie. */
export interface ModelVote {
  readonly a: string;
  readonly b: string;
  readonly y: number;
}

/**
 * Fits the sampling model from votes (models in first-seen order unless `models` is given).
 * A vote between two candidates of one model, or naming a model outside `models`, is ignored.
 */
export function buildSamplingModel(votes: Iterable<ModelVote>, models?: readonly string[]): SamplingModel {
  const names: string[] = models ? [...models] : [];
  const index = new Map(names.map((n, i) => [n, i]));
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  for (const v of votes) {
    if (v.a === v.b) continue;
    for (const name of [v.a, v.b]) {
      if (!index.has(name) && !models) {
        index.set(name, names.length);
        names.push(name);
      }
    }
    const i = index.get(v.a);
    const j = index.get(v.b);
    if (i === undefined || j === undefined) continue;
    a.push(i);
    b.push(j);
    y.push(v.y);
  }
  return samplingModelFromVotes(names, { models: names.length, a, b, y });
}

/** The sampling model of votes already in index form. */
export function samplingModelFromVotes(models: string[], votes: BtVotes, start?: ArrayLike<number>): SamplingModel {
  const m = models.length;
  const counts = new Float64Array(m * m);
  for (let v = 0; v < votes.a.length; v++) {
    const w = votes.w ? votes.w[v]! : 1;
    counts[votes.a[v]! * m + votes.b[v]!]! += w;
    counts[votes.b[v]! * m + votes.a[v]!]! += w;
  }
  if (m < 2 || votes.a.length === 0 || !everyModelVoted(counts, m)) return { models, covariance: null, counts, scores: null };
  const fit = fitBtLogistic(votes, { ridge: SAMPLING_RIDGE }, start);
  return { models, covariance: fit.covariance, counts, scores: fit.scores };
}

function everyModelVoted(counts: Float64Array, m: number): boolean {
  for (let i = 0; i < m; i++) {
    let n = 0;
    for (let j = 0; j < m; j++) n += counts[i * m + j]!;
    if (n === 0) return false;
  }
  return true;
}

/**
 * Sampling probabilities of the pairs of `candidates` (model names, one per candidate;
 * pairs as candidate indices i < j). `policy` "uniform" gives every pair the same chance.
 * With "active", a pair's weight is its expected shrinkage (module notes); a pair involving
 * a model the sampling model does not know takes the largest weight of the known pairs, and
 * two candidates of one model take only the floor (their vote does not move the leaderboard).
 */
export function pairProbabilities(
  candidates: readonly string[],
  model: SamplingModel | null,
  policy: PairSampling,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): { pairs: [number, number][]; probabilities: number[] } {
  if (!(floor >= 0 && floor <= 1)) throw new RangeError("floor must be in [0, 1]");
  const pairs: [number, number][] = [];
  for (let i = 0; i < candidates.length; i++) for (let j = i + 1; j < candidates.length; j++) pairs.push([i, j]);
  const uniform = pairs.map(() => 1 / pairs.length);
  if (pairs.length === 0) return { pairs, probabilities: [] };
  if (policy === "uniform" || model === null || model.covariance === null) return { pairs, probabilities: uniform };
  const m = model.models.length;
  const index = new Map(model.models.map((n, i) => [n, i]));
  const weights: (number | null)[] = pairs.map(([x, y]) => {
    const i = index.get(candidates[x]!);
    const j = index.get(candidates[y]!);
    if (candidates[x] === candidates[y]) return 0;
    if (i === undefined || j === undefined) return null;
    return expectedShrinkage(model, m, i, j);
  });
  const known = weights.filter((w): w is number => w !== null);
  const fallback = known.length > 0 ? Math.max(...known) : 1;
  const filled = weights.map((w) => (w === null ? fallback : w));
  const total = filled.reduce((s, w) => s + w, 0);
  if (!(total > 0)) return { pairs, probabilities: uniform };
  return { pairs, probabilities: filled.map((w) => (1 - floor) * (w / total) + floor / pairs.length) };
}

/** sd_a · (1 − √(n_a / (n_a + 1))) for models i and j of the sampling model (module notes). */
export function expectedShrinkage(model: SamplingModel, m: number, i: number, j: number): number {
  const p = sigmoid(model.scores![i]! - model.scores![j]!);
  const sd = p * (1 - p) * Math.sqrt(Math.max(contrastVariance(model.covariance!, m, i, j), 0));
  const n = model.counts[i * m + j]!;
  return sd * (1 - Math.sqrt(n / (n + 1)));
}

/**
 * Draws the next pair of candidates to show (indices into `candidates`, i < j): the one
 * call the assignment engine and live sessions make. Deterministic for a seeded `rng`.
 */
export function choosePair(
  candidates: readonly string[],
  model: SamplingModel | null,
  policy: PairSampling,
  rng: Rng,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): [number, number] {
  if (candidates.length < 2) throw new RangeError("a pair needs at least two candidates");
  const { pairs, probabilities } = pairProbabilities(candidates, model, policy, floor);
  let u = rng.next();
  for (let p = 0; p < pairs.length; p++) {
    u -= probabilities[p]!;
    if (u < 0) return pairs[p]!;
  }
  return pairs[pairs.length - 1]!;
}
