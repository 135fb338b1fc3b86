/**
 * The engine's invariants under load: many annotators leasing, submitting, retrying,
 * skipping and abandoning leases at once, through two pools (two "app instances"), with
 * randomised interleavings and a clock that jumps past lease expiry. Afterwards:
 * never more valid judgments than overlap, never one annotator twice on a task, the
 * trigger-kept count equal to the real count, and every task finished.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { leaseNextTask, skipAssignment, submitJudgment } from "@/lib/services/annotation";
import { transactionRetries } from "@/lib/services/transactions";
import type { Actor } from "@/lib/services/context";
import { createRng } from "@/lib/domain/stats/rng";
import { makeAnnotator, makeProject, makeTask } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const ANNOTATORS = 30;
const TASKS = 40;
const OVERLAP = 3;
const ROUNDS = Number(process.env.ANNOTATION_STRESS_ROUNDS ?? 3);

let t: TestDatabase;
const instances: { db: Db; end: () => Promise<void> }[] = [];

beforeAll(async () => {
  t = await useTestDatabase();
  // Two "app instances", each with its own pool, on one database.
  for (let i = 0; i < 2; i++) {
    const { db, pool } = createDb(t.url, 24);
    instances.push({ db, end: () => pool.end() });
  }
});
afterAll(async () => {
  for (const i of instances) await i.end();
});

const pause = (random: () => number) =>
  random() < 0.5 ? new Promise<void>((r) => setImmediate(r)) : new Promise<void>((r) => setTimeout(r, Math.floor(random() * 3)));

async function run(seed: number) {
  const rng = createRng(seed);
  const random = () => rng.next();
  const project = await makeProject(t.db, { overlap: OVERLAP, leaseMinutes: 5, maxLeasesPerAnnotator: 2, goldRatio: 0.1 });
  for (let i = 0; i < TASKS; i++) await makeTask(t.db, project, i % 10 === 0 ? { gold: { strength: 1 } } : {});
  const people: Actor[] = [];
  for (let i = 0; i < ANNOTATORS; i++) people.push(await makeAnnotator(t.db, project.id));

  // A shared virtual clock; now and then someone "walks away" and it jumps past expiry.
  let clock = Date.now();
  const now = () => new Date(clock);
  const stats = { leases: 0, submits: 0, replays: 0, skips: 0, abandoned: 0, lateRefused: 0 };

  async function annotator(actor: Actor, index: number): Promise<number> {
    const ctx = { db: instances[index % 2]!.db, actor };
    let got = 0;
    for (;;) {
      await pause(random);
      const lease = await leaseNextTask(ctx, { projectSlug: project.slug, now: now() });
      if (!lease) return got;
      got++;
      stats.leases++;
      await pause(random);
      const roll = random();
      const assignmentId = lease.assignment.id;
      if (roll < 0.05) {
        // Abandon: time passes beyond the lease; the next request reclaims it.
        stats.abandoned++;
        clock += 6 * 60_000;
        continue;
      }
      if (roll < 0.12) {
        await skipAssignment(ctx, { assignmentId, input: { reason: "cannot_judge" }, now: now() });
        stats.skips++;
        continue;
      }
      const input = { strength: Math.floor(random() * 7) - 3, rationale: "ok", seconds: random() * 60 };
      const attempts = roll < 0.3 ? 3 : 1; // a client that retries (double click, timeout)
      const results = await Promise.allSettled(
        Array.from({ length: attempts }, () => submitJudgment(ctx, { assignmentId, input, now: now() })),
      );
      const ok = results
        .filter((r) => r.status === "fulfilled")
        .map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof submitJudgment>>>).value);
      const failed = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
      for (const f of failed) {
        // The only acceptable failure: a lease that expired (clock jump) on a task others filled.
        if (!(f instanceof AppError && f.code === "CONFLICT" && /ran out|all the judgments/.test(f.message))) throw f;
        stats.lateRefused++;
      }
      if (ok.length) {
        expect(new Set(ok.map((o) => o.judgment.id)).size).toBe(1);
        stats.submits++;
        stats.replays += ok.filter((o) => o.replayed).length;
      }
    }
  }

  // Passes until a whole pass hands out nothing: expired leases left behind are taken again.
  for (let pass = 0; pass < 10; pass++) {
    const got = await Promise.all(people.map((p, i) => annotator(p, i)));
    if (got.every((n) => n === 0)) break;
  }
  return { project, stats };
}

async function invariants(projectId: number) {
  const { rows: over } = await t.db.execute(sql`
    select t.id, t.valid_judgments, t.overlap, count(j.id) filter (where j.state = 'valid') as real
    from tasks t left join judgments j on j.task_id = t.id
    where t.project_id = ${projectId}
    group by t.id
    having count(j.id) filter (where j.state = 'valid') > t.overlap or count(j.id) filter (where j.state = 'valid') <> t.valid_judgments`);
  const { rows: twice } = await t.db.execute(sql`
    select task_id, annotator_id, count(*) from judgments
    where project_id = ${projectId} and state <> 'superseded'
    group by task_id, annotator_id having count(*) > 1`);
  const { rows: judgedAndSkipped } = await t.db.execute(sql`
    select task_id, annotator_id from assignments
    where project_id = ${projectId} and state in ('submitted', 'skipped')
    group by task_id, annotator_id having count(*) > 1`);
  const { rows: incomplete } = await t.db.execute(sql`
    select count(*)::int as n from tasks where project_id = ${projectId} and valid_judgments < overlap`);
  return { over, twice, judgedAndSkipped, incomplete: (incomplete[0] as { n: number }).n };
}

describe(`${ANNOTATORS} concurrent annotators, ${TASKS} tasks, overlap ${OVERLAP}, two app instances`, () => {
  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: never over-assigns, never twice per annotator, finishes every task`, { timeout: 120_000 }, async () => {
      const { project, stats } = await run(1000 + round);
      const result = await invariants(project.id);
      expect(result.over).toEqual([]);
      expect(result.twice).toEqual([]);
      expect(result.judgedAndSkipped).toEqual([]);
      // 30 annotators, at most ~12% skipping: every task reaches its overlap.
      expect(result.incomplete).toBe(0);
      expect(stats.submits).toBeGreaterThanOrEqual(TASKS * OVERLAP);
      expect(stats.replays).toBeGreaterThan(0);
      console.log(`[concurrency] round ${round}:`, JSON.stringify({ ...stats, deadlockRetriesSoFar: transactionRetries() }));
    });
  }
});
