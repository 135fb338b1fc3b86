/**
 * The model side of `npm run dev` / `npm start`: the built-in demo endpoint (on loopback,
 * registered as the "demo-model-…" endpoints) and a generation worker, in the launcher
 * process beside Next.js. The demo endpoint runs where the embedded database does (a new
 * user's machine) or when ARBITER_DEMO_ENDPOINT=1; the worker, and with it the projects'
 * background upkeep (lib/services/project-upkeep.ts), runs unless ARBITER_WORKER=0 (then
 * run `npm run worker` separately).
 */
import { createDb } from "@/db/client";
import { GenerationWorker } from "@/lib/generation/worker";
import { startDemoEndpoint } from "@/lib/models/demo-server";
import { registerDemoEndpoints } from "@/lib/services/endpoints";
import { startProjectUpkeep, upkeepSecondsFrom } from "@/lib/services/project-upkeep";

export interface ModelRuntimeOptions {
  databaseUrl: string;
  demo: boolean;
  worker: boolean;
  log?: (message: string) => void;
  /** Demo endpoint delays (defaults read like a model streaming). */
  demoDelays?: { firstTokenMs?: number; tokenMs?: number };
}

function envFlag(name: string): boolean | undefined {
  const v = process.env[name]?.trim().toLowerCase();
  if (v === undefined || v === "") return undefined;
  return v === "1" || v === "true" || v === "yes";
}

/** Whether to run the demo endpoint and the worker here, from the environment and the database mode. */
export function modelRuntimeDefaults(embeddedDatabase: boolean): { demo: boolean; worker: boolean } {
  return { demo: envFlag("ARBITER_DEMO_ENDPOINT") ?? embeddedDatabase, worker: envFlag("ARBITER_WORKER") ?? true };
}

/** Starts what the options ask for; returns a stop function. */
export async function startModelRuntime(options: ModelRuntimeOptions): Promise<() => Promise<void>> {
  const log = options.log ?? ((m: string) => console.log(`[arbiter] ${m}`));
  // Read before anything starts, so a bad value stops nothing half-started.
  const upkeepSeconds = options.worker ? upkeepSecondsFrom(process.env) : 0;
  const { db, pool } = createDb(options.databaseUrl, 8);
  const stops: (() => Promise<void>)[] = [];
  if (options.demo) {
    const server = await startDemoEndpoint({
      port: Number(process.env.ARBITER_DEMO_ENDPOINT_PORT ?? 0) || 0,
      firstTokenDelayMs: options.demoDelays?.firstTokenMs,
      tokenDelayMs: options.demoDelays?.tokenMs,
    });
    await registerDemoEndpoints(db, server.baseUrl);
    stops.push(() => server.close());
    log(`Demo model endpoint (templates, not a language model) on ${server.baseUrl}: demo-model-strong, demo-model-plain, demo-model-weak`);
  }
  if (options.worker) {
    const worker = new GenerationWorker({ pool });
    await worker.start();
    stops.push(() => worker.stop());
    log("Generation worker started");
    if (upkeepSeconds > 0) {
      stops.push(startProjectUpkeep({ db, intervalSeconds: upkeepSeconds }));
      log(`Project upkeep every ${upkeepSeconds} s (active pair sampling, adaptive overlap)`);
    }
  }
  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await pool.end().catch(() => undefined);
  };
}
