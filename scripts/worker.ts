/**
 * `npm run worker`: a generation worker in its own process (the app runs one inside
 * `npm run dev` / `npm start` as well; several may run at once). Stops cleanly on
 * SIGINT/SIGTERM: requests in flight go back to the queue.
 */
import { getPool } from "@/db/client";
import { GenerationWorker } from "@/lib/generation/worker";
import { parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";

const USAGE = `Usage: npm run worker

Runs a generation worker: takes queued samples of generation jobs, asks the model
endpoints, stores the candidates. Uses DATABASE_URL (or the embedded server).`;

parseCli(USAGE, {});
const db = await openDatabase({ migrate: true, quiet: true });
const worker = new GenerationWorker({ pool: getPool() });
await worker.start();
console.log(`[generation] worker ${process.pid} started`);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[generation] ${signal}: stopping (requests in flight go back to the queue)`);
    void worker
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
