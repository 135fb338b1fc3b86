/**
 * Active pair sampling for the leaderboard: spend the next votes on the pairs that shrink the
 * ratings' intervals most.
 *
 * Chiang et al. 2024 ("Chatbot Arena", §5, Eq. 9) draw pair a with probability
 * ∝ √(Σ̂_aa / n_a) − √(Σ̂_aa / (n_a + 1)), Σ̂ the covariance of their inverse-weighted estimate
 * of the win matrix, n_a the votes pair a already has: it shrinks the win-rate intervals,
 * and their own figures (§7.1) show the ratings gain little from it (5 % fewer votes for the
 * same score precision against 54 % for the win matrix). What the leaderboard shows is the
 * ratings' interval widths, so this module targets those directly, as an optimal design:
 *
 *   Fisher information of a design d (shares of the votes per pair, Σ d_a = 1) at scores s:
 *     M(d) = Σ_a d_a w_a x_a x_aᵀ,  w_a = p_a(1 − p_a),  p_a = σ(s_i − s_j),  x_a = e_i − e_j
 *   covariance after N votes ≈ C(d)/N with C(d) = M(d)⁺ (the sandwich covariance the
 *   leaderboard reports coincides with it when the Bradley–Terry model holds), and the
 *   criterion is the mean interval width, ∝ Φ(d) = Σ_k √C_kk.
 *   The expected shrinkage of Φ from more weight on pair a is its directional derivative
 *     g_a(d) = w_a Σ_k (C x_a)_k² / (2 √C_kk),
 *   the reduction of trace C from one vote (Sherman–Morrison) weighted per model by the
 *   derivative of √·: a close pair (large w_a) between models whose intervals are wide.
 *
 * The optimal design d* minimises Φ over designs with d_a ≥ floor/|pairs|; by the
 * Kiefer–Wolfowitz equivalence theorem it is where every pair above its floor has the same
 * shrinkage g_a. It is found by the multiplicative algorithm d_a ← d_a (g_a / Σ_b d_b g_b)^½
 * (Silvey, Titterington & Torsney 1978; Yu 2010 proves monotone convergence of this form for
 * A-optimality), on the fitted scores. Sampling then tracks the design: pair a's weight is
 * its deficit max(0, d*_a (N + L) − n_a), the votes it lacks to be on the optimal design L
 * votes from now (L = max(|pairs|, N/10): the horizon over which weights stay unrefreshed),
 * and the probability mixes in the uniform distribution,
 *
 *   P(a) = (1 − floor) · deficit_a / Σ deficit + floor / |pairs|,
 *
 * so every pair keeps being sampled (a pair the fit believes settled can still be corrected,
 * and the sandwich estimate stays defined). Because the deficits count every vote, the floor's
 * votes are made up for and the realised design still approaches d*. Sampling proportional to
 * g_a itself would not: its fixed point gives more votes to pairs with larger g, whereas the
 * optimum equalises g. Without a usable fit (no votes yet, or a model no vote has reached)
 * sampling is uniform over the pairs.
 *
 * How much this can save is bounded by d* against the uniform design, and depends on the
 * spread of the ratings: for 8 evenly spaced models, ~0 % of the votes at 100 rating points,
 * ~4 % at 400, ~10 % at 600, ~24 % at 1,000 (docs/statistics.md, `npm run bench:sampling`).
 */

import { cholesky, choleskyInverse, sigmoid } from "./linear-algebra";
import { fitBtLogistic, type BtVotes } from "./bt-logistic";
import { createRng, type Rng } from "./rng";

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

/** Iterations of the multiplicative design algorithm (converged to < 0.1 % of Φ for 8 models). */
const DESIGN_ITERATIONS = 300;

