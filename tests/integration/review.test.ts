/**
 * The leads' quality verbs on a real PostgreSQL: the contested queue and its
 * score, accept / reject / restore, adjudication overriding the vote in a built export,
 * annotator pause / qualification / exclusion, gold set / retire — each refusing the
 * wrong roles and leaving an audit entry.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, judgments, projectMembers, tasks } from "@/db/schema";
import { contestScore } from "@/lib/domain/review";
import { leaseNextTask } from "@/lib/services/annotation";
import { listProjectAnnotators, previewAnnotatorExclusion, setAnnotatorExcluded, setAnnotatorStatus } from "@/lib/services/annotators";
import type { Actor } from "@/lib/services/context";
import { buildExport } from "@/lib/services/exports";
import { memoryWriter } from "@/lib/services/export-bundle";
import { listProjectGold, retireGold, setTaskGold } from "@/lib/services/gold";
import { acceptJudgment, adjudicateTask, getTaskReview, listReviewQueue, rejectJudgment, restoreJudgment } from "@/lib/services/review";
import { actorOf, addJudgments, makeAnnotator, makeAnnotators, makeProjectWithStaff, makeTask, makeUser } from "../factories";
import { expectCode } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [lead, researcher]);

let t: TestDatabase;
let lead: Actor;
let admin: Actor;
let researcher: Actor;
let annotator: Actor;
const ctx = (actor: Actor) => ({ db: t.db, actor });

async function auditActions(targetType: string, targetId: string | number) {
  const rows = await t.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, targetType), eq(auditLog.targetId, String(targetId))))
    .orderBy(auditLog.id);
  return rows.map((r) => r.action);
}

/** DPO training rows (train + test) of a fresh build. */
async function dpoRows(slug: string) {
  const writer = memoryWriter();
  const result = await buildExport(ctx(researcher), {
    projectSlug: slug,
    kind: "dpo",
    policy: { testPercent: 0, minJudgments: 1 },
    writer,
  });
  const text = [...writer.files.entries()]
    .filter(([n]) => n === "train.jsonl" || n === "test.jsonl")
    .map(([, b]) => b.toString("utf8"))
    .join("");
  const rows = text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { rows, counts: result.counts! };
}

beforeAll(async () => {
  t = await useTestDatabase();
  lead = actorOf(await makeUser(t.db, { role: "lead", passwordHash: "x" }));
  admin = actorOf(await makeUser(t.db, { role: "admin", passwordHash: "x" }));
  researcher = actorOf(await makeUser(t.db, { role: "researcher", passwordHash: "x" }));
  annotator = actorOf(await makeUser(t.db, { role: "annotator", passwordHash: "x" }));
});

