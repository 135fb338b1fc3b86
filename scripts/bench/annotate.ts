/**
 * `npm run bench:annotate [-- --annotators 64] [--cycles 4000] [--tasks N] [--url URL] [--rate R [--duration S]]`
 *
 * Open loop (`--rate R`): cycles arrive at R per second as a Poisson process (seeded, so
 * every run has the same arrival times), the way thousands of people who think between
 * tasks produce them, whatever the server's speed; each arrival is taken by an idle
 * simulated annotator. Latency counts from the arrival's scheduled time, so a backlog shows
 * in it (no coordinated omission). Closed loop (the default) reports throughput instead.
 *
 * The annotator loop over HTTP: 64 concurrent simulated annotators, each signed in through
 * next-auth's credentials endpoint, doing `POST /api/projects/{slug}/tasks/next` then
 * `POST /api/assignments/{id}/judgment` until the fixed number of cycles is done. Prints
 * cycles/s and p50/p95/p99 latency (per request and per cycle).
 *
 * Baseline: the same cycles, with the same concurrency and pool size, calling the same
 * service verbs (so the same SQL statements) in this process straight through `pg` — no
 * HTTP, Next.js, session decoding or sign-in. The difference is the cost of the web tier.
 *
 * Then the invariants, for both runs: no task above its overlap, the trigger-kept count
 * equal to the real count, no annotator twice on a task.
 *
 * Where it runs:
 * - default: a throw-away database (a private embedded PostgreSQL server, or a new database
 *   on DATABASE_URL's server), seeded with generated tasks and annotator users, and a
 *   `next start` of the existing production build (`npm run build` first) on a free port;
 *   all of it is removed at the end;
 * - `--url URL`: a server you started yourself; DATABASE_URL must point at its database,
 *   where the script adds a bench project and bench users (a non-local database needs
 *   --force). They are left in place.
 *
 * Not part of `npm test`.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import pg from "pg";
import "../lib/env";
import { createDb, type Db } from "@/db/client";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { seededRandom } from "@/lib/domain/seeded-random";
import { leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { parseCli, positiveInt } from "../lib/cli";
import { checkInvariants, describeInvariants, percentile, randomStrength, seedLoadProject, signInAll } from "./lib/annotation-load";
import { startAppInstance } from "./lib/app-instance";
import { assertLocalOrForced } from "../lib/database";

const USAGE = `Usage: npm run bench:annotate [-- options]

  --annotators N   concurrent simulated annotators (default 64)
  --cycles N       next + submit cycles per run (default 4000)
  --tasks N        generated pairwise tasks per project (default: enough for the cycles)
  --overlap N      annotators per task (default 3)
  --pool N         database pool size of the app and of the baseline (default 8, as docs/deploy.md advises on few cores)
  --url URL        benchmark a server you started (DATABASE_URL must be its database)
  --force          allow --url mode to write bench data to a non-local database
  --baseline-only  skip the HTTP run (no server is started)
  --identity       ask for uncompressed responses (Accept-Encoding: identity), to measure what
                   next start's gzip costs (by default the client accepts gzip, like a browser)
  --profile        time every statement of the baseline run (round trips per cycle, ms per statement)
  --rate R         open loop: R cycle arrivals per second (Poisson), latency from each arrival's time
  --duration S     open loop: seconds of arrivals per run (default 30; sets --cycles to R × S)`;

const { values } = parseCli(USAGE, {
  annotators: { type: "string" },
  cycles: { type: "string" },
  tasks: { type: "string" },
  overlap: { type: "string" },
  pool: { type: "string" },
  url: { type: "string" },
  force: { type: "boolean" },
  profile: { type: "boolean" },
  "baseline-only": { type: "boolean" },
  identity: { type: "boolean" },
  rate: { type: "string" },
  duration: { type: "string" },
});
const int = (v: string | undefined, fallback: number, name: string) => positiveInt(USAGE, v, fallback, name);
const ANNOTATORS = int(values.annotators, 64, "annotators");
const RATE = values.rate === undefined ? null : int(values.rate, 100, "rate");
const DURATION = int(values.duration, 30, "duration");
const CYCLES = RATE === null ? int(values.cycles, 4000, "cycles") : RATE * DURATION;
const OVERLAP = int(values.overlap, 3, "overlap");
const POOL = int(values.pool, 8, "pool");
const TASKS = int(values.tasks, Math.ceil((CYCLES * 1.5 + ANNOTATORS * 4) / OVERLAP) + 50, "tasks");

// ---------------------------------------------------------------------------
// Database and server

type Cleanup = () => Promise<void>;
const cleanups: Cleanup[] = [];
async function cleanup() {
  for (const c of cleanups.reverse()) await c().catch((e) => console.error("[bench] cleanup:", (e as Error).message));
}

/** The private embedded server's data directory (its processes are counted for CPU time). */
let pgDataDir: string | null = null;
let serverPid: number | null = null;

