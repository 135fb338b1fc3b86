/**
 * Background upkeep on a real PostgreSQL: a project that asks for adaptive overlap and active
 * pair sampling gets both once judgments arrive, without a command; it is not run again until
 * new judgments come and its interval has passed; two processes never run one project at once
 * and a crashed run's claim lapses; a project's failure is recorded and spares the others,
 * and an unexpected one shows staff a plain message while its details go to the log;
 * projects that ask for nothing, or are not active, are left alone; the loop runs passes
 * until stopped.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { claimUpkeep, finishUpkeep, selectDueUpkeepProjects, selectUpkeep } from "@/db/queries/upkeep";
import { auditLog, tasks } from "@/db/schema";
import { leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { getProjectUpkeep, runProjectUpkeep, startProjectUpkeep, upkeepSecondsFrom, type UpkeepRun } from "@/lib/services/project-upkeep";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { addMember, makeActors, makeAnnotators, makeProject, makeTask } from "../factories";
import { anotherInstance, useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

type Project = Awaited<ReturnType<typeof makeProject>>;

/** The strength to press for a canonical answer (the factory's replies say which candidate they are). */
function pressed(lease: NonNullable<Awaited<ReturnType<typeof leaseNextTask>>>, canonical: number): number {
  return lease.candidates[0]!.content.startsWith("回复 0") ? canonical : -canonical;
}

/** Leases and submits, as the annotator, the canonical answer `answer(taskId)`; returns the task id. */
async function judge(ann: Actor, project: Project, answer: (taskId: number) => number): Promise<number> {
  const lease = await leaseNextTask({ db: t.db, actor: ann }, { projectSlug: project.slug });
  if (!lease) throw new Error(`nothing to serve to ${ann.email}`);
  await submitJudgment(
    { db: t.db, actor: ann },
    { assignmentId: lease.assignment.id, input: { strength: pressed(lease, answer(lease.task.id)) } },
  );
  return lease.task.id;
}

const runOf = (runs: UpkeepRun[], project: Project) => runs.filter((r) => r.project === project.slug);

/** A project with two pairwise tasks (overlap 2), judged by two annotators who split on the first. */
async function judgedProject(settings: Partial<ProjectSettings>, status: "active" | "paused" = "active") {
  const project = await makeProject(t.db, { scalePoints: 3, overlap: 2, maxLeasesPerAnnotator: 1, ...settings });
  const split = await makeTask(t.db, project);
  const agreed = await makeTask(t.db, project);
  const people = await makeAnnotators(t.db, project.id, 3);
  for (const [ann, first] of [
    [people[0], -1],
    [people[1], 1],
  ] as const) {
    for (let k = 0; k < 2; k++) await judge(ann, project, (id) => (id === split.task.id ? first : -1));
  }
  if (status !== "active") await t.db.execute(sql`update projects set status = ${status} where id = ${project.id}`);
  return { project, split: split.task.id, agreed: agreed.task.id, third: people[2] };
}

const ADAPTIVE = { extra: 1, minPosterior: 0.9, method: "majority" as const };

/** As if the project's last run had taken no time, so that only the interval spaces the next (see the spacing test). */
async function instantLastRun(projectId: number) {
  await t.db.execute(sql`update project_upkeep set result = result - 'ms' where project_id = ${projectId}`);
}

