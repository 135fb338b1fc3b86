/**
 * Kappa-type agreement coefficients: Fleiss' kappa for many raters (Fleiss 1971), Scott's
 * pi, Cohen's kappa for two raters (Cohen 1960) and its weighted form (Cohen 1968) with
 * linear or quadratic weights, and Cohen's kappa for every pair of annotators.
 */

import { scaleValues, type ScalePoints } from "../preference";
import { categoryLookup, checkCounts, countDirectionsByTask, directionCode, sortedDistinct } from "./counts";
import type { CategoryCounts, StrengthJudgment, UnitWeights } from "./types";

/** Fleiss' kappa with the quantities behind it. */
export interface FleissResult {
  /** κ = (P̄ − P̄e) / (1 − P̄e); null when undefined (no subject, or P̄e = 1). */
  readonly kappa: number | null;
  /** Subjects (rows) used. */
  readonly subjects: number;
  /** Ratings per subject. */
  readonly raters: number;
  /** P̄: mean agreement per subject. */
  readonly observedAgreement: number;
  /** P̄e = Σ_j p_j²: agreement expected from the pooled category shares. */
  readonly expectedAgreement: number;
}

/**
 * Fleiss' kappa from a subjects × categories table of counts where every row sums to the
 * same number of raters (≥ 2). Throws when the row totals differ.
 */
export function fleissKappa(table: ReadonlyArray<ReadonlyArray<number>>): FleissResult {
  const k = table[0]?.length ?? 0;
  const counts = new Float64Array(table.length * k);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError("every row must have the same number of categories");
    counts.set(row, i * k);
  });
  return fleissKappaFromCounts({ categories: range(k), units: table.length, counts });
}

/**
 * Fleiss' kappa from per-unit counts; every unit must have the same total (≥ 2).
 * `weights` multiplies each unit (bootstrap resamples).
 */
export function fleissKappaFromCounts(data: CategoryCounts, weights?: UnitWeights): FleissResult {
  const k = checkCounts(data, weights);
  const { counts } = data;
  const totals = new Float64Array(k);
  let raters = -1;
  let subjects = 0;
  let sumP = 0;
  for (let u = 0; u < data.units; u++) {
    const w = weights === undefined ? 1 : weights[u]!;
    let m = 0;
    let sq = 0;
    for (let c = 0; c < k; c++) {
      const n = counts[u * k + c]!;
      m += n;
      sq += n * n;
    }
    if (raters < 0) raters = m;
    else if (m !== raters) throw new RangeError(`unit ${u} has ${m} ratings, expected ${raters} like the first unit`);
    if (w === 0) continue;
    for (let c = 0; c < k; c++) totals[c]! += w * counts[u * k + c]!;
    subjects += w;
    sumP += (w * (sq - m)) / (m * (m - 1));
  }
  if (raters >= 0 && raters < 2) throw new RangeError("Fleiss' kappa needs at least two ratings per unit");
  if (subjects === 0) {
    return { kappa: null, subjects: 0, raters: Math.max(raters, 0), observedAgreement: 0, expectedAgreement: 0 };
  }
  const all = subjects * raters;
  let pe = 0;
  for (let c = 0; c < k; c++) {
    const p = totals[c]! / all;
    pe += p * p;
  }
  const pbar = sumP / subjects;
  return {
    kappa: pe < 1 ? (pbar - pe) / (1 - pe) : null,
    subjects,
    raters,
    observedAgreement: pbar,
    expectedAgreement: pe,
  };
}

/**
 * The judgment count Fleiss' kappa is taken over: the one most tasks share (`freq`: count →
 * how many tasks, possibly weighted), the larger count on a tie; `tasks` 0 when there is none.
 */
export function mostCommonJudgmentCount(freq: ReadonlyMap<number, number>): { size: number; tasks: number } {
  let size = 0;
  let tasks = 0;
  for (const [m, count] of freq) {
    if (count > tasks || (count === tasks && m > size)) {
      size = m;
      tasks = count;
    }
  }
  return { size, tasks };
}

/**
 * Fleiss' kappa on direction (A / tie / B) over the tasks that share the most common
 * judgment count (≥ 2; on a tie between counts, the larger count). `tasks` says how many
 * tasks that is and `raters` which count it was.
 */
export function fleissKappaOnDirection(
  judgments: Iterable<{ readonly task: string | number; readonly strength: number }> | CategoryCounts,
): { value: number | null; tasks: number; raters: number } {
  const data = isCategoryCounts(judgments) ? judgments : countDirectionsByTask(judgments);
  const k = checkCounts(data);
  const totals = new Int32Array(data.units);
  const freq = new Map<number, number>();
  for (let u = 0; u < data.units; u++) {
    let m = 0;
    for (let c = 0; c < k; c++) m += data.counts[u * k + c]!;
    totals[u] = m;
    if (m >= 2) freq.set(m, (freq.get(m) ?? 0) + 1);
  }
  const { size: best, tasks: bestCount } = mostCommonJudgmentCount(freq);
  if (bestCount === 0) return { value: null, tasks: 0, raters: 0 };
  const rows = new Float64Array(bestCount * k);
  let r = 0;
  for (let u = 0; u < data.units; u++) {
    if (totals[u] !== best) continue;
    for (let c = 0; c < k; c++) rows[r * k + c] = data.counts[u * k + c]!;
    r++;
  }
  const result = fleissKappaFromCounts({ categories: data.categories, units: bestCount, counts: rows });
  return { value: result.kappa, tasks: bestCount, raters: best };
}

