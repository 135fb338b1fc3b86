/**
 * The annotator loop's SQL functions (db/functions/) on a real PostgreSQL:
 * - arbiter_should_inject_gold and arbiter_display_order give exactly the answers of the
 *   pure rules they mirror (lib/domain/assignment.ts) for the same random numbers;
 * - arbiter_lease_next_task's edge cases: refusals as statuses, the cap, SKIP LOCKED
 *   (a task another transaction holds is passed over without waiting, closest to
 *   completion still first), waiting for a held task when nothing else is left — and
 *   reporting an empty queue when its holder filled it. A wait is observed in pg_locks,
 *   never assumed after a sleep.
 */
import { sql } from "drizzle-orm";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { leaseNextTaskInDb, type LeaseOutcome } from "@/db/queries/assignments";
import { chooseDisplayOrder, shouldInjectGold } from "@/lib/domain/assignment";
import { createRng } from "@/lib/domain/stats/rng";
import { leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { makeAnnotator, makeAnnotators, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const ctx = (actor: Actor) => ({ db: t.db, actor });
const DEFAULTS = { goldRatio: 0.05, maxLeasesPerAnnotator: 2, leaseMinutes: 20 };

function lease(slug: string, annotatorId: number, rands: number[] = [0.5, 0.5, 0.5, 0.5]): Promise<LeaseOutcome> {
  return leaseNextTaskInDb(t.db, {
    slug,
    annotatorId,
    now: new Date(),
    exclude: [],
    todaySince: new Date(0),
    rands,
    window: 32,
    defaults: DEFAULTS,
  });
}

/**
 * Resolves once some statement waits for a lock that `holder`'s transaction holds (an
 * ungranted lock in pg_locks whose blocker is the holder's backend), so a test knows the
 * lease is blocked rather than guessing with a sleep.
 */
async function blockedBy(holder: pg.PoolClient): Promise<void> {
  const { rows } = await holder.query<{ pid: number }>("select pg_backend_pid() as pid");
  const pid = rows[0]!.pid;
  for (let i = 0; i < 1000; i++) {
    const { rows: waiting } = await t.pool.query<{ n: number }>(
      "select count(*)::int as n from pg_locks l where not l.granted and $1 = any(pg_blocking_pids(l.pid))",
      [pid],
    );
    if (waiting[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no statement ever waited for the holder's lock");
}

/**
 * Runs `during` while another transaction holds the task's row lock (as a concurrent lease
 * or submit would), then commits that transaction; answers what `during` answers.
 */
async function holdingTask<T>(taskId: number, during: (holder: pg.PoolClient) => Promise<T>): Promise<T> {
  const holder = await t.pool.connect();
  try {
    await holder.query("begin");
    await holder.query("select id from tasks where id = $1 for update", [taskId]);
    const value = await during(holder);
    await holder.query("commit");
    return value;
  } finally {
    holder.release();
  }
}

/** A RandomSource that hands out `values` in order. */
function replay(values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error("ran out of random numbers");
    return values[i++]!;
  };
}

describe("the SQL mirrors of the pure rules", () => {
  it("arbiter_should_inject_gold agrees with shouldInjectGold", async () => {
    const rng = createRng(7);
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0.1],
      [0.5, 0, 0, 0.99],
      [0.2, 1, 4, 0.2],
    ];
    for (let i = 0; i < 200; i++) {
      const total = Math.floor(rng.next() * 50);
      cases.push([Math.round(rng.next() * 50) / 100, Math.floor(rng.next() * (total + 1)), total, rng.next()]);
    }
    const { rows } = await t.db.execute<{ r: boolean[] }>(sql`
      select array_agg(arbiter_should_inject_gold(c.ratio, c.gold, c.total, c.u) order by c.n) as r
      from unnest(${sql.param(cases.map((c) => c[0]))}::float8[], ${sql.param(cases.map((c) => c[1]))}::int[],
                  ${sql.param(cases.map((c) => c[2]))}::int[], ${sql.param(cases.map((c) => c[3]))}::float8[])
           with ordinality as c(ratio, gold, total, u, n)`);
    const expected = cases.map(([goldRatio, goldSoFar, totalSoFar, u]) => shouldInjectGold({ goldRatio, goldSoFar, totalSoFar }, () => u));
    expect(rows[0]!.r).toEqual(expected);
    expect(expected.filter(Boolean).length).toBeGreaterThan(10);
  });

  it("arbiter_display_order agrees with chooseDisplayOrder for the same random numbers", async () => {
    const rng = createRng(11);
    for (let i = 0; i < 120; i++) {
      const k = 2 + Math.floor(rng.next() * 5);
      const firsts = Array.from({ length: Math.floor(rng.next() * 7) }, () => Math.floor(rng.next() * k));
      const draws = Array.from({ length: k }, () => rng.next());
      // Only an order's first slot matters to the rule.
      const used = firsts.map((f) => [f, ...Array.from({ length: k }, (_, j) => j).filter((j) => j !== f)]);
      const expected = chooseDisplayOrder(k, used, replay(draws));
      const { rows } = await t.db.execute<{ o: number[] }>(
        sql`select arbiter_display_order(${k}, ${sql.param(firsts)}::int[], ${sql.param(draws)}::float8[]) as o`,
      );
      expect(rows[0]!.o, `k=${k} firsts=${firsts.join(",")}`).toEqual(expected);
    }
  });

  it("arbiter_display_order refuses fewer than two candidates, like the rule", async () => {
    await expect(t.db.execute(sql`select arbiter_display_order(1, '{}', '{0.5}')`)).rejects.toThrow();
    expect(() => chooseDisplayOrder(1, [], Math.random)).toThrow(RangeError);
  });
});

describe("arbiter_lease_next_task", () => {
  it("reports an unknown project, a non-member, a paused member and a paused project as statuses", async () => {
    expect((await lease("no-such-project", 1)).status).toBe("not_found");
    const project = await makeProject(t.db);
    await makeTask(t.db, project);
    const stranger = await makeUser(t.db);
    const outsider = await lease(project.slug, stranger.id);
    expect(outsider).toMatchObject({ status: "refused", memberStatus: null, project: { id: project.id, status: "active" } });
    const member = await makeAnnotator(t.db, project.id);
    await t.db.execute(sql`update project_members set status = 'paused' where user_id = ${member.id}`);
    expect(await lease(project.slug, member.id)).toMatchObject({ status: "refused", memberStatus: "paused" });
    const paused = await makeProject(t.db, {}, { status: "paused" });
    await makeTask(t.db, paused);
    const worker = await makeAnnotator(t.db, paused.id);
    expect(await lease(paused.slug, worker.id)).toMatchObject({ status: "refused", memberStatus: "active", project: { status: "paused" } });
  });

  it("reports the cap with the number of live leases held, and resumes instead when one is not excluded", async () => {
    const project = await makeProject(t.db, { maxLeasesPerAnnotator: 1, goldRatio: 0 });
    await makeTask(t.db, project);
    await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    const first = await lease(project.slug, a.id);
    expect(first.status).toBe("leased");
    const again = await lease(project.slug, a.id);
    expect(again.status).toBe("resumed");
    const id = first.status === "leased" ? first.lease.id : -1;
    const capped = await leaseNextTaskInDb(t.db, {
      slug: project.slug,
      annotatorId: a.id,
      now: new Date(),
      exclude: [id],
      todaySince: new Date(0),
      rands: [0.5, 0.5, 0.5],
      window: 32,
      defaults: DEFAULTS,
    });
    expect(capped).toMatchObject({ status: "capped", liveLeases: 1 });
  });

  it("returns the content in canonical order and the display order it stored", async () => {
    const project = await makeProject(t.db, { mode: "ranking", overlap: 2, goldRatio: 0 });
    const made = await makeTask(t.db, project, { k: 4 });
    const a = await makeAnnotator(t.db, project.id);
    const out = await lease(project.slug, a.id, [0.5, 0.5, 0.9, 0.1, 0.6]);
    if (out.status !== "leased") throw new Error(out.status);
    expect(out.contents).toEqual(made.candidates.map((c) => c.content));
    // No order handed out yet: every candidate is "first least often"; 0.9 of 4 picks index 3.
    expect(out.lease.displayOrder).toEqual(chooseDisplayOrder(4, [], replay([0.9, 0.1, 0.6])));
    expect(out.lease.displayOrder[0]).toBe(3);
    expect(out.task).toEqual({ id: made.task.id, kind: "ranking", scalePoints: project.scalePoints });
  });

  it("passes over a task another transaction holds, without waiting, and still prefers the closest to completion", async () => {
    const project = await makeProject(t.db, { overlap: 3, goldRatio: 0 });
    const made: Awaited<ReturnType<typeof makeTask>>[] = [];
    for (let i = 0; i < 4; i++) made.push(await makeTask(t.db, project));
    const [x, y, z] = await makeAnnotators(t.db, project.id, 3);
    // Tasks 1 and 2 have one valid judgment each: they come first.
    for (const i of [1, 2]) {
      const a = await makeAssignment(t.db, made[i]!.task.id, project.id, x.id);
      await submitJudgment(ctx(x), { assignmentId: a.id, input: { strength: 1 } });
    }
    await holdingTask(made[1]!.task.id, async () => {
      // Awaited while the lock is held: a lease that waited for it would never return here.
      const out = await lease(project.slug, y.id);
      expect(out.status === "leased" && out.task.id).toBe(made[2]!.task.id);
    });
    // With the lock gone, z is offered task 1 or 2 (both one judgment ahead of the rest).
    const out = await lease(project.slug, z.id);
    expect([made[1]!.task.id, made[2]!.task.id]).toContain(out.status === "leased" ? out.task.id : -1);
  });

  it("waits for a held task when nothing else is left, and takes it when its holder leaves room", async () => {
    const project = await makeProject(t.db, { overlap: 1, goldRatio: 0 });
    const only = await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    const { pending } = await holdingTask(only.task.id, async (holder) => {
      const pending = lease(project.slug, a.id);
      await blockedBy(holder);
      return { pending };
    });
    const out = await pending;
    expect(out.status === "leased" && out.task.id).toBe(only.task.id);
  });

  it("reports an empty queue when the held task's holder filled it", async () => {
    const project = await makeProject(t.db, { overlap: 1, goldRatio: 0 });
    const only = await makeTask(t.db, project);
    const [a, b] = await makeAnnotators(t.db, project.id, 2);
    const { pending } = await holdingTask(only.task.id, async (holder) => {
      const pending = lease(project.slug, a.id);
      await blockedBy(holder);
      // The holder leases the last slot to b, then commits.
      await holder.query(
        `insert into assignments (task_id, project_id, annotator_id, display_order, expires_at) values ($1, $2, $3, '{0,1}', now() + interval '10 minutes')`,
        [only.task.id, project.id, b.id],
      );
      return { pending };
    });
    expect((await pending).status).toBe("empty");
    expect(await leaseNextTask(ctx(a), { projectSlug: project.slug })).toBeNull();
  });

  it("counts only the caller's valid judgments since the given instant", async () => {
    const project = await makeProject(t.db, { overlap: 1, goldRatio: 0 });
    for (let i = 0; i < 3; i++) await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    for (let i = 0; i < 2; i++) {
      const l = (await leaseNextTask(ctx(a), { projectSlug: project.slug }))!;
      await submitJudgment(ctx(a), { assignmentId: l.assignment.id, input: { strength: 1 } });
    }
    const next = (await leaseNextTask(ctx(a), { projectSlug: project.slug, todaySince: new Date(Date.now() - 60_000) }))!;
    expect(next.progress.mineToday).toBe(2);
    const tomorrow = await leaseNextTask(ctx(a), { projectSlug: project.slug, todaySince: new Date(Date.now() + 60_000) });
    expect(tomorrow!.progress.mineToday).toBe(0);
    expect(tomorrow!.assignment.resumed).toBe(true);
  });
});
