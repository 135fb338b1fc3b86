/**
 * `npm run bench:multi-instance [-- --instances 2] [--annotators 64] [--cycles 4000] [--compare]`
 *
 * Several production app instances (`next start` of the existing build — `npm run build`
 * first — on free ports) against one PostgreSQL, driven by concurrent simulated
 * annotators through the annotation API. Each annotator's requests alternate between the
 * instances, so a lease taken on one is submitted on another, as behind a load balancer
 * without sticky sessions. After a fixed number of next + submit cycles it checks every
 * invariant — no task above its overlap, no annotator twice on a task, every acknowledged
 * submit stored exactly once — and prints cycles/s and p50/p95/p99 latencies. With
 * --compare it first runs the same load on one instance: the baseline it is compared with.
 *
 * Database: a throw-away database on DATABASE_URL's server, or on a private embedded
 * server when it is unset; removed at the end. Run it alone (2-core machines):
 * `flock /tmp/arbiter-bench.lock npm run bench:multi-instance`.
 *
 * Not part of `npm test`; a small run of it is (tests/production/multi-instance.test.ts).
 */
import os from "node:os";
import "../lib/env";
import { parseCli, positiveInt } from "../lib/cli";
import { describeInvariants } from "./lib/annotation-load";
import { assertProductionBuild } from "./lib/app-instance";
import { runMultiInstance, type LatencySummary, type MultiInstanceResult } from "./lib/multi-instance-run";
import { openBenchServer } from "./lib/throwaway";

const USAGE = `Usage: npm run bench:multi-instance [-- options]

  --instances N    app instances (default 2)
  --annotators N   concurrent simulated annotators in total (default 64)
  --cycles N       measured next + submit cycles in total (default 4000)
  --overlap N      annotators per task (default 3)
  --pool N         database pool size of each instance (default 8)
  --compare        run the same load on one instance first, as the baseline
  --json           print each result as one JSON object as well`;

const { values } = parseCli(USAGE, {
  instances: { type: "string" },
  annotators: { type: "string" },
  cycles: { type: "string" },
  overlap: { type: "string" },
  pool: { type: "string" },
  json: { type: "boolean" },
  compare: { type: "boolean" },
});
const int = (v: string | undefined, fallback: number, name: string) => positiveInt(USAGE, v, fallback, name);
const INSTANCES = int(values.instances, 2, "instances");
const ANNOTATORS = int(values.annotators, 64, "annotators");
const CYCLES = int(values.cycles, 4000, "cycles");
const OVERLAP = int(values.overlap, 3, "overlap");
const POOL = int(values.pool, 8, "pool");

function print(r: MultiInstanceResult): boolean {
  const f = (x: number) => x.toFixed(1).padStart(6);
  const row = (name: string, l: LatencySummary) => console.log(`  ${name.padEnd(8)} ${f(l.p50)} ${f(l.p95)} ${f(l.p99)} ${f(l.max)}`);
  console.log(
    r.instances > 1
      ? `\nHTTP: next + submit across ${r.instances} instances (session cookie, each cycle's two requests on different instances)`
      : "\nHTTP: next + submit on one instance (session cookie)",
  );
  console.log(
    `  ${r.cycles} cycles in ${r.seconds.toFixed(2)} s = ${r.cyclesPerSecond.toFixed(0)} cycles/s (${r.annotators} concurrent annotators${r.exhausted ? `; ${r.exhausted} found nothing left` : ""})`,
  );
  console.log(
    `  requests per instance: ${r.requestsPerInstance.join(" / ")}; peak RSS per instance: ${r.peakRssMb.map((m) => `${m.toFixed(0)} MB`).join(" / ")}`,
  );
  console.log(`  latency ms   p50    p95    p99    max`);
  row("next", r.latency.next);
  row("submit", r.latency.submit);
  row("cycle", r.latency.cycle);
  const errors = Object.entries(r.unexpected);
  console.log(`  unexpected answers: ${errors.length ? errors.map(([k, v]) => `${v}× ${k}`).join(", ") : "none"}`);
  console.log(`  invariants: ${r.invariants.ok ? "OK" : "VIOLATED"} — ${describeInvariants(r.invariants)}`);
  if (values.json) console.log(JSON.stringify(r));
  return r.invariants.ok && errors.length === 0;
}

async function main() {
  assertProductionBuild();
  console.log(
    `[bench] ${INSTANCES} instances, ${ANNOTATORS} annotators, ${CYCLES} cycles, overlap ${OVERLAP}, pool ${POOL} per instance, ${os.cpus().length} CPUs, database: ${process.env.DATABASE_URL ? "DATABASE_URL's server" : "embedded"}`,
  );
  const server = await openBenchServer();
  try {
    const run = async (instances: number) =>
      runMultiInstance({
        databaseUrl: (await server.createDatabase()).url,
        instances,
        annotators: ANNOTATORS,
        cycles: CYCLES,
        overlap: OVERLAP,
        poolSize: POOL,
        log: (m) => console.log(`[bench] ${m}`),
      });
    // Baseline first: the same load on one instance, on a database of its own.
    const baseline = values.compare && INSTANCES > 1 ? await run(1) : null;
    const baselineOk = baseline ? print(baseline) : true;
    const r = await run(INSTANCES);
    const ok = print(r);
    if (baseline) {
      console.log(
        `\n  ${r.instances} instances reach ${((r.cyclesPerSecond / baseline.cyclesPerSecond) * 100).toFixed(0)}% of one instance's throughput ` +
          `(${r.cyclesPerSecond.toFixed(0)} vs ${baseline.cyclesPerSecond.toFixed(0)} cycles/s; cycle p95 ${r.latency.cycle.p95.toFixed(0)} vs ${baseline.latency.cycle.p95.toFixed(0)} ms).`,
      );
    }
    if (!ok || !baselineOk) {
      console.error("[bench] INVARIANT VIOLATED or unexpected answers");
      process.exitCode = 1;
    }
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error("[bench]", error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
