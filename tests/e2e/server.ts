/**
 * The app under end-to-end test: a fresh database (a new database on DATABASE_URL's
 * server, or a throw-away embedded server), migrated and seeded with the demo data, then
 * the production build served by `next start`. Playwright starts and stops this process.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { closeDb, createDb } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { seedDemo } from "@/db/seed/seed";
import { startModelRuntime } from "@/lib/generation/embedded";
import { E2E_PORT, E2E_STATE_FILE } from "./config";

let embedded: EmbeddedServer | null = null;
let url: string;
let dropDatabase: (() => Promise<void>) | null = null;

if (process.env.DATABASE_URL) {
  const name = `arbiter_e2e_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  url = u.toString();
  dropDatabase = async () => {
    const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
} else {
  embedded = await startEmbeddedPostgres({ dataDir: path.resolve(".data", `e2e-postgres-${process.pid}`), persistent: false });
  url = embedded.url;
}

await runMigrations(url);
const { db, pool } = createDb(url, 2);
// Without the simulated-annotators project: the specs count and pick tasks in the other
// demo projects, and tests/integration/demo-simulated.test.ts covers that one.
await seedDemo(db, { simulated: false });
await pool.end();
await closeDb();
// As `npm start` runs them: the demo model endpoint (fast, so specs stay quick) and a generation worker,
// with the projects' upkeep every 2 s so its spec sees a run at once (the demo projects ask for none).
process.env.ARBITER_UPKEEP_SECONDS ??= "2";
const stopModels = await startModelRuntime({ databaseUrl: url, demo: true, worker: true, demoDelays: { firstTokenMs: 20, tokenMs: 2 } });
mkdirSync(path.dirname(E2E_STATE_FILE), { recursive: true });
writeFileSync(E2E_STATE_FILE, JSON.stringify({ databaseUrl: url }), { mode: 0o600 });

const child = spawn(
  process.execPath,
  [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(E2E_PORT), "-H", "127.0.0.1"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: url,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
      NODE_ENV: "production",
    },
  },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  child.kill("SIGTERM");
  await stopModels().catch((e) => console.error("[e2e] stopping the generation worker:", e));
  rmSync(E2E_STATE_FILE, { force: true });
  await dropDatabase?.().catch((e) => console.error("[e2e] dropping the database:", e));
  if (embedded?.owned) await embedded.stop().catch((e) => console.error("[e2e] stopping PostgreSQL:", e));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));
child.on("exit", (code) => void stop(code ?? 0));
