/**
 * Grouping helpers: turn a stream of per-judgment records into per-unit category counts
 * in one pass (a Map from unit key to a dense row index, counts in a growable typed array).
 */

import type { CategoryCounts, TaskKey } from "./types";

/** The distinct names (annotators, say) in code-unit order, and each one's index among them. */
export function indexNames(names: Iterable<string>): { names: string[]; index: Map<string, number> } {
  const sorted = [...new Set(names)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return { names: sorted, index: new Map(sorted.map((n, i) => [n, i])) };
}

/** Canonical direction codes used as nominal categories: A = −1, tie = 0, B = +1. */
export const DIRECTION_CODES: readonly number[] = [-1, 0, 1];

/** The direction code (−1 / 0 / +1) of a canonical strength. */
export function directionCode(strength: number): -1 | 0 | 1 {
  return strength < 0 ? -1 : strength > 0 ? 1 : 0;
}

/** Per-unit counts plus the key of each unit row, in first-seen order. */
export interface KeyedCategoryCounts extends CategoryCounts {
  readonly keys: readonly TaskKey[];
  readonly counts: Float64Array;
}

/**
 * Counts values per unit over the given categories in one pass. `valueFor` returning
 * null / undefined / NaN skips the record (missing data). A value that is not one of
 * `categories` throws a RangeError naming it.
 */
export function countByUnit<T>(
  records: Iterable<T>,
  unitOf: (record: T) => TaskKey,
  valueFor: (record: T) => number | null | undefined,
  categories: readonly number[],
): KeyedCategoryCounts {
  const cats = sortedDistinct(categories);
  const k = cats.length;
  if (k === 0) throw new RangeError("at least one category is required");
  const lookup = categoryLookup(cats);
  const index = new Map<TaskKey, number>();
  const keys: TaskKey[] = [];
  let counts = new Float64Array(Math.max(16, k * 64));
  for (const record of records) {
    const value = valueFor(record);
    if (value === null || value === undefined || Number.isNaN(value)) continue;
    const c = lookup(value);
    if (c < 0) throw new RangeError(`value ${value} is not one of the categories [${cats.join(", ")}]`);
    const key = unitOf(record);
    let row = index.get(key);
    if (row === undefined) {
      row = keys.length;
      index.set(key, row);
      keys.push(key);
      if ((row + 1) * k > counts.length) {
        const grown = new Float64Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
    }
    counts[row * k + c]! += 1;
  }
  return { categories: cats, units: keys.length, keys, counts: counts.subarray(0, keys.length * k) };
}

/**
 * Counts the direction (A / tie / B, as categories −1 / 0 / +1) of each judgment per task.
 */
export function countDirectionsByTask(judgments: Iterable<{ readonly task: TaskKey; readonly strength: number }>): KeyedCategoryCounts {
  return countByUnit(
    judgments,
    (j) => j.task,
    (j) => directionCode(j.strength),
    DIRECTION_CODES,
  );
}

/**
 * Collects the values of each unit (missing values — null, undefined, NaN — dropped),
 * in first-seen order of units: the input shape of {@link krippendorffAlpha}.
 */
export function valuesByUnit<T>(
  records: Iterable<T>,
  unitOf: (record: T) => TaskKey,
  valueFor: (record: T) => number | null | undefined,
): number[][] {
  const index = new Map<TaskKey, number[]>();
  const out: number[][] = [];
  for (const record of records) {
    const value = valueFor(record);
    if (value === null || value === undefined || Number.isNaN(value)) continue;
    const key = unitOf(record);
    let list = index.get(key);
    if (list === undefined) {
      list = [];
      index.set(key, list);
      out.push(list);
    }
    list.push(value);
  }
  return out;
}

/** Ascending distinct copy of a list of finite numbers (throws on a non-finite one). */
export function sortedDistinct(values: Iterable<number>): number[] {
  const set = new Set<number>();
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`category ${v} is not a finite number`);
    set.add(v === 0 ? 0 : v); // fold −0 into 0
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * A function mapping a value to its index in ascending `categories`, or −1 when absent.
 * Small integer categories use a direct offset table; anything else a Map.
 */
export function categoryLookup(categories: readonly number[]): (value: number) => number {
  const k = categories.length;
  const first = categories[0] ?? 0;
  const last = categories[k - 1] ?? 0;
  const allIntegers = categories.every((c) => Number.isInteger(c));
  if (allIntegers && last - first <= 4096) {
    const table = new Int32Array(last - first + 1).fill(-1);
    categories.forEach((c, i) => {
      table[c - first] = i;
    });
    return (value) => {
      const off = value - first;
      if (!Number.isInteger(off) || off < 0 || off >= table.length) return -1;
      return table[off]!;
    };
  }
  const map = new Map<number, number>();
  categories.forEach((c, i) => map.set(c, i));
  return (value) => map.get(value === 0 ? 0 : value) ?? -1;
}

/** Checks a CategoryCounts' shape and returns the number of categories. */
export function checkCounts(data: CategoryCounts, weights?: ArrayLike<number>): number {
  const k = data.categories.length;
  if (k === 0) throw new RangeError("at least one category is required");
  if (data.counts.length !== data.units * k) {
    throw new RangeError(`counts has ${data.counts.length} entries, expected units × categories = ${data.units * k}`);
  }
  if (weights !== undefined && weights.length !== data.units) {
    throw new RangeError(`weights has ${weights.length} entries, expected ${data.units}`);
  }
  return k;
}

/** The units whose row total satisfies `predicate`: their rows, and their indexes in `data`. */
export function keepUnits(
  data: CategoryCounts,
  predicate: (total: number) => boolean,
): { rows: CategoryCounts & { counts: Float64Array }; kept: number[] } {
  const k = data.categories.length;
  const kept: number[] = [];
  for (let u = 0; u < data.units; u++) {
    let m = 0;
    for (let c = 0; c < k; c++) m += data.counts[u * k + c]!;
    if (predicate(m)) kept.push(u);
  }
  const counts = new Float64Array(kept.length * k);
  kept.forEach((u, r) => {
    for (let c = 0; c < k; c++) counts[r * k + c] = data.counts[u * k + c]!;
  });
  return { rows: { categories: data.categories, units: kept.length, counts }, kept };
}

/**
 * Collapses per-unit counts over canonical strengths into direction counts
 * (categories −1 / 0 / +1 = A / tie / B), summing the categories by sign.
 */
export function collapseToDirections(data: CategoryCounts): CategoryCounts {
  const k = checkCounts(data);
  const target = data.categories.map((c) => (c < 0 ? 0 : c > 0 ? 2 : 1));
  const out = new Float64Array(data.units * 3);
  for (let u = 0; u < data.units; u++) {
    for (let c = 0; c < k; c++) out[u * 3 + target[c]!]! += data.counts[u * k + c]!;
  }
  return { categories: DIRECTION_CODES, units: data.units, counts: out };
}
