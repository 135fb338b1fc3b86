/**
 * Each invariant of the data model is a database constraint: these tests try to break
 * them with direct SQL writes (no service code in the way) and expect PostgreSQL to refuse.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, items, judgments, projects, tasks } from "@/db/schema";
import { addMember, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { pgError } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

async function judge(taskId: number, fields: Partial<typeof judgments.$inferInsert> & { annotatorId: number; projectId: number }) {
  const [task] = await t.db.select().from(tasks).where(eq(tasks.id, taskId));
  const assignment = await makeAssignment(t.db, taskId, fields.projectId, fields.annotatorId, { state: "submitted" });
  const [row] = await t.db
    .insert(judgments)
    .values({
      taskId,
      kind: task!.kind,
      scalePoints: task!.scalePoints,
      assignmentId: assignment.id,
      displayOrder: [0, 1],
      strength: task!.kind === "pairwise" ? -1 : null,
      ranks: task!.kind === "ranking" ? task!.candidateIds.map((_, i) => i + 1) : null,
      ...fields,
    })
    .returning();
  return row!;
}

describe("schema invariants", () => {
  it("keeps external_id unique within a project, not across projects", async () => {
    const p1 = await makeProject(t.db);
    const p2 = await makeProject(t.db);
    const { item } = await makeTask(t.db, p1);
    const copy = { externalId: item.externalId, characterId: item.characterId, context: item.context, contentHash: "x" };
    const error = await pgError(() => t.db.insert(items).values({ ...copy, projectId: p1.id }));
    expect(error.code).toBe("23505");
    expect(error.constraint).toBe("items_project_external_id_key");
    await expect(t.db.insert(items).values({ ...copy, projectId: p2.id })).resolves.toBeDefined();
  });

  it("allows one live judgment per task and annotator; a superseded one does not count", async () => {
    const project = await makeProject(t.db);
    const annotator = await makeUser(t.db);
    await addMember(t.db, project.id, annotator.id);
    const { task } = await makeTask(t.db, project);
    const first = await judge(task.id, { annotatorId: annotator.id, projectId: project.id });
    const error = await pgError(() => judge(task.id, { annotatorId: annotator.id, projectId: project.id, strength: 2 }));
    expect(error.code).toBe("23505");
    expect(error.constraint).toBe("judgments_live_per_annotator_key");
    // An edit: the old judgment is superseded first, then the new one is stored.
    await t.db.update(judgments).set({ state: "superseded" }).where(eq(judgments.id, first.id));
    const edited = await judge(task.id, { annotatorId: annotator.id, projectId: project.id, strength: 2, supersedesId: first.id });
    expect(edited.state).toBe("valid");
  });

  it("refuses a strength outside the project's scale, and a tie on the 2-point scale", async () => {
    const seven = await makeProject(t.db, { scalePoints: 7 });
    const two = await makeProject(t.db, { scalePoints: 2, overlap: 5 });
    const annotator = await makeUser(t.db);
    const { task: t7 } = await makeTask(t.db, seven);
    const { task: t2 } = await makeTask(t.db, two);
    const outOfRange = await pgError(() => judge(t7.id, { annotatorId: annotator.id, projectId: seven.id, strength: 4 }));
    expect(outOfRange.constraint).toBe("judgments_strength_within_scale");
    const tieOnTwo = await pgError(() => judge(t2.id, { annotatorId: annotator.id, projectId: two.id, strength: 0 }));
    expect(tieOnTwo.constraint).toBe("judgments_strength_within_scale");
    const tooStrongOnTwo = await pgError(() => judge(t2.id, { annotatorId: annotator.id, projectId: two.id, strength: 2 }));
    expect(tooStrongOnTwo.constraint).toBe("judgments_strength_within_scale");
    await expect(judge(t7.id, { annotatorId: annotator.id, projectId: seven.id, strength: -3 })).resolves.toBeDefined();
  });

  it("refuses a judgment whose scale is not its task's (composite foreign key)", async () => {
    const project = await makeProject(t.db, { scalePoints: 3 });
    const annotator = await makeUser(t.db);
    const { task } = await makeTask(t.db, project);
    // Claiming a 7-point scale to smuggle in strength 3 on a 3-point task.
    const error = await pgError(() => judge(task.id, { annotatorId: annotator.id, projectId: project.id, scalePoints: 7, strength: 3 }));
    expect(error.code).toBe("23503");
    expect(error.constraint).toBe("judgments_task_scale_kind_fk");
  });

  it("refuses a task whose scale differs from its project's, and locks the scale once judged", async () => {
    const project = await makeProject(t.db, { scalePoints: 5 });
    const { task, item } = await makeTask(t.db, project);
    const error = await pgError(() =>
      t.db.insert(tasks).values({
        projectId: project.id,
        itemId: item.id,
        kind: "pairwise",
        candidateIds: [...task.candidateIds].reverse(),
        scalePoints: 7,
        overlap: 3,
      }),
    );
    expect(error.constraint).toBe("tasks_project_scale_fk");
    // No judgments yet: the scale may change and follows into the tasks.
    await t.db.update(projects).set({ scalePoints: 7 }).where(eq(projects.id, project.id));
    const [moved] = await t.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(moved!.scalePoints).toBe(7);
    const annotator = await makeUser(t.db);
    await judge(task.id, { annotatorId: annotator.id, projectId: project.id, strength: 3 });
    const locked = await pgError(() => t.db.update(projects).set({ scalePoints: 3 }).where(eq(projects.id, project.id)));
    expect(locked.code).toBe("23503");
  });

  it("never stores more valid judgments on a task than its overlap", async () => {
    const project = await makeProject(t.db, { overlap: 2 });
    const { task } = await makeTask(t.db, project);
    const [a, b, c] = [await makeUser(t.db), await makeUser(t.db), await makeUser(t.db)];
    await judge(task.id, { annotatorId: a.id, projectId: project.id });
    const second = await judge(task.id, { annotatorId: b.id, projectId: project.id });
    const error = await pgError(() => judge(task.id, { annotatorId: c.id, projectId: project.id }));
    expect(error.constraint).toBe("tasks_valid_judgments_within_overlap");
    // A rejected judgment stops counting, so the task takes one more.
    await t.db.update(judgments).set({ state: "rejected" }).where(eq(judgments.id, second.id));
    await expect(judge(task.id, { annotatorId: c.id, projectId: project.id })).resolves.toBeDefined();
    const [row] = await t.db.select({ n: tasks.validJudgments }).from(tasks).where(eq(tasks.id, task.id));
    expect(row!.n).toBe(2);
  });

  it("keeps the answer of a stored judgment immutable; only its state moves", async () => {
    const project = await makeProject(t.db);
    const annotator = await makeUser(t.db);
    const { task } = await makeTask(t.db, project);
    const j = await judge(task.id, { annotatorId: annotator.id, projectId: project.id, strength: -2 });
    const error = await pgError(() => t.db.update(judgments).set({ strength: 2 }).where(eq(judgments.id, j.id)));
    expect(error.message).toMatch(/immutable/);
    await expect(t.db.update(judgments).set({ state: "rejected" }).where(eq(judgments.id, j.id))).resolves.toBeDefined();
  });

  it("requires an answer of the task's kind: strength for pairs, ranks for rankings", async () => {
    const project = await makeProject(t.db, { mode: "ranking" });
    const annotator = await makeUser(t.db);
    const { task: ranking } = await makeTask(t.db, project, { k: 3 });
    const wrongKind = await pgError(() =>
      judge(ranking.id, { annotatorId: annotator.id, projectId: project.id, strength: 1, ranks: null }),
    );
    expect(wrongKind.constraint).toBe("judgments_answer_shape");
    const badRank = await pgError(() => judge(ranking.id, { annotatorId: annotator.id, projectId: project.id, ranks: [1, 2, 9] }));
    expect(badRank.constraint).toBe("judgments_ranks_range");
    const bothAndStrength = await pgError(() =>
      judge(ranking.id, { annotatorId: annotator.id, projectId: project.id, bothUnacceptable: true }),
    );
    expect(bothAndStrength.constraint).toBe("judgments_answer_shape");
    await expect(
      judge(ranking.id, { annotatorId: annotator.id, projectId: project.id, bothUnacceptable: true, ranks: null }),
    ).resolves.toBeDefined();
  });

  it("never deletes judgments through a cascade: a judged project cannot be deleted", async () => {
    const project = await makeProject(t.db);
    const annotator = await makeUser(t.db);
    const { task } = await makeTask(t.db, project);
    await judge(task.id, { annotatorId: annotator.id, projectId: project.id });
    const error = await pgError(() => t.db.delete(projects).where(eq(projects.id, project.id)));
    // ON DELETE RESTRICT: 23001 restrict_violation on PostgreSQL 18, 23503 on 15.
    expect(["23001", "23503"]).toContain(error.code);
    expect(await t.db.select().from(judgments).where(eq(judgments.projectId, project.id))).toHaveLength(1);
    // An unjudged project deletes cleanly with its items and tasks.
    const empty = await makeProject(t.db);
    await makeTask(t.db, empty);
    await t.db.delete(projects).where(eq(projects.id, empty.id));
    expect(await t.db.select().from(tasks).where(eq(tasks.projectId, empty.id))).toHaveLength(0);
  });

  it("keeps one live lease per task and annotator", async () => {
    const project = await makeProject(t.db);
    const annotator = await makeUser(t.db);
    const { task } = await makeTask(t.db, project);
    await makeAssignment(t.db, task.id, project.id, annotator.id);
    const error = await pgError(() => makeAssignment(t.db, task.id, project.id, annotator.id));
    expect(error.constraint).toBe("assignments_live_key");
  });

  it("keeps the audit log append-only", async () => {
    const actor = await makeUser(t.db, { role: "admin" });
    await t.db.insert(auditLog).values({ actorId: actor.id, action: "user.create", targetType: "user", targetId: "1" });
    const update = await pgError(() => t.db.update(auditLog).set({ action: "forged" }));
    expect(update.message).toMatch(/append-only/);
    const remove = await pgError(() => t.db.delete(auditLog));
    expect(remove.message).toMatch(/append-only/);
    const truncate = await pgError(() => t.db.execute(sql`truncate audit_log`));
    expect(truncate.message).toMatch(/append-only/);
  });

  it("stores emails lower-cased and unique", async () => {
    await makeUser(t.db, { email: "same@example.test" });
    const dup = await pgError(() => makeUser(t.db, { email: "same@example.test" }));
    expect(dup.constraint).toBe("users_email_key");
    const upper = await pgError(() => makeUser(t.db, { email: "Upper@Example.test" }));
    expect(upper.constraint).toBe("users_email_lowercase");
  });
});
