/**
 * Adaptive overlap on a real PostgreSQL: complete tasks whose consensus stays uncertain get
 * their overlap raised by one, up to the project's `adaptiveOverlap.extra`; the engine serves
 * them again to annotators who have not judged them, within the same invariants (never more
 * valid judgments than overlap, one judgment per annotator and task); the extra judgments
 * survive a change of the project's overlap; the database refuses an extra count that is not
 * part of the overlap; only staff may ask.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { judgments, tasks } from "@/db/schema";
import { leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import { extendUncertainTasks } from "@/lib/services/consensus";
import type { Actor } from "@/lib/services/context";
import { updateProject } from "@/lib/services/projects";
import { actorOf, addMember, makeAnnotator, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
let lead: Actor;
beforeAll(async () => {
  t = await useTestDatabase();
  const u = await makeUser(t.db, { role: "lead", passwordHash: "x" });
  lead = actorOf(u);
});

const ctx = (actor: Actor) => ({ db: t.db, actor });

async function taskRow(id: number) {
  const [row] = await t.db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}

/** The strength to press for a canonical answer (the factory's replies say which candidate they are). */
function pressed(lease: NonNullable<Awaited<ReturnType<typeof leaseNextTask>>>, canonical: number): number {
  return lease.candidates[0]!.content.startsWith("回复 0") ? canonical : -canonical;
}

/** Leases and submits a canonical answer for an annotator; returns the task id, or null when nothing is served. */
async function work(ann: Actor, slug: string, strength: number): Promise<number | null> {
  const lease = await leaseNextTask(ctx(ann), { projectSlug: slug });
  if (!lease) return null;
  await submitJudgment(ctx(ann), { assignmentId: lease.assignment.id, input: { strength: pressed(lease, strength) } });
  return lease.task.id;
}

async function checkInvariants(projectId: number) {
  const { rows } = await t.db.execute<{ over: number; dup: number; drift: number }>(sql`
    select (select count(*)::int from tasks where project_id = ${projectId} and valid_judgments > overlap) as over,
           (select count(*)::int from (select task_id, annotator_id from judgments where project_id = ${projectId} and state <> 'superseded'
                                        group by 1, 2 having count(*) > 1) d) as dup,
           (select count(*)::int from tasks x where x.project_id = ${projectId}
              and x.valid_judgments <> (select count(*) from judgments j where j.task_id = x.id and j.state = 'valid')) as drift`);
  expect(rows[0]).toEqual({ over: 0, dup: 0, drift: 0 });
}

describe("adaptive overlap", () => {
  it("asks for more judgments where the consensus stays uncertain, up to the cap, and the engine serves them", async () => {
    const project = await makeProject(t.db, {
      scalePoints: 3,
      overlap: 2,
      maxLeasesPerAnnotator: 1,
      adaptiveOverlap: { extra: 2, minPosterior: 0.9, method: "majority" },
    });
    await addMember(t.db, project.id, lead.id);
    const split = await makeTask(t.db, project);
    const agreed = await makeTask(t.db, project);
    const people: Actor[] = [];
    for (let i = 0; i < 5; i++) people.push(await makeAnnotator(t.db, project.id));
    const [a, b, c, d, e] = people as [Actor, Actor, Actor, Actor, Actor];
    // a and b split on one task and agree on the other.
    for (const [ann, first] of [
      [a, -1],
      [b, 1],
    ] as const) {
      for (let k = 0; k < 2; k++) {
        const lease = (await leaseNextTask(ctx(ann), { projectSlug: project.slug }))!;
        const strength = lease.task.id === split.task.id ? first : -1;
        await submitJudgment(ctx(ann), { assignmentId: lease.assignment.id, input: { strength: pressed(lease, strength) } });
      }
    }
    expect(await leaseNextTask(ctx(c), { projectSlug: project.slug })).toBeNull();

    const canonical = await t.db
      .select({ task: judgments.taskId, strength: judgments.strength })
      .from(judgments)
      .where(eq(judgments.taskId, split.task.id));
    expect(canonical.map((j) => j.strength).sort()).toEqual([-1, 1]);
    const first = await extendUncertainTasks(ctx(lead), { projectSlug: project.slug });
    expect(first).toMatchObject({ extended: [split.task.id], uncertain: 1, maxExtra: 2 });
    expect(await taskRow(split.task.id)).toMatchObject({ overlap: 3, extraOverlap: 1, validJudgments: 2 });
    expect(await taskRow(agreed.task.id)).toMatchObject({ overlap: 2, extraOverlap: 0 });
    // Those who judged it are not served it again; a newcomer is.
    expect(await leaseNextTask(ctx(a), { projectSlug: project.slug })).toBeNull();
    expect(await work(c, project.slug, -1)).toBe(split.task.id);
    expect(await leaseNextTask(ctx(d), { projectSlug: project.slug })).toBeNull();

    // 2 of 3 for A: still below 0.9, one more (the last allowed).
    expect((await extendUncertainTasks(ctx(lead), { projectSlug: project.slug })).extended).toEqual([split.task.id]);
    expect(await work(d, project.slug, 1)).toBe(split.task.id);
    expect(await taskRow(split.task.id)).toMatchObject({ overlap: 4, extraOverlap: 2, validJudgments: 4 });
    // 2 to 2 but the cap is reached: nothing more is asked.
    const capped = await extendUncertainTasks(ctx(lead), { projectSlug: project.slug });
    expect(capped).toMatchObject({ extended: [], uncertain: 1 });
    expect(await leaseNextTask(ctx(e), { projectSlug: project.slug })).toBeNull();
    await checkInvariants(project.id);

    // The extra judgments survive a change of the project's overlap.
    await updateProject(ctx({ ...lead, role: "admin" }), {
      slug: project.slug,
      name: project.name,
      description: "",
      guidelines: "",
      settings: { ...project.settings, overlap: 5 },
    });
    expect(await taskRow(split.task.id)).toMatchObject({ overlap: 7, extraOverlap: 2 });
    expect(await taskRow(agreed.task.id)).toMatchObject({ overlap: 5, extraOverlap: 0 });
    await checkInvariants(project.id);
  });

  it("is off by default, and refuses annotators", async () => {
    const project = await makeProject(t.db, { overlap: 1 });
    await addMember(t.db, project.id, lead.id);
    const made = await makeTask(t.db, project);
    const ann = await makeAnnotator(t.db, project.id);
    await work(ann, project.slug, 0);
    expect(await extendUncertainTasks(ctx(lead), { projectSlug: project.slug })).toMatchObject({ extended: [], maxExtra: 0 });
    expect(await taskRow(made.task.id)).toMatchObject({ overlap: 1, extraOverlap: 0 });
    expect(await failure(extendUncertainTasks(ctx(ann), { projectSlug: project.slug }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("is a database rule that the extra judgments are part of the overlap", async () => {
    const project = await makeProject(t.db, { overlap: 2 });
    const made = await makeTask(t.db, project);
    for (const extra of [2, -1, 21]) {
      const error = await t.db
        .update(tasks)
        .set({ extraOverlap: extra })
        .where(eq(tasks.id, made.task.id))
        .then(
          () => null,
          (e: unknown) => e as { cause?: { constraint?: string } },
        );
      expect(error?.cause?.constraint ?? (error as { constraint?: string } | null)?.constraint).toBe("tasks_extra_overlap_range");
    }
    expect((await t.db.select().from(judgments).where(eq(judgments.taskId, made.task.id))).length).toBe(0);
  });
});