/** Cohen's / Scott's coefficient with the agreement figures behind it. */
export interface KappaResult {
  /** The coefficient; null when undefined (no pairs, or expected agreement 1). */
  readonly kappa: number | null;
  /** Number of paired ratings. */
  readonly n: number;
  /** Observed (weighted) agreement p_o. */
  readonly observedAgreement: number;
  /** Chance (weighted) agreement p_e. */
  readonly expectedAgreement: number;
}

/**
 * Agreement weights of weighted kappa over K ordered categories (by position i, j):
 * none: 1 if i = j else 0; linear: 1 − |i − j|/(K − 1) (Cicchetti–Allison);
 * quadratic: 1 − (i − j)²/(K − 1)² (Fleiss–Cohen).
 */
export type KappaWeights = "none" | "linear" | "quadratic";

/**
 * Cohen's kappa from a square confusion table (`table[i][j]` = units rater 1 put in
 * category i and rater 2 in category j), unweighted or with linear / quadratic weights.
 */
export function cohenKappa(table: ReadonlyArray<ReadonlyArray<number>>, weights: KappaWeights = "none"): KappaResult {
  const k = table.length;
  const flat = new Float64Array(k * k);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError("the confusion table must be square");
    flat.set(row, i * k);
  });
  return kappaFromTable(flat, k, weights);
}

/**
 * Scott's pi from a square confusion table: like Cohen's kappa but chance agreement from
 * the pooled marginals of both raters.
 */
export function scottPi(table: ReadonlyArray<ReadonlyArray<number>>): KappaResult {
  const k = table.length;
  let n = 0;
  let agree = 0;
  const pooled = new Float64Array(k);
  table.forEach((row, i) => {
    if (row.length !== k) throw new RangeError("the confusion table must be square");
    row.forEach((v, j) => {
      n += v;
      if (i === j) agree += v;
      pooled[i]! += v;
      pooled[j]! += v;
    });
  });
  if (n === 0) return { kappa: null, n: 0, observedAgreement: 0, expectedAgreement: 0 };
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (pooled[c]! / (2 * n)) ** 2;
  const po = agree / n;
  return { kappa: pe < 1 ? (po - pe) / (1 - pe) : null, n, observedAgreement: po, expectedAgreement: pe };
}

/**
 * Cohen's kappa from two parallel lists of ratings of the same units, over the given
 * ordered categories (they fix the weights' positions; unused ones count).
 */
export function cohenKappaFromRatings(
  first: ArrayLike<number>,
  second: ArrayLike<number>,
  categories: readonly number[],
  weights: KappaWeights = "none",
): KappaResult {
  if (first.length !== second.length) throw new RangeError("both raters must rate the same units");
  const cats = sortedDistinct(categories);
  const k = cats.length;
  const lookup = categoryLookup(cats);
  const flat = new Float64Array(k * k);
  for (let i = 0; i < first.length; i++) {
    const a = lookup(first[i]!);
    const b = lookup(second[i]!);
    if (a < 0 || b < 0) throw new RangeError(`rating ${a < 0 ? first[i] : second[i]} is not a category`);
    flat[a * k + b]! += 1;
  }
  return kappaFromTable(flat, k, weights);
}

function kappaFromTable(flat: Float64Array, k: number, weights: KappaWeights): KappaResult {
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = flat[i * k + j]!;
      rows[i]! += v;
      cols[j]! += v;
      n += v;
    }
  }
  if (n === 0) return { kappa: null, n: 0, observedAgreement: 0, expectedAgreement: 0 };
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = agreementWeight(i, j, k, weights);
      if (w === 0) continue;
      po += w * flat[i * k + j]!;
      pe += w * rows[i]! * cols[j]!;
    }
  }
  po /= n;
  pe /= n * n;
  return { kappa: pe < 1 ? (po - pe) / (1 - pe) : null, n, observedAgreement: po, expectedAgreement: pe };
}

function agreementWeight(i: number, j: number, k: number, weights: KappaWeights): number {
  if (i === j) return 1;
  if (weights === "none" || k < 2) return 0;
  const d = Math.abs(i - j) / (k - 1);
  return weights === "linear" ? 1 - d : 1 - d * d;
}

/** Cohen's kappa between two annotators over the tasks both judged. */
export interface PairKappa {
  /** The annotators, `a` < `b` in code-unit order. */
  readonly a: string;
  readonly b: string;
  /** Tasks both judged. */
  readonly n: number;
  /** Unweighted Cohen's kappa on direction (A / tie / B). */
  readonly kappa: number | null;
  /** Linear-weighted Cohen's kappa on strength over the scale's points. */
  readonly linearWeighted: number | null;
  /** Quadratic-weighted Cohen's kappa on strength over the scale's points. */
  readonly quadraticWeighted: number | null;
}

