/**
 * The workspace's submit and skip, which carry the next lease (submitJudgmentAndLeaseNext,
 * skipAndLeaseNext; arbiter_submit_and_lease_next): the same next task, payload and stored
 * judgment as the two verbs one after the other; the invariants and the lease facts kept
 * for the next submit; a submit that stores nothing leases nothing (its transaction rolls
 * back whole); and the commit that stores a judgment stays synchronous.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { submitAndLeaseNextInDb } from "@/db/queries/assignments";
import { assignments, judgments, projects, tasks } from "@/db/schema";
import { leaseNextTask, skipAndLeaseNext, skipAssignment, submitJudgment, submitJudgmentAndLeaseNext } from "@/lib/services/annotation";
import type { LeasePayload } from "@/lib/services/annotation-views";
import type { Actor } from "@/lib/services/context";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { addJudgments, makeAnnotator, makeProject, makeTask } from "../factories";
import { anotherInstance, useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
/** What another app instance would be. */
let other: { db: Db };
beforeAll(async () => {
  t = await useTestDatabase();
  other = { db: anotherInstance(t) };
});

const on = (db: Db, actor: Actor) => ({ db, actor });

/** The same uniform numbers on every run. */
function draws(): () => number {
  let x = 0.137;
  return () => {
    x = (x * 9301 + 0.49297) % 1;
    return x;
  };
}

/**
 * A project whose queue order is decided by completion alone: of five tasks, #3 has two
 * judgments of three, #1 one, the others none. The annotator is given #3, then #1.
 */
async function queue(settings: Partial<ProjectSettings> = {}) {
  const project = await makeProject(t.db, { goldRatio: 0, overlap: 3, ...settings });
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await makeTask(t.db, project)).task);
  const [a, b, c] = [await makeAnnotator(t.db, project.id), await makeAnnotator(t.db, project.id), await makeAnnotator(t.db, project.id)];
  await addJudgments(t.db, made[3]!, [{ annotatorId: b.id }, { annotatorId: c.id, displayOrder: [1, 0] }]);
  await addJudgments(t.db, made[1]!, [{ annotatorId: b.id }]);
  return { project, tasks: made, a, b, c };
}

async function liveLeases(annotatorId: number, projectId: number) {
  return t.db
    .select()
    .from(assignments)
    .where(and(eq(assignments.annotatorId, annotatorId), eq(assignments.projectId, projectId), eq(assignments.state, "active")));
}

/** A lease payload without what differs between two projects (ids, times). */
function shape(lease: LeasePayload, taskIds: number[]) {
  const { assignment, project, task, ...rest } = lease;
  return { resumed: assignment.resumed, settings: project.settings, task: { ...task, id: taskIds.indexOf(task.id) }, ...rest };
}

