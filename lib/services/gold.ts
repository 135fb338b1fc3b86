/**
 * Gold management for leads: a project's gold tasks with per-gold accuracy,
 * marking a task as gold with its answer, retiring a bad gold item (never offered again;
 * the answer stays for the record). Permission "judgment.review"; audited "gold.set" and
 * "gold.retire".
 */
import { listGoldTasks, retireTaskGold, setTaskGoldAnswer } from "@/db/queries/gold";
import type { GoldAnswer } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { scaleValues, type ScalePoints } from "@/lib/domain/preference";
import { goldAnswerProblems } from "@/lib/domain/review";
import { AppError, conflictError, forbiddenError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { GoldListInput, RetireGoldInput, SetGoldInput } from "@/lib/validation/review";
import { recordTaskAudit } from "./audit";
import type { ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";
import { lockReachableTask } from "./review";
import { clearStatsCache } from "./stats";

function authorise(ctx: ServiceContext): void {
  if (!can(ctx.actor.role, "judgment.review")) throw forbiddenError();
}

/** One page of a project's gold tasks (active first) with each one's accuracy. */
export async function listProjectGold(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(GoldListInput, raw);
  const project = await requireProjectFor(ctx, input.projectSlug);
  const page = await listGoldTasks(ctx.db, { projectId: project.id, limit: input.pageSize, offset: (input.page - 1) * input.pageSize });
  return {
    ...page,
    page: input.page,
    pageSize: input.pageSize,
    project: { slug: project.slug, name: project.name, scalePoints: project.scalePoints },
  };
}

/**
 * Marks a pairwise task as gold with its answer and the strengths that count as correct
 * (both on the task's scale; the answer among them). A retired gold task set again is
 * active again. Gold tasks leave exports and agreement figures and count for gold accuracy.
 */
export async function setTaskGold(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(SetGoldInput, raw);
  const result = await ctx.db.transaction(async (tx) => {
    const task = await lockReachableTask({ db: tx, actor: ctx.actor }, input.taskId);
    if (task.kind !== "pairwise")
      throw new AppError("VALIDATION", "strength: gold answers are for pairwise tasks", {
        strength: ["gold answers are for pairwise tasks"],
      });
    const accept = [...new Set(input.accept)].sort((a, b) => a - b);
    const problems = goldAnswerProblems({ strength: input.strength, accept }, scaleValues(task.scalePoints as ScalePoints));
    if (problems.length) {
      const fields: Record<string, string[]> = {};
      for (const p of problems) (fields[p.field] ??= []).push(p.message);
      throw new AppError("VALIDATION", `${problems[0]!.field}: ${problems[0]!.message}`, fields);
    }
    const gold: GoldAnswer = { strength: input.strength, accept };
    await setTaskGoldAnswer(tx, task.id, gold);
    await recordTaskAudit({ db: tx, actor: ctx.actor }, "gold.set", task, {
      gold,
      previous: task.gold,
      wasRetired: task.goldRetiredAt !== null,
      note: input.note,
    });
    return { taskId: task.id, gold };
  });
  // Gold changes which tasks the dashboard counts, without moving its cache's version.
  clearStatsCache();
  return result;
}

/** Retires a gold task: it is never offered again; judgments already given stay. CONFLICT when not active gold. */
export async function retireGold(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(RetireGoldInput, raw);
  return ctx.db.transaction(async (tx) => {
    const task = await lockReachableTask({ db: tx, actor: ctx.actor }, input.taskId);
    if (!task.gold) throw conflictError("This task is not a gold task.");
    if (task.goldRetiredAt) throw conflictError("This gold task is already retired.");
    await retireTaskGold(tx, task.id);
    await recordTaskAudit({ db: tx, actor: ctx.actor }, "gold.retire", task, { gold: task.gold, note: input.note });
    return { taskId: task.id };
  });
}
