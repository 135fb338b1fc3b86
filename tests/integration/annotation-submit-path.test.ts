/**
 * The submit's two ways in: the lease facts kept by the process that handed the lease out
 * (no read before the write), and a read of the lease when another instance handed it out
 * or the facts are gone. Both must judge an answer the same way and store the same thing;
 * the project's rules are never more than a few seconds old. Plus the prepared-statement
 * helper the loop's calls go through, on the pool and inside a transaction.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { queryPrepared } from "@/db/queries/prepared";
import { judgments, projects } from "@/db/schema";
import { leaseNextTask, skipAssignment, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { makeAnnotator, makeProject, makeTask } from "../factories";
import { anotherInstance, useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
/** What another app instance would be. */
let other: { db: Db };
beforeAll(async () => {
  t = await useTestDatabase();
  other = { db: anotherInstance(t) };
});

async function setup(settings: Partial<ProjectSettings> = {}, nTasks = 2) {
  const project = await makeProject(t.db, settings);
  for (let i = 0; i < nTasks; i++) await makeTask(t.db, project);
  const a = await makeAnnotator(t.db, project.id);
  const b = await makeAnnotator(t.db, project.id);
  return { project, a, b };
}

const on = (db: Db, actor: Actor) => ({ db, actor });

describe("submit after a lease from this process or from another", () => {
  for (const where of ["this process", "another instance"] as const) {
    it(`stores the same canonical answer when the lease came from ${where}`, async () => {
      const { project, a } = await setup();
      const leaseDb = where === "this process" ? t.db : other.db;
      const lease = (await leaseNextTask(on(leaseDb, a), { projectSlug: project.slug }))!;
      const { judgment, replayed } = await submitJudgment(on(t.db, a), {
        assignmentId: lease.assignment.id,
        input: { strength: -2, seconds: 7 },
      });
      expect(replayed).toBe(false);
      expect(judgment.answer.strength).toBe(-2);
      const [row] = await t.db.select().from(judgments).where(eq(judgments.id, judgment.id));
      // Negative means the reply shown first is better; stored in canonical order.
      expect(row!.strength).toBe(row!.displayOrder[0] === 0 ? -2 : 2);
      // A retry is a replay either way, counted once.
      const again = await submitJudgment(on(t.db, a), { assignmentId: lease.assignment.id, input: { strength: -2, seconds: 7 } });
      expect(again).toMatchObject({ replayed: true, judgment: { id: judgment.id } });
    });

    it(`refuses someone else's lease and a skipped one when the lease came from ${where}`, async () => {
      const { project, a, b } = await setup();
      const leaseDb = where === "this process" ? t.db : other.db;
      const lease = (await leaseNextTask(on(leaseDb, a), { projectSlug: project.slug }))!;
      expect((await failure(submitJudgment(on(t.db, b), { assignmentId: lease.assignment.id, input: { strength: 1 } }))).code).toBe(
        "FORBIDDEN",
      );
      await skipAssignment(on(leaseDb, a), { assignmentId: lease.assignment.id, input: { reason: "cannot_judge" } });
      const skipped = await failure(submitJudgment(on(t.db, a), { assignmentId: lease.assignment.id, input: { strength: 1 } }));
      expect(skipped.code).toBe("CONFLICT");
      expect(skipped.message).toMatch(/skipped/);
    });
  }

  it("checks an answer against the project's current rules once the kept ones are a few seconds old", async () => {
    const { project, a } = await setup({ rationale: "optional" });
    const leasedAt = new Date();
    const lease = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug, now: leasedAt }))!;
    await t.db
      .update(projects)
      .set({ settings: sql`${projects.settings} || '{"rationale": "required"}'::jsonb` })
      .where(eq(projects.id, project.id));
    const later = new Date(leasedAt.getTime() + 6_000);
    const missing = await failure(submitJudgment(on(t.db, a), { assignmentId: lease.assignment.id, input: { strength: 1 }, now: later }));
    expect(missing.code).toBe("VALIDATION");
    expect(missing.fields).toHaveProperty("rationale");
    const stored = await submitJudgment(on(t.db, a), {
      assignmentId: lease.assignment.id,
      input: { strength: 1, rationale: "更贴合人设" },
      now: later,
    });
    expect(stored.judgment.answer.rationale).toBe("更贴合人设");
  });

  it("refuses a paused member's answer on a lease this process handed out", async () => {
    const { project, a } = await setup();
    const lease = (await leaseNextTask(on(t.db, a), { projectSlug: project.slug }))!;
    await t.db.execute(sql`update project_members set status = 'paused' where project_id = ${project.id} and user_id = ${a.id}`);
    const paused = await failure(submitJudgment(on(t.db, a), { assignmentId: lease.assignment.id, input: { strength: 1 } }));
    expect(paused.code).toBe("FORBIDDEN");
    expect(await t.db.select().from(judgments).where(eq(judgments.assignmentId, lease.assignment.id))).toEqual([]);
  });
});

describe("queryPrepared", () => {
  it("gives the same rows on the pool (named statement) and inside a transaction (through drizzle)", async () => {
    const text = "select $1::int + $2::int as sum, $3::text as label, $4::bigint[] as ids, $5::timestamptz as at";
    const values = [2, 3, "孙悟空 'quoted' $1", [7, 8], "2026-11-26T08:00:00.000Z"];
    const [onPool] = await queryPrepared<{ sum: number; label: string; ids: string[]; at: Date | string }>(
      t.db,
      "arbiter_test_prepared",
      text,
      values,
    );
    const [again] = await queryPrepared<{ sum: number; label: string }>(t.db, "arbiter_test_prepared", text, values);
    const [inTx] = await t.db.transaction((tx) =>
      queryPrepared<{ sum: number; label: string; ids: string[]; at: Date | string }>(tx, "arbiter_test_prepared", text, values),
    );
    expect(onPool).toMatchObject({ sum: 5, label: "孙悟空 'quoted' $1" });
    expect(again).toMatchObject({ sum: 5, label: "孙悟空 'quoted' $1" });
    expect(inTx).toMatchObject({ sum: 5, label: "孙悟空 'quoted' $1" });
    expect(onPool!.ids.map(Number)).toEqual([7, 8]);
    expect(inTx!.ids.map(Number)).toEqual([7, 8]);
    expect(new Date(onPool!.at).toISOString()).toBe("2026-11-26T08:00:00.000Z");
    expect(new Date(inTx!.at).toISOString()).toBe("2026-11-26T08:00:00.000Z");
  });
});
