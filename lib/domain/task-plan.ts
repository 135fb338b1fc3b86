/**
 * Which tasks an item becomes, by the project's comparison mode:
 * - a 2-candidate item is one pairwise task;
 * - in ranking mode, a K-candidate item (K ≥ 3) is one ranking task over all K;
 * - in pairwise mode, a K-candidate item becomes pairs: every pair ("all_pairs"), or each
 *   other candidate against the baseline model's ("baseline", baseline first = A).
 * Candidate indexes are the item's canonical positions; pairs keep canonical order.
 */
import type { ComparisonMode, TaskKind } from "@/lib/domain/enums";
export type TaskPlan = { kind: TaskKind; candidates: number[] };

export function planTasks(
  models: readonly string[],
  settings: { mode: ComparisonMode; pairing: "all_pairs" | "baseline"; baselineModel?: string },
): TaskPlan[] {
  const k = models.length;
  if (k < 2) return [];
  if (k === 2) return [{ kind: "pairwise", candidates: [0, 1] }];
  if (settings.mode === "ranking") return [{ kind: "ranking", candidates: models.map((_, i) => i) }];
  if (settings.pairing === "baseline") {
    const base = models.indexOf(settings.baselineModel ?? "");
    if (base < 0) return [];
    return models.flatMap((_, i) => (i === base ? [] : [{ kind: "pairwise" as const, candidates: [base, i] }]));
  }
  const plans: TaskPlan[] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) plans.push({ kind: "pairwise", candidates: [i, j] });
  return plans;
}
