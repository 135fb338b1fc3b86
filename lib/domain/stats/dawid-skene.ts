/**
 * Dawid–Skene: per-annotator confusion matrices and class priors by EM (Dawid & Skene 1979,
 * "Maximum Likelihood Estimation of Observer Error-Rates Using the EM Algorithm", JRSS C 28(1)).
 *
 * Task i has an unknown true class t with prior p_t; annotator k answers o with probability
 * π^(k)_to, independently given t. With n^(k)_io the number of times k answered o on task i:
 *
 *   E-step  T_it ∝ p_t Π_k Π_o (π^(k)_to)^{n^(k)_io}
 *   M-step  π^(k)_to = Σ_i T_it n^(k)_io / Σ_o' Σ_i T_it n^(k)_io',   p_t = (1/I) Σ_i T_it
 *
 * Conventions (Crowd-Kit's `DawidSkene` defaults):
 * - T starts from majority vote: each task's vote shares (the paper's own start);
 * - stop when the mean log-likelihood per observation, (1/N) Σ_i log Σ_t p_t Π π, changes by
 *   less than `tolerance` (1e-5) between iterations, or after `maxIterations` (100);
 * - probabilities are clipped at 1e-10 before taking logs, so a class an annotator never
 *   answered does not zero a task's posterior for good;
 * - gold tasks (optional) have their T fixed to their known class from the start and in every
 *   E-step, and the first error rates of an annotator with gold answers are estimated from
 *   those answers alone (the rest of the start is majority vote), so a majority of
 *   consistently wrong annotators does not set the starting point.
 * EM finds a local maximum; with few annotators per task or adversarial annotators it can
 * converge to a permuted labelling (see docs/statistics.md, "Failure modes").
 */

import {
  indexLabels,
  posteriorFromLogs,
  readPosterior,
  taskMapKey,
  voteShares,
  type AnnotatorFromPosterior,
  type LabelObservation,
} from "./label-model";
import type { TaskKey } from "./types";

/** Options of {@link dawidSkene}. */
export interface DawidSkeneOptions {
  /** Number of classes (labels are 0..classes−1). */
  readonly classes: number;
  /** Iteration cap (default 100). */
  readonly maxIterations?: number;
  /** Stop when the mean log-likelihood per observation moves less than this (default 1e-5). */
  readonly tolerance?: number;
  /** Known true classes of gold tasks, clamped throughout. */
  readonly gold?: ReadonlyMap<TaskKey, number> | null;
  /** Class that an even split resolves to when choosing labels (e.g. the tie class). */
  readonly tieClass?: number;
}

/** A fitted label model: per-task posteriors and labels, per-annotator figures. */
export interface LabelModelResult {
  readonly classes: number;
  /** Tasks in first-seen order. */
  readonly tasks: TaskKey[];
  /** `posterior[i][t]` = P(task i's true class is t | answers). */
  readonly posterior: number[][];
  /** Most probable class per task (see `labelOfRow`). */
  readonly labels: number[];
  /** Per annotator, by name. */
  readonly annotators: AnnotatorFromPosterior[];
  readonly iterations: number;
  readonly converged: boolean;
  /** Observed-data log-likelihood at the end (natural log); null for majority vote. */
  readonly logLikelihood: number | null;
}

/** The Dawid–Skene fit: a label model plus class priors. */
export interface DawidSkeneResult extends LabelModelResult {
  /** Estimated class priors p_t. */
  readonly priors: number[];
}

const EPS = 1e-10;

