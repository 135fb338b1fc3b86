/**
 * The assignment engine and the annotation verbs on a real PostgreSQL: leases (resume,
 * cap, expiry, reclaim), submit (canonical storage, idempotence, late submits), skip,
 * edit, history, gold injection, display-order balance and who may do what.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { assignments, judgments, projectMembers, tasks } from "@/db/schema";
import { editJudgment, getMyJudgment, leaseNextTask, listMyHistory, skipAssignment, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { makeAnnotator, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const ctx = (actor: Actor) => ({ db: t.db, actor });
const MIN = 60_000;

async function setup(settings: Partial<ProjectSettings> = {}, nTasks = 1, annotators = 1) {
  const project = await makeProject(t.db, settings);
  const made = [];
  for (let i = 0; i < nTasks; i++) made.push(await makeTask(t.db, project));
  const people: Actor[] = [];
  for (let i = 0; i < annotators; i++) people.push(await makeAnnotator(t.db, project.id));
  return { project, tasks: made, people };
}

async function taskRow(id: number) {
  const [row] = await t.db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}

describe("leaseNextTask", () => {
  it("hands out a task with its item and the replies in display order, never the models or gold", async () => {
    const {
      project,
      tasks: [made],
      people: [ann],
    } = await setup({ dimensions: ["fluency"], rationale: "required_for_ties" });
    const lease = (await leaseNextTask(ctx(ann!), { projectSlug: project.slug }))!;
    expect(lease).not.toBeNull();
    expect(lease.assignment.resumed).toBe(false);
    expect(new Date(lease.assignment.expiresAt).getTime() - new Date(lease.assignment.leasedAt).getTime()).toBe(20 * MIN);
    expect(lease.task).toEqual({ id: made!.task.id, kind: "pairwise", scalePoints: 7, candidateCount: 2 });
    expect(lease.project.settings).toMatchObject({ dimensions: ["fluency"], rationale: "required_for_ties", allowBothUnacceptable: true });
    expect(lease.item.character.name).toBe("孙悟空");
    expect(lease.item.context).toEqual([{ role: "user", content: "大圣，你今天去哪儿了？" }]);
    const [a] = await t.db.select().from(assignments).where(eq(assignments.id, lease.assignment.id));
    expect(lease.candidates).toEqual(a!.displayOrder.map((canonical, slot) => ({ slot, content: `回复 ${canonical} 🐒` })));
    const text = JSON.stringify(lease);
    expect(text).not.toMatch(/model-|gold|displayOrder|external/);
    expect(lease.progress).toMatchObject({ mineToday: 0, projectJudgments: 0, projectNeeded: 3 });
  });

  it("resumes the live lease after a reload, and respects the cap when a client prefetches", async () => {
    const {
      project,
      people: [ann],
    } = await setup({ maxLeasesPerAnnotator: 2 }, 4);
    const first = (await leaseNextTask(ctx(ann!), { projectSlug: project.slug }))!;
    const again = (await leaseNextTask(ctx(ann!), { projectSlug: project.slug }))!;
    expect(again.assignment).toEqual({ ...first.assignment, resumed: true });
    const second = (await leaseNextTask(ctx(ann!), { projectSlug: project.slug, exclude: [first.assignment.id] }))!;
    expect(second.assignment.id).not.toBe(first.assignment.id);
    expect(second.task.id).not.toBe(first.task.id);
    const capped = await failure(
      leaseNextTask(ctx(ann!), { projectSlug: project.slug, exclude: [first.assignment.id, second.assignment.id] }),
    );
    expect(capped.code).toBe("CONFLICT");
    expect(capped.message).toMatch(/2 tasks/);
  });

  it("gives one annotator's concurrent requests (two tabs) the same lease", async () => {
    const {
      project,
      people: [ann],
    } = await setup({ maxLeasesPerAnnotator: 1 }, 5);
    const leases = await Promise.all(Array.from({ length: 6 }, () => leaseNextTask(ctx(ann!), { projectSlug: project.slug })));
    expect(new Set(leases.map((l) => l!.assignment.id)).size).toBe(1);
    expect(await t.db.$count(assignments, eq(assignments.annotatorId, ann!.id))).toBe(1);
  });

  it("reclaims an expired lease lazily and gives the slot to someone else", async () => {
    const {
      project,
      tasks: [made],
      people: [x, y],
    } = await setup({ overlap: 1, leaseMinutes: 10 }, 1, 2);
    const t0 = new Date(Date.now() - 60 * MIN);
    const lx = (await leaseNextTask(ctx(x!), { projectSlug: project.slug, now: t0 }))!;
    // Still live: nothing for y.
    expect(await leaseNextTask(ctx(y!), { projectSlug: project.slug, now: new Date(t0.getTime() + 9 * MIN) })).toBeNull();
    // Expired: y gets it, and x's lease is marked expired in the same transaction.
    const ly = (await leaseNextTask(ctx(y!), { projectSlug: project.slug, now: new Date(t0.getTime() + 11 * MIN) }))!;
    expect(ly.task.id).toBe(made!.task.id);
    const [ax] = await t.db.select().from(assignments).where(eq(assignments.id, lx.assignment.id));
    expect(ax!.state).toBe("expired");
    // x is not resumed onto a dead lease, and the task is full for them now.
    expect(await leaseNextTask(ctx(x!), { projectSlug: project.slug, now: new Date(t0.getTime() + 12 * MIN) })).toBeNull();
  });

  it("marks the annotator's own expired leases and may offer the same task again", async () => {
    const {
      project,
      people: [x],
    } = await setup({ overlap: 1, leaseMinutes: 5 }, 1, 1);
    const t0 = new Date(Date.now() - 30 * MIN);
    const first = (await leaseNextTask(ctx(x!), { projectSlug: project.slug, now: t0 }))!;
    const later = (await leaseNextTask(ctx(x!), { projectSlug: project.slug, now: new Date(t0.getTime() + 6 * MIN) }))!;
    expect(later.assignment.id).not.toBe(first.assignment.id);
    expect(later.task.id).toBe(first.task.id);
    const states = await t.db.select({ state: assignments.state }).from(assignments).where(eq(assignments.annotatorId, x!.id));
    expect(states.map((s) => s.state).sort()).toEqual(["active", "expired"]);
  });

  it("prefers the task closest to completion", async () => {
    const {
      project,
      tasks: made,
      people: [a, b, c],
    } = await setup({ overlap: 3 }, 5, 3);
    const target = made[3]!.task;
    const la = await makeAssignment(t.db, target.id, project.id, a!.id);
    await submitJudgment(ctx(a!), { assignmentId: la.id, input: { strength: 1 } });
    expect((await leaseNextTask(ctx(b!), { projectSlug: project.slug }))!.task.id).toBe(target.id);
    // Live leases do not raise priority, valid judgments do; c still gets it (room: 1 + 1 < 3).
    expect((await leaseNextTask(ctx(c!), { projectSlug: project.slug }))!.task.id).toBe(target.id);
  });

  it("returns null when the annotator has judged everything", async () => {
    const {
      project,
      people: [a],
    } = await setup({}, 2);
    for (let i = 0; i < 2; i++) {
      const lease = (await leaseNextTask(ctx(a!), { projectSlug: project.slug }))!;
      await submitJudgment(ctx(a!), { assignmentId: lease.assignment.id, input: { strength: 2 } });
    }
    expect(await leaseNextTask(ctx(a!), { projectSlug: project.slug })).toBeNull();
  });

  it("balances the left/right order across a task's annotators", async () => {
    const { project, people } = await setup({ overlap: 6 }, 1, 6);
    const orders = [];
    for (const p of people) {
      const lease = (await leaseNextTask(ctx(p), { projectSlug: project.slug }))!;
      const [a] = await t.db.select().from(assignments).where(eq(assignments.id, lease.assignment.id));
      orders.push(a!.displayOrder.join(""));
    }
    expect(orders.filter((o) => o === "01")).toHaveLength(3);
    expect(orders.filter((o) => o === "10")).toHaveLength(3);
  });

  it("balances the first shown reply of a ranking task", async () => {
    const project = await makeProject(t.db, { mode: "ranking", overlap: 6 });
    await makeTask(t.db, project, { k: 3 });
    const firsts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await makeAnnotator(t.db, project.id);
      const lease = (await leaseNextTask(ctx(p), { projectSlug: project.slug }))!;
      expect(lease.candidates).toHaveLength(3);
      const [a] = await t.db.select().from(assignments).where(eq(assignments.id, lease.assignment.id));
      firsts.push(a!.displayOrder[0]!);
    }
    expect(firsts.sort()).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("injects gold tasks at the project's ratio, within one task", async () => {
    const project = await makeProject(t.db, { overlap: 1, goldRatio: 0.2 });
    for (let i = 0; i < 25; i++) await makeTask(t.db, project, { gold: { strength: -2, accept: [-3, -2, -1] } });
    for (let i = 0; i < 75; i++) await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    let gold = 0;
    for (let n = 1; n <= 60; n++) {
      const lease = (await leaseNextTask(ctx(a), { projectSlug: project.slug }))!;
      const row = await taskRow(lease.task.id);
      if (row.gold) gold++;
      await submitJudgment(ctx(a), { assignmentId: lease.assignment.id, input: { strength: -1 } });
      expect(Math.abs(gold - 0.2 * n)).toBeLessThanOrEqual(1);
    }
    expect(gold).toBeGreaterThanOrEqual(11);
    expect(gold).toBeLessThanOrEqual(13);
  });

  it("never offers gold at ratio 0 nor retired gold, and falls back to ordinary tasks when gold runs out", async () => {
    const project = await makeProject(t.db, { overlap: 1, goldRatio: 0.5 });
    const g = await makeTask(t.db, project, { gold: { strength: 1 } });
    const retired = await makeTask(t.db, project, { gold: { strength: 1 } });
    await t.db.update(tasks).set({ goldRetiredAt: new Date() }).where(eq(tasks.id, retired.task.id));
    for (let i = 0; i < 3; i++) await makeTask(t.db, project);
    const a = await makeAnnotator(t.db, project.id);
    const seen: number[] = [];
    for (;;) {
      const lease = await leaseNextTask(ctx(a), { projectSlug: project.slug });
      if (!lease) break;
      seen.push(lease.task.id);
      await submitJudgment(ctx(a), { assignmentId: lease.assignment.id, input: { strength: 1 } });
    }
    expect(seen).toHaveLength(4);
    expect(seen).toContain(g.task.id);
    expect(seen).not.toContain(retired.task.id);
    const none = await makeProject(t.db, { overlap: 1, goldRatio: 0 });
    const onlyGold = await makeTask(t.db, none, { gold: { strength: 1 } });
    const b = await makeAnnotator(t.db, none.id);
    expect(await leaseNextTask(ctx(b), { projectSlug: none.slug })).toBeNull();
    expect(onlyGold.task.id).toBeGreaterThan(0);
  });
});

describe("submitJudgment", () => {
  it("stores a left-preferred answer shown as [B, A] as a positive canonical strength", async () => {
    const {
      project,
      tasks: [made],
      people: [a],
    } = await setup({ dimensions: ["fluency", "empathy"] });
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id, { displayOrder: [1, 0] });
    const { judgment } = await submitJudgment(ctx(a!), {
      assignmentId: asg.id,
      input: {
        strength: -2,
        ratings: { "0": { fluency: 5 }, "1": { empathy: 2 } },
        unsafe: { "1": "violence" },
        roleplay_flags: { "1": ["reveals_ai", "speaks_for_user"] },
        rationale: " left stays in character ",
        seconds: 42.5,
      },
    });
    expect(judgment.answer).toEqual({
      strength: -2,
      both_unacceptable: false,
      ratings: { "0": { fluency: 5 }, "1": { empathy: 2 } },
      unsafe: { "1": "violence" },
      roleplay_flags: { "1": ["speaks_for_user", "reveals_ai"] },
      rationale: "left stays in character",
      seconds: 42.5,
    });
    const [row] = await t.db.select().from(judgments).where(eq(judgments.id, judgment.id));
    expect(row).toMatchObject({
      strength: 2,
      ranks: null,
      displayOrder: [1, 0],
      ratings: { "1": { fluency: 5 }, "0": { empathy: 2 } },
      unsafe: { "0": "violence" },
      roleplayFlags: { "0": ["speaks_for_user", "reveals_ai"] },
      rationale: "left stays in character",
      seconds: 42.5,
      state: "valid",
    });
    const [asgRow] = await t.db.select().from(assignments).where(eq(assignments.id, asg.id));
    expect(asgRow!.state).toBe("submitted");
    expect((await taskRow(made!.task.id)).validJudgments).toBe(1);
  });

  it("stores a K-wise ranking by canonical candidate", async () => {
    const project = await makeProject(t.db, { mode: "ranking" });
    const made = await makeTask(t.db, project, { k: 3 });
    const a = await makeAnnotator(t.db, project.id);
    const asg = await makeAssignment(t.db, made.task.id, project.id, a.id, { displayOrder: [2, 0, 1] });
    await submitJudgment(ctx(a), { assignmentId: asg.id, input: { ranking: [1, 3, 2] } });
    const [row] = await t.db.select().from(judgments).where(eq(judgments.assignmentId, asg.id));
    expect(row!.ranks).toEqual([3, 2, 1]);
  });

  it("is idempotent: a retried submit returns the same judgment and counts once", async () => {
    const {
      project,
      tasks: [made],
      people: [a],
    } = await setup();
    const lease = (await leaseNextTask(ctx(a!), { projectSlug: project.slug }))!;
    const body = { strength: 1, seconds: 3 };
    const first = await submitJudgment(ctx(a!), { assignmentId: lease.assignment.id, input: body });
    const retry = await submitJudgment(ctx(a!), { assignmentId: lease.assignment.id, input: body });
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => submitJudgment(ctx(a!), { assignmentId: String(lease.assignment.id), input: { strength: -3 } })),
    );
    expect(first.replayed).toBe(false);
    expect(retry.replayed).toBe(true);
    expect(JSON.stringify(retry.judgment)).toBe(JSON.stringify(first.judgment));
    for (const c of concurrent) expect(c.judgment).toEqual(first.judgment);
    expect((await taskRow(made!.task.id)).validJudgments).toBe(1);
    expect(await t.db.$count(judgments, eq(judgments.assignmentId, lease.assignment.id))).toBe(1);
  });

  it("accepts a submit on an expired lease while the task still needs judgments", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({ overlap: 2, leaseMinutes: 5 }, 1, 2);
    const t0 = new Date(Date.now() - 60 * MIN);
    const lease = (await leaseNextTask(ctx(a!), { projectSlug: project.slug, now: t0 }))!;
    // b takes the other slot; one slot is still free for a's late answer.
    await leaseNextTask(ctx(b!), { projectSlug: project.slug, now: new Date(t0.getTime() + 30 * MIN) });
    const late = await submitJudgment(ctx(a!), {
      assignmentId: lease.assignment.id,
      input: { strength: 2 },
      now: new Date(t0.getTime() + 31 * MIN),
    });
    expect(late.judgment.state).toBe("valid");
    expect((await taskRow(made!.task.id)).validJudgments).toBe(1);
  });

  it("refuses a submit on an expired lease once others have filled the task", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({ overlap: 1, leaseMinutes: 5 }, 1, 2);
    const t0 = new Date(Date.now() - 60 * MIN);
    const la = (await leaseNextTask(ctx(a!), { projectSlug: project.slug, now: t0 }))!;
    const lb = (await leaseNextTask(ctx(b!), { projectSlug: project.slug, now: new Date(t0.getTime() + 10 * MIN) }))!;
    // Full by b's live lease…
    const whileLeased = await failure(
      submitJudgment(ctx(a!), { assignmentId: la.assignment.id, input: { strength: 1 }, now: new Date(t0.getTime() + 11 * MIN) }),
    );
    expect(whileLeased.code).toBe("CONFLICT");
    expect(whileLeased.message).toMatch(/ran out/);
    // … and by b's judgment.
    await submitJudgment(ctx(b!), { assignmentId: lb.assignment.id, input: { strength: 1 }, now: new Date(t0.getTime() + 12 * MIN) });
    const afterFull = await failure(
      submitJudgment(ctx(a!), { assignmentId: la.assignment.id, input: { strength: 1 }, now: new Date(t0.getTime() + 13 * MIN) }),
    );
    expect(afterFull.code).toBe("CONFLICT");
    expect((await taskRow(made!.task.id)).validJudgments).toBe(1);
  });

  it("maps the database's overlap cap to CONFLICT", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({ overlap: 1 }, 1, 2);
    // Two live leases on a task of overlap 1 cannot come from the engine; written directly.
    const la = await makeAssignment(t.db, made!.task.id, project.id, a!.id);
    const lb = await makeAssignment(t.db, made!.task.id, project.id, b!.id);
    await submitJudgment(ctx(a!), { assignmentId: la.id, input: { strength: 1 } });
    const error = await failure(submitJudgment(ctx(b!), { assignmentId: lb.id, input: { strength: 1 } }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/all the judgments it needs/);
  });

  it("validates the answer against the task and project, naming the field", async () => {
    const {
      project,
      tasks: [made],
      people: [a],
    } = await setup({ scalePoints: 5, dimensions: ["fluency"], rationale: "required_for_strong" });
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id);
    const cases: [unknown, string][] = [
      [{ strength: 3 }, "strength"],
      [{ strength: 2 }, "rationale"],
      [{ strength: 1, ratings: { "0": { empathy: 3 } } }, "ratings.0.empathy"],
      [{ strength: 1, unsafe: { "0": "spam" } }, "unsafe.0"],
      [{ ranking: [1, 2] }, "ranking"],
      [{ strength: "1" }, "strength"],
    ];
    for (const [input, field] of cases) {
      const error = await failure(submitJudgment(ctx(a!), { assignmentId: asg.id, input }));
      expect(error.code).toBe("VALIDATION");
      expect(Object.keys(error.fields!)).toContain(field);
    }
    expect(await t.db.$count(judgments, eq(judgments.assignmentId, asg.id))).toBe(0);
  });

  it("lets only the lease's annotator submit, and refuses unknown assignments", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({}, 1, 2);
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id);
    expect((await failure(submitJudgment(ctx(b!), { assignmentId: asg.id, input: { strength: 1 } }))).code).toBe("FORBIDDEN");
    expect((await failure(skipAssignment(ctx(b!), { assignmentId: asg.id, input: { reason: "other" } }))).code).toBe("FORBIDDEN");
    expect((await failure(submitJudgment(ctx(a!), { assignmentId: 987654321, input: { strength: 1 } }))).code).toBe("NOT_FOUND");
    expect((await failure(submitJudgment(ctx(a!), { assignmentId: "abc", input: { strength: 1 } }))).code).toBe("NOT_FOUND");
  });
});

describe("who may annotate", () => {
  it("refuses non-members, paused members and staff who are not members", async () => {
    const { project } = await setup();
    const outsider = await makeUser(t.db, { passwordHash: "x" });
    const researcher = await makeUser(t.db, { role: "researcher", passwordHash: "x" });
    for (const u of [outsider, researcher]) {
      const error = await failure(
        leaseNextTask(ctx({ id: u.id, email: u.email, name: u.name, role: u.role, locale: "en" }), { projectSlug: project.slug }),
      );
      expect(error.code).toBe("FORBIDDEN");
    }
    const paused = await makeAnnotator(t.db, project.id);
    await t.db.update(projectMembers).set({ status: "paused" }).where(eq(projectMembers.userId, paused.id));
    expect((await failure(leaseNextTask(ctx(paused), { projectSlug: project.slug }))).code).toBe("FORBIDDEN");
    expect((await failure(leaseNextTask(ctx(paused), { projectSlug: "no-such-project" }))).code).toBe("NOT_FOUND");
  });

  it("lets a lead who is a member annotate", async () => {
    const { project } = await setup();
    const lead = await makeAnnotator(t.db, project.id, { role: "lead" });
    expect(await leaseNextTask(ctx(lead), { projectSlug: project.slug })).not.toBeNull();
  });

  it("refuses leases and submits in a paused project with a clear message, but lets a lease be skipped", async () => {
    const {
      project,
      tasks: [made],
      people: [a],
    } = await setup({}, 2);
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id);
    await t.db.execute(sql`update projects set status = 'paused' where id = ${project.id}`);
    const lease = await failure(leaseNextTask(ctx(a!), { projectSlug: project.slug }));
    expect(lease.code).toBe("CONFLICT");
    expect(lease.message).toMatch(/paused/);
    expect((await failure(submitJudgment(ctx(a!), { assignmentId: asg.id, input: { strength: 1 } }))).message).toMatch(/paused/);
    expect((await skipAssignment(ctx(a!), { assignmentId: asg.id, input: { reason: "cannot_judge" } })).state).toBe("skipped");
  });
});

describe("skipAssignment", () => {
  it("records the reason and never offers the task to that annotator again", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({}, 1, 2);
    const lease = (await leaseNextTask(ctx(a!), { projectSlug: project.slug }))!;
    const skipped = await skipAssignment(ctx(a!), {
      assignmentId: lease.assignment.id,
      input: { reason: "broken_content", note: "reply is cut off" },
    });
    expect(skipped).toEqual({ assignmentId: lease.assignment.id, state: "skipped", reason: "broken_content" });
    // Idempotent.
    expect(await skipAssignment(ctx(a!), { assignmentId: lease.assignment.id, input: { reason: "other" } })).toEqual(skipped);
    const [row] = await t.db.select().from(assignments).where(eq(assignments.id, lease.assignment.id));
    expect(row).toMatchObject({ state: "skipped", skipReason: "broken_content", skipNote: "reply is cut off" });
    expect(await leaseNextTask(ctx(a!), { projectSlug: project.slug })).toBeNull();
    expect((await leaseNextTask(ctx(b!), { projectSlug: project.slug }))!.task.id).toBe(made!.task.id);
    // A skipped lease takes no answer, and a submitted one cannot be skipped.
    expect((await failure(submitJudgment(ctx(a!), { assignmentId: lease.assignment.id, input: { strength: 1 } }))).code).toBe("CONFLICT");
    expect((await failure(skipAssignment(ctx(a!), { assignmentId: lease.assignment.id, input: { reason: "nope" } }))).code).toBe(
      "VALIDATION",
    );
  });

  it("refuses to skip a submitted lease", async () => {
    const {
      project,
      people: [a],
    } = await setup();
    const lease = (await leaseNextTask(ctx(a!), { projectSlug: project.slug }))!;
    await submitJudgment(ctx(a!), { assignmentId: lease.assignment.id, input: { strength: 0 } });
    expect((await failure(skipAssignment(ctx(a!), { assignmentId: lease.assignment.id, input: { reason: "other" } }))).code).toBe(
      "CONFLICT",
    );
  });
});

describe("editJudgment and history", () => {
  it("supersedes within the window, keeps the old one, and refuses after it", async () => {
    const {
      project,
      tasks: [made],
      people: [a],
    } = await setup({ overlap: 1, editWindowMinutes: 30 });
    const t0 = new Date(Date.now() - 120 * MIN);
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id, { displayOrder: [1, 0] });
    const { judgment: original } = await submitJudgment(ctx(a!), { assignmentId: asg.id, input: { strength: -3, seconds: 10 }, now: t0 });
    // Overlap 1 and the task is full: an edit still fits (supersede first, then insert).
    const { judgment: edited } = await editJudgment(ctx(a!), {
      judgmentId: original.id,
      input: { strength: 1 },
      now: new Date(t0.getTime() + 10 * MIN),
    });
    expect(edited.supersedesId).toBe(original.id);
    expect(edited.answer.strength).toBe(1);
    expect(edited.editableUntil).toBe(original.editableUntil);
    const rows = await t.db.select().from(judgments).where(eq(judgments.assignmentId, asg.id)).orderBy(judgments.id);
    expect(rows.map((r) => [r.state, r.strength, r.seconds])).toEqual([
      ["superseded", 3, 10],
      ["valid", -1, 10],
    ]);
    expect((await taskRow(made!.task.id)).validJudgments).toBe(1);
    // The old version cannot be edited again; the new one can until 30 minutes after the first submit.
    expect(
      (await failure(editJudgment(ctx(a!), { judgmentId: original.id, input: { strength: 2 }, now: new Date(t0.getTime() + 11 * MIN) })))
        .message,
    ).toMatch(/newest version/);
    await editJudgment(ctx(a!), { judgmentId: edited.id, input: { strength: 2 }, now: new Date(t0.getTime() + 29 * MIN) });
    const [latest] = await t.db
      .select()
      .from(judgments)
      .where(and(eq(judgments.assignmentId, asg.id), eq(judgments.state, "valid")));
    const late = await failure(
      editJudgment(ctx(a!), { judgmentId: latest!.id, input: { strength: -1 }, now: new Date(t0.getTime() + 31 * MIN) }),
    );
    expect(late.code).toBe("CONFLICT");
    expect(late.message).toMatch(/30 minutes/);
    // A retried submit now returns the newest version.
    const replay = await submitJudgment(ctx(a!), { assignmentId: asg.id, input: { strength: -3 } });
    expect(replay.judgment.id).toBe(latest!.id);
  });

  it("lets nobody else edit or read a judgment", async () => {
    const {
      project,
      tasks: [made],
      people: [a, b],
    } = await setup({}, 1, 2);
    const asg = await makeAssignment(t.db, made!.task.id, project.id, a!.id);
    const { judgment } = await submitJudgment(ctx(a!), { assignmentId: asg.id, input: { strength: 1 } });
    expect((await failure(editJudgment(ctx(b!), { judgmentId: judgment.id, input: { strength: 2 } }))).code).toBe("NOT_FOUND");
    expect((await failure(getMyJudgment(ctx(b!), { judgmentId: judgment.id }))).code).toBe("NOT_FOUND");
    const mine = await getMyJudgment(ctx(a!), { judgmentId: judgment.id });
    expect(mine.editable).toBe(true);
    expect(mine.candidates.map((c) => c.content)).toEqual(["回复 0 🐒", "回复 1 🐒"]);
  });

  it("lists the annotator's recent judgments, newest first, with what may still be edited", async () => {
    const {
      project,
      tasks: made,
      people: [a, b],
    } = await setup({ editWindowMinutes: 15 }, 3, 2);
    const t0 = new Date(Date.now() - 60 * MIN);
    const ids: number[] = [];
    for (const [i, m] of made.entries()) {
      const asg = await makeAssignment(t.db, m.task.id, project.id, a!.id, { displayOrder: [1, 0] });
      const { judgment } = await submitJudgment(ctx(a!), {
        assignmentId: asg.id,
        input: { strength: -1 },
        now: new Date(t0.getTime() + i * 20 * MIN),
      });
      ids.push(judgment.id);
    }
    await editJudgment(ctx(a!), { judgmentId: ids[2]!, input: { strength: 2 }, now: new Date(t0.getTime() + 41 * MIN) });
    const now = new Date(t0.getTime() + 45 * MIN);
    const history = await listMyHistory(ctx(a!), { projectSlug: project.slug, now });
    expect(history).toHaveLength(3);
    expect(history[0]!.supersedesId).toBeNull();
    expect(history.map((h) => [h.answer.strength, h.edited, h.editable])).toEqual([
      [2, true, true],
      [-1, false, false],
      [-1, false, false],
    ]);
    expect(history[0]!.item).toEqual({ characterName: "孙悟空", scene: null, lastUserMessage: "大圣，你今天去哪儿了？" });
    expect(await listMyHistory(ctx(b!), {})).toEqual([]);
    expect((await failure(listMyHistory(ctx(a!), { limit: 1000 }))).code).toBe("VALIDATION");
  });
});
