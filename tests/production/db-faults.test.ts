/**
 * Database faults in the middle of an annotation load run, against `next start` of the
 * production build:
 *
 * 1. every connection of the app's database is terminated (`pg_terminate_backend`) and
 *    the database refuses new ones for a while — works on any server, so it runs in CI
 *    on the machine's PostgreSQL;
 * 2. the server itself goes down hard (immediate shutdown: crash recovery on start) and
 *    comes back on the same port — a private server, never the shared one.
 *
 * In both the app must: answer requests during the outage with a clear 503 JSON error
 * (no 500, no hang, no stack trace), report the outage on /api/health, recover without a
 * restart of its own, and lose or duplicate no acknowledged judgment.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { describeInvariants } from "@/scripts/bench/lib/annotation-load";
import { assertProductionBuild } from "@/scripts/bench/lib/app-instance";
import { useTestDatabase } from "../integration/helpers/db";
import { runWithDatabaseFault, type FaultRunResult } from "./helpers/fault-run";
import { startRestartablePostgres, type RestartablePostgres } from "../integration/helpers/restartable-postgres";

beforeAll(() => {
  assertProductionBuild();
});

/**
 * The assertions both faults share.
 *
 * `leasesMayBeLost`: a lease is written with synchronous_commit off (db/migrations/0003:
 * it holds no judgment), so a crash can lose the last few hundred milliseconds of leases
 * already handed out. Submitting on such a lease is then a 404 NOT_FOUND — or, when the
 * restarted server handed the lost lease's id out again (the id sequence's advance was in
 * the same unflushed WAL), a 403 FORBIDDEN "assigned to someone else": either way the
 * answer is refused, not lost after an acknowledgement, and the annotator takes the next task.
 */
function expectCleanRecovery(label: string, r: FaultRunResult, { leasesMayBeLost = false } = {}) {
  const isLostLease = (a: FaultRunResult["answers"][number]) => {
    if (!leasesMayBeLost || a.what !== "submit") return false;
    const error = (a.answer.body as { error?: { code?: string; message?: string } })?.error;
    if (a.answer.status === 404) return error?.code === "NOT_FOUND";
    return a.answer.status === 403 && error?.code === "FORBIDDEN" && error.message === "This task was assigned to someone else.";
  };
  const lostLeases = r.answers.filter(isLostLease).length;
  const failed = r.answers.filter((a) => a.answer.status !== 200 && a.answer.status !== 204 && !isLostLease(a));
  const byStatus = new Map<number, number>();
  for (const a of failed) byStatus.set(a.answer.status, (byStatus.get(a.answer.status) ?? 0) + 1);
  console.log(
    `[db-faults] ${label}: outage ${(r.outageMs / 1000).toFixed(1)} s; ${r.answers.length} requests, ` +
      `${failed.length} failed (${[...byStatus].map(([s, n]) => `${n}× ${s}`).join(", ") || "none"}); ` +
      (leasesMayBeLost ? `${lostLeases} lease(s) lost in the crash (submit 404, or 403 on a reissued id); ` : "") +
      `recovered ${(r.recoveryMs / 1000).toFixed(2)} s after the database came back; ` +
      `${r.acknowledged} acknowledged submits; ${describeInvariants(r.invariants)}`,
  );

  // The outage was met: requests failed, and health said so.
  expect(failed.length).toBeGreaterThan(0);
  expect(r.healthDuringOutage.some((h) => h.status === 503)).toBe(true);
  for (const h of r.healthDuringOutage.filter((h) => h.status === 503)) {
    // The probe is anonymous: it learns the status, never the database's details.
    expect(h.body).toEqual({ status: "degraded" });
  }
  // Every failure was a clear 503 JSON error: no 500, no dropped connection, no hang.
  for (const { what, answer } of failed) {
    expect({ what, status: answer.status, body: answer.body }).toMatchObject({
      status: 503,
      body: { error: { code: "UNAVAILABLE", message: expect.any(String) } },
    });
    expect(answer.contentType).toContain("application/json");
    expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
  }
  // Recovered without a restart of the app.
  expect(r.appAlive).toBe(true);
  expect(Number.isFinite(r.recoveryMs)).toBe(true);
  expect(r.healthAfter).toMatchObject({ status: 200, body: { status: "ok" } });
  expect(r.answers.filter((a) => a.phase === "after" && a.answer.status === 200).length).toBeGreaterThan(0);
  expect(r.appStderr).not.toMatch(/uncaughtException|unhandledRejection|Unhandled 'error' event/);
  // No acknowledged judgment lost or duplicated; overlap and one-per-annotator held.
  expect(r.invariants).toMatchObject({
    ok: true,
    ackedMissing: 0,
    ackedDuplicated: 0,
    assignmentTwice: 0,
    overOverlap: 0,
    annotatorTwice: 0,
  });
}

describe("the app's connections are terminated and the database refuses new ones", () => {
  it("fails cleanly with 503 during the outage and recovers with no judgment lost", async () => {
    const t = await useTestDatabase();
    const admin = new pg.Client({ connectionString: inject("adminUrl") });
    await admin.connect();
    try {
      const r = await runWithDatabaseFault({
        databaseUrl: t.url,
        pool: t.pool,
        inject: async () => {
          await admin.query(`alter database ${admin.escapeIdentifier(t.name)} with allow_connections false`);
          await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [
            t.name,
          ]);
        },
        heal: async () => {
          await admin.query(`alter database ${admin.escapeIdentifier(t.name)} with allow_connections true`);
        },
      });
      expectCleanRecovery("pg_terminate_backend", r);
    } finally {
      await admin.query(`alter database ${admin.escapeIdentifier(t.name)} with allow_connections true`).catch(() => undefined);
      await admin.end();
    }
  });
});

describe("the PostgreSQL server crashes and restarts", () => {
  let server: RestartablePostgres | null = null;
  afterAll(async () => {
    await server?.destroy();
  });

  it("fails cleanly with 503 while it is down and recovers with no judgment lost", async () => {
    server = await startRestartablePostgres();
    await runMigrations(server.url);
    const { pool } = createDb(server.url, 4);
    try {
      const s = server;
      const r = await runWithDatabaseFault({
        databaseUrl: s.url,
        pool,
        // Immediate shutdown: no checkpoint, so the restart replays the WAL — an
        // acknowledged (committed) judgment must survive it.
        inject: () => s.stop("immediate"),
        heal: () => s.start(),
      });
      expectCleanRecovery("server crash + restart", r, { leasesMayBeLost: true });
    } finally {
      await pool.end();
    }
  });
});