/** Fits Dawid–Skene (see the module notes). Several answers of one annotator to one task are allowed. */
export function dawidSkene(observations: readonly LabelObservation[], options: DawidSkeneOptions): DawidSkeneResult {
  const K = options.classes;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const data = indexLabels(observations, K);
  const I = data.tasks.length;
  const A = data.annotators.length;
  const N = data.label.length;
  if (N === 0) {
    return {
      classes: K,
      tasks: [],
      posterior: [],
      labels: [],
      annotators: [],
      iterations: 0,
      converged: true,
      logLikelihood: null,
      priors: Array(K).fill(1 / K),
    };
  }

  const clamp = new Int32Array(I).fill(-1);
  if (options.gold) {
    const byKey = new Map<string, number>();
    for (const [task, cls] of options.gold) {
      if (!Number.isInteger(cls) || cls < 0 || cls >= K) throw new RangeError(`gold class ${cls} of task ${String(task)} is out of range`);
      byKey.set(taskMapKey(task), cls);
    }
    data.tasks.forEach((task, i) => {
      const cls = byKey.get(taskMapKey(task));
      if (cls !== undefined) clamp[i] = cls;
    });
  }
  const applyGold = (T: Float64Array) => {
    for (let i = 0; i < I; i++) {
      if (clamp[i]! < 0) continue;
      for (let t = 0; t < K; t++) T[i * K + t] = t === clamp[i] ? 1 : 0;
    }
  };

  let T = voteShares(data);
  applyGold(T);
  const priors = new Float64Array(K);
  const logPi = new Float64Array(A * K * K);
  const mStep = (goldOnly = false) => {
    priors.fill(0);
    for (let i = 0; i < I; i++) for (let t = 0; t < K; t++) priors[t]! += T[i * K + t]! / I;
    const counts = new Float64Array(A * K * K);
    const fromGold = new Uint8Array(A);
    if (goldOnly) for (let r = 0; r < N; r++) if (clamp[data.task[r]!]! >= 0) fromGold[data.annotator[r]!] = 1;
    for (let r = 0; r < N; r++) {
      const i = data.task[r]!;
      // The first error rates of an annotator with gold answers come from those answers alone.
      if (fromGold[data.annotator[r]!] === 1 && clamp[i]! < 0) continue;
      const base = data.annotator[r]! * K * K + data.label[r]!;
      for (let t = 0; t < K; t++) counts[base + t * K]! += T[i * K + t]!;
    }
    for (let j = 0; j < A; j++) {
      for (let t = 0; t < K; t++) {
        const row = (j * K + t) * K;
        let sum = 0;
        for (let o = 0; o < K; o++) sum += Math.max(counts[row + o]!, EPS);
        for (let o = 0; o < K; o++) logPi[row + o] = Math.log(Math.max(counts[row + o]!, EPS) / sum);
      }
    }
  };
  /** E-step into a new T; returns the observed-data log-likelihood. */
  const eStep = (): [Float64Array, number] => {
    const log = new Float64Array(I * K);
    for (let i = 0; i < I; i++) for (let t = 0; t < K; t++) log[i * K + t] = Math.log(Math.max(priors[t]!, EPS));
    for (let r = 0; r < N; r++) {
      const i = data.task[r]!;
      const base = data.annotator[r]! * K * K + data.label[r]!;
      for (let t = 0; t < K; t++) log[i * K + t]! += logPi[base + t * K]!;
    }
    const next = new Float64Array(I * K);
    return [next, posteriorFromLogs(log, next, K)];
  };

  mStep(options.gold !== undefined && options.gold !== null);
  let previous = -Infinity;
  let iterations = 0;
  let converged = false;
  let logLikelihood = -Infinity;
  while (iterations < maxIterations) {
    iterations++;
    const [next, ll] = eStep();
    T = next;
    applyGold(T);
    mStep();
    logLikelihood = ll;
    if (Math.abs(ll / N - previous / N) < tolerance) {
      converged = true;
      break;
    }
    previous = ll;
  }

  return {
    ...readPosterior(data, T, options.tieClass),
    iterations,
    converged,
    logLikelihood,
    priors: Array.from(priors),
  };
}

/**
 * Majority vote as a label model: the posterior is each task's vote shares, the label the
 * most common answer (an even split resolves to `tieClass` when given).
 */
export function majorityVote(
  observations: readonly LabelObservation[],
  options: { readonly classes: number; readonly tieClass?: number },
): LabelModelResult {
  const data = indexLabels(observations, options.classes);
  return {
    ...readPosterior(data, voteShares(data), options.tieClass),
    iterations: 0,
    converged: true,
    logLikelihood: null,
  };
}
