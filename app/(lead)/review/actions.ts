"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { acceptJudgment, adjudicateTask, rejectJudgment, restoreJudgment } from "@/lib/services/review";

/** Accepts a judgment (optional note). */
export async function acceptJudgmentAction(input: { judgmentId: number; note: string }) {
  return runAction(async () => {
    const result = await acceptJudgment({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/review");
    return result;
  });
}

/** Rejects a judgment (note required); the task goes back to the annotation queue. */
export async function rejectJudgmentAction(input: { judgmentId: number; note: string }) {
  return runAction(async () => {
    const result = await rejectJudgment({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/review");
    return result;
  });
}

/** Reverts a rejection while the task has room. */
export async function restoreJudgmentAction(input: { judgmentId: number; note: string }) {
  return runAction(async () => {
    const result = await restoreJudgment({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/review");
    return result;
  });
}

/** Sets a task's final label (strength, ranks or both unacceptable). */
export async function adjudicateTaskAction(input: {
  taskId: number;
  strength?: number;
  ranks?: number[];
  bothUnacceptable?: boolean;
  note: string;
}) {
  return runAction(async () => {
    const result = await adjudicateTask({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/review");
    return result;
  });
}
