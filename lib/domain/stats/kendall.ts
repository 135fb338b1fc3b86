/**
 * Kendall's coefficient of concordance W (Kendall & Babington Smith 1939) with the
 * correction for tied ranks, for K-wise rankings: m annotators each rank the same n
 * candidates of one task.
 *
 *   W = 12 S / (m² (n³ − n) − m Σ_j T_j),  S = Σ_i (R_i − m(n+1)/2)²,  T_j = Σ_groups (t³ − t)
 *
 * where R_i is candidate i's sum of (mid)ranks and t the sizes of tie groups in ranking j.
 */

import type { Ranks } from "../preference";
import type { TaskKey } from "./types";

/**
 * Converts ranks that may contain ties (equal numbers, any coding — 1,1,3 or 1,1,2) to
 * midranks 1..n: tied candidates share the mean of the positions they occupy.
 */
export function midranks(ranks: ArrayLike<number>): Float64Array {
  const n = ranks.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && ranks[order[j + 1]!] === ranks[order[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let x = i; x <= j; x++) out[order[x]!] = mid;
    i = j + 1;
  }
  return out;
}

/** Kendall's W of one task. */
export interface KendallWResult {
  /** W with the tie correction; null when undefined (every ranking all-tied). */
  readonly w: number | null;
  /** m: rankings (annotators). */
  readonly raters: number;
  /** n: candidates ranked. */
  readonly objects: number;
  /** Friedman's χ² = m (n − 1) W, with n − 1 degrees of freedom. */
  readonly chiSquare: number | null;
}

/**
 * Kendall's W with tie correction for m rankings of the same n candidates
 * (`rankings[j][i]` = rank annotator j gave candidate i, 1 = best, ties allowed).
 * Returns null when fewer than two rankings or fewer than two candidates.
 */
export function kendallW(rankings: ReadonlyArray<Ranks>): KendallWResult | null {
  const m = rankings.length;
  if (m < 2) return null;
  const n = rankings[0]!.length;
  if (n < 2) return null;
  const sums = new Float64Array(n);
  let ties = 0;
  for (const ranking of rankings) {
    if (ranking.length !== n) throw new RangeError(`every ranking must rank ${n} candidates, got ${ranking.length}`);
    const r = midranks(ranking);
    for (let i = 0; i < n; i++) sums[i]! += r[i]!;
    ties += tieTerm(ranking);
  }
  const mean = (m * (n + 1)) / 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += (sums[i]! - mean) ** 2;
  const denom = m * m * (n * n * n - n) - m * ties;
  if (!(denom > 0)) return { w: null, raters: m, objects: n, chiSquare: null };
  const w = (12 * s) / denom;
  return { w, raters: m, objects: n, chiSquare: m * (n - 1) * w };
}

/** Kendall's W averaged over tasks, with its chance level. */
export interface MeanKendallW {
  /** Mean of the per-task W over tasks where W is defined; null when none. */
  readonly w: number | null;
  /** Tasks averaged (at least two rankings of at least two candidates, W defined). */
  readonly tasks: number;
  /**
   * Chance level: the expected W under random rankings is 1/m, averaged over the same
   * tasks (1/m when every task has m rankings).
   */
  readonly chance: number | null;
}

/** Averages {@link kendallW} over tasks, each given as the list of its rankings. */
export function meanKendallW(tasks: Iterable<ReadonlyArray<Ranks>>): MeanKendallW {
  let sum = 0;
  let chance = 0;
  let count = 0;
  for (const rankings of tasks) {
    const r = kendallW(rankings);
    if (r === null || r.w === null) continue;
    sum += r.w;
    chance += 1 / r.raters;
    count++;
  }
  return count > 0 ? { w: sum / count, tasks: count, chance: chance / count } : { w: null, tasks: 0, chance: null };
}

/** Groups K-wise judgments by task and averages Kendall's W over tasks. */
export function kendallWByTask(judgments: Iterable<{ readonly task: TaskKey; readonly ranks: Ranks }>): MeanKendallW {
  const byTask = new Map<TaskKey, Ranks[]>();
  for (const j of judgments) {
    let list = byTask.get(j.task);
    if (list === undefined) {
      list = [];
      byTask.set(j.task, list);
    }
    list.push(j.ranks);
  }
  return meanKendallW(byTask.values());
}

/** Σ (t³ − t) over the tie groups of one ranking. */
function tieTerm(ranking: Ranks): number {
  const counts = new Map<number, number>();
  for (const r of ranking) counts.set(r, (counts.get(r) ?? 0) + 1);
  let t = 0;
  for (const c of counts.values()) if (c > 1) t += c * c * c - c;
  return t;
}
