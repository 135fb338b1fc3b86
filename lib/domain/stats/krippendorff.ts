/**
 * Krippendorff's alpha by the coincidence-matrix method of Krippendorff (2011),
 * "Computing Krippendorff's Alpha-Reliability": any number of coders per unit, missing
 * data allowed, units with fewer than two values skipped (they are not pairable).
 *
 *   α = 1 − D_o / D_e,  D_o = (1/n) Σ_c Σ_k o_ck δ²_ck,  D_e = 1/(n(n−1)) Σ_c Σ_k n_c n_k δ²_ck
 *
 * where o_ck = Σ_u (number of c–k pairs of values in unit u) / (m_u − 1), n_c = Σ_k o_ck and
 * n = Σ_c n_c is the number of pairable values.
 */

import { scaleValues, type ScalePoints } from "../preference";
import { categoryLookup, checkCounts, collapseToDirections, countByUnit, sortedDistinct } from "./counts";
import type { CategoryCounts, TaskKey, UnitWeights } from "./types";

/**
 * Level of measurement, i.e. the difference function δ²:
 * - nominal: 0 if equal, else 1;
 * - ordinal: (Σ_{g=c..k} n_g − (n_c + n_k)/2)², with n_g the coincidence marginals over the
 *   ordered categories (Krippendorff 2011);
 * - interval: (c − k)².
 */
export type AlphaLevel = "nominal" | "ordinal" | "interval";

/** Krippendorff's alpha with the quantities behind it. */
export interface AlphaResult {
  readonly level: AlphaLevel;
  /** α; null when undefined (fewer than two pairable values, or no expected disagreement). */
  readonly alpha: number | null;
  /** Units with at least two values (pairable units). */
  readonly units: number;
  /** n: number of pairable values. */
  readonly values: number;
  /** D_o, observed disagreement. */
  readonly observedDisagreement: number;
  /** D_e, disagreement expected by chance. */
  readonly expectedDisagreement: number;
}

/** Options of {@link krippendorffAlpha}. */
export interface AlphaOptions {
  readonly level: AlphaLevel;
  /**
   * The declared categories (e.g. a scale's points, unused ones included). Values outside
   * them throw. Default: the distinct values observed.
   */
  readonly categories?: readonly number[];
}

/** Coincidence matrices larger than this many categories are not built for interval data. */
const MAX_MATRIX_CATEGORIES = 1024;

/**
 * Krippendorff's alpha from per-unit category counts (e.g. a `GROUP BY task, value`
 * aggregate). `weights` multiplies each unit's contribution (bootstrap resamples).
 */
export function krippendorffAlphaFromCounts(data: CategoryCounts, level: AlphaLevel, weights?: UnitWeights): AlphaResult {
  const k = checkCounts(data, weights);
  const categories = data.categories;
  for (let i = 1; i < k; i++) {
    if (!(categories[i]! > categories[i - 1]!)) throw new RangeError("categories must be strictly ascending");
  }
  const o = new Float64Array(k * k);
  const { counts } = data;
  let units = 0;
  for (let u = 0; u < data.units; u++) {
    const w = weights === undefined ? 1 : weights[u]!;
    if (w === 0) continue;
    const base = u * k;
    let m = 0;
    for (let c = 0; c < k; c++) m += counts[base + c]!;
    if (m < 2) continue;
    units += w;
    const f = w / (m - 1);
    for (let c = 0; c < k; c++) {
      const nc = counts[base + c]!;
      if (nc === 0) continue;
      const row = c * k;
      for (let d = 0; d < k; d++) {
        const nd = counts[base + d]!;
        if (nd === 0) continue;
        o[row + d]! += f * nc * (c === d ? nc - 1 : nd);
      }
    }
  }
  return alphaFromCoincidences(o, categories, level, units);
}

/**
 * Krippendorff's alpha of reliability data given unit by unit: each entry lists the
 * values the coders gave that unit (null / undefined / NaN = missing). Units with fewer
 * than two values are skipped.
 */
export function krippendorffAlpha(units: Iterable<ReadonlyArray<number | null | undefined>>, options: AlphaOptions): AlphaResult {
  const { level } = options;
  const pairable: number[][] = [];
  const seen = new Set<number>();
  for (const unit of units) {
    const values: number[] = [];
    for (const v of unit) {
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      if (!Number.isFinite(v)) throw new RangeError(`value ${v} is not finite`);
      values.push(v === 0 ? 0 : v);
    }
    if (values.length < 2) continue;
    pairable.push(values);
    if (options.categories === undefined) for (const v of values) seen.add(v);
  }
  const categories = sortedDistinct(options.categories ?? seen);
  if (options.categories !== undefined) {
    const lookup = categoryLookup(categories);
    for (const values of pairable) {
      for (const v of values) {
        if (lookup(v) < 0) throw new RangeError(`value ${v} is not one of the categories [${categories.join(", ")}]`);
      }
    }
  }
  if (level === "interval" && categories.length > MAX_MATRIX_CATEGORIES) {
    return intervalAlphaByMoments(pairable);
  }
  const k = categories.length;
  const lookup = categoryLookup(categories);
  const o = new Float64Array(k * k);
  const idx: number[] = [];
  for (const values of pairable) {
    idx.length = 0;
    for (const v of values) idx.push(lookup(v));
    const f = 1 / (values.length - 1);
    for (let i = 0; i < idx.length; i++) {
      const row = idx[i]! * k;
      for (let j = 0; j < idx.length; j++) if (i !== j) o[row + idx[j]!]! += f;
    }
  }
  return alphaFromCoincidences(o, categories, level, pairable.length);
}

