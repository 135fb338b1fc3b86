/**
 * A database fault in the middle of an annotation load run against a production app
 * instance: simulated annotators do next + submit (retrying a submit that got no clear
 * answer, as the UI does), the fault is injected once some submits are acknowledged,
 * /api/health is watched during the outage, the fault is healed, and the run goes on
 * until more submits are acknowledged. Every answer is recorded for the test to judge.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import http from "node:http";
import {
  checkInvariants,
  randomStrength,
  seedLoadProject,
  signInAll,
  type Answer,
  type InvariantReport,
} from "@/scripts/bench/lib/annotation-load";
import { startAppInstance } from "@/scripts/bench/lib/app-instance";

export type FaultRunOptions = {
  databaseUrl: string;
  /** A pool on the same database, for seeding and the invariant check. */
  pool: pg.Pool;
  /** Starts the outage (terminate connections, stop the server…). */
  inject: () => Promise<void>;
  /** Ends it. */
  heal: () => Promise<void>;
  annotators?: number;
  /** Acknowledged submits before the fault, and again after recovery. */
  submitsBefore?: number;
  submitsAfter?: number;
};

export type FaultRunResult = {
  /** Every answer of the load, by phase. */
  answers: { phase: "before" | "outage" | "after"; what: "next" | "submit"; answer: Answer }[];
  /** /api/health answers during the outage and after healing. */
  healthDuringOutage: Answer[];
  healthAfter: Answer | null;
  /** Milliseconds from the heal to the first 200 of the annotation API. */
  recoveryMs: number;
  /** Milliseconds the outage lasted (inject → heal). */
  outageMs: number;
  acknowledged: number;
  invariants: InvariantReport;
  /** Whether the app process was still the same, running one at the end. */
  appAlive: boolean;
  appStderr: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unclear = (a: Answer) => a.status === 0 || a.status === 503;

export async function runWithDatabaseFault(options: FaultRunOptions): Promise<FaultRunResult> {
  const annotators = options.annotators ?? 6;
  const submitsBefore = options.submitsBefore ?? 30;
  const submitsAfter = options.submitsAfter ?? 30;
  const project = await seedLoadProject(options.pool, { label: "fault", tasks: 400, annotators, overlap: 3 });
  const app = await startAppInstance({
    databaseUrl: options.databaseUrl,
    secret: randomBytes(32).toString("base64url"),
    poolSize: 4,
    echoStderr: false,
    // A short wait for a connection keeps requests during the outage quick to fail.
    env: { DATABASE_CONNECT_TIMEOUT_MS: "2000" },
  });
  try {
    const cookies = await signInAll(app.base, project.emails, 3);
    let phase: "before" | "outage" | "after" = "before";
    let stopping = false;
    let healedAt = 0;
    let recoveredAt = 0;
    const answers: FaultRunResult["answers"] = [];
    const acked = new Map<number, number>();
    const record = (what: "next" | "submit", answer: Answer) => {
      answers.push({ phase, what, answer });
      if (answer.status === 200 && phase === "after" && !recoveredAt) recoveredAt = performance.now();
    };

    const worker = async (w: number) => {
      while (!stopping) {
        const lease = await request("POST", `${app.base}/api/projects/${project.slug}/tasks/next`, cookies[w]!, {});
        record("next", lease);
        if (lease.status === 204) return;
        if (lease.status !== 200) {
          await sleep(100);
          continue;
        }
        const assignmentId = (lease.body as { assignment: { id: number } }).assignment.id;
        const strength = randomStrength();
        // Retry while the answer is unclear; a retried submit is idempotent.
        for (;;) {
          const sub = await request("POST", `${app.base}/api/assignments/${assignmentId}/judgment`, cookies[w]!, {
            strength,
            seconds: 12.5,
          });
          record("submit", sub);
          if (sub.status === 200) {
            acked.set(assignmentId, (sub.body as { judgment: { id: number } }).judgment.id);
            break;
          }
          if (!unclear(sub) || stopping) break;
          await sleep(100);
        }
      }
    };
    const until = async (condition: () => boolean, maxMs: number) => {
      const deadline = performance.now() + maxMs;
      while (!condition() && performance.now() < deadline) await sleep(50);
    };

    const workers = Array.from({ length: annotators }, (_, w) => worker(w));
    await until(() => acked.size >= submitsBefore, 60_000);

    phase = "outage";
    const injectedAt = performance.now();
    await options.inject();
    const healthDuringOutage: Answer[] = [];
    const failedInOutage = () => answers.filter((a) => a.phase === "outage" && unclear(a.answer)).length;
    // Hold the outage until the app has met it (failed requests, health degraded), at most 10 s.
    const outageDeadline = performance.now() + 10_000;
    while (performance.now() < outageDeadline && (failedInOutage() < 5 || healthDuringOutage.length < 2)) {
      healthDuringOutage.push(await request("GET", `${app.base}/api/health`));
      await sleep(250);
    }
    await options.heal();
    healedAt = performance.now();
    phase = "after";
    const ackedAtHeal = acked.size;
    await until(() => acked.size >= ackedAtHeal + submitsAfter, 60_000);
    const healthAfter = await request("GET", `${app.base}/api/health`);
    stopping = true;
    await Promise.all(workers);

    return {
      answers,
      healthDuringOutage,
      healthAfter,
      recoveryMs: recoveredAt ? recoveredAt - healedAt : NaN,
      outageMs: healedAt - injectedAt,
      acknowledged: acked.size,
      invariants: await checkInvariants(options.pool, project.projectId, acked),
      appAlive: app.child.exitCode === null && app.child.signalCode === null,
      appStderr: app.stderr(),
    };
  } finally {
    await app.stop();
  }
}

/**
 * One request on a connection of its own (no keep-alive): a reused idle socket that the
 * server closes at the same moment fails without any fault of the app, and here every
 * failed connection must mean the app failed. Status 0 = no HTTP answer (with the cause).
 */
function request(method: "GET" | "POST", url: string, cookie?: string, body?: unknown): Promise<Answer> {
  const t0 = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        timeout: 15_000,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (error) => resolve({ status: 0, ms: performance.now() - t0, body: `response: ${String(error)}`, contentType: "" }));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text || null;
          try {
            parsed = text ? (JSON.parse(text) as unknown) : null;
          } catch {
            // not JSON: kept as text for the assertion message
          }
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - t0,
            body: parsed,
            contentType: String(res.headers["content-type"] ?? ""),
          });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 15 s")));
    req.on("error", (error) => resolve({ status: 0, ms: performance.now() - t0, body: String(error), contentType: "" }));
    req.end(payload);
  });
}
