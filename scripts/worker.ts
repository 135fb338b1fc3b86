/**
 * `npm run worker`: a generation worker and the projects' background upkeep in their own
 * process (the app runs both inside `npm run dev` / `npm start` as well; several may run at
 * once). Stops cleanly on SIGINT/SIGTERM: requests in flight go back to the queue.
 */
import { getDb, getPool } from "@/db/client";
import { GenerationWorker } from "@/lib/generation/worker";
import { startProjectUpkeep, upkeepSecondsFrom } from "@/lib/services/project-upkeep";
import { parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";

const USAGE = `Usage: npm run worker

Runs a generation worker: takes queued samples of generation jobs, asks the model
endpoints, stores the candidates. Runs the projects' upkeep too (active pair sampling,
adaptive overlap) every ARBITER_UPKEEP_SECONDS (default 60; 0 = off). Uses DATABASE_URL
(or the embedded server).`;

parseCli(USAGE, {});
const upkeepSeconds = upkeepSecondsFrom(process.env);
const db = await openDatabase({ migrate: true, quiet: true });
const worker = new GenerationWorker({ pool: getPool() });
await worker.start();
console.log(`[generation] worker ${process.pid} started`);
const stopUpkeep = upkeepSeconds > 0 ? startProjectUpkeep({ db: getDb(), intervalSeconds: upkeepSeconds }) : async () => {};
if (upkeepSeconds > 0) console.log(`[upkeep] every ${upkeepSeconds} s`);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[generation] ${signal}: stopping (requests in flight go back to the queue)`);
    void Promise.all([worker.stop(), stopUpkeep()])
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
