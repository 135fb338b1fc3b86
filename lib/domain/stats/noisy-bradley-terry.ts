/**
 * Noisy Bradley–Terry over the order actually displayed: model scores beside each
 * annotator's reliability and left/right bias, so that position bias is estimated from the
 * judgments rather than counted. For a judgment by annotator k with model L shown on the
 * left and R on the right:
 *
 *   P(k prefers the left reply) = σ(γ_k (s_L − s_R) + β_k)
 *
 * s are the model scores (log-odds, centred), γ_k ≥ 0 the annotator's reliability (how
 * strongly their votes follow the score gap; 0 = votes unrelated to the models, 1 = the
 * average annotator, since γ is normalised to a judgment-weighted mean of 1), β_k the
 * annotator's left bias in log-odds (P(left) = σ(β_k) between two equal replies). This is the
 * Bradley–Terry model with the annotator-specific discrimination and bias of Chen, Bennett,
 * Collins-Thompson & Horvitz (2013, "Pairwise ranking aggregation in a crowdsourced
 * setting", WSDM) and the position term of Davidson & Beaver's (1977) home-advantage model.
 * A tie is half a vote each way.
 *
 * Fitted by block coordinate ascent on the penalised likelihood: Newton on s given (γ, β),
 * then a 2×2 Newton per annotator on (γ_k, β_k) given s, with a weak Gaussian prior
 * (precision `prior`, default 0.1, around γ = 1, β = 0) so an annotator who never errs keeps
 * finite estimates. Intervals on γ_k and β_k are Wald intervals from the annotator's 2×2
 * observed information given s (they ignore the scores' own uncertainty, so are slightly
 * narrow with few models).
 */

import { indexNames } from "./counts";
import { cholesky, choleskyInverse, choleskySolve, sigmoid } from "./linear-algebra";
import { firstScore, type DisplayOrder } from "../preference";

/** One judgment as displayed: which model was left, which right, and what the annotator chose. */
export interface DisplayedJudgment {
  readonly annotator: string;
  readonly left: string;
  readonly right: string;
  /** 1 = preferred the left reply, 0 = the right one, 0.5 = tie. */
  readonly y: number;
}

/**
 * A canonical pairwise judgment (models in canonical order A, B; canonical strength; the
 * display order `[1, 0]` = B shown on the left) as displayed. Null when the two candidates
 * are of one model.
 */
export function displayedJudgment(
  annotator: string,
  models: readonly [string, string],
  strength: number,
  displayOrder: DisplayOrder,
): DisplayedJudgment | null {
  if (models[0] === models[1]) return null;
  const leftIsA = displayOrder[0] === 0;
  const aWins = firstScore(strength);
  return {
    annotator,
    left: leftIsA ? models[0] : models[1],
    right: leftIsA ? models[1] : models[0],
    y: leftIsA ? aWins : 1 - aWins,
  };
}

/** Options of {@link noisyBradleyTerry}. */
export interface NoisyBtOptions {
  /** Precision of the Gaussian prior on (γ_k − 1, β_k) (default 0.1). */
  readonly prior?: number;
  readonly maxIterations?: number;
  /** Stop when no parameter moves more than this (default 1e-7). */
  readonly tolerance?: number;
  /** Interval level (default 0.95). */
  readonly level?: number;
}

/** An estimate with its Wald interval. */
export interface Estimate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** One annotator's figures. */
export interface NoisyBtAnnotator {
  readonly annotator: string;
  readonly judgments: number;
  /** γ_k, normalised to a judgment-weighted mean of 1. */
  readonly reliability: Estimate;
  /** β_k in log-odds; > 0 favours the left reply. */
  readonly leftBias: Estimate;
  /** σ(β_k): P(choosing the left reply between two equal ones), with the interval mapped through σ. */
  readonly leftProbability: Estimate;
}

/** The fit. */
export interface NoisyBtResult {
  /** Models in first-seen order with their centred log-odds scores and ratings (1000 + 400·log10 odds). */
  readonly models: { model: string; score: number; rating: number }[];
  readonly annotators: NoisyBtAnnotator[];
  readonly iterations: number;
  readonly converged: boolean;
}

const LOG10E_400 = 400 / Math.LN10;

