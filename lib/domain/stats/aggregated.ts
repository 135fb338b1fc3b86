/**
 * Statistics from aggregated data: the dashboard reads per-unit counts already grouped
 * into patterns (distinct count vectors with how many units share each) from SQL, so a
 * million judgments arrive as a few hundred rows. The count-based coefficients of this
 * library take per-unit weights, so a pattern's multiplicity is its weight and the point
 * estimates equal those over the raw units.
 *
 * The bootstrap resamples units (tasks, items) with replacement, as {@link bootstrapInterval}
 * does, but draws how many times each *pattern* is drawn — a multinomial over the patterns
 * with the multiplicities as probabilities — instead of drawing every unit: the same
 * resampling distribution at a cost per round that grows with the number of patterns,
 * not of units. Seeded; the random stream differs from the per-unit bootstrap, so the
 * bounds agree with `computeStatsReport`'s up to Monte Carlo error, not digit for digit.
 */

import { type BradleyTerryResult, fitBradleyTerry, rankLeaderboard, ratingsFromLogStrengths, type ModelRating } from "./bradley-terry";
import { keepUnits } from "./counts";
import { percentileInterval } from "./intervals";
import { createRng, normal, type Rng } from "./rng";
import type { CategoryCounts } from "./types";
import { firstScore, rankScore } from "@/lib/domain/preference";

/** Per-unit counts grouped into patterns: `weights[p]` units have count vector `p`. */
export interface WeightedCounts extends CategoryCounts {
  readonly weights: Float64Array;
}

/** Builds {@link WeightedCounts} from `{ n, counts }` patterns over the given categories. */
export function weightedCounts(
  categories: readonly number[],
  patterns: readonly { n: number; counts: readonly number[] }[],
): WeightedCounts {
  const k = categories.length;
  const counts = new Float64Array(patterns.length * k);
  const weights = new Float64Array(patterns.length);
  patterns.forEach((p, u) => {
    if (p.counts.length !== k) throw new RangeError(`pattern ${u} has ${p.counts.length} counts, expected ${k}`);
    weights[u] = p.n;
    for (let c = 0; c < k; c++) counts[u * k + c] = p.counts[c]!;
  });
  return { categories, units: patterns.length, counts, weights };
}

/** Sorts count patterns in place by their count vector, then multiplicity (a canonical order). */
export function sortCountPatterns<P extends { n: number; counts: readonly number[] }>(patterns: P[]): P[] {
  return patterns.sort((x, y) => {
    const k = Math.min(x.counts.length, y.counts.length);
    for (let c = 0; c < k; c++) if (x.counts[c] !== y.counts[c]) return x.counts[c]! - y.counts[c]!;
    return x.counts.length - y.counts.length || x.n - y.n;
  });
}

/** Item patterns in a canonical order (by their entries' JSON text, then multiplicity); a new array. */
export function sortItemPatterns<P extends { n: number; entries: unknown }>(patterns: readonly P[]): P[] {
  const keyed = patterns.map((p) => ({ p, key: JSON.stringify(p.entries) }));
  keyed.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.p.n - y.p.n));
  return keyed.map((x) => x.p);
}

/** Σ weights (the number of units behind the patterns). */
export function totalWeight(data: { readonly weights: ArrayLike<number> }): number {
  let s = 0;
  for (let i = 0; i < data.weights.length; i++) s += data.weights[i]!;
  return s;
}

/** Keeps the patterns whose row total satisfies `predicate`. */
export function filterPatterns(data: WeightedCounts, predicate: (total: number) => boolean): WeightedCounts {
  const { rows, kept } = keepUnits(data, predicate);
  return { ...rows, weights: Float64Array.from(kept, (u) => data.weights[u]!) };
}

/** Sums pattern categories by sign into direction counts (−1 / 0 / +1), keeping the weights. */
export function weightedDirections(data: WeightedCounts): WeightedCounts {
  const k = data.categories.length;
  const target = data.categories.map((c) => (c < 0 ? 0 : c > 0 ? 2 : 1));
  const out = new Float64Array(data.units * 3);
  for (let u = 0; u < data.units; u++) {
    for (let c = 0; c < k; c++) out[u * 3 + target[c]!]! += data.counts[u * k + c]!;
  }
  return { categories: [-1, 0, 1], units: data.units, counts: out, weights: data.weights };
}

/** A Gamma(shape, 1) deviate, shape ≥ 1 (Marsaglia & Tsang 2000). */
function gamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A Binomial(n, p) deviate, exactly distributed: Knuth's algorithm B (TAOCP 3.4.1) splits
 * at the median order statistic (a Beta deviate) until n is small, then counts uniforms —
 * O(log n) Beta draws instead of n uniforms.
 */