describe("contest score and queue", () => {
  it("orders split, strong-opposite, unsafe and gold-miss tasks first and agrees with the pure score", async () => {
    const project = await makeProject(t.db, { scalePoints: 7, overlap: 3, goldRatio: 0 });
    const [a1, a2, a3] = await makeAnnotators(t.db, project.id, 3);
    const unanimous = (await makeTask(t.db, project)).task;
    await addJudgments(t.db, unanimous, [
      { annotatorId: a1.id, strength: -1 },
      { annotatorId: a2.id, strength: -1 },
      { annotatorId: a3.id, strength: -1 },
    ]);
    const clash = (await makeTask(t.db, project, { characterName: "林黛玉" })).task;
    await addJudgments(t.db, clash, [
      { annotatorId: a1.id, strength: -3 },
      { annotatorId: a2.id, strength: 3 },
      { annotatorId: a3.id, strength: 0 },
    ]);
    const mild = (await makeTask(t.db, project)).task;
    await addJudgments(t.db, mild, [
      { annotatorId: a1.id, strength: -1 },
      { annotatorId: a2.id, strength: -1 },
      { annotatorId: a3.id, strength: 1 },
    ]);
    const unsafe = (await makeTask(t.db, project)).task;
    await addJudgments(t.db, unsafe, [
      { annotatorId: a1.id, strength: 1, unsafe: { "0": "violence" } },
      { annotatorId: a2.id, strength: 1, unsafe: { "0": "violence" } },
      { annotatorId: a3.id, strength: 1 },
    ]);
    const gold = (await makeTask(t.db, project, { gold: { strength: -2, accept: [-3, -2, -1] } })).task;
    await addJudgments(t.db, gold, [{ annotatorId: a1.id, strength: 2 }]);

    const queue = await listReviewQueue(ctx(lead), { projectSlug: project.slug, contestedOnly: false });
    expect(queue.total).toBe(5);
    expect(queue.rows.map((r) => r.taskId)).toEqual([clash.id, gold.id, unsafe.id, mild.id, unanimous.id]);
    for (const r of queue.rows) {
      expect(r.score).toBeCloseTo(
        contestScore({
          votes: r.votes,
          topVotes: r.topVotes,
          strongOpposite: r.strongOpposite,
          spread: r.spread,
          scalePoints: r.scalePoints,
          unsafeMajority: r.unsafeMajority,
          goldMisses: r.goldMisses,
          goldGraded: r.goldGraded,
        }),
        4,
      );
    }
    expect(queue.rows[0]).toMatchObject({ a: 1, tie: 1, b: 1, strongOpposite: true, spread: 6, models: ["model-0", "model-1"] });
    expect(queue.rows.find((r) => r.taskId === unsafe.id)).toMatchObject({ unsafeMajority: true });
    expect(queue.rows.find((r) => r.taskId === gold.id)).toMatchObject({ goldMisses: 1, goldGraded: 1, isGold: true });

    // Contested only (the default) hides the unanimous task; filters narrow; pages are server-side.
    const contested = await listReviewQueue(ctx(lead), { projectSlug: project.slug });
    expect(contested.rows.map((r) => r.taskId)).not.toContain(unanimous.id);
    const byCharacter = await listReviewQueue(ctx(lead), { projectSlug: project.slug, character: "林黛玉" });
    expect(byCharacter.rows.map((r) => r.taskId)).toEqual([clash.id]);
    const page2 = await listReviewQueue(ctx(lead), { projectSlug: project.slug, contestedOnly: false, page: 2, pageSize: 2 });
    expect(page2.rows.map((r) => r.taskId)).toEqual([unsafe.id, mild.id]);
    expect(page2.total).toBe(5);
    const byAnnotator = await listReviewQueue(ctx(lead), {
      projectSlug: project.slug,
      annotator: a1.id,
      model: "model-0",
      contestedOnly: false,
    });
    expect(byAnnotator.total).toBe(5);

    await expectCode(listReviewQueue(ctx(researcher), {}), "FORBIDDEN");
    await expectCode(getTaskReview(ctx(annotator), { taskId: clash.id }), "FORBIDDEN");
    const review = await getTaskReview(ctx(admin), { taskId: clash.id });
    expect(review.judgments).toHaveLength(3);
    expect(review.task.candidates.map((c) => c.model)).toEqual(["model-0", "model-1"]);
  });
});

