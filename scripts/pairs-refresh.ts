/**
 * `npm run pairs:refresh -- --project SLUG`: active pair sampling in a static project. Refits
 * the sampling model on the project's judgments and rewrites the serving ranks of its open
 * tasks, so the engine serves each item's informative pair tasks first
 * (lib/services/pair-sampling.ts, docs/statistics.md); under `pairSampling: "uniform"` it puts
 * the tasks back in id order. `npm run stats:fold` does the same for every project.
 */
import { getDb } from "@/db/client";
import { refreshPairSampling } from "@/lib/services/pair-sampling";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run pairs:refresh -- --project SLUG

Under pairSampling "active" (settings): refits the sampling model on the project's valid
pairwise judgments and rewrites the serving ranks of its open tasks, informative pairs first.
Under "uniform": puts every task back in id order. Prints what it did.`;

const { values } = parseCli(USAGE, { project: { type: "string" } });
if (!values.project) {
  fail(`--project is required\n\n${USAGE}`, 2);
} else {
  const handle = await openDatabase({ migrate: true, quiet: true });
  try {
    const r = await refreshPairSampling({ db: getDb(), actor: null }, { projectSlug: values.project });
    console.log(
      r.policy === "uniform"
        ? `${values.project}: uniform pair sampling; ${r.changed} tasks put back in id order`
        : `${values.project}: active pair sampling over ${r.votes} votes; ${r.tasks} open tasks ranked, ${r.changed} changed`,
    );
  } catch (error) {
    fail(describeError("pairs:refresh", error));
  } finally {
    await handle.close();
  }
}