export function binomialSample(rng: Rng, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must lie in [0, 1], got ${p}`);
  let x = 0;
  let t = n;
  let q = p;
  while (t > 64) {
    if (q <= 0) return x;
    if (q >= 1) return x + t;
    const a = 1 + Math.floor(t / 2);
    const b = t + 1 - a;
    const ga = gamma(rng, a);
    const y = ga / (ga + gamma(rng, b));
    if (y >= q) {
      t = a - 1;
      q = q / y;
    } else {
      x += a;
      t = b - 1;
      q = (q - y) / (1 - y);
    }
  }
  for (let i = 0; i < t; i++) if (rng.next() < q) x++;
  return x;
}

/**
 * Draws `draws` units with replacement from patterns of the given multiplicities and
 * writes how many were drawn from each pattern into `out` (conditional binomials).
 */
export function multinomialSample(rng: Rng, draws: number, multiplicities: ArrayLike<number>, out: Float64Array): void {
  let remainingMass = 0;
  for (let i = 0; i < multiplicities.length; i++) remainingMass += multiplicities[i]!;
  let remaining = draws;
  for (let i = 0; i < multiplicities.length; i++) {
    const w = multiplicities[i]!;
    if (remaining === 0 || w === 0) {
      out[i] = 0;
      continue;
    }
    const k = i === multiplicities.length - 1 || w >= remainingMass ? remaining : binomialSample(rng, remaining, w / remainingMass);
    out[i] = k;
    remaining -= k;
    remainingMass -= w;
  }
}

/** Options of {@link patternBootstrap}. */
export interface PatternBootstrapOptions {
  readonly rounds?: number;
  readonly seed?: number;
  readonly level?: number;
}

/**
 * Percentile bootstrap over the units behind weighted patterns: each round resamples as
 * many units as there are (a multinomial over the patterns) and passes the per-pattern
 * draw counts to `statistic`. Null when there is no unit or the statistic is never defined.
 */
export function patternBootstrap(
  multiplicities: ArrayLike<number>,
  statistic: (weights: Float64Array) => number | null,
  options: PatternBootstrapOptions = {},
): { low: number; high: number; replicates: number } | null {
  const rounds = options.rounds ?? 200;
  const level = options.level ?? 0.95;
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError("rounds must be a positive integer");
  let units = 0;
  for (let i = 0; i < multiplicities.length; i++) units += multiplicities[i]!;
  if (units <= 0) return null;
  const rng = createRng(options.seed ?? 1);
  const w = new Float64Array(multiplicities.length);
  const values = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    multinomialSample(rng, units, multiplicities, w);
    const v = statistic(w);
    values[r] = v === null ? NaN : v;
  }
  return percentileInterval(values, level);
}

/**
 * Credit of one judgment against the leave-one-out majority direction of its task (as
 * `annotatorQuality`): `counts` are the task's direction counts [A, tie, B] including the
 * judgment, `own` its direction (−1 / 0 / 1). Null when the task has no other judgment;
 * otherwise 1 / (directions tied for the majority) if its own is among them, else 0.
 */
export function majorityCredit(counts: readonly [number, number, number], own: -1 | 0 | 1): number | null {
  const o = own + 1;
  const others = counts.map((c, d) => c - (d === o ? 1 : 0));
  const total = others[0]! + others[1]! + others[2]!;
  if (total <= 0) return null;
  const max = Math.max(others[0]!, others[1]!, others[2]!);
  if (others[o] !== max) return 0;
  return 1 / others.filter((c) => c === max).length;
}

/** One item pattern of the leaderboard: how many items, and their comparisons per model pair. */
export interface ItemComparisons {
  readonly n: number;
  /** Per model pair (i < j by model index): i's score (wins + ties/2), j's score, and outcome counts. */
  readonly pairs: readonly { i: number; j: number; scoreI: number; scoreJ: number; winsI: number; winsJ: number; ties: number }[];
}

/**
 * Expands item entries (models, outcome, count) into per-pair scores, as `bradleyTerry`
 * does: a tie is half a win to each; a ranking gives its K(K−1)/2 pairs (equal ranks tie);
 * two candidates of the same model give nothing. Registers models in `modelIndex`.
 */
export function itemComparisons(
  n: number,
  entries: readonly (readonly [readonly string[], number | readonly number[], number])[],
  modelIndex: Map<string, number>,
): ItemComparisons {
  const idOf = (name: string) => {
    let id = modelIndex.get(name);
    if (id === undefined) modelIndex.set(name, (id = modelIndex.size));
    return id;
  };
  const pairs = new Map<string, { i: number; j: number; scoreI: number; scoreJ: number; winsI: number; winsJ: number; ties: number }>();
  const add = (a: number, b: number, scoreA: number, times: number) => {
    if (a === b) return;
    const [i, j, s] = a < b ? [a, b, scoreA] : [b, a, 1 - scoreA];
    const key = `${i},${j}`;
    let p = pairs.get(key);
    if (p === undefined) pairs.set(key, (p = { i, j, scoreI: 0, scoreJ: 0, winsI: 0, winsJ: 0, ties: 0 }));
    p.scoreI += times * s;
    p.scoreJ += times * (1 - s);
    if (s === 1) p.winsI += times;
    else if (s === 0) p.winsJ += times;
    else p.ties += times;
  };
  for (const [models, outcome, count] of entries) {
    const ids = models.map(idOf);
    if (typeof outcome === "number") add(ids[0]!, ids[1]!, firstScore(outcome), count);
    else {
      for (let x = 0; x < ids.length; x++) {
        for (let y = x + 1; y < ids.length; y++) {
          const rx = outcome[x]!;
          const ry = outcome[y]!;
          add(ids[x]!, ids[y]!, rankScore(rx, ry), count);
        }
      }
    }
  }
  return { n, pairs: [...pairs.values()] };
}

/** One leaderboard row (unrounded): the same shape as `bradleyTerry`'s rows. */
export type AggregatedRating = ModelRating;

/**
 * The leaderboard from item patterns (see {@link bradleyTerryFromItems}): `bradleyTerry`'s
 * result without its iteration count and bootstrap settings.
 */
export interface AggregatedLeaderboard extends Omit<BradleyTerryResult, "iterations" | "bootstrap"> {
  /** Resamples in which some rated model never lost / never won or the graph split. */
  readonly degenerateRounds: number;
}

/**
 * Bradley–Terry leaderboard from item patterns, with `bradleyTerry`'s conventions (ML fit
 * by MM, exclusion of models that never lose / never win, rating 1000 + 400·log10 odds
 * with mean 1000, percentile intervals from an item bootstrap in which a model that never
 * loses counts as +∞, rank = 1 + models wholly above) — the bootstrap drawing items per
 * pattern (see the module notes).
 */
export function bradleyTerryFromItems(
  items: readonly ItemComparisons[],
  modelNames: readonly string[],
  options: PatternBootstrapOptions = {},
): AggregatedLeaderboard {
  const rounds = options.rounds ?? 200;
  const level = options.level ?? 0.95;
  const m = modelNames.length;
  const matrix = (weights: ArrayLike<number>, active?: readonly boolean[]) => {
    const w = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    items.forEach((item, u) => {
      const k = weights[u]!;
      if (k === 0) return;
      for (const p of item.pairs) {
        if (active && (!active[p.i] || !active[p.j])) continue;
        w[p.i]![p.j]! += k * p.scoreI;
        w[p.j]![p.i]! += k * p.scoreJ;
      }
    });
    return w;
  };
  const mult = Float64Array.from(items, (i) => i.n);
  const itemCount = totalWeight({ weights: mult });
  const games = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const wins = new Float64Array(m);
  const losses = new Float64Array(m);
  const ties = new Float64Array(m);
  let total = 0;
  for (const item of items) {
    for (const p of item.pairs) {
      const g = item.n * (p.winsI + p.winsJ + p.ties);
      games[p.i]![p.j]! += g;
      games[p.j]![p.i]! += g;
      total += g;
      wins[p.i]! += item.n * p.winsI;
      losses[p.j]! += item.n * p.winsI;
      wins[p.j]! += item.n * p.winsJ;
      losses[p.i]! += item.n * p.winsJ;
      ties[p.i]! += item.n * p.ties;
      ties[p.j]! += item.n * p.ties;
    }
  }
  const w = matrix(mult);
  const fit = fitBradleyTerry(w);
  const active = fit.excluded.map((r) => r === null);
  const rating = ratingsFromLogStrengths(fit.logStrengths);

  const low = new Array<number>(m).fill(NaN);
  const high = new Array<number>(m).fill(NaN);
  let degenerate = 0;
  if (rounds > 0 && itemCount > 0) {
    const rng = createRng(options.seed ?? 1);
    const draw = new Float64Array(items.length);
    const samples = Array.from({ length: m }, () => new Float64Array(rounds));
    for (let r = 0; r < rounds; r++) {
      multinomialSample(rng, itemCount, mult, draw);
      const f = fitBradleyTerry(matrix(draw, active));
      const ratingR = ratingsFromLogStrengths(f.logStrengths);
      let bad = !f.stronglyConnected;
      for (let i = 0; i < m; i++) {
        if (!active[i]) continue;
        const reason = f.excluded[i];
        samples[i]![r] =
          reason === "never-loses" ? Infinity : reason === "never-wins" ? -Infinity : reason === "not-comparable" ? NaN : ratingR[i]!;
        if (reason !== null) bad = true;
      }
      if (bad) degenerate++;
    }
    for (let i = 0; i < m; i++) {
      if (!active[i]) continue;
      const ci = percentileInterval(samples[i]!, level);
      if (ci !== null) {
        low[i] = ci.low;
        high[i] = ci.high;
      }
    }
  }
  const { order, ratings } = rankLeaderboard({ modelNames, active, rating, low, high, excluded: fit.excluded, wins, losses, ties });
  return {
    ratings,
    models: order.map((i) => modelNames[i]!),
    winRate: order.map((i) => order.map((j) => (i === j || games[i]![j]! === 0 ? null : w[i]![j]! / games[i]![j]!))),
    comparisons: order.map((i) => order.map((j) => (i === j ? 0 : games[i]![j]!))),
    totalComparisons: total,
    items: itemCount,
    converged: fit.converged,
    stronglyConnected: fit.stronglyConnected,
    degenerateRounds: degenerate,
  };
}

/** Thresholds of the annotator outlier flags (documented in docs/statistics.md, "Dashboard"). */
export const OUTLIER_RULES = {
  /** Too fast: median seconds below this share of the project's median. */
  fastRatio: 0.5,
  /**
   * Position bias needs the left share at least this far from one half as well as an
   * interval excluding it: with tens of thousands of votes a 51% share is "significant"
   * but not worth a lead's time.
   */
  minPositionEffect: 0.05,
  /** One-sided ties: tie rate above this. */
  maxTieRate: 0.5,
  /** Least judgments (or non-tie votes, or gold judgments) before a flag is raised. */
  minJudgments: 10,
  minGold: 5,
} as const;

/** Why an annotator's work deserves a look. */
export type OutlierFlag = "too-fast" | "position-bias" | "tie-heavy" | "low-gold";

/**
 * Outlier flags of one annotator against the project: too fast (median seconds below
 * half the project median), position bias (the 95% interval of the left share excludes
 * 0.5 and the share is at least 5 points from it), tie-heavy (more than half ties), low gold accuracy (below `goldMinAccuracy`).
 * Each needs enough data ({@link OUTLIER_RULES}).
 */
export function outlierFlags(
  a: {
    judgments: number;
    medianSeconds: number | null;
    leftShare: { value: number; low: number; high: number; n: number } | null;
    tieRate: number | null;
    tieN: number;
    goldAccuracy: { value: number; n: number } | null;
  },
  project: { medianSeconds: number | null; goldMinAccuracy: number },
): OutlierFlag[] {
  const flags: OutlierFlag[] = [];
  const enough = a.judgments >= OUTLIER_RULES.minJudgments;
  if (
    enough &&
    a.medianSeconds !== null &&
    project.medianSeconds !== null &&
    a.medianSeconds < OUTLIER_RULES.fastRatio * project.medianSeconds
  ) {
    flags.push("too-fast");
  }
  const l = a.leftShare;
  if (
    l !== null &&
    l.n >= OUTLIER_RULES.minJudgments &&
    (l.low > 0.5 || l.high < 0.5) &&
    Math.abs(l.value - 0.5) >= OUTLIER_RULES.minPositionEffect
  ) {
    flags.push("position-bias");
  }
  if (a.tieRate !== null && a.tieN >= OUTLIER_RULES.minJudgments && a.tieRate > OUTLIER_RULES.maxTieRate) flags.push("tie-heavy");
  if (a.goldAccuracy !== null && a.goldAccuracy.n >= OUTLIER_RULES.minGold && a.goldAccuracy.value < project.goldMinAccuracy) {
    flags.push("low-gold");
  }
  return flags;
}

/**
 * PostgreSQL's `percentile_cont(fraction)` over values given as a histogram
 * ([value, count] pairs, any order): the same interpolation (`lo + fraction · (hi − lo)`
 * between the values at ranks ⌊f·(n−1)⌋ and ⌈f·(n−1)⌉), so the result is the same double.
 * Null when the counts sum to zero.
 */
export function percentileContFromHistogram(histogram: readonly (readonly [number, number])[], fraction: number): number | null {
  const sorted = histogram.filter(([, n]) => n > 0).sort((x, y) => x[0] - y[0]);
  let total = 0;
  for (const [, n] of sorted) total += n;
  if (total === 0) return null;
  const position = fraction * (total - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  const at = (rank: number) => {
    let seen = 0;
    for (const [value, n] of sorted) {
      seen += n;
      if (rank < seen) return value;
    }
    return sorted[sorted.length - 1]![0];
  };
  const lo = at(first);
  if (second === first) return lo;
  const hi = at(second);
  return lo + (position - first) * (hi - lo);
}