async function openBenchDatabase(): Promise<string> {
  if (values.url) {
    const url = process.env.DATABASE_URL?.trim();
    if (!url) throw new Error("--url needs DATABASE_URL: the database of the server being benchmarked.");
    assertLocalOrForced(url, Boolean(values.force));
    await runMigrations(url);
    return url;
  }
  let serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) {
    pgDataDir = path.join(os.tmpdir(), `arbiter-bench-annotate-${process.pid}`);
    const embedded: EmbeddedServer = await startEmbeddedPostgres({
      dataDir: pgDataDir,
      persistent: false,
      database: "postgres",
    });
    cleanups.push(() => embedded.stop());
    serverUrl = embedded.url;
  }
  const name = `arbiter_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: serverUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  await runMigrations(u.toString());
  return u.toString();
}

/** `next start` of the existing production build on a free port (BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles it). */
async function startServer(databaseUrl: string): Promise<string> {
  const app = await startAppInstance({
    databaseUrl,
    secret: randomBytes(32).toString("base64url"),
    poolSize: POOL,
    nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean),
  });
  cleanups.push(app.stop);
  serverPid = app.child.pid ?? null;
  return app.base;
}

// ---------------------------------------------------------------------------
// CPU time: where a cycle's work goes, which holds on a busy machine where wall time does not

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** User + system CPU time of a process and its live children, in ms (Linux /proc). */
function cpuOfTree(rootPid: number): number | null {
  try {
    const stats = new Map<number, { ppid: number; ms: number }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let text: string;
      try {
        text = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue;
      }
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(entry), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    }
    if (!stats.has(rootPid)) return null;
    let total = 0;
    const todo = [rootPid];
    while (todo.length) {
      const pid = todo.pop()!;
      total += stats.get(pid)?.ms ?? 0;
      for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
    }
    return total;
  } catch {
    return null;
  }
}

type CpuReading = { client: number; server: number | null; postgres: number | null };
function readCpu(): CpuReading {
  const self = process.cpuUsage();
  let pgPid: number | null = null;
  if (pgDataDir) {
    try {
      pgPid = Number(readFileSync(path.join(pgDataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      pgPid = null;
    }
  }
  return {
    client: (self.user + self.system) / 1000,
    server: serverPid === null ? null : cpuOfTree(serverPid),
    postgres: pgPid === null ? null : cpuOfTree(pgPid),
  };
}
function cpuLine(before: CpuReading, after: CpuReading, cycles: number): string {
  const per = (a: number | null, b: number | null) => (a === null || b === null ? "n/a" : `${((b - a) / cycles).toFixed(2)} ms`);
  return `  CPU per cycle: app server ${per(before.server, after.server)}, PostgreSQL ${per(before.postgres, after.postgres)}, this process ${per(before.client, after.client)}${pgDataDir ? "" : " (PostgreSQL not counted: not a private embedded server)"}`;
}

// ---------------------------------------------------------------------------
// Data

// ---------------------------------------------------------------------------
// HTTP client

/**
 * One HTTP request on a kept-alive connection. node:http rather than fetch: the simulated
 * annotators share the machine with the server and the database, and fetch (undici's
 * web streams) cost this process about 1 ms of CPU per request, taken from them.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function request(url: string, headers: Record<string, string>, body: string | null): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const method = body === null ? "GET" : "POST";
    const sized = body === null ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const req = http.request(url, { method, agent, headers: sized }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"];
        const bytes =
          encoding === "gzip"
            ? zlib.gunzipSync(raw)
            : encoding === "br"
              ? zlib.brotliDecompressSync(raw)
              : encoding === "deflate"
                ? zlib.inflateSync(raw)
                : raw;
        resolve({ status: res.statusCode ?? 0, text: bytes.toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

// ---------------------------------------------------------------------------
// Runs

type Timings = { next: number[]; submit: number[]; cycle: number[]; seconds: number; cycles: number; empty: number; cpu: string };

/** Runs `CYCLES` cycles with `ANNOTATORS` workers; `cycle(i)` does one next + submit and returns its two latencies. */
async function drive(cycle: (worker: number) => Promise<[number, number] | null>): Promise<Timings> {
  const t: Timings = { next: [], submit: [], cycle: [], seconds: 0, cycles: 0, empty: 0, cpu: "" };
  let remaining = CYCLES;
  const cpuBefore = readCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ANNOTATORS }, async (_, w) => {
      while (remaining > 0) {
        remaining--;
        const r = await cycle(w);
        if (!r) {
          t.empty++;
          return;
        }
        t.next.push(r[0]);
        t.submit.push(r[1]);
        t.cycle.push(r[0] + r[1]);
        t.cycles++;
      }
    }),
  );
  t.seconds = (performance.now() - started) / 1000;
  t.cpu = cpuLine(cpuBefore, readCpu(), t.cycles);
  return t;
}

/**
 * Open loop: `CYCLES` arrivals at `RATE` per second (exponential gaps), each served by an
 * idle worker as soon as one is free. A cycle's `next` latency counts from its scheduled
 * arrival (so time spent waiting for a worker, or behind a slow server, is in it).
 */
async function driveOpenLoop(cycle: (worker: number) => Promise<[number, number] | null>): Promise<Timings & { late: number }> {
  const t: Timings & { late: number } = { next: [], submit: [], cycle: [], seconds: 0, cycles: 0, empty: 0, cpu: "", late: 0 };
  // Seeded: the same arrival times on every run.
  const rand = seededRandom(20261206);
  const idle = Array.from({ length: ANNOTATORS }, (_, w) => w);
  const waiting: (() => void)[] = [];
  const takeWorker = async (): Promise<number> => {
    const w = idle.pop();
    if (w !== undefined) return w;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return idle.pop()!;
  };
  const release = (w: number) => {
    idle.push(w);
    waiting.shift()?.();
  };
  const cpuBefore = readCpu();
  const started = performance.now();
  let at = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < CYCLES; i++) {
    at += (-Math.log(1 - rand()) / RATE!) * 1000;
    const due = started + at;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        const w = await takeWorker();
        const begin = performance.now();
        if (begin - due > 5) t.late++;
        try {
          const r = await cycle(w);
          if (!r) {
            t.empty++;
            return;
          }
          const queued = begin - due;
          t.next.push(queued + r[0]);
          t.submit.push(r[1]);
          t.cycle.push(queued + r[0] + r[1]);
          t.cycles++;
        } finally {
          release(w);
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  t.seconds = (performance.now() - started) / 1000;
  t.cpu = cpuLine(cpuBefore, readCpu(), t.cycles);
  return t;
}

/** The latency table: p50, p95 and p99 in ms of each named series. */
function printLatencies(series: [name: string, ms: number[]][], note = "") {
  const f = (x: number) => x.toFixed(1).padStart(6);
  console.log(`  latency ms         p50    p95    p99${note}`);
  for (const [name, xs] of series) {
    console.log(`  ${name.padEnd(15)} ${f(percentile(xs, 50))} ${f(percentile(xs, 95))} ${f(percentile(xs, 99))}`);
  }
}

function reportOpenLoop(label: string, t: Timings & { late: number }) {
  console.log(`\n${label}`);
  console.log(
    `  open loop: ${RATE} arrivals/s offered, ${t.cycles} cycles done in ${t.seconds.toFixed(2)} s = ${(t.cycles / t.seconds).toFixed(0)} cycles/s; ${t.late} started > 5 ms after their arrival${t.empty ? `; ${t.empty} found nothing left` : ""}`,
  );
  printLatencies(
    [
      ["per request", [...t.next, ...t.submit]],
      ["next", t.next],
      ["submit", t.submit],
      ["cycle", t.cycle],
    ],
    "   (from the arrival's scheduled time)",
  );
  console.log(t.cpu);
}

/**
 * The web tier's floor, for comparison: GET /api/health (one route handler and one trivial
 * query, no session) at the same concurrency. Two of these per cycle is what any
 * next + submit over Next.js costs at the least.
 */
async function healthFloor(base: string, n: number) {
  let left = n;
  const before = readCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ANNOTATORS }, async () => {
      while (left-- > 0) {
        const res = await request(`${base}/api/health`, { "accept-encoding": "gzip, deflate, br" }, null);
        if (res.status !== 200) throw new Error(`health: HTTP ${res.status} ${res.text}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`
Floor: GET /api/health (one route handler, one trivial query, no session), ${ANNOTATORS} concurrent clients`);
  console.log(`  ${n} requests in ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(0)} requests/s`);
  console.log(cpuLine(before, readCpu(), n).replace("per cycle", "per request"));
}

