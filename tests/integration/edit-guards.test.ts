import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { judgments, projectMembers } from "@/db/schema";
import { editJudgment, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { acceptJudgment, adjudicateTask } from "@/lib/services/review";
import { actorOf, addMember, makeAnnotator, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
let lead: Actor;
beforeAll(async () => {
  t = await useTestDatabase();
  const u = await makeUser(t.db, { role: "lead", email: "lead@edit-guards.test" });
  lead = actorOf(u);
});

const ctx = (actor: Actor) => ({ db: t.db, actor });

/** A project with one task, one annotator who has just submitted a judgment on it. */
async function submitted() {
  const project = await makeProject(t.db, { overlap: 2, editWindowMinutes: 30 });
  await addMember(t.db, project.id, lead.id);
  const made = await makeTask(t.db, project);
  const annotator = await makeAnnotator(t.db, project.id);
  const asg = await makeAssignment(t.db, made.task.id, project.id, annotator.id);
  const { judgment } = await submitJudgment(ctx(annotator), { assignmentId: asg.id, input: { strength: -2 } });
  return { project, task: made.task, annotator, judgment };
}

async function validVersions(assignmentJudgmentId: number) {
  const [row] = await t.db.select().from(judgments).where(eq(judgments.id, assignmentJudgmentId));
  return t.db
    .select()
    .from(judgments)
    .where(and(eq(judgments.assignmentId, row!.assignmentId), eq(judgments.state, "valid")));
}

describe("editJudgment after a lead's verdict", () => {
  it("refuses to change an accepted judgment, saying why; the accepted version stays the valid one", async () => {
    const { annotator, judgment } = await submitted();
    await acceptJudgment(ctx(lead), { judgmentId: judgment.id, note: "good" });
    const error = await failure(editJudgment(ctx(annotator), { judgmentId: judgment.id, input: { strength: 2 } }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/lead.*(accepted|reviewed)/i);
    const valid = await validVersions(judgment.id);
    expect(valid.map((j) => j.id)).toEqual([judgment.id]);
  });

  it("refuses to change a judgment on a task a lead adjudicated", async () => {
    const { task, annotator, judgment } = await submitted();
    await adjudicateTask(ctx(lead), { taskId: task.id, strength: 1, note: "final" });
    const error = await failure(editJudgment(ctx(annotator), { judgmentId: judgment.id, input: { strength: 2 } }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/adjudicated/i);
  });
});

describe("editJudgment by someone no longer working on the project", () => {
  it.each(["paused", "qualification"] as const)("refuses a %s member", async (status) => {
    const { project, annotator, judgment } = await submitted();
    await t.db
      .update(projectMembers)
      .set({ status })
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, annotator.id)));
    expect((await failure(editJudgment(ctx(annotator), { judgmentId: judgment.id, input: { strength: 2 } }))).code).toBe("FORBIDDEN");
  });

  it("refuses a removed member", async () => {
    const { project, annotator, judgment } = await submitted();
    await t.db
      .update(projectMembers)
      .set({ status: "removed", statusBeforeRemoval: "active" })
      .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, annotator.id)));
    expect((await failure(editJudgment(ctx(annotator), { judgmentId: judgment.id, input: { strength: 2 } }))).code).toBe("FORBIDDEN");
  });

  it("refuses someone whose membership row is gone", async () => {
    const { project, annotator, judgment } = await submitted();
    await t.db.delete(projectMembers).where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, annotator.id)));
    expect((await failure(editJudgment(ctx(annotator), { judgmentId: judgment.id, input: { strength: 2 } }))).code).toBe("FORBIDDEN");
  });
});

describe("editJudgment does not tell ids apart", () => {
  it("answers someone else's judgment exactly like a missing one (404)", async () => {
    const { judgment } = await submitted();
    const stranger = await makeAnnotator(t.db, (await makeProject(t.db)).id);
    const theirs = await failure(editJudgment(ctx(stranger), { judgmentId: judgment.id, input: { strength: 2 } }));
    const missing = await failure(editJudgment(ctx(stranger), { judgmentId: 987654321, input: { strength: 2 } }));
    expect(theirs.code).toBe("NOT_FOUND");
    expect({ code: theirs.code, message: theirs.message }).toEqual({ code: missing.code, message: missing.message });
  });
});
