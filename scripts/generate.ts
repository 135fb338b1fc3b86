/**
 * `npm run generate -- --project S --endpoint N[,N2…] [--samples K] [--only-missing] [--wait]`
 * With --wait: exit 0 when every sample was generated, 1 when some failed (listed), 2 on bad input.
 */
import { getDb, getPool } from "@/db/client";
import { closeQueues } from "@/lib/generation/runtime";
import { GenerationWorker } from "@/lib/generation/worker";
import { getGeneration, startGeneration } from "@/lib/services/generation";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { progressPrinter } from "./lib/progress";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run generate -- --project S --endpoint N[,N2…] [--samples K] [--only-missing] [--wait] [--no-worker]

Queues a generation job: K samples (default 1) per item from each endpoint, for every
item of the project, or with --only-missing for items that still have fewer than two
candidates. Samples that exist already are never made again.
--wait follows the job (a progress bar on a terminal, a line per 10 % otherwise) and
exits 0 when every sample was generated, 1 when some failed (they are listed; retry them
from the project page or the API), 2 on bad input. While waiting, this process also
works on the job unless --no-worker (the app's own worker, or npm run worker, does too).`;

const { values } = parseCli(USAGE, {
  project: { type: "string" },
  endpoint: { type: "string" },
  samples: { type: "string" },
  "only-missing": { type: "boolean" },
  wait: { type: "boolean" },
  "no-worker": { type: "boolean" },
});

if (!values.project || !values.endpoint) {
  fail(`--project and --endpoint are required.\n\n${USAGE}`, 2);
} else {
  const db = await openDatabase({ migrate: true, quiet: true });
  const ctx = { db: getDb(), actor: null } as const;
  let worker: GenerationWorker | null = null;
  try {
    const { id, total } = await startGeneration(ctx, {
      projectSlug: values.project,
      endpoints: values.endpoint
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      samples: values.samples,
      onlyMissing: values["only-missing"] ?? false,
    });
    console.log(`Generation job ${id}: ${total} sample(s) queued.`);
    if (values.wait) {
      if (!values["no-worker"]) {
        worker = new GenerationWorker({ pool: getPool(), idlePollMs: 250, log: () => undefined });
        await worker.start();
      }
      const print = progressPrinter(`job ${id}`);
      let job = await getGeneration(ctx, { id });
      while (job.state === "running") {
        print(job);
        await new Promise((r) => setTimeout(r, 500));
        job = await getGeneration(ctx, { id });
      }
      print(job, true);
      if (job.state === "cancelled") fail(`Job ${id} was cancelled (${job.done} of ${job.total} generated).`, 1);
      else if (job.failed > 0) {
        const lines = job.errors
          .filter((e) => e.state === "failed")
          .map((e) => `  ${e.externalId} · ${e.endpoint} · sample ${e.sampleIndex}: ${e.error}`);
        fail(`Job ${id} finished with ${job.failed} failed sample(s):\n${lines.join("\n")}`, 1);
      } else console.log(`Job ${id} finished: ${job.done} sample(s) generated.`);
    }
  } catch (error) {
    fail(describeError("generate", error), 2);
  } finally {
    await worker?.stop();
    await closeQueues();
    await db.close();
  }
}