describe("verdicts", () => {
  it("reject puts the task back for another annotator and changes the export; restore only while there is room", async () => {
    const project = await makeProject(t.db, { scalePoints: 7, overlap: 3, goldRatio: 0 });
    const [a1, a2, a3, a4] = await makeAnnotators(t.db, project.id, 4);
    const { task } = await makeTask(t.db, project);
    const [j1, j2] = await addJudgments(t.db, task, [
      { annotatorId: a1.id, strength: -2 },
      { annotatorId: a2.id, strength: -2 },
      { annotatorId: a3.id, strength: 3 },
    ]);
    // Complete: nothing to lease for a fourth annotator.
    expect(await leaseNextTask(ctx(a4), { projectSlug: project.slug })).toBeNull();
    expect((await dpoRows(project.slug)).rows).toHaveLength(1);

    for (const who of [annotator, researcher]) {
      await expectCode(rejectJudgment(ctx(who), { judgmentId: j1!.id, note: "x" }), "FORBIDDEN");
      await expectCode(acceptJudgment(ctx(who), { judgmentId: j1!.id }), "FORBIDDEN");
      await expectCode(restoreJudgment(ctx(who), { judgmentId: j1!.id }), "FORBIDDEN");
    }
    const noNote = await expectCode(rejectJudgment(ctx(lead), { judgmentId: j1!.id, note: " " }), "VALIDATION");
    expect(noNote.fields?.note).toBeDefined();

    await acceptJudgment(ctx(lead), { judgmentId: j2!.id, note: "fine" });
    const rejected = await rejectJudgment(ctx(lead), { judgmentId: j1!.id, note: "did not read the dialogue" });
    expect(rejected).toMatchObject({ state: "rejected", validJudgments: 2 });
    const [row] = await t.db.select({ valid: tasks.validJudgments }).from(tasks).where(eq(tasks.id, task.id));
    expect(row!.valid).toBe(2);
    await expectCode(rejectJudgment(ctx(lead), { judgmentId: j1!.id, note: "again" }), "CONFLICT");
    await expectCode(acceptJudgment(ctx(lead), { judgmentId: j1!.id }), "CONFLICT");

    // One A and one B vote left: no majority, so the export loses its row.
    expect((await dpoRows(project.slug)).rows).toHaveLength(0);
    // The task is offered again — to someone who has not judged it.
    expect(await leaseNextTask(ctx(a1), { projectSlug: project.slug })).toBeNull();
    const lease = await leaseNextTask(ctx(a4), { projectSlug: project.slug });
    expect(lease?.task.id).toBe(task.id);

    // While a4 holds the place, the rejection cannot be reverted.
    await expectCode(restoreJudgment(ctx(lead), { judgmentId: j1!.id }), "CONFLICT");
    await t.db.execute(sql`update assignments set state = 'released' where id = ${lease!.assignment.id}`);
    await restoreJudgment(ctx(lead), { judgmentId: j1!.id, note: "second look: fine" });
    const [back] = await t.db.select({ state: judgments.state }).from(judgments).where(eq(judgments.id, j1!.id));
    expect(back!.state).toBe("valid");
    expect((await dpoRows(project.slug)).rows).toHaveLength(1);
    expect(await auditActions("judgment", j1!.id)).toEqual(["judgment.reject", "judgment.restore"]);
    expect(await auditActions("judgment", j2!.id)).toEqual(["judgment.accept"]);

    const review = await getTaskReview(ctx(lead), { taskId: task.id });
    expect(review.judgments.find((j) => j.id === j1!.id)?.verdict).toMatchObject({ verdict: "accept", note: "second look: fine" });
  });

  it("an adjudicated label overrides the vote in a built export and replaces the standing one", async () => {
    const project = await makeProject(t.db, { scalePoints: 7, overlap: 3, goldRatio: 0 });
    const ids = await makeAnnotators(t.db, project.id, 3);
    const { task } = await makeTask(t.db, project);
    await addJudgments(
      t.db,
      task,
      ids.map((a) => ({ annotatorId: a.id, strength: -2 })),
    );
    const before = await dpoRows(project.slug);
    expect(before.rows[0]).toMatchObject({ chosen_model: "model-0", rejected_model: "model-1" });

    for (const who of [annotator, researcher]) await expectCode(adjudicateTask(ctx(who), { taskId: task.id, strength: 2 }), "FORBIDDEN");
    const bad = await expectCode(adjudicateTask(ctx(lead), { taskId: task.id, strength: 5 }), "VALIDATION");
    expect(bad.fields?.strength?.[0]).toMatch(/-3, -2, -1, 0, 1, 2, 3/);
    await expectCode(adjudicateTask(ctx(lead), { taskId: task.id, ranks: [1, 2] }), "VALIDATION");
    await expectCode(adjudicateTask(ctx(lead), { taskId: task.id, strength: 1, bothUnacceptable: true }), "VALIDATION");

    await adjudicateTask(ctx(lead), { taskId: task.id, bothUnacceptable: true, note: "both break character" });
    await adjudicateTask(ctx(admin), { taskId: task.id, strength: 2, note: "B stays in character" });
    const after = await dpoRows(project.slug);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ chosen_model: "model-1", rejected_model: "model-0" });
    expect(after.counts.adjudicated_tasks).toBe(1);
    const review = await getTaskReview(ctx(lead), { taskId: task.id });
    expect(review.task.adjudication?.label).toEqual({ strength: 2 });
    expect(await auditActions("task", task.id)).toEqual(["task.adjudicate", "task.adjudicate"]);
  });
});

