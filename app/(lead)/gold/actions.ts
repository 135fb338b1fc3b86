"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { retireGold, setTaskGold } from "@/lib/services/gold";

/** Marks a task as gold with its answer and accepted range. */
export async function setTaskGoldAction(input: { taskId: number; strength: number; accept: number[] }) {
  return runAction(async () => {
    const result = await setTaskGold({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/gold");
    revalidatePath("/review");
    return result;
  });
}

/** Retires a gold task. */
export async function retireGoldAction(input: { taskId: number }) {
  return runAction(async () => {
    const result = await retireGold({ db: getDb(), actor: await actorFor("judgment.review") }, input);
    revalidatePath("/gold");
    revalidatePath("/review");
    return result;
  });
}