describe("submit carrying the next lease", () => {
  it("gives the same next task, display order and stored answer as submit then next", async () => {
    const results = [];
    for (const way of ["two verbs", "one call"] as const) {
      const { project, tasks: made, a } = await queue();
      const random = draws();
      const now = new Date();
      const first = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug, now }, { random }))!;
      expect(made.map((m) => m.id).indexOf(first.task.id)).toBe(3);
      const input = { strength: -2, seconds: 9 };
      let judgmentId: number;
      let next: LeasePayload | null;
      if (way === "two verbs") {
        judgmentId = (await submitJudgment(on(t.db, a), { assignmentId: first.assignment.id, input, now })).judgment.id;
        next = await leaseNextTask(on(t.db, a), { projectSlug: project.slug, now }, { random });
      } else {
        const both = await submitJudgmentAndLeaseNext(
          on(t.db, a),
          { assignmentId: first.assignment.id, input, projectSlug: project.slug, now },
          { random },
        );
        expect(both.replayed).toBe(false);
        expect(both.next.ok).toBe(true);
        judgmentId = both.judgment.id;
        next = both.next.ok ? both.next.lease : null;
      }
      const [stored] = await t.db.select().from(judgments).where(eq(judgments.id, judgmentId));
      const [old] = await t.db.select().from(assignments).where(eq(assignments.id, first.assignment.id));
      results.push({
        next: shape(
          next!,
          made.map((m) => m.id),
        ),
        stored: { strength: stored!.strength, displayOrder: stored!.displayOrder, state: stored!.state, seconds: stored!.seconds },
        oldLease: old!.state,
      });
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.next.task.id).toBe(1);
    expect(results[0]!.oldLease).toBe("submitted");
    expect(results[0]!.next.progress.mineToday).toBe(1);
  });

  it("keeps the invariants and the lease facts: the next submit works here and on another instance, a retry replays", async () => {
    const { project, tasks: made, a } = await queue();
    const first = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const one = await submitJudgmentAndLeaseNext(on(t.db, a), {
      assignmentId: first.assignment.id,
      input: { strength: 1 },
      projectSlug: project.slug,
    });
    const second = one.next.ok ? one.next.lease! : null;
    expect(second).not.toBeNull();
    // Kept by this instance: its submit needs no read; another instance reads the lease.
    const two = await submitJudgmentAndLeaseNext(on(other.db, a), {
      assignmentId: second!.assignment.id,
      input: { strength: 2 },
      projectSlug: project.slug,
    });
    const third = two.next.ok ? two.next.lease! : null;
    const three = await submitJudgmentAndLeaseNext(on(t.db, a), {
      assignmentId: third!.assignment.id,
      input: { strength: 0, rationale: "alike" },
      projectSlug: project.slug,
    });
    expect(three.next.ok && three.next.lease).toBeTruthy();
    // A retry of a submit is a replay, counted once; the next lease is resumed, not doubled.
    const again = await submitJudgmentAndLeaseNext(on(t.db, a), {
      assignmentId: third!.assignment.id,
      input: { strength: 0, rationale: "alike" },
      projectSlug: project.slug,
    });
    expect(again).toMatchObject({ replayed: true, judgment: { id: three.judgment.id } });
    expect(again.next).toMatchObject({
      ok: true,
      lease: { assignment: { id: three.next.ok ? three.next.lease!.assignment.id : 0, resumed: true } },
    });
    expect(await liveLeases(a.id, project.id)).toHaveLength(1);

    const counts = await t.db.execute<{ id: string; valid_judgments: number; overlap: number; real: number }>(sql`
      select t.id, t.valid_judgments, t.overlap, (select count(*)::int from judgments j where j.task_id = t.id and j.state = 'valid') as real
      from tasks t where t.project_id = ${project.id}`);
    for (const r of counts.rows) {
      expect(r.valid_judgments).toBe(r.real);
      expect(r.valid_judgments).toBeLessThanOrEqual(r.overlap);
    }
    const mine = await t.db.select().from(judgments).where(eq(judgments.annotatorId, a.id));
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((j) => j.taskId)).size).toBe(3);
    expect(made.map((m) => m.id)).toEqual(expect.arrayContaining(mine.map((j) => j.taskId)));
  });

  it("answers null for the next task when the queue is done", async () => {
    const project = await makeProject(t.db, { goldRatio: 0, overlap: 1 });
    await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    const lease = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const done = await submitJudgmentAndLeaseNext(on(t.db, a), {
      assignmentId: lease.assignment.id,
      input: { strength: 1 },
      projectSlug: project.slug,
    });
    expect(done.next).toEqual({ ok: true, lease: null });
  });

  it("leases nothing when the submit stores nothing", async () => {
    const { project, b } = await queue();
    const a = await makeAnnotator(t.db, project.id);
    const lease = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const call = (who: Actor, input: unknown, db = t.db) =>
      submitJudgmentAndLeaseNext(on(db, who), { assignmentId: lease.assignment.id, input, projectSlug: project.slug });

    // A bad answer, someone else's lease: refused before the write.
    expect((await failure(call(a, { strength: 9 }))).code).toBe("VALIDATION");
    expect((await failure(call(b, { strength: 1 }))).code).toBe("FORBIDDEN");
    expect(await liveLeases(b.id, project.id)).toHaveLength(0);

    // The project paused since the lease: refused under the locks (this instance kept the
    // lease's facts, so the write runs) or by the read (another instance); nothing leased.
    await t.db.update(projects).set({ status: "paused" }).where(eq(projects.id, project.id));
    for (const db of [t.db, other.db]) expect((await failure(call(a, { strength: 1 }, db))).message).toMatch(/paused/);
    await t.db.update(projects).set({ status: "active" }).where(eq(projects.id, project.id));
    expect(await liveLeases(a.id, project.id)).toHaveLength(1);

    // The overlap CHECK raises inside the statement: the whole transaction rolls back.
    const [task] = await t.db.select().from(tasks).where(eq(tasks.id, lease.task.id));
    const fillers = [];
    for (let i = 0; i < task!.overlap - task!.validJudgments; i++)
      fillers.push({ annotatorId: (await makeAnnotator(t.db, project.id)).id });
    await addJudgments(t.db, task!, fillers);
    const full = await failure(call(a, { strength: 1 }));
    expect(full.code).toBe("CONFLICT");
    const live = await liveLeases(a.id, project.id);
    expect(live.map((l) => l.id)).toEqual([lease.assignment.id]);
    expect(await t.db.select().from(judgments).where(eq(judgments.annotatorId, a.id))).toHaveLength(0);
  });

  it("never waits for another task's lock inside the submit's transaction: the judgment commits, then the lease waits", async () => {
    const project = await makeProject(t.db, { goldRatio: 0, overlap: 3 });
    const [t0, t1] = [(await makeTask(t.db, project)).task, (await makeTask(t.db, project)).task];
    const [a, b, c] = [await makeAnnotator(t.db, project.id), await makeAnnotator(t.db, project.id), await makeAnnotator(t.db, project.id)];
    await addJudgments(t.db, t0, [{ annotatorId: b.id }, { annotatorId: c.id }]);
    await addJudgments(t.db, t1, [{ annotatorId: b.id }]);
    const first = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    expect(first.task.id).toBe(t0.id);
    // Another transaction holds the only task left to lease.
    const holder = await t.pool.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from tasks where id = $1 for update", [t1.id]);
      const call = submitJudgmentAndLeaseNext(on(t.db, a), {
        assignmentId: first.assignment.id,
        input: { strength: 1 },
        projectSlug: project.slug,
      });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await t.pool.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        if (rows[0]!.n > 0) break;
        if (Date.now() > deadline) throw new Error("the lease never waited for the held task");
        await new Promise((r) => setTimeout(r, 10));
      }
      // While the lease waits, the judgment is already committed: it waits in a transaction of its own.
      const stored = await t.pool.query("select id from judgments where assignment_id = $1", [first.assignment.id]);
      expect(stored.rowCount).toBe(1);
      await holder.query("commit");
      const done = await call;
      expect(done.next).toMatchObject({ ok: true, lease: { task: { id: t1.id } } });
    } finally {
      await holder.query("rollback").catch(() => undefined);
      holder.release();
    }
  });

  it("commits a stored judgment synchronously, while a lease alone commits asynchronously", async () => {
    const { project, a } = await queue();
    const lease = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const setting = async (work: (tx: Db) => Promise<unknown>) =>
      t.db
        .transaction(async (tx) => {
          await work(tx);
          const { rows } = await tx.execute<{ synchronous_commit: string }>(sql`show synchronous_commit`);
          throw Object.assign(new Error("rollback"), { seen: rows[0]!.synchronous_commit });
        })
        .catch((e: { seen?: string }) => e.seen);
    const lease2 = {
      slug: project.slug,
      todaySince: new Date(0),
      rands: Array(12).fill(0.5),
      window: 32,
      defaults: { goldRatio: 0, maxLeasesPerAnnotator: 2, leaseMinutes: 20 },
    };
    const answer = { strength: 1, ranks: null, bothUnacceptable: false, ratings: {}, unsafe: {}, rationale: null, seconds: 3 };
    expect(
      await setting((tx) =>
        submitAndLeaseNextInDb(tx, {
          submit: { assignmentId: lease.assignment.id, annotatorId: a.id, now: new Date(), answer },
          lease: lease2,
        }),
      ),
    ).toBe("on");
    expect(
      await setting((tx) =>
        tx.execute(
          sql`select * from arbiter_lease_next_task(${project.slug}, ${a.id}, now(), '{}'::bigint[], now(), array[0.5]::float8[], 32, 0, 2, 20)`,
        ),
      ),
    ).toBe("off");
  });
});

