/**
 * The multi-instance run behind `npm run bench:multi-instance` and its CI test: several
 * `next start` instances of the production build on one database, simulated annotators
 * whose requests alternate between the instances (no sticky sessions: the lease is taken
 * on one instance and submitted on the other), a fixed number of next + submit cycles,
 * then the invariants.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createDb } from "@/db/client";
import {
  checkInvariants,
  nextTask,
  percentile,
  randomStrength,
  seedLoadProject,
  signInAll,
  submitJudgmentHttp,
  type InvariantReport,
} from "./annotation-load";
import { startAppInstance, type AppInstance } from "./app-instance";

export type MultiInstanceOptions = {
  databaseUrl: string;
  instances: number;
  /** Concurrent simulated annotators, in total. */
  annotators: number;
  /** Measured next + submit cycles, in total. */
  cycles: number;
  overlap: number;
  /** Pool size of each instance (they share the server's max_connections). */
  poolSize: number;
  /** Generated tasks (default: enough for the cycles and the warm-up). */
  tasks?: number;
  log?: (message: string) => void;
  echoServerStderr?: boolean;
};

export type LatencySummary = { p50: number; p95: number; p99: number; max: number };

export type MultiInstanceResult = {
  instances: number;
  annotators: number;
  cycles: number;
  seconds: number;
  cyclesPerSecond: number;
  /** Requests answered per instance (measured run). */
  requestsPerInstance: number[];
  latency: { next: LatencySummary; submit: LatencySummary; cycle: LatencySummary };
  /** Annotators that found nothing left to do before the cycles ran out. */
  exhausted: number;
  /** Peak resident memory of each instance (Linux; NaN elsewhere), MB. */
  peakRssMb: number[];
  /** Answers other than 200 (and 204 from next), by "what status". */
  unexpected: Record<string, number>;
  invariants: InvariantReport;
};

const summary = (xs: number[]): LatencySummary => ({
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
  max: xs.length ? Math.max(...xs) : NaN,
});

export async function runMultiInstance(options: MultiInstanceOptions): Promise<MultiInstanceResult> {
  const log = options.log ?? (() => undefined);
  const { instances: n, annotators, cycles, overlap } = options;
  const tasks = options.tasks ?? Math.ceil((cycles * 1.5 + annotators * (n + 4)) / overlap) + 50;
  const { pool } = createDb(options.databaseUrl, 4);
  const apps: AppInstance[] = [];
  try {
    const project = await seedLoadProject(pool, { label: "multi", tasks, annotators, overlap });
    log(
      `seeded ${tasks} tasks and ${annotators} annotators (overlap ${overlap}); starting ${n} instances (pool ${options.poolSize} each)…`,
    );
    const secret = randomBytes(32).toString("base64url");
    // One at a time: two `next start`s booting together only fight over the CPU.
    for (let i = 0; i < n; i++) {
      apps.push(
        await startAppInstance({
          databaseUrl: options.databaseUrl,
          secret,
          poolSize: options.poolSize,
          echoStderr: options.echoServerStderr,
        }),
      );
    }
    log(`instances: ${apps.map((a) => a.base).join(", ")}; signing in…`);
    // Each annotator signs in on "their" instance; the cookie is then used on all of them.
    const cookies = await signInAll((i) => apps[i % n]!.base, project.emails);

    const acked = new Map<number, number>();
    const unexpected: Record<string, number> = {};
    const note = (what: string, status: number) => {
      const key = `${what} ${status || "network error"}`;
      unexpected[key] = (unexpected[key] ?? 0) + 1;
    };
    const served = new Array<number>(n).fill(0);
    /** Request k of annotator w goes to instance (w + k) mod n: next and submit never on the same one (n > 1). */
    const requestCount = new Array<number>(annotators).fill(0);
    const target = (w: number) => {
      const i = (w + requestCount[w]!++) % n;
      return i;
    };

    /** One cycle: its two latencies, "empty" when nothing is left, "error" on an unexpected answer. */
    const cycle = async (w: number, measured: boolean): Promise<[number, number] | "empty" | "error"> => {
      const i1 = target(w);
      const lease = await nextTask(apps[i1]!.base, cookies[w]!, project.slug);
      if (measured) served[i1]!++;
      if (lease.status === 204) return "empty";
      if (lease.status !== 200) {
        note("next", lease.status);
        return "error";
      }
      const assignmentId = (lease.body as { assignment: { id: number } }).assignment.id;
      const i2 = target(w);
      const sub = await submitJudgmentHttp(apps[i2]!.base, cookies[w]!, assignmentId, randomStrength());
      if (measured) served[i2]!++;
      if (sub.status !== 200) {
        note("submit", sub.status);
        return "error";
      }
      acked.set(assignmentId, (sub.body as { judgment: { id: number } }).judgment.id);
      return [lease.ms, sub.ms];
    };

    // Warm-up (not measured): loads the route handlers and fills the pools on every instance.
    await Promise.all(Array.from({ length: annotators }, (_, w) => cycle(w, false)));

    const next: number[] = [];
    const submit: number[] = [];
    const whole: number[] = [];
    let remaining = cycles;
    let exhausted = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: annotators }, async (_, w) => {
        while (remaining > 0) {
          remaining--;
          const r = await cycle(w, true);
          if (r === "empty") exhausted++;
          if (typeof r === "string") return;
          next.push(r[0]);
          submit.push(r[1]);
          whole.push(r[0] + r[1]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const invariants = await checkInvariants(pool, project.projectId, acked);
    const peakRssMb = apps.map((a) => peakRss(a.child.pid));
    return {
      instances: n,
      annotators,
      cycles: whole.length,
      seconds,
      cyclesPerSecond: whole.length / seconds,
      requestsPerInstance: served,
      latency: { next: summary(next), submit: summary(submit), cycle: summary(whole) },
      exhausted,
      peakRssMb,
      unexpected,
      invariants,
    };
  } finally {
    for (const app of apps) await app.stop().catch(() => undefined);
    await pool.end();
  }
}

/** VmHWM of a process (its peak resident set), in MB; NaN where /proc is not there. */
function peakRss(pid: number | undefined): number {
  try {
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}