describe("annotators", () => {
  it("pause and qualification stop tasks; exclusion changes exports and is reversible", async () => {
    const project = await makeProject(t.db, { scalePoints: 7, overlap: 2, goldRatio: 0 });
    const [a1, a2, a3] = await makeAnnotators(t.db, project.id, 3);
    for (let i = 0; i < 3; i++) {
      const { task } = await makeTask(t.db, project);
      await addJudgments(t.db, task, [
        { annotatorId: a1.id, strength: -2 },
        { annotatorId: a2.id, strength: -1 },
      ]);
    }
    await makeTask(t.db, project);
    const set = (who: Actor, input: Record<string, unknown>) => setAnnotatorStatus(ctx(who), { projectSlug: project.slug, ...input });
    for (const who of [annotator, researcher]) {
      await expectCode(set(who, { userId: a3.id, status: "paused" }), "FORBIDDEN");
      await expectCode(setAnnotatorExcluded(ctx(who), { projectSlug: project.slug, userId: a1.id, excluded: true }), "FORBIDDEN");
      await expectCode(previewAnnotatorExclusion(ctx(who), { projectSlug: project.slug, userId: a1.id }), "FORBIDDEN");
      await expectCode(listProjectAnnotators(ctx(who), { projectSlug: project.slug }), "FORBIDDEN");
    }

    // a3 holds a lease; pausing releases it and refuses new ones.
    expect(await leaseNextTask(ctx(a3), { projectSlug: project.slug })).not.toBeNull();
    const paused = await set(lead, { userId: a3.id, status: "paused" });
    expect(paused.releasedLeases).toBe(1);
    await expectCode(leaseNextTask(ctx(a3), { projectSlug: project.slug }), "FORBIDDEN");
    await set(lead, { userId: a3.id, status: "qualification" });
    await expectCode(leaseNextTask(ctx(a3), { projectSlug: project.slug }), "FORBIDDEN");
    await set(admin, { userId: a3.id, status: "active" });
    expect(await leaseNextTask(ctx(a3), { projectSlug: project.slug })).not.toBeNull();
    expect(await auditActions("user", a3.id)).toEqual(["annotator.pause", "annotator.qualification", "annotator.resume"]);

    // Exclusion: preview first, then the next export counts without a1 (minJudgments 2 → no rows).
    const preview = await previewAnnotatorExclusion(ctx(lead), { projectSlug: project.slug, userId: a1.id });
    expect(preview).toMatchObject({ excluded: false, valid: 3, counted: 3, tasks: 3 });
    const exportWith = async () =>
      (
        await buildExport(ctx(researcher), {
          projectSlug: project.slug,
          kind: "dpo",
          policy: { testPercent: 0, minJudgments: 2 },
          writer: memoryWriter(),
        })
      ).counts!.rows.train;
    expect(await exportWith()).toBe(3);
    await setAnnotatorExcluded(ctx(lead), { projectSlug: project.slug, userId: a1.id, excluded: true });
    expect(await exportWith()).toBe(0);
    const [m] = await t.db
      .select()
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, a1.id)));
    expect(m!.excludedFromExports).toBe(true);
    await setAnnotatorExcluded(ctx(lead), { projectSlug: project.slug, userId: a1.id, excluded: false });
    expect(await exportWith()).toBe(3);
    expect(await auditActions("user", a1.id)).toEqual(["annotator.exclude", "annotator.include"]);

    const list = await listProjectAnnotators(ctx(lead), { projectSlug: project.slug });
    expect(list.rows).toHaveLength(3);
    const r1 = list.rows.find((r) => r.userId === a1.id)!;
    expect(r1.stats?.judgments).toBe(3);
    expect(list.rows.find((r) => r.userId === a3.id)?.stats).toBeNull();
  });
});

