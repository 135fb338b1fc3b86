/**
 * `npm run stats:fold [-- --project SLUG]`: brings the dashboard's statistics summary up to
 * date for every project (or one), rebuilding it where it is missing or of an older fact
 * definition — after a deploy that adds a fact definition, or a bulk load with triggers
 * off, so that no dashboard request pays for the rebuild (docs/statistics.md, "the summary").
 * Projects under active pair sampling also get their serving ranks refreshed
 * (lib/services/pair-sampling.ts).
 */
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { refreshPairSamplingOf } from "@/lib/services/pair-sampling";
import { foldProjectStatsSummary } from "@/lib/services/stats";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";

const USAGE = `Usage: npm run stats:fold [-- --project SLUG]

Folds the judgments changed since the last fold into each project's statistics summary
(rebuilding a missing or outdated summary from the judgments), refreshes the serving ranks
of projects under active pair sampling, and prints what it did.`;

const { values } = parseCli(USAGE, { project: { type: "string" } });
const handle = await openDatabase({ migrate: true, quiet: true });
try {
  const db = getDb();
  const { rows } = await db.execute<{ id: string; slug: string; active: boolean }>(
    values.project === undefined
      ? sql`select id, slug, kind = 'static' and settings ->> 'pairSampling' = 'active' as active from projects order by id`
      : sql`select id, slug, kind = 'static' and settings ->> 'pairSampling' = 'active' as active from projects where slug = ${values.project}`,
  );
  if (rows.length === 0 && values.project !== undefined) fail(`No project "${values.project}".`);
  for (const row of rows) {
    const started = performance.now();
    const result = await foldProjectStatsSummary(db, Number(row.id));
    const what = result.rebuilt ? "rebuilt" : `${result.tasks} changed tasks folded`;
    console.log(`${row.slug}: ${what} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (row.active) {
      const r = await refreshPairSamplingOf(db, Number(row.id), "active");
      console.log(`${row.slug}: active pair sampling over ${r.votes} votes; ${r.tasks} open tasks ranked, ${r.changed} changed`);
    }
  }
} catch (error) {
  fail(`Fold failed: ${(error as Error).message}`);
} finally {
  await handle.close();
}
