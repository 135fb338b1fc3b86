/**
 * Confidence intervals and order statistics shared by the statistics modules.
 */

/** The two-sided 95% standard normal quantile, Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;

/** A proportion with its confidence interval. */
export interface ProportionInterval {
  /** Successes (may be fractional, e.g. split credit). */
  readonly successes: number;
  /** Trials. */
  readonly trials: number;
  /** successes / trials. */
  readonly estimate: number;
  /** Lower bound of the interval. */
  readonly low: number;
  /** Upper bound of the interval. */
  readonly high: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998 method 3,
 * no continuity correction). 95% by default. `successes` may be fractional.
 * Returns null when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): ProportionInterval | null {
  if (!(trials > 0)) return null;
  if (successes < 0 || successes > trials) {
    throw new RangeError(`successes (${successes}) must lie in 0..trials (${trials})`);
  }
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    successes,
    trials,
    estimate: p,
    low: Math.max(0, centre - half),
    high: Math.min(1, centre + half),
  };
}

/**
 * The p-quantile of already sorted values (ascending), by linear interpolation between
 * order statistics (Hyndman & Fan type 7, the default of R and NumPy). ±Infinity values
 * are allowed: a bound that falls on or next to an infinite value is infinite.
 * Returns null for an empty input.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must lie in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  const frac = h - lo;
  if (frac === 0 || a === b) return a;
  return a + (b - a) * frac;
}

/** Median of finite values (the mean of the two middle ones for an even count); null when empty. */
export function median(values: ArrayLike<number>): number | null {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return quantileSorted(sorted, 0.5);
}

/**
 * Percentile interval of bootstrap replicates: the (1−level)/2 and (1+level)/2 type-7
 * quantiles. NaN replicates (statistic undefined in that resample) are left out.
 * Returns null when no replicate is defined.
 */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): { low: number; high: number; replicates: number } | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie in (0, 1), got ${level}`);
  const kept: number[] = [];
  for (let i = 0; i < replicates.length; i++) {
    const v = replicates[i]!;
    if (!Number.isNaN(v)) kept.push(v);
  }
  if (kept.length === 0) return null;
  const sorted = Float64Array.from(kept).sort();
  return {
    low: quantileSorted(sorted, (1 - level) / 2)!,
    high: quantileSorted(sorted, (1 + level) / 2)!,
    replicates: sorted.length,
  };
}