/** What active sampling knows about the models: a fitted leaderboard, vote counts, the design. */
export interface SamplingModel {
  readonly models: string[];
  /** Sandwich covariance of the centred scores (m×m, row-major), or null without a usable fit. */
  readonly covariance: Float64Array | null;
  /** Votes per unordered pair, `counts[i * m + j]` (symmetric). */
  readonly counts: Float64Array;
  /** Centred log-odds scores, or null. */
  readonly scores: Float64Array | null;
  /** Optimal share of the votes per unordered pair, `design[i * m + j]` (symmetric; Σ_{i<j} = 1), or null. */
  readonly design: Float64Array | null;
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
export function buildSamplingModel(
  votes: Iterable<ModelVote>,
  models?: readonly string[],
  floor: number = ACTIVE_SAMPLING_FLOOR,
): SamplingModel {
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
  return samplingModelFromVotes(names, { models: names.length, a, b, y }, undefined, floor);
}

/** The sampling model of votes already in index form. */
export function samplingModelFromVotes(
  models: string[],
  votes: BtVotes,
  start?: ArrayLike<number>,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): SamplingModel {
  const m = models.length;
  const counts = new Float64Array(m * m);
  for (let v = 0; v < votes.a.length; v++) {
    const w = votes.w ? votes.w[v]! : 1;
    counts[votes.a[v]! * m + votes.b[v]!]! += w;
    counts[votes.b[v]! * m + votes.a[v]!]! += w;
  }
  if (m < 2 || votes.a.length === 0 || !everyModelVoted(counts, m)) {
    return { models, covariance: null, counts, scores: null, design: null };
  }
  const fit = fitBtLogistic(votes, { ridge: SAMPLING_RIDGE }, start);
  const pairs = (m * (m - 1)) / 2;
  return { models, covariance: fit.covariance, counts, scores: fit.scores, design: optimalDesign(fit.scores, floor / pairs) };
}

function everyModelVoted(counts: Float64Array, m: number): boolean {
  for (let i = 0; i < m; i++) {
    let n = 0;
    for (let j = 0; j < m; j++) n += counts[i * m + j]!;
    if (n === 0) return false;
  }
  return true;
}

/** C(d) = M(d)⁺ on centred scores (module notes), through (M + 11ᵀ)⁻¹ − 11ᵀ/m²; null when singular. */
function designCovariance(scores: ArrayLike<number>, share: Float64Array, m: number): Float64Array | null {
  const h = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const p = sigmoid(scores[i]! - scores[j]!);
      const q = share[i * m + j]! * p * (1 - p);
      h[i * m + i]! += q;
      h[j * m + j]! += q;
      h[i * m + j]! -= q;
      h[j * m + i]! -= q;
    }
  for (let k = 0; k < m * m; k++) h[k]! += 1;
  const factor = cholesky(h, m);
  if (factor === null) return null;
  const c = choleskyInverse(factor, m);
  for (let k = 0; k < m * m; k++) c[k]! -= 1 / (m * m);
  return c;
}

/**
 * Expected shrinkage g_a of Φ = Σ_k √C_kk per unit of design weight on every pair (module
 * notes), `out[i * m + j]` for i < j, under the covariance `c`.
 */
function shrinkage(scores: ArrayLike<number>, c: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  const half = new Float64Array(m);
  for (let k = 0; k < m; k++) half[k] = 1 / (2 * Math.sqrt(Math.max(c[k * m + k]!, 1e-300)));
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const p = sigmoid(scores[i]! - scores[j]!);
      let t = 0;
      for (let k = 0; k < m; k++) {
        const v = c[k * m + i]! - c[k * m + j]!;
        t += v * v * half[k]!;
      }
      out[i * m + j] = p * (1 - p) * t;
    }
  return out;
}

/**
 * The design minimising the mean rating interval width at `scores`, every pair's share at
 * least `lower` (module notes): the multiplicative algorithm on the share above the bound.
 */
