"use server";

import { serviceAction } from "@/lib/actions";
import { retireGold, setTaskGold } from "@/lib/services/gold";

/** Gold shows on the gold list and in the review queue. */
const SHOWN_AT = ["/gold", "/review"];

/** Marks a task as gold with its answer and accepted range. */
export async function setTaskGoldAction(input: { taskId: number; strength: number; accept: number[] }) {
  return serviceAction("judgment.review", (ctx) => setTaskGold(ctx, input), SHOWN_AT);
}

/** Retires a gold task. */
export async function retireGoldAction(input: { taskId: number }) {
  return serviceAction("judgment.review", (ctx) => retireGold(ctx, input), SHOWN_AT);
}
