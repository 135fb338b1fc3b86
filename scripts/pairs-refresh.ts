/**
 * `npm run pairs:refresh -- --project SLUG`: active pair sampling in a static project. Refits
 * the sampling model on the project's judgments and rewrites the serving ranks of its open
 * tasks, so the engine serves each item's informative pair tasks first
 * (lib/services/pair-sampling.ts, docs/statistics.md); under `pairSampling: "uniform"` it puts
 * the tasks back in id order. `npm run stats:fold` does the same for every active project.
 */
import { getDb } from "@/db/client";
import { refreshPairSampling } from "@/lib/services/pair-sampling";
import { runProjectCommand } from "./lib/project-command";

const USAGE = `Usage: npm run pairs:refresh -- --project SLUG

Under pairSampling "active" (settings): refits the sampling model on the project's valid
pairwise judgments and rewrites the serving ranks of its open tasks, informative pairs first.
Under "uniform": puts every task back in id order. Prints what it did.`;

await runProjectCommand(USAGE, "pairs:refresh", async (slug) => {
  const r = await refreshPairSampling({ db: getDb(), actor: null }, { projectSlug: slug });
  console.log(
    r.policy === "uniform"
      ? `${slug}: uniform pair sampling; ${r.changed} tasks put back in id order`
      : `${slug}: active pair sampling over ${r.votes} votes; ${r.tasks} open tasks ranked, ${r.changed} changed`,
  );
});