describe("project upkeep", () => {
  it("extends uncertain tasks and re-ranks open pairs once judgments arrive, then waits for new ones", async () => {
    const project = await makeProject(t.db, { scalePoints: 3, overlap: 2, adaptiveOverlap: ADAPTIVE, pairSampling: "active" });
    await makeTask(t.db, project);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0 }), project)).toEqual([]); // no judgments yet

    const { project: p, split, agreed, third } = await judgedProject({ adaptiveOverlap: ADAPTIVE, pairSampling: "active" });
    const [run] = runOf(await runProjectUpkeep(t.db, { intervalSeconds: 60 }), p);
    // The split task (1 : 1, posterior 0.5) is asked for one more judgment; it is then the one open task, ranked.
    expect(run).toMatchObject({ extended: { tasks: 1, uncertain: 1 }, ranks: { votes: 4, tasks: 1 } });
    expect(run!.error).toBeUndefined();
    const overlapOf = async (id: number) => (await t.db.select().from(tasks).where(eq(tasks.id, id)))[0]!;
    expect(await overlapOf(split)).toMatchObject({ overlap: 3, extraOverlap: 1 });
    expect(await overlapOf(agreed)).toMatchObject({ overlap: 2, extraOverlap: 0 });
    // Audited as the platform's own change.
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, p.id), eq(auditLog.action, "task.extend")));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: null, details: { automatic: true, tasks: 1, method: "majority", maxExtra: 1 } });
    // The record of the run, claim released.
    const row = (await selectUpkeep(t.db, p.id))!;
    expect(row.claimedUntil).toBeNull();
    expect(row.finishedAt).not.toBeNull();
    expect(row.result).toMatchObject({ extended: { tasks: 1, uncertain: 1 }, ranks: { votes: 4, tasks: 1 } });

    // Not again within its interval, nor without new judgments.
    await instantLastRun(p.id);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 60 }), p)).toEqual([]);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0 }), p)).toEqual([]);

    // A third annotator judges the reopened task: due again; the task stays uncertain (2 : 1) but is at its cap.
    expect(await judge(third, p, () => -1)).toBe(split);
    await instantLastRun(p.id);
    const [again] = runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0 }), p);
    expect(again).toMatchObject({ extended: { tasks: 0, uncertain: 1 }, ranks: { votes: 5, tasks: 0 } });
    expect(await overlapOf(split)).toMatchObject({ overlap: 3, extraOverlap: 1 });
  });

  it("runs a project in one process at a time; a crashed run's claim lapses", async () => {
    const other = anotherInstance(t);
    // Both processes see the project due (their lists go stale at once); only one claim succeeds.
    const raced = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    for (const db of [t.db, other]) expect((await selectDueUpkeepProjects(db, 0)).map((p) => p.id)).toContain(raced.project.id);
    const claims = await Promise.all([claimUpkeep(t.db, raced.project.id, 0, 600), claimUpkeep(other, raced.project.id, 0, 600)]);
    expect(claims.filter((c) => c !== null)).toHaveLength(1);

    // Two whole passes at once run a project once.
    const { project } = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    const [mine, theirs] = await Promise.all([
      runProjectUpkeep(t.db, { intervalSeconds: 0 }),
      runProjectUpkeep(other, { intervalSeconds: 0 }),
    ]);
    expect(runOf(mine, project).length + runOf(theirs, project).length).toBe(1);

    // A claim held by a live process keeps everyone else off; once it lapses, the project is run.
    const held = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    await t.db.execute(sql`insert into project_upkeep (project_id, claimed_until, started_at)
                           values (${held.project.id}, now() + interval '1 hour', now() - interval '1 hour')`);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0 }), held.project)).toEqual([]);
    await t.db.execute(sql`update project_upkeep set claimed_until = now() - interval '1 second' where project_id = ${held.project.id}`);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0 }), held.project)).toHaveLength(1);

    // A run whose claim lapsed and was taken does not release the new holder's claim.
    const stale = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    const first = (await claimUpkeep(t.db, stale.project.id, 0, 600))!;
    expect(await claimUpkeep(t.db, stale.project.id, 0, 600)).toBeNull(); // held
    await t.db.execute(sql`update project_upkeep set claimed_until = now() - interval '1 second' where project_id = ${stale.project.id}`);
    const second = (await claimUpkeep(other, stale.project.id, 0, 600))!;
    expect(second).not.toBe(first);
    expect(await finishUpkeep(t.db, stale.project.id, first, { ms: 1 })).toBe(false);
    expect((await selectUpkeep(t.db, stale.project.id))!.claimedUntil).not.toBeNull();
    expect(await finishUpkeep(other, stale.project.id, second, { ms: 1 })).toBe(true);
    expect((await selectUpkeep(t.db, stale.project.id))!.claimedUntil).toBeNull();
  });

  it("spaces a project's runs by ten times its last run's duration when that is longer than the interval", async () => {
    const { project } = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    // The last run took 100 s and began 5 minutes ago: not due before 1,000 s, whatever the interval.
    await t.db.execute(sql`insert into project_upkeep (project_id, started_at, finished_at, result)
                           values (${project.id}, now() - interval '5 minutes', now() - interval '200 seconds', '{"ms": 100000}')`);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 60 }), project)).toEqual([]);
    expect(await claimUpkeep(t.db, project.id, 60, 600)).toBeNull();
    // 17 minutes ago, with the judgments written since: due.
    await t.db.execute(sql`update project_upkeep set started_at = now() - interval '17 minutes' where project_id = ${project.id}`);
    expect(runOf(await runProjectUpkeep(t.db, { intervalSeconds: 60 }), project)).toHaveLength(1);
  });

  it("records a project's failure, releases its claim and still runs the others", async () => {
    const broken = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    // A setting no boundary would accept, written behind the validation's back.
    await t.db.execute(
      sql`update projects set settings = jsonb_set(settings, '{adaptiveOverlap,method}', '"bogus"') where id = ${broken.project.id}`,
    );
    const healthy = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    const runs = await runProjectUpkeep(t.db, { intervalSeconds: 0 });
    expect(runOf(runs, broken.project)[0]!.error).toMatch(/consensus/);
    expect(runOf(runs, healthy.project)[0]).toMatchObject({ extended: { tasks: 1 } });
    const row = (await selectUpkeep(t.db, broken.project.id))!;
    expect(row.claimedUntil).toBeNull();
    expect(row.result).toMatchObject({ error: expect.stringMatching(/consensus/) });
  });

  it("records an unexpected failure as a plain message for the dashboard, and its details in the log only", async () => {
    const { project } = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    // A database error no boundary expects, with internals in its text: a trigger refusing this project's task updates.
    await t.db.execute(
      sql.raw(`create function upkeep_test_refuse() returns trigger language plpgsql as $$
                 begin raise exception 'internal detail: secret-table-7'; end $$`),
    );
    await t.db.execute(
      sql.raw(`create trigger upkeep_test_refuse before update on tasks for each row
                 when (old.project_id = ${project.id}) execute function upkeep_test_refuse()`),
    );
    try {
      const lines: string[] = [];
      const [run] = runOf(await runProjectUpkeep(t.db, { intervalSeconds: 0, log: (m) => lines.push(m) }), project);
      expect(run!.error).toMatch(/unexpected error; the server log has its details/);
      expect(run!.error).not.toContain("secret-table-7");
      expect(JSON.stringify((await selectUpkeep(t.db, project.id))!.result)).not.toContain("secret-table-7");
      expect(lines.some((l) => l.startsWith(`${project.slug}: `) && l.includes("secret-table-7"))).toBe(true);
    } finally {
      await t.db.execute(sql.raw("drop trigger upkeep_test_refuse on tasks; drop function upkeep_test_refuse()"));
    }
  });

  it("leaves alone projects that ask for neither step, and projects that are not active", async () => {
    const plain = await judgedProject({});
    const paused = await judgedProject({ adaptiveOverlap: ADAPTIVE, pairSampling: "active" }, "paused");
    const runs = await runProjectUpkeep(t.db, { intervalSeconds: 0 });
    expect(runOf(runs, plain.project)).toEqual([]);
    expect(runOf(runs, paused.project)).toEqual([]);
    expect(await selectUpkeep(t.db, plain.project.id)).toBeNull();
    expect(await selectUpkeep(t.db, paused.project.id)).toBeNull();
  });

  it("runs in the background until stopped", async () => {
    const { project, split } = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    const lines: string[] = [];
    const stop = startProjectUpkeep({ db: t.db, intervalSeconds: 1, log: (m) => lines.push(m) });
    try {
      await expect
        .poll(async () => (await t.db.select().from(tasks).where(eq(tasks.id, split)))[0]!.extraOverlap, { timeout: 15_000 })
        .toBe(1);
      await expect.poll(() => lines.some((l) => l.startsWith(`${project.slug}: 1 uncertain task`)), { timeout: 5_000 }).toBe(true);
    } finally {
      await stop();
    }
  });

  it("shows staff of the project which steps run and what the last run did; nobody else", async () => {
    const { project } = await judgedProject({ adaptiveOverlap: ADAPTIVE });
    const actors = await makeActors(t.db);
    await addMember(t.db, project.id, actors.lead.id);
    const view = (actor: Actor) => getProjectUpkeep({ db: t.db, actor }, { projectSlug: project.slug });
    expect(await view(actors.lead)).toEqual({ adaptiveOverlap: true, activeSampling: false, last: null });
    await runProjectUpkeep(t.db, { intervalSeconds: 0 });
    const seen = await view(actors.admin);
    expect(seen.last).toMatchObject({ finishedAt: expect.any(String), result: { extended: { tasks: 1, uncertain: 1 } } });
    expect(await failure(view(actors.annotator))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(view(actors.researcher))).toMatchObject({ code: "NOT_FOUND" }); // not a member
    expect(await failure(getProjectUpkeep({ db: t.db, actor: actors.admin }, { projectSlug: "" }))).toMatchObject({
      code: "VALIDATION",
      fields: { projectSlug: [expect.any(String)] },
    });
  });

  it("reads its interval from ARBITER_UPKEEP_SECONDS and refuses a value that is not seconds", () => {
    expect(upkeepSecondsFrom({})).toBe(60);
    expect(upkeepSecondsFrom({ ARBITER_UPKEEP_SECONDS: " 0 " })).toBe(0);
    expect(upkeepSecondsFrom({ ARBITER_UPKEEP_SECONDS: "300" })).toBe(300);
    expect(() => upkeepSecondsFrom({ ARBITER_UPKEEP_SECONDS: "a minute" })).toThrow(/ARBITER_UPKEEP_SECONDS/);
    expect(() => upkeepSecondsFrom({ ARBITER_UPKEEP_SECONDS: "-5" })).toThrow(/ARBITER_UPKEEP_SECONDS/);
  });
});
