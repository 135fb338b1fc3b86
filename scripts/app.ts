/**
 * `npm run dev` / `npm start`: runs Next.js with a database.
 *
 * With DATABASE_URL set, Next.js connects there (apply migrations with `npm run
 * db:migrate` as a deploy step). Without it, this starts the embedded PostgreSQL server
 * under .data/, applies pending migrations, seeds the demo data into an empty database,
 * then starts Next.js and stops the server again when Next.js exits.
 */
import "./lib/env";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { DEMO_USERS, hasAnyUser, seedDemo } from "@/db/seed/seed";
import { modelRuntimeDefaults, startModelRuntime } from "@/lib/generation/embedded";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("Usage: tsx scripts/app.ts dev|start");
  process.exit(2);
}
const port = process.env.PORT || "3000";
const started = performance.now();

/** A stable secret for local use, so sessions survive restarts; production sets its own. */
function localAuthSecret(): string {
  const file = path.resolve(".data", "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let embedded: EmbeddedServer | null = null;
const env: NodeJS.ProcessEnv = { ...process.env, PORT: port };
if (!env.DATABASE_URL) {
  console.log("[arbiter] DATABASE_URL is not set: using the embedded PostgreSQL server in .data/postgres");
  embedded = await startEmbeddedPostgres({
    log: (m) => (/FATAL|PANIC|ERROR/.test(m) ? console.error(`[postgres] ${m}`) : undefined),
  });
  env.DATABASE_URL = embedded.url;
  process.env.DATABASE_URL = embedded.url;
  await runMigrations(embedded.url);
  if (!(await hasAnyUser(getDb()))) {
    const summary = await seedDemo(getDb());
    console.log(
      `[arbiter] First start: seeded ${summary.items} demo items, ${summary.users} demo users and ${summary.judgments} judgments by simulated annotators (project demo-simulated):`,
    );
    for (const u of DEMO_USERS) console.log(`           ${u.role.padEnd(10)} ${u.email.padEnd(28)} password: ${u.password}`);
  }
  const { closeDb } = await import("@/db/client");
  await closeDb();
  console.log(`[arbiter] Database ready in ${((performance.now() - started) / 1000).toFixed(1)} s (port ${embedded.port}).`);
}
if (!env.NEXTAUTH_SECRET) {
  if (mode === "start" && !embedded) {
    console.error("[arbiter] NEXTAUTH_SECRET must be set in production (see .env.example).");
    process.exit(1);
  }
  env.NEXTAUTH_SECRET = localAuthSecret();
}
env.NEXTAUTH_URL ??= `http://localhost:${port}`;

// The demo model endpoint (embedded database only, unless ARBITER_DEMO_ENDPOINT says otherwise) and a
// generation worker (unless ARBITER_WORKER=0) run here, beside Next.js.
let stopModels: (() => Promise<void>) | null = null;
if (env.DATABASE_URL) {
  const wanted = modelRuntimeDefaults(embedded !== null);
  if (wanted.demo || wanted.worker) {
    try {
      stopModels = await startModelRuntime({ databaseUrl: env.DATABASE_URL, ...wanted });
    } catch (error) {
      console.error("[arbiter] The generation worker or the demo endpoint did not start:", (error as Error).message);
    }
  }
}

const nextBin = path.resolve("node_modules", "next", "dist", "bin", "next");
const child = spawn(process.execPath, [nextBin, mode, "-p", port], { stdio: "inherit", env });

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stopModels?.().catch((e) => console.error("[arbiter] stopping the generation worker:", e));
  if (embedded?.owned) await embedded.stop().catch((e) => console.error("[arbiter] stopping PostgreSQL:", e));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on("exit", (code, signal) => void shutdown(code ?? (signal ? 0 : 1)));