/**
 * Alpha on the strength scale of pairwise judgments, one unit per task:
 * nominal on direction (A / tie / B), ordinal and interval on strength over the declared
 * scale's points (unused points included).
 */
export function strengthAlpha(
  judgments: Iterable<{ readonly task: TaskKey; readonly strength: number }>,
  scalePoints: ScalePoints,
): { nominal: AlphaResult; ordinal: AlphaResult; interval: AlphaResult } {
  const counts = countByUnit(
    judgments,
    (j) => j.task,
    (j) => j.strength,
    scaleValues(scalePoints),
  );
  return {
    nominal: krippendorffAlphaFromCounts(collapseToDirections(counts), "nominal"),
    ordinal: krippendorffAlphaFromCounts(counts, "ordinal"),
    interval: krippendorffAlphaFromCounts(counts, "interval"),
  };
}

/** One dimension rating: the value an annotator gave one candidate of one task. */
export interface DimensionRating {
  readonly task: TaskKey;
  /** Canonical candidate index within the task. */
  readonly candidate: number;
  /** The rating (null / undefined = not rated). */
  readonly value: number | null | undefined;
}

/**
 * Alpha of one rating dimension: one unit per (task, candidate), ordinal and interval over
 * the declared rating scale (default 1–5, unused points included).
 */
export function dimensionAlpha(
  ratings: Iterable<DimensionRating>,
  categories: readonly number[] = [1, 2, 3, 4, 5],
): { ordinal: AlphaResult; interval: AlphaResult } {
  const counts = countByUnit(
    ratings,
    (r) => `${r.task}\u0000${r.candidate}`,
    (r) => r.value,
    categories,
  );
  return {
    ordinal: krippendorffAlphaFromCounts(counts, "ordinal"),
    interval: krippendorffAlphaFromCounts(counts, "interval"),
  };
}

function alphaFromCoincidences(o: Float64Array, categories: readonly number[], level: AlphaLevel, units: number): AlphaResult {
  const k = categories.length;
  const nc = new Float64Array(k);
  let n = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let d = 0; d < k; d++) s += o[c * k + d]!;
    nc[c] = s;
    n += s;
  }
  // Cumulative marginals for the ordinal metric: cum[c] = n_0 + … + n_{c−1}.
  const cum = new Float64Array(k + 1);
  for (let c = 0; c < k; c++) cum[c + 1] = cum[c]! + nc[c]!;
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = c + 1; d < k; d++) {
      let delta2: number;
      if (level === "nominal") delta2 = 1;
      else if (level === "ordinal") {
        const x = cum[d + 1]! - cum[c]! - (nc[c]! + nc[d]!) / 2;
        delta2 = x * x;
      } else {
        const x = categories[d]! - categories[c]!;
        delta2 = x * x;
      }
      // δ² is symmetric and zero on the diagonal: count both off-diagonal cells.
      observed += (o[c * k + d]! + o[d * k + c]!) * delta2;
      expected += 2 * nc[c]! * nc[d]! * delta2;
    }
  }
  return finish(level, units, n, n > 0 ? observed / n : 0, n > 1 ? expected / (n * (n - 1)) : 0);
}

/** Interval alpha without a coincidence matrix, for data with very many distinct values. */
function intervalAlphaByMoments(pairable: readonly (readonly number[])[]): AlphaResult {
  let n = 0;
  let sum = 0;
  for (const values of pairable) {
    n += values.length;
    for (const v of values) sum += v;
  }
  const mean = n > 0 ? sum / n : 0;
  let observed = 0;
  let total = 0;
  for (const values of pairable) {
    const m = values.length;
    let s = 0;
    for (const v of values) s += v - mean;
    const unitMean = s / m;
    let ss = 0;
    for (const v of values) {
      const d = v - mean;
      total += d * d;
      const e = d - unitMean;
      ss += e * e;
    }
    // Σ_{i≠j} (v_i − v_j)² = 2 m Σ (v_i − v̄_u)², divided by m_u − 1.
    observed += (2 * m * ss) / (m - 1);
  }
  return finish("interval", pairable.length, n, n > 0 ? observed / n : 0, n > 1 ? (2 * n * total) / (n * (n - 1)) : 0);
}

function finish(level: AlphaLevel, units: number, n: number, observed: number, expected: number): AlphaResult {
  return {
    level,
    alpha: n > 1 && expected > 0 ? 1 - observed / expected : null,
    units,
    values: n,
    observedDisagreement: observed,
    expectedDisagreement: expected,
  };
}
