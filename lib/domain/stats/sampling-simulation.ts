/**
 * The simulation behind `npm run bench:sampling`: annotators vote by a hidden Bradley–Terry
 * truth, pairs are chosen uniformly or actively (`active-sampling.ts`), and after every
 * `checkpoint` votes the leaderboard is refitted (`bt-logistic.ts`) and scored against the
 * truth: mean 95% interval width of the ratings (sandwich covariance, in rating points,
 * 400/ln 10 per log-odds unit) and rank errors (pairs of models in the wrong order).
 * Pure and seeded: the same arguments give the same figures.
 */

import { contrastVariance, fitBtLogistic } from "./bt-logistic";
import { choosePair, samplingModelFromVotes, type PairSampling, type SamplingModel } from "./active-sampling";
import { normalQuantile } from "./noisy-bradley-terry";
import { sigmoid } from "./linear-algebra";
import { createRng } from "./rng";

/** Options of {@link simulateSampling}. */
export interface SamplingSimulationOptions {
  /** Hidden truth: ratings (1000 + 400·log10 odds scale), one per model. */
  readonly ratings: readonly number[];
  readonly votes: number;
  /** Figures are taken every this many votes. */
  readonly checkpoint: number;
  /** Active sampling refits its model every this many votes (default 50). */
  readonly refitEvery?: number;
  readonly policy: PairSampling;
  readonly seed: number;
  /** Share of votes that are ties (default 0). */
  readonly tieRate?: number;
  /** Floor of active sampling (default the library's). */
  readonly floor?: number;
}

/** Figures at one checkpoint. */
export interface SamplingCheckpoint {
  readonly votes: number;
  /** Mean width of the models' 95% rating intervals, in rating points. */
  readonly meanWidth: number;
  /** Pairs of models the fitted ratings order differently from the truth. */
  readonly rankErrors: number;
  /** Mean width of the pairs' 95% win-rate intervals (delta method), the quantity Eq. 9 shrinks. */
  readonly meanWinRateWidth: number;
}

const POINTS = 400 / Math.LN10;

/** Runs one simulation (see the module notes). */
export function simulateSampling(options: SamplingSimulationOptions): SamplingCheckpoint[] {
  const m = options.ratings.length;
  const truth = options.ratings.map((r) => r / POINTS);
  const names = options.ratings.map((_, i) => `m${i}`);
  const rng = createRng(options.seed);
  const refitEvery = options.refitEvery ?? 50;
  const tieRate = options.tieRate ?? 0;
  const z = normalQuantile(0.975);
  const a = new Int32Array(options.votes);
  const b = new Int32Array(options.votes);
  const y = new Float64Array(options.votes);
  let model: SamplingModel | null = null;
  const out: SamplingCheckpoint[] = [];
  let warm: Float64Array | undefined;
  for (let v = 0; v < options.votes; v++) {
    if (options.policy === "active" && v > 0 && v % refitEvery === 0) {
      model = samplingModelFromVotes(
        names,
        { models: m, a: a.subarray(0, v), b: b.subarray(0, v), y: y.subarray(0, v) },
        warm,
        options.floor,
      );
      if (model.scores) warm = model.scores;
    }
    const [i, j] = choosePair(names, model, options.policy, rng, options.floor);
    a[v] = i;
    b[v] = j;
    const u = rng.next();
    y[v] = u < tieRate ? 0.5 : rng.next() < sigmoid(truth[i]! - truth[j]!) ? 1 : 0;
    if ((v + 1) % options.checkpoint === 0) {
      const n = v + 1;
      const fit = fitBtLogistic({ models: m, a: a.subarray(0, n), b: b.subarray(0, n), y: y.subarray(0, n) }, {}, warm);
      let width = 0;
      for (let k = 0; k < m; k++) width += 2 * z * Math.sqrt(Math.max(fit.covariance![k * m + k]!, 0)) * POINTS;
      let errors = 0;
      for (let p = 0; p < m; p++)
        for (let q = p + 1; q < m; q++) {
          if (Math.sign(fit.scores[p]! - fit.scores[q]!) !== Math.sign(truth[p]! - truth[q]!)) errors++;
        }
      let winWidth = 0;
      for (let p = 0; p < m; p++)
        for (let q = p + 1; q < m; q++) {
          const w = sigmoid(fit.scores[p]! - fit.scores[q]!);
          winWidth += 2 * z * w * (1 - w) * Math.sqrt(Math.max(contrastVariance(fit.covariance!, m, p, q), 0));
        }
      out.push({ votes: n, meanWidth: width / m, rankErrors: errors, meanWinRateWidth: winWidth / ((m * (m - 1)) / 2) });
    }
  }
  return out;
}

/**
 * Votes a run needs to bring its mean width down to `target`, interpolating linearly
 * between checkpoints; null when it never gets there.
 */
export function votesToReach(
  run: readonly SamplingCheckpoint[],
  target: number,
  figure: "meanWidth" | "meanWinRateWidth" = "meanWidth",
): number | null {
  for (let k = 0; k < run.length; k++) {
    if (run[k]![figure] <= target) {
      if (k === 0) return run[0]!.votes;
      const p = run[k - 1]!;
      const q = run[k]!;
      return p.votes + ((p[figure] - target) / (p[figure] - q[figure])) * (q.votes - p.votes);
    }
  }
  return null;
}
