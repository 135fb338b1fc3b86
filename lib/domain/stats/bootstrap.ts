/**
 * Generic percentile bootstrap over units (tasks or items): each round draws as many units
 * as there are, with replacement, from a seeded generator, and passes the per-unit draw
 * counts to the statistic. The count-based statistics of this library accept such weights
 * (`percentAgreementFromCounts`, `krippendorffAlphaFromCounts`, `fleissKappaFromCounts`).
 */

import { percentileInterval } from "./intervals";
import { createRng } from "./rng";

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Resamples (default 200). */
  readonly rounds?: number;
  /** Generator seed (default 1). */
  readonly seed?: number;
  /** Interval level (default 0.95). */
  readonly level?: number;
}

/** A bootstrap percentile interval. */
export interface BootstrapInterval {
  readonly low: number;
  readonly high: number;
  /** Resamples in which the statistic was defined (the others are left out). */
  readonly replicates: number;
  readonly rounds: number;
  readonly seed: number;
  readonly level: number;
}

/**
 * Percentile bootstrap interval of `statistic` over `units` units. The statistic receives
 * the per-unit multiplicities of the resample (an Int32Array reused between rounds) and
 * returns the figure, or null when it is undefined for that resample.
 * Returns null when there is no unit or the statistic is never defined.
 */
export function bootstrapInterval(
  units: number,
  statistic: (weights: Int32Array) => number | null,
  options: BootstrapOptions = {},
): BootstrapInterval | null {
  const rounds = options.rounds ?? 200;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError("rounds must be a positive integer");
  if (units <= 0) return null;
  const rng = createRng(seed);
  const weights = new Int32Array(units);
  const values = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    weights.fill(0);
    for (let t = 0; t < units; t++) weights[rng.int(units)]! += 1;
    const v = statistic(weights);
    values[r] = v === null ? NaN : v;
  }
  const ci = percentileInterval(values, level);
  return ci === null ? null : { ...ci, rounds, seed, level };
}