describe("gold", () => {
  it("marks a task as gold with a validated answer, reports accuracy, and a retired gold item is never offered", async () => {
    const project = await makeProject(t.db, { scalePoints: 5, overlap: 3, goldRatio: 0.5 });
    const a1 = await makeAnnotator(t.db, project.id);
    const a2 = await makeAnnotator(t.db, project.id);
    const a3 = await makeAnnotator(t.db, project.id);
    const goldDue = { random: () => 0 };
    const { task } = await makeTask(t.db, project);
    await addJudgments(t.db, task, [{ annotatorId: a1.id, strength: -1 }]);
    for (const who of [annotator, researcher]) {
      await expectCode(setTaskGold(ctx(who), { taskId: task.id, strength: -2, accept: [-2, -1] }), "FORBIDDEN");
      await expectCode(retireGold(ctx(who), { taskId: task.id }), "FORBIDDEN");
      await expectCode(listProjectGold(ctx(who), { projectSlug: project.slug }), "FORBIDDEN");
    }
    const off = await expectCode(setTaskGold(ctx(lead), { taskId: task.id, strength: -3, accept: [-3] }), "VALIDATION");
    expect(off.fields?.strength).toBeDefined();
    const notInside = await expectCode(setTaskGold(ctx(lead), { taskId: task.id, strength: -2, accept: [-1] }), "VALIDATION");
    expect(notInside.fields?.accept).toBeDefined();
    await expectCode(retireGold(ctx(lead), { taskId: task.id }), "CONFLICT");

    await setTaskGold(ctx(lead), { taskId: task.id, strength: -2, accept: [-2, -1, -1] });
    const [row] = await t.db.select({ gold: tasks.gold }).from(tasks).where(eq(tasks.id, task.id));
    expect(row!.gold).toEqual({ strength: -2, accept: [-2, -1] });
    const gold = await listProjectGold(ctx(lead), { projectSlug: project.slug });
    expect(gold.rows).toEqual([expect.objectContaining({ taskId: task.id, graded: 1, correct: 1, accuracy: 1, retiredAt: null })]);

    // Only gold is left, and gold is due for a fresh annotator: offered while active, never once retired.
    const lease = await leaseNextTask(ctx(a2), { projectSlug: project.slug }, goldDue);
    expect(lease?.task.id).toBe(task.id);
    await t.db.execute(sql`update assignments set state = 'released' where id = ${lease!.assignment.id}`);
    await retireGold(ctx(lead), { taskId: task.id, note: "ambiguous" });
    await expectCode(retireGold(ctx(lead), { taskId: task.id }), "CONFLICT");
    expect(await leaseNextTask(ctx(a3), { projectSlug: project.slug }, goldDue)).toBeNull();
    expect((await listProjectGold(ctx(lead), { projectSlug: project.slug })).rows[0]!.retiredAt).toBeInstanceOf(Date);
    expect(await auditActions("task", task.id)).toEqual(["gold.set", "gold.retire"]);
  });
});
