/**
 * Bradley–Terry as a logistic regression (the form Chatbot Arena fits: Chiang et al. 2024,
 * "Chatbot Arena: An Open Platform for Evaluating LLMs by Human Preference", §4), with the
 * sandwich (robust) covariance the paper uses for its intervals and its active sampling:
 *
 *   P(a beats b) = σ(s_a − s_b),  ℓ(s) = Σ_v w_v [y_v log σ(z_v) + (1 − y_v) log σ(−z_v)] − (λ/2)‖s‖²
 *   H = Σ_v w_v p_v(1 − p_v) x_v x_vᵀ + λI,  V = Σ_v w_v (y_v − p_v)² x_v x_vᵀ,  Cov(ŝ) = H⁻ V H⁻
 *
 * with x_v = e_a − e_b, y_v = 1 (a won), 0 (b won) or ½ (tie), scores centred (Σ s = 0) and
 * H⁻ = (H + 11ᵀ)⁻¹, a generalised inverse that is exact on centred contrasts. Fitted by
 * Newton's method. `ridge` λ (default 1e-3, a fraction of one vote's information) keeps the
 * scores finite when a model has never lost, which matters early in a sampling run; the
 * leaderboard itself (`bradley-terry.ts`) excludes such models instead.
 */

import { cholesky, choleskyInverse, choleskySolve, multiply, sigmoid } from "./linear-algebra";

/** Votes between models 0..m−1, as parallel arrays. */
export interface BtVotes {
  readonly models: number;
  /** First model of each vote. */
  readonly a: ArrayLike<number>;
  /** Second model of each vote. */
  readonly b: ArrayLike<number>;
  /** 1 = a won, 0 = b won, 0.5 = tie. */
  readonly y: ArrayLike<number>;
  /** Multiplicity of each vote (default 1; 0 drops it). */
  readonly w?: ArrayLike<number>;
}

/** Options of {@link fitBtLogistic}. */
export interface BtLogisticOptions {
  readonly ridge?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Compute the sandwich covariance (default true). */
  readonly covariance?: boolean;
}

/** The fit: centred scores (natural-log odds scale), their sandwich covariance and the Hessian inverse. */
export interface BtLogisticFit {
  readonly scores: Float64Array;
  /** m×m sandwich covariance of the centred scores, row-major (null when not asked for or singular). */
  readonly covariance: Float64Array | null;
  /** (H + 11ᵀ)⁻¹, row-major: the influence of one vote is this times its score. Null when singular. */
  readonly hessianInverse: Float64Array | null;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Fits the logistic Bradley–Terry model (see the module notes). */
export function fitBtLogistic(votes: BtVotes, options: BtLogisticOptions = {}, start?: ArrayLike<number>): BtLogisticFit {
  const m = votes.models;
  const ridge = options.ridge ?? 1e-3;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const n = votes.a.length;
  const s = new Float64Array(m);
  if (start) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += start[i]! / m;
    for (let i = 0; i < m; i++) s[i] = start[i]! - mean;
  }
  const h = new Float64Array(m * m);
  const g = new Float64Array(m);
  let iterations = 0;
  let converged = false;
  let factor: Float64Array | null = null;
  const assemble = () => {
    h.fill(0);
    g.fill(0);
    for (let v = 0; v < n; v++) {
      const w = votes.w ? votes.w[v]! : 1;
      if (w === 0) continue;
      const a = votes.a[v]!;
      const b = votes.b[v]!;
      const p = sigmoid(s[a]! - s[b]!);
      const r = w * (votes.y[v]! - p);
      g[a]! += r;
      g[b]! -= r;
      const q = w * p * (1 - p);
      h[a * m + a]! += q;
      h[b * m + b]! += q;
      h[a * m + b]! -= q;
      h[b * m + a]! -= q;
    }
    for (let i = 0; i < m; i++) {
      g[i]! -= ridge * s[i]!;
      for (let j = 0; j < m; j++) h[i * m + j]! += (i === j ? ridge : 0) + 1;
    }
  };
  while (iterations < maxIterations) {
    iterations++;
    assemble();
    factor = cholesky(h, m);
    if (factor === null) break;
    const step = choleskySolve(factor, m, g);
    let moved = 0;
    for (let i = 0; i < m; i++) {
      // Damped: a logistic Newton step longer than 5 log-odds overshoots from a poor start.
      const d = Math.max(-5, Math.min(5, step[i]!));
      s[i]! += d;
      moved = Math.max(moved, Math.abs(d));
    }
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  assemble();
  factor = cholesky(h, m);
  const hessianInverse = factor === null ? null : choleskyInverse(factor, m);
  let covariance: Float64Array | null = null;
  if (hessianInverse !== null && options.covariance !== false) {
    const meat = new Float64Array(m * m);
    for (let v = 0; v < n; v++) {
      const w = votes.w ? votes.w[v]! : 1;
      if (w === 0) continue;
      const a = votes.a[v]!;
      const b = votes.b[v]!;
      const e = votes.y[v]! - sigmoid(s[a]! - s[b]!);
      const q = w * e * e;
      meat[a * m + a]! += q;
      meat[b * m + b]! += q;
      meat[a * m + b]! -= q;
      meat[b * m + a]! -= q;
    }
    covariance = sandwich(hessianInverse, meat, m);
  }
  return { scores: s, covariance, hessianInverse, iterations, converged };
}

/** G M G for symmetric G and M (m×m, row-major). */
function sandwich(gInv: Float64Array, meat: Float64Array, m: number): Float64Array {
  return multiply(multiply(gInv, meat, m), gInv, m);
}

/** Variance of s_i − s_j under a covariance matrix (m×m, row-major). */
export function contrastVariance(cov: ArrayLike<number>, m: number, i: number, j: number): number {
  return cov[i * m + i]! + cov[j * m + j]! - 2 * cov[i * m + j]!;
}
