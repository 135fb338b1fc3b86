"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { extendUncertainTasks } from "@/lib/services/consensus";

/** Adaptive overlap: one more judgment on each complete task whose consensus stays uncertain. */
export async function extendUncertainTasksAction(input: { projectSlug: string }) {
  return runAction(async () => {
    const result = await extendUncertainTasks({ db: getDb(), actor: await actorFor("task.extend") }, input);
    revalidatePath(`/projects/${input.projectSlug}/dashboard`);
    return { extended: result.extended.length, uncertain: result.uncertain, maxExtra: result.maxExtra, minPosterior: result.minPosterior };
  });
}
