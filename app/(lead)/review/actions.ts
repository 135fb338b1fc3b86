"use server";

import { serviceAction } from "@/lib/actions";
import { acceptJudgment, adjudicateTask, rejectJudgment, restoreJudgment } from "@/lib/services/review";

/** Accepts a judgment (optional note). */
export async function acceptJudgmentAction(input: { judgmentId: number; note: string }) {
  return serviceAction("judgment.review", (ctx) => acceptJudgment(ctx, input), ["/review"]);
}

/** Rejects a judgment (note required); the task goes back to the annotation queue. */
export async function rejectJudgmentAction(input: { judgmentId: number; note: string }) {
  return serviceAction("judgment.review", (ctx) => rejectJudgment(ctx, input), ["/review"]);
}

/** Reverts a rejection while the task has room. */
export async function restoreJudgmentAction(input: { judgmentId: number; note: string }) {
  return serviceAction("judgment.review", (ctx) => restoreJudgment(ctx, input), ["/review"]);
}

/** Sets a task's final label (strength, ranks or both unacceptable). */
export async function adjudicateTaskAction(input: {
  taskId: number;
  strength?: number;
  ranks?: number[];
  bothUnacceptable?: boolean;
  note: string;
}) {
  return serviceAction("judgment.review", (ctx) => adjudicateTask(ctx, input), ["/review"]);
}
