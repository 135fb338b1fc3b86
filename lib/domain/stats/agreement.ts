/**
 * Percent agreement on direction (A / tie / B) between pairs of judgments of the same
 * task, pooled over every unordered pair — the two human–human agreement figures of the
 * MT-Bench paper (Zheng et al. 2023): with ties, and without ties.
 */

import { checkCounts, countDirectionsByTask } from "./counts";
import type { CategoryCounts, TaskKey, UnitWeights } from "./types";

/** Pooled pairwise percent agreement on direction. */
export interface PercentAgreement {
  /**
   * Share of agreeing pairs among all unordered pairs of judgments of the same task;
   * a tie agrees only with a tie. Null when there is no pair.
   */
  readonly withTies: number | null;
  /** Share of agreeing pairs among the pairs where neither judgment is a tie. Null when none. */
  readonly withoutTies: number | null;
  /** Number of pairs behind `withTies`: Σ over tasks of C(m, 2). */
  readonly pairsWithTies: number;
  /** Number of pairs behind `withoutTies`: Σ over tasks of C(m − ties, 2). */
  readonly pairsWithoutTies: number;
  /** Tasks with at least two judgments (the only ones that give pairs). */
  readonly tasks: number;
}

/**
 * Percent agreement from per-task counts. The categories are canonical strengths (or
 * direction codes −1 / 0 / +1); they are collapsed to direction by sign, so counts over a
 * full strength scale work too. `weights` multiplies each task's pairs (bootstrap).
 */
export function percentAgreementFromCounts(data: CategoryCounts, weights?: UnitWeights): PercentAgreement {
  const k = checkCounts(data, weights);
  const sign = data.categories.map((c) => (c < 0 ? 0 : c > 0 ? 2 : 1));
  const { counts } = data;
  let agreeWith = 0;
  let pairsWith = 0;
  let agreeWithout = 0;
  let pairsWithout = 0;
  let tasks = 0;
  for (let u = 0; u < data.units; u++) {
    const w = weights === undefined ? 1 : weights[u]!;
    if (w === 0) continue;
    let a = 0;
    let t = 0;
    let b = 0;
    const base = u * k;
    for (let c = 0; c < k; c++) {
      const n = counts[base + c]!;
      const s = sign[c]!;
      if (s === 0) a += n;
      else if (s === 1) t += n;
      else b += n;
    }
    const m = a + t + b;
    if (m < 2) continue;
    tasks += w;
    const sameAB = (a * (a - 1) + b * (b - 1)) / 2;
    agreeWith += w * (sameAB + (t * (t - 1)) / 2);
    pairsWith += (w * (m * (m - 1))) / 2;
    agreeWithout += w * sameAB;
    pairsWithout += (w * ((a + b) * (a + b - 1))) / 2;
  }
  return {
    withTies: pairsWith > 0 ? agreeWith / pairsWith : null,
    withoutTies: pairsWithout > 0 ? agreeWithout / pairsWithout : null,
    pairsWithTies: pairsWith,
    pairsWithoutTies: pairsWithout,
    tasks,
  };
}

/**
 * Percent agreement on direction over every unordered pair of judgments of the same task
 * (pass one valid judgment per annotator and task).
 */
export function percentAgreement(judgments: Iterable<{ readonly task: TaskKey; readonly strength: number }>): PercentAgreement {
  return percentAgreementFromCounts(countDirectionsByTask(judgments));
}