export function optimalDesign(scores: ArrayLike<number>, lower = 0): Float64Array {
  const m = scores.length;
  const pairs = (m * (m - 1)) / 2;
  if (!(lower >= 0 && lower * pairs <= 1)) throw new RangeError("lower must be in [0, 1/pairs]");
  const free = 1 - lower * pairs;
  let share = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) share[i * m + j] = 1 / pairs;
  for (let it = 0; it < DESIGN_ITERATIONS && free > 0; it++) {
    const c = designCovariance(scores, share, m);
    if (c === null) break;
    const g = shrinkage(scores, c, m);
    const next = new Float64Array(m * m);
    let total = 0;
    for (let i = 0; i < m; i++)
      for (let j = i + 1; j < m; j++) {
        const k = i * m + j;
        next[k] = Math.max(share[k]! - lower, 1e-12) * Math.sqrt(g[k]!);
        total += next[k]!;
      }
    if (!(total > 0)) break;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) next[i * m + j] = lower + (free * next[i * m + j]!) / total;
    share = next;
  }
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) share[j * m + i] = share[i * m + j]!;
  return share;
}

/** Φ(d)/√N-scale mean of √C_kk for a design at `scores` (in log-odds units per vote^½); null when singular. */
export function designMeanSd(scores: ArrayLike<number>, design: Float64Array): number | null {
  const m = scores.length;
  const c = designCovariance(scores, design, m);
  if (c === null) return null;
  let t = 0;
  for (let k = 0; k < m; k++) t += Math.sqrt(Math.max(c[k * m + k]!, 0));
  return t / m;
}

/** The uniform design over all pairs of `m` models (symmetric layout as {@link SamplingModel.design}). */
export function uniformDesign(m: number): Float64Array {
  const d = new Float64Array(m * m).fill(2 / (m * (m - 1)));
  for (let i = 0; i < m; i++) d[i * m + i] = 0;
  return d;
}

/**
 * Active weight of every pair of the sampling model: its deficit against the optimal design
 * (module notes), `weights[i * m + j]` (symmetric); null without a usable fit.
 */
function pairDeficits(model: SamplingModel): Float64Array | null {
  if (model.design === null) return null;
  const m = model.models.length;
  let total = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) total += model.counts[i * m + j]!;
  const horizon = total + Math.max((m * (m - 1)) / 2, total / 10);
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++) {
      const k = i * m + j;
      const lack = Math.max(0, model.design[k]! * horizon - model.counts[k]!);
      out[k] = lack;
      out[j * m + i] = lack;
    }
  return out;
}

/**
 * Sampling probabilities of the pairs of `candidates` (model names, one per candidate;
 * pairs as candidate indices i < j). `policy` "uniform" gives every pair the same chance;
 * "active" weighs them as {@link namedPairProbabilities} does.
 */
export function pairProbabilities(
  candidates: readonly string[],
  model: SamplingModel | null,
  policy: PairSampling,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): { pairs: [number, number][]; probabilities: number[] } {
  const pairs: [number, number][] = [];
  for (let i = 0; i < candidates.length; i++) for (let j = i + 1; j < candidates.length; j++) pairs.push([i, j]);
  const named = pairs.map(([i, j]) => [candidates[i]!, candidates[j]!] as const);
  return { pairs, probabilities: namedPairProbabilities(named, model, policy, floor) };
}

/**
 * Sampling probabilities of pairs of models (names; null = a model nobody named). With
 * "active", a pair's weight is its deficit against the optimal design (module notes), or its
 * design share when none of these pairs lacks votes; a pair involving a model the sampling
 * model does not know takes the largest weight of any pair of the model, and a pair of one model
 * with itself takes only the floor (its vote does not move the leaderboard). Uniform when
 * asked, or without a usable fit.
 */
export function namedPairProbabilities(
  pairs: readonly (readonly [string | null, string | null])[],
  model: SamplingModel | null,
  policy: PairSampling,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): number[] {
  return probabilitiesWith(pairs, model, model && policy === "active" ? pairDeficits(model) : null, policy, floor);
}

