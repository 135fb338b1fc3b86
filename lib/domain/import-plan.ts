/**
 * What one valid import line becomes in a given project: its tasks (with the gold answer
 * on the task it applies to) or the problems that make it unusable there. Pure: the
 * import service calls it in both passes, so the dry run and the write agree.
 */
import { planTasks } from "@/lib/domain/task-plan";
import type { ScalePoints } from "@/lib/domain/preference";
import { checkGoldAgainstScale, isRankingGold, type FieldIssue, type Gold, type ImportLine } from "@/lib/validation/import";
import type { ComparisonMode, TaskKind } from "@/lib/domain/enums";

/**
 * Gold tasks are answered by every annotator who is checked against them, so their
 * overlap is the schema's ceiling rather than the project's (as the seed does).
 */
export const GOLD_TASK_OVERLAP = 1000;

/** The project settings that decide an item's tasks. */
export type ItemPlanRules = {
  mode: ComparisonMode;
  pairing: "all_pairs" | "baseline";
  baselineModel?: string;
  scalePoints: ScalePoints;
  allowRankingTies: boolean;
};

/** One task to create: candidate positions in canonical order, and its gold answer if any. */
export type PlannedItemTask = { kind: TaskKind; candidates: number[]; gold: Gold | null };

/**
 * Plans an item's tasks. A pairwise gold answer applies to the one pairwise task of a
 * 2-candidate item; a ranking gold answer to the ranking task of a K-candidate item in a
 * ranking project. Gold that can land on no task, gold off the project's scale, and a
 * K-candidate item without the baseline model (baseline pairing) are problems, not
 * silently dropped data.
 */
export function planItemTasks(
  line: Pick<ImportLine, "candidates" | "gold">,
  rules: ItemPlanRules,
): { tasks: PlannedItemTask[]; issues: FieldIssue[] } {
  const models = line.candidates.map((c) => c.model);
  const k = models.length;
  const issues: FieldIssue[] = [];
  const gold = line.gold ?? null;
  if (gold) {
    issues.push(...checkGoldAgainstScale(gold, rules.scalePoints, { allowTies: rules.allowRankingTies }));
    if (isRankingGold(gold)) {
      if (k === 2)
        issues.push({
          field: "gold.ranks",
          message: 'a 2-candidate item is judged as a pair: give the gold answer as "strength" (and "accept")',
        });
      else if (rules.mode === "pairwise")
        issues.push({
          field: "gold.ranks",
          message: "this project compares pairs, so a ranking gold answer cannot be checked; use a ranking project",
        });
    }
  }
  if (k > 2 && rules.mode === "pairwise" && rules.pairing === "baseline" && !models.includes(rules.baselineModel ?? "")) {
    issues.push({
      field: "candidates",
      message: `none is from the baseline model "${rules.baselineModel ?? ""}", which this project pairs every other candidate with`,
    });
  }
  if (issues.length > 0) return { tasks: [], issues };
  const tasks = planTasks(models, rules).map((plan): PlannedItemTask => {
    let taskGold: Gold | null = null;
    if (gold && isRankingGold(gold) === (plan.kind === "ranking") && (plan.kind === "ranking" || k === 2)) taskGold = gold;
    return { kind: plan.kind, candidates: plan.candidates, gold: taskGold };
  });
  return { tasks, issues };
}