/** z-quantile of a two-sided level (0.95 → 1.959964), by Acklam's rational approximation. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError("p must be in (0, 1)");
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Fits the noisy Bradley–Terry model (see the module notes). */
export function noisyBradleyTerry(judgments: readonly DisplayedJudgment[], options: NoisyBtOptions = {}): NoisyBtResult {
  const prior = options.prior ?? 0.1;
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-7;
  const z = normalQuantile(0.5 + (options.level ?? 0.95) / 2);

  const modelIndex = new Map<string, number>();
  const models: string[] = [];
  const { names, index: annotatorIndex } = indexNames(judgments.map((j) => j.annotator));
  const n = judgments.length;
  const L = new Int32Array(n);
  const R = new Int32Array(n);
  const K = new Int32Array(n);
  const Y = new Float64Array(n);
  judgments.forEach((j, v) => {
    if (j.left === j.right) throw new RangeError("a judgment between two candidates of one model has no score gap");
    for (const name of [j.left, j.right]) {
      if (!modelIndex.has(name)) {
        modelIndex.set(name, models.length);
        models.push(name);
      }
    }
    L[v] = modelIndex.get(j.left)!;
    R[v] = modelIndex.get(j.right)!;
    K[v] = annotatorIndex.get(j.annotator)!;
    Y[v] = j.y;
  });
  const m = models.length;
  const A = names.length;
  const s = new Float64Array(m);
  const gamma = new Float64Array(A).fill(1);
  const beta = new Float64Array(A);
  const count = new Float64Array(A);
  for (let v = 0; v < n; v++) count[K[v]!]! += 1;

  const updateScores = (): void => {
    const h = new Float64Array(m * m);
    const g = new Float64Array(m);
    for (let v = 0; v < n; v++) {
      const k = K[v]!;
      const l = L[v]!;
      const r = R[v]!;
      const p = sigmoid(gamma[k]! * (s[l]! - s[r]!) + beta[k]!);
      const res = gamma[k]! * (Y[v]! - p);
      g[l]! += res;
      g[r]! -= res;
      const q = gamma[k]! * gamma[k]! * p * (1 - p);
      h[l * m + l]! += q;
      h[r * m + r]! += q;
      h[l * m + r]! -= q;
      h[r * m + l]! -= q;
    }
    // A vanishing ridge keeps the scores finite for a model that never loses; + 11ᵀ pins the mean.
    for (let i = 0; i < m; i++) {
      g[i]! -= 1e-6 * s[i]!;
      for (let j = 0; j < m; j++) h[i * m + j]! += (i === j ? 1e-6 : 0) + 1;
    }
    const f = cholesky(h, m);
    if (f === null) return;
    const step = choleskySolve(f, m, g);
    for (let i = 0; i < m; i++) s[i]! += Math.max(-2, Math.min(2, step[i]!));
  };

  /** Per-annotator 2×2 Newton on (γ, β); fills `info` with the information matrices. */
  const info = new Float64Array(A * 4);
  const updateAnnotators = (apply: boolean): void => {
    const g = new Float64Array(A * 2);
    info.fill(0);
    for (let v = 0; v < n; v++) {
      const k = K[v]!;
      const d = s[L[v]!]! - s[R[v]!]!;
      const p = sigmoid(gamma[k]! * d + beta[k]!);
      const res = Y[v]! - p;
      const q = p * (1 - p);
      g[k * 2]! += res * d;
      g[k * 2 + 1]! += res;
      info[k * 4]! += q * d * d;
      info[k * 4 + 1]! += q * d;
      info[k * 4 + 3]! += q;
    }
    for (let k = 0; k < A; k++) {
      g[k * 2]! -= prior * (gamma[k]! - 1);
      g[k * 2 + 1]! -= prior * beta[k]!;
      info[k * 4]! += prior;
      info[k * 4 + 3]! += prior;
      info[k * 4 + 2] = info[k * 4 + 1]!;
      if (!apply) continue;
      const a = info[k * 4]!;
      const b = info[k * 4 + 1]!;
      const c = info[k * 4 + 3]!;
      const det = a * c - b * b;
      if (!(det > 0)) continue;
      const dg = Math.max(-2, Math.min(2, (c * g[k * 2]! - b * g[k * 2 + 1]!) / det));
      const db = Math.max(-2, Math.min(2, (a * g[k * 2 + 1]! - b * g[k * 2]!) / det));
      gamma[k] = Math.max(0, gamma[k]! + dg);
      beta[k]! += db;
    }
  };

  const normalise = () => {
    // γ·s is what the likelihood sees: rescale so the judgment-weighted mean γ is 1.
    let num = 0;
    let den = 0;
    for (let k = 0; k < A; k++) {
      num += gamma[k]! * count[k]!;
      den += count[k]!;
    }
    const c = den > 0 ? num / den : 1;
    if (!(c > 1e-9)) return;
    for (let k = 0; k < A; k++) gamma[k]! /= c;
    for (let i = 0; i < m; i++) s[i]! *= c;
  };

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && n > 0) {
    iterations++;
    // Compare whole rounds: the prior and the normalisation pull the scale a little apart
    // inside a round, so the moves within it never vanish, but the state after it does settle.
    const before = [...s, ...gamma, ...beta];
    updateScores();
    updateAnnotators(true);
    normalise();
    const after = [...s, ...gamma, ...beta];
    const moved = after.reduce((mx, x, i) => Math.max(mx, Math.abs(x - before[i]!)), 0);
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  updateAnnotators(false);

  const annotators: NoisyBtAnnotator[] = names.map((annotator, k) => {
    const inv = cholesky([info[k * 4]!, info[k * 4 + 1]!, info[k * 4 + 2]!, info[k * 4 + 3]!], 2);
    const cov = inv === null ? null : choleskyInverse(inv, 2);
    const seG = cov === null ? Infinity : Math.sqrt(cov[0]!);
    const seB = cov === null ? Infinity : Math.sqrt(cov[3]!);
    const g = gamma[k]!;
    const b = beta[k]!;
    return {
      annotator,
      judgments: count[k]!,
      reliability: { value: g, low: Math.max(0, g - z * seG), high: g + z * seG },
      leftBias: { value: b, low: b - z * seB, high: b + z * seB },
      leftProbability: { value: sigmoid(b), low: sigmoid(b - z * seB), high: sigmoid(b + z * seB) },
    };
  });
  return {
    models: models.map((model, i) => ({ model, score: s[i]!, rating: 1000 + LOG10E_400 * s[i]! })),
    annotators,
    iterations,
    converged,
  };
}
