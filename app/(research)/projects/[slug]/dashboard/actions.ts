"use server";

import { serviceAction } from "@/lib/actions";
import { extendUncertainTasks } from "@/lib/services/consensus";

/** Adaptive overlap: one more judgment on each complete task whose consensus stays uncertain. */
export async function extendUncertainTasksAction(input: { projectSlug: string }) {
  return serviceAction(
    "task.extend",
    async (ctx) => {
      const result = await extendUncertainTasks(ctx, input);
      return {
        extended: result.extended.length,
        uncertain: result.uncertain,
        maxExtra: result.maxExtra,
        minPosterior: result.minPosterior,
      };
    },
    [`/projects/${input.projectSlug}/dashboard`],
  );
}