/** {@link namedPairProbabilities} with the model's deficits computed once by the caller (they depend on the model only). */
function probabilitiesWith(
  pairs: readonly (readonly [string | null, string | null])[],
  model: SamplingModel | null,
  deficits: Float64Array | null,
  policy: PairSampling,
  floor: number,
): number[] {
  if (!(floor >= 0 && floor <= 1)) throw new RangeError("floor must be in [0, 1]");
  const uniform = pairs.map(() => 1 / pairs.length);
  if (pairs.length === 0 || policy === "uniform" || model === null || model.design === null || deficits === null) return uniform;
  const m = model.models.length;
  const index = new Map(model.models.map((n, i) => [n, i]));
  const same = pairs.map(([x, y]) => x !== null && x === y);
  const known = pairs.map(([x, y], p) => {
    const i = x === null ? undefined : index.get(x);
    const j = y === null ? undefined : index.get(y);
    return same[p] || i === undefined || j === undefined ? null : i * m + j;
  });
  const lack = known.reduce((s: number, k) => s + (k === null ? 0 : deficits[k]!), 0);
  const source = lack > 0 ? deficits : model.design;
  const weights = known.map((k, p) => (same[p] ? 0 : k === null ? null : source[k]!));
  // A model the fit does not know yet is worth as much as the most wanted pair of all
  // (looked for only when such a pair is there).
  let fallback = 0;
  if (weights.includes(null)) for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) fallback = Math.max(fallback, source[i * m + j]!);
  const filled = weights.map((w) => (w === null ? fallback : w));
  const total = filled.reduce((s, w) => s + w, 0);
  if (!(total > 0)) return uniform;
  return filled.map((w) => (1 - floor) * (w / total) + floor / pairs.length);
}

/** Draws an index from probabilities summing to 1, with a uniform [0, 1) source. */
export function drawIndex(probabilities: readonly number[], random: () => number): number {
  let u = random();
  for (let p = 0; p < probabilities.length; p++) {
    u -= probabilities[p]!;
    if (u < 0) return p;
  }
  return probabilities.length - 1;
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
  return pairs[drawIndex(probabilities, () => rng.next())]!;
}

/** A pairwise task for the assignment engine's serving order: its item and its two candidates' models. */
export interface PairTask {
  readonly id: number;
  readonly item: number;
  readonly a: string | null;
  readonly b: string | null;
}

/** Weights are kept in steps of this size, so a refresh rewrites only tasks whose weight really moved. */
const WEIGHT_STEP = 0.05;

/**
 * Active-sampling weights of pair tasks, grouped by item: within an item with p pair tasks,
 * task t weighs p · P(t) with P the active probabilities of the item's pairs
 * ({@link namedPairProbabilities}, floor included), so an item's tasks average 1 (items
 * keep their share of the work) and every task weighs at least the floor. In steps of
 * 0.05, never below one step. Under "uniform" every weight is 1.
 */
export function pairTaskWeights(
  tasks: readonly PairTask[],
  model: SamplingModel | null,
  policy: PairSampling,
  floor: number = ACTIVE_SAMPLING_FLOOR,
): Map<number, number> {
  const byItem = new Map<number, PairTask[]>();
  for (const t of tasks) {
    const list = byItem.get(t.item);
    if (list) list.push(t);
    else byItem.set(t.item, [t]);
  }
  const out = new Map<number, number>();
  const deficits = model && policy === "active" ? pairDeficits(model) : null;
  for (const list of byItem.values()) {
    const probabilities = probabilitiesWith(
      list.map((t) => [t.a, t.b] as const),
      model,
      deficits,
      policy,
      floor,
    );
    list.forEach((t, i) => {
      const w = list.length * probabilities[i]!;
      out.set(t.id, Math.max(WEIGHT_STEP, Math.round(w / WEIGHT_STEP) * WEIGHT_STEP));
    });
  }
  return out;
}

/**
 * A task's serving key for weight `weight`: −ln(1 − u)/w with u uniform, fixed per task id
 * (seeded), so ordering tasks by key is a weighted random permutation (Efraimidis &
 * Spirakis 2006, "Weighted random sampling with a reservoir"): each next task is a given
 * one with probability proportional to its weight among those left.
 */
export function weightedServingKey(taskId: number, weight: number): number {
  if (!(weight > 0)) throw new RangeError("weight must be positive");
  return -Math.log1p(-createRng(taskId).next()) / weight;
}