function report(label: string, t: Timings) {
  console.log(`\n${label}`);
  console.log(
    `  ${t.cycles} cycles in ${t.seconds.toFixed(2)} s = ${(t.cycles / t.seconds).toFixed(0)} cycles/s (${ANNOTATORS} concurrent annotators${t.empty ? `; ${t.empty} found nothing left` : ""})`,
  );
  printLatencies([
    ["next", t.next],
    ["submit", t.submit],
    ["cycle", t.cycle],
  ]);
  console.log(t.cpu);
}

async function invariants(pool: pg.Pool, projectId: number, acked: ReadonlyMap<number, number>): Promise<boolean> {
  const report = await checkInvariants(pool, projectId, acked);
  console.log(`  invariants: ${describeInvariants(report)}`);
  return report.ok;
}

/**
 * --profile: wraps pg's Client#query to count round trips and time statements (by their
 * first words) during the baseline run. Time is wall time from send to result, so under
 * load it includes waiting for locks and for the CPU.
 */
const profile = new Map<string, { n: number; ms: number }>();
let profiling = false;
function installProfiler() {
  wrapQuery(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown });
  wrapQuery(pg.Pool.prototype as unknown as { query: (...args: unknown[]) => unknown });
}
function wrapQuery(proto: { query: (...args: unknown[]) => unknown }) {
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text?: string };
    const text = typeof q === "string" ? q : q?.text;
    const result = original.apply(this, args);
    if (!profiling || typeof text !== "string" || !(result instanceof Promise)) return result;
    const key = text.replace(/\s+/g, " ").trim().slice(0, 90);
    const t0 = performance.now();
    return result.finally(() => {
      const e = profile.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t0;
      profile.set(key, e);
    });
  };
}
function printProfile(cycles: number) {
  const rows = [...profile.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const trips = rows.reduce((s, [, e]) => s + e.n, 0);
  console.log(`\n  profile: ${(trips / cycles).toFixed(2)} round trips per cycle`);
  for (const [k, e] of rows)
    console.log(`  ${(e.n / cycles).toFixed(2).padStart(6)}/cycle ${(e.ms / e.n).toFixed(2).padStart(7)} ms avg  ${k}`);
}

async function main() {
  console.log(
    `[bench] ${ANNOTATORS} annotators, ${CYCLES} cycles per run, ${TASKS} tasks per project, overlap ${OVERLAP}, pool ${POOL}, ${os.cpus().length} CPUs`,
  );
  const databaseUrl = await openBenchDatabase();
  const { pool, db } = createDb(databaseUrl, POOL);
  cleanups.push(() => pool.end());
  const seed = (label: string) => seedLoadProject(pool, { label, tasks: TASKS, annotators: ANNOTATORS, overlap: OVERLAP });
  const httpProject = await seed("http");
  const directProject = await seed("pg");
  const directActors: Actor[] = directProject.users.map((u) => ({
    id: u.id,
    email: u.email,
    name: "Bench",
    role: "annotator",
    locale: "en",
  }));
  const httpOn = !values["baseline-only"];
  const base = !httpOn ? "" : values.url ? values.url.replace(/\/$/, "") : await startServer(databaseUrl);
  let cookies: string[] = [];
  if (httpOn) {
    console.log(`[bench] server ${base}; signing in ${ANNOTATORS} annotators…`);
    cookies = await signInAll(base, httpProject.emails);
  }

  // Every acknowledged submit (assignment id → judgment id), checked to be stored exactly once.
  const ackedHttp = new Map<number, number>();
  const ackedDirect = new Map<number, number>();
  const httpCycle = async (w: number): Promise<[number, number] | null> => {
    // Like a browser, the client accepts gzip; --identity asks for none.
    const headers: Record<string, string> = {
      cookie: cookies[w]!,
      "content-type": "application/json",
      "accept-encoding": values.identity ? "identity" : "gzip, deflate, br",
    };
    const t0 = performance.now();
    const res = await request(`${base}/api/projects/${httpProject.slug}/tasks/next`, headers, "{}");
    if (res.status === 204) return null;
    if (res.status !== 200) throw new Error(`next: HTTP ${res.status} ${res.text}`);
    const lease = JSON.parse(res.text) as { assignment: { id: number } };
    const t1 = performance.now();
    const sub = await request(
      `${base}/api/assignments/${lease.assignment.id}/judgment`,
      headers,
      JSON.stringify({ strength: randomStrength(), seconds: 12.5 }),
    );
    if (sub.status !== 200) throw new Error(`submit: HTTP ${sub.status} ${sub.text}`);
    ackedHttp.set(lease.assignment.id, (JSON.parse(sub.text) as { judgment: { id: number } }).judgment.id);
    return [t1 - t0, performance.now() - t1];
  };
  const directCycle = async (w: number): Promise<[number, number] | null> => {
    const ctx = { db: db as Db, actor: directActors[w]! };
    const t0 = performance.now();
    const lease = await leaseNextTask(ctx, { projectSlug: directProject.slug });
    if (!lease) return null;
    const t1 = performance.now();
    const { judgment } = await submitJudgment(ctx, {
      assignmentId: lease.assignment.id,
      input: { strength: randomStrength(), seconds: 12.5 },
    });
    ackedDirect.set(lease.assignment.id, judgment.id);
    return [t1 - t0, performance.now() - t1];
  };

  /** The invariants of the projects the runs wrote to (the HTTP one only when it ran); a violation fails the bench. */
  const checkBothProjects = async (httpRan: boolean) => {
    console.log("\nInvariants");
    const ok =
      (!httpRan || (await invariants(pool, httpProject.projectId, ackedHttp))) &&
      (await invariants(pool, directProject.projectId, ackedDirect));
    if (!ok) {
      console.error("[bench] INVARIANT VIOLATED");
      process.exitCode = 1;
    }
  };

  // Warm-up (not measured): loads the route handlers, fills the pools and plan caches.
  if (httpOn) for (let i = 0; i < ANNOTATORS; i++) await httpCycle(i);
  for (let i = 0; i < 8; i++) await directCycle(i);

  if (RATE !== null) {
    const openHttp = httpOn ? await driveOpenLoop(httpCycle) : null;
    if (openHttp) reportOpenLoop("HTTP, open loop: next + submit through next start (session cookie, JSON API)", openHttp);
    const openDirect = await driveOpenLoop(directCycle);
    reportOpenLoop("Baseline, open loop: the same service verbs and SQL straight through pg", openDirect);
    if (openHttp) console.log(`\n  Target: p95 < 50 ms per request at 100 cycles/s (PRODUCT.md).`);
    await checkBothProjects(openHttp !== null);
    return;
  }

  const viaHttp = httpOn ? await drive(httpCycle) : null;
  if (viaHttp) report("HTTP: next + submit through next start (session cookie, JSON API)", viaHttp);
  if (viaHttp) await healthFloor(base, Math.min(CYCLES * 2, 4000));
  if (values.profile) {
    installProfiler();
    profiling = true;
  }
  const direct = await drive(directCycle);
  profiling = false;
  if (values.profile) printProfile(direct.cycles);
  report("Baseline: the same service verbs and SQL straight through pg (no HTTP, no Next.js, no session)", direct);
  if (viaHttp)
    console.log(
      `\n  HTTP reaches ${((viaHttp.cycles / viaHttp.seconds / (direct.cycles / direct.seconds)) * 100).toFixed(0)}% of the baseline's throughput; target ≥ 500 cycles/s, p95 < 50 ms per request.`,
    );

  await checkBothProjects(viaHttp !== null);
}

main()
  .catch((error) => {
    console.error("[bench]", error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(cleanup);