/** Options of {@link pairwiseCohenKappa}. */
export interface PairwiseKappaOptions {
  /** Minimum number of shared tasks for a pair to be reported (default 10). */
  readonly minShared?: number;
  /**
   * The scale whose points (unused ones included) order the categories of the weighted
   * kappas. Default: the distinct strengths observed.
   */
  readonly scalePoints?: ScalePoints;
}

/**
 * Cohen's kappa for each pair of annotators with at least `minShared` (default 10) tasks in
 * common: unweighted on direction, and linear / quadratic weighted on strength. If an
 * annotator judged a task more than once, the last judgment given counts. Sorted by (a, b).
 */
export function pairwiseCohenKappa(judgments: Iterable<StrengthJudgment>, options: PairwiseKappaOptions = {}): PairKappa[] {
  const minShared = options.minShared ?? 10;
  // Pass 1: dense ids for tasks and annotators.
  const taskIds = new Map<string | number, number>();
  const annotatorIds = new Map<string, number>();
  const names: string[] = [];
  const taskOf: number[] = [];
  const annOf: number[] = [];
  const strengths: number[] = [];
  const observed = new Set<number>();
  for (const j of judgments) {
    let t = taskIds.get(j.task);
    if (t === undefined) {
      t = taskIds.size;
      taskIds.set(j.task, t);
    }
    let a = annotatorIds.get(j.annotator);
    if (a === undefined) {
      a = names.length;
      annotatorIds.set(j.annotator, a);
      names.push(j.annotator);
    }
    taskOf.push(t);
    annOf.push(a);
    strengths.push(j.strength);
    observed.add(j.strength);
  }
  const categories = options.scalePoints !== undefined ? scaleValues(options.scalePoints) : sortedDistinct(observed);
  const k = categories.length;
  const lookup = categoryLookup(categories);
  // Annotators ranked by name, so that a pair key (lower rank, higher rank) orders (a, b).
  const byName = names.map((_, i) => i).sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0));
  const rankOf = new Int32Array(names.length);
  byName.forEach((id, r) => {
    rankOf[id] = r;
  });
  // Pass 2: group judgments by task (counting sort, input order kept within a task).
  const tasks = taskIds.size;
  const start = new Int32Array(tasks + 1);
  for (const t of taskOf) start[t + 1]! += 1;
  for (let t = 0; t < tasks; t++) start[t + 1]! += start[t]!;
  const fill = start.slice(0, tasks);
  const members = new Int32Array(taskOf.length);
  taskOf.forEach((t, i) => {
    members[fill[t]!++] = i;
  });
  // Pass 3: every pair of annotators within a task → confusion table over strength categories.
  const tables = new Map<number, Float64Array>();
  const PAIR_BASE = 1 << 26;
  const ranks: number[] = [];
  const cats: number[] = [];
  for (let t = 0; t < tasks; t++) {
    if (start[t + 1]! - start[t]! < 2) continue;
    ranks.length = 0;
    cats.length = 0;
    for (let x = start[t]!; x < start[t + 1]!; x++) {
      const i = members[x]!;
      const c = lookup(strengths[i]!);
      if (c < 0) throw new RangeError(`strength ${strengths[i]} is not on the scale [${categories.join(", ")}]`);
      const r = rankOf[annOf[i]!]!;
      const seen = ranks.indexOf(r);
      if (seen >= 0)
        cats[seen] = c; // the annotator's last judgment of the task counts
      else {
        ranks.push(r);
        cats.push(c);
      }
    }
    for (let x = 0; x < ranks.length; x++) {
      for (let y = x + 1; y < ranks.length; y++) {
        const lowFirst = ranks[x]! < ranks[y]!;
        const p = lowFirst ? x : y;
        const q = lowFirst ? y : x;
        const key = ranks[p]! * PAIR_BASE + ranks[q]!;
        let table = tables.get(key);
        if (table === undefined) {
          table = new Float64Array(k * k);
          tables.set(key, table);
        }
        table[cats[p]! * k + cats[q]!]! += 1;
      }
    }
  }
  const dirIndex = categories.map((c) => directionCode(c) + 1);
  const out: PairKappa[] = [];
  for (const [key, t] of tables) {
    let n = 0;
    for (let i = 0; i < t.length; i++) n += t[i]!;
    if (n < minShared) continue;
    const dir = new Float64Array(9);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) dir[dirIndex[i]! * 3 + dirIndex[j]!]! += t[i * k + j]!;
    }
    out.push({
      a: names[byName[Math.floor(key / PAIR_BASE)]!]!,
      b: names[byName[key % PAIR_BASE]!]!,
      n,
      kappa: kappaFromTable(dir, 3, "none").kappa,
      linearWeighted: kappaFromTable(t, k, "linear").kappa,
      quadraticWeighted: kappaFromTable(t, k, "quadratic").kappa,
    });
  }
  return out.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

function isCategoryCounts(x: unknown): x is CategoryCounts {
  return typeof x === "object" && x !== null && "categories" in x && "counts" in x && "units" in x;
}
