/**
 * MACE, Multi-Annotator Competence Estimation (Hovy, Berg-Kirkpatrick, Vaswani & Hovy 2013,
 * "Learning Whom to Trust with MACE", NAACL-HLT, 1120–1130).
 *
 * Task i's true class T_i is uniform over the K classes. On each answer annotator j is
 * spamming with probability 1 − θ_j (S_ij = 1); not spamming, the answer is the truth;
 * spamming, it is drawn from the annotator's own strategy ξ_j:
 *
 *   P(A_ij = a | T_i = t) = θ_j [a = t] + (1 − θ_j) ξ_j(a)
 *
 * EM as in the paper: the E-step gives each task's posterior over T and, per answer, the
 * expected knowing count P(S_ij = 0 | data) = P(T_i = a | data) θ_j / (θ_j + (1 − θ_j) ξ_j(a));
 * the M-step normalises expected counts after adding `smoothing` to each (the paper's
 * 0.01 / K by default). `restarts` runs (default 10) of `iterations` EM steps (default 50),
 * each from a random start drawn with the seeded generator, and keeps the run with the
 * highest marginal log-likelihood. θ_j is the annotator's competence; ξ_j shows what a
 * spammer answers (a constant "left" or "tie" clicker concentrates ξ_j on one class).
 */

import { indexLabels, posteriorFromLogs, readPosterior, type LabelObservation } from "./label-model";
import type { LabelModelResult } from "./dawid-skene";
import { createRng } from "./rng";

/** Options of {@link mace}. */
export interface MaceOptions {
  readonly classes: number;
  /** Random restarts (default 10). */
  readonly restarts?: number;
  /** EM iterations per restart (default 50). */
  readonly iterations?: number;
  /** Added to every expected count before normalising (default 0.01 / classes). */
  readonly smoothing?: number;
  /** Seed of the restarts' starting points (default 1). */
  readonly seed?: number;
  /** A run also stops once its log-likelihood moves less than this (default 1e-6). */
  readonly tolerance?: number;
  /** Class that an even split resolves to when choosing labels. */
  readonly tieClass?: number;
}

/** MACE's fit: a label model plus competence and spamming strategy per annotator. */
export interface MaceResult extends LabelModelResult {
  /** Per annotator (same order as `annotators`): θ_j, the probability of answering the truth on purpose. */
  readonly competence: number[];
  /** Per annotator: ξ_j, the distribution of answers when spamming. */
  readonly strategy: number[][];
  /** Restart whose run was kept (0-based). */
  readonly bestRestart: number;
}

/** Fits MACE (see the module notes). */
export function mace(observations: readonly LabelObservation[], options: MaceOptions): MaceResult {
  const K = options.classes;
  const restarts = options.restarts ?? 10;
  const maxIterations = options.iterations ?? 50;
  const smoothing = options.smoothing ?? 0.01 / K;
  const tolerance = options.tolerance ?? 1e-6;
  if (!Number.isInteger(restarts) || restarts < 1) throw new RangeError("restarts must be an integer ≥ 1");
  const data = indexLabels(observations, K);
  const I = data.tasks.length;
  const A = data.annotators.length;
  const N = data.label.length;
  const rng = createRng(options.seed ?? 1);

  const theta = new Float64Array(A);
  const xi = new Float64Array(A * K);
  const T = new Float64Array(I * K);
  const knowing = new Float64Array(A);
  const spamCounts = new Float64Array(A * K);
  const answered = new Float64Array(A);
  for (let r = 0; r < N; r++) answered[data.annotator[r]!]! += 1;
  const table = new Float64Array(A * K * K);
  const logT = new Float64Array(I * K);

  /** E-step: posteriors into T, expected counts; returns the marginal log-likelihood. */
  const eStep = (): number => {
    // log P(answer a | truth t) depends only on (annotator, a, t): tabulate once per step.
    for (let j = 0; j < A; j++)
      for (let a = 0; a < K; a++) {
        const spam = (1 - theta[j]!) * xi[j * K + a]!;
        for (let t = 0; t < K; t++) table[(j * K + a) * K + t] = Math.log(Math.max((t === a ? theta[j]! : 0) + spam, 1e-300));
      }
    const log = logT.fill(-Math.log(K));
    for (let r = 0; r < N; r++) {
      const i = data.task[r]!;
      const base = (data.annotator[r]! * K + data.label[r]!) * K;
      for (let t = 0; t < K; t++) log[i * K + t]! += table[base + t]!;
    }
    const ll = posteriorFromLogs(log, T, K);
    knowing.fill(0);
    spamCounts.fill(0);
    for (let r = 0; r < N; r++) {
      const i = data.task[r]!;
      const j = data.annotator[r]!;
      const a = data.label[r]!;
      const th = theta[j]!;
      const pKnow = (T[i * K + a]! * th) / (th + (1 - th) * xi[j * K + a]!);
      knowing[j]! += pKnow;
      spamCounts[j * K + a]! += 1 - pKnow;
    }
    return ll;
  };
  const mStep = () => {
    for (let j = 0; j < A; j++) {
      theta[j] = (knowing[j]! + smoothing) / (answered[j]! + 2 * smoothing);
      let sum = 0;
      for (let a = 0; a < K; a++) sum += spamCounts[j * K + a]! + smoothing;
      for (let a = 0; a < K; a++) xi[j * K + a] = (spamCounts[j * K + a]! + smoothing) / sum;
    }
  };

  let best: { ll: number; theta: Float64Array; xi: Float64Array; restart: number; iterations: number; converged: boolean } | null = null;
  for (let restart = 0; restart < restarts; restart++) {
    // A random start as in the paper's code: θ and ξ from normalised uniform draws.
    for (let j = 0; j < A; j++) {
      const know = 1 + 0.5 * rng.next();
      const spam = 1 + 0.5 * rng.next();
      theta[j] = know / (know + spam);
      let sum = 0;
      for (let a = 0; a < K; a++) sum += xi[j * K + a] = 1 + 0.5 * rng.next();
      for (let a = 0; a < K; a++) xi[j * K + a]! /= sum;
    }
    let ll = eStep();
    let iterations = 0;
    let converged = false;
    while (iterations < maxIterations) {
      iterations++;
      mStep();
      const next = eStep();
      const moved = Math.abs(next - ll);
      ll = next;
      if (moved < tolerance) {
        converged = true;
        break;
      }
    }
    if (best === null || ll > best.ll + 1e-12) {
      best = { ll, theta: theta.slice(), xi: xi.slice(), restart, iterations, converged };
    }
  }
  theta.set(best!.theta);
  xi.set(best!.xi);
  const ll = N > 0 ? eStep() : 0;

  return {
    ...readPosterior(data, T, options.tieClass),
    iterations: best!.iterations,
    converged: best!.converged,
    logLikelihood: N > 0 ? ll : null,
    competence: Array.from(theta),
    strategy: Array.from({ length: A }, (_, j) => Array.from(xi.subarray(j * K, j * K + K))),
    bestRestart: best!.restart,
  };
}
