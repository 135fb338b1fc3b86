/**
 * `npm run overlap:extend -- --project SLUG`: adaptive overlap. Fits the project's consensus
 * model and asks one more judgment of every complete task whose label's posterior stays
 * below the project's `adaptiveOverlap.minPosterior`, up to `adaptiveOverlap.extra` extra
 * judgments per task (lib/services/consensus.ts, docs/statistics.md). Run it after work
 * arrives (e.g. beside `npm run stats:fold`); the annotation queue then serves those tasks.
 */
import { getDb } from "@/db/client";
import { extendUncertainTasks } from "@/lib/services/consensus";
import { runProjectCommand } from "./lib/project-command";

const USAGE = `Usage: npm run overlap:extend -- --project SLUG

Asks one more judgment of each complete pairwise task whose consensus posterior is below the
project's adaptiveOverlap.minPosterior (settings), up to adaptiveOverlap.extra extra judgments
per task. Prints how many tasks were extended. Does nothing when adaptiveOverlap.extra is 0.`;

await runProjectCommand(USAGE, "overlap:extend", async (slug) => {
  const r = await extendUncertainTasks({ db: getDb(), actor: null }, { projectSlug: slug });
  if (r.maxExtra === 0) console.log(`${slug}: adaptive overlap is off (settings.adaptiveOverlap.extra = 0)`);
  else {
    console.log(
      `${slug}: ${r.uncertain} complete tasks below posterior ${r.minPosterior} (${r.method}); ${r.extended.length} asked for one more judgment (at most ${r.maxExtra} extra per task)`,
    );
  }
});