describe("skip carrying the next lease", () => {
  it("skips, then leases the next task; someone else's lease is refused with nothing leased", async () => {
    const { project, tasks: made, a, b } = await queue();
    const first = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const refused = await failure(
      skipAndLeaseNext(on(t.db, b), { assignmentId: first.assignment.id, input: { reason: "cannot_judge" }, projectSlug: project.slug }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(await liveLeases(b.id, project.id)).toHaveLength(0);

    const skipped = await skipAndLeaseNext(on(t.db, a), {
      assignmentId: first.assignment.id,
      input: { reason: "cannot_judge" },
      projectSlug: project.slug,
    });
    expect(skipped).toMatchObject({ assignmentId: first.assignment.id, state: "skipped" });
    const next = skipped.next.ok ? skipped.next.lease! : null;
    expect(next!.task.id).toBe(made[1]!.id);
    // As skipAssignment then leaseNextTask: a second skip answers the same and resumes the lease.
    await skipAssignment(on(t.db, a), { assignmentId: first.assignment.id, input: { reason: "cannot_judge" } });
    const again = await skipAndLeaseNext(on(t.db, a), {
      assignmentId: first.assignment.id,
      input: { reason: "cannot_judge" },
      projectSlug: project.slug,
    });
    expect(again.next).toMatchObject({ ok: true, lease: { assignment: { id: next!.assignment.id, resumed: true } } });
  });

  it("reports a refused next lease beside the skip that stands", async () => {
    const { project, a } = await queue();
    const first = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    const result = await skipAndLeaseNext(on(t.db, a), {
      assignmentId: first.assignment.id,
      input: { reason: "cannot_judge" },
      projectSlug: "no-such-project",
    });
    expect(result.state).toBe("skipped");
    expect(result.next).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});
