import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listExcludedAnnotators } from "@/db/queries/exports";
import { auditLog, projectMembers } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { leaseNextTask } from "@/lib/services/annotation";
import { setAnnotatorExcluded, setAnnotatorStatus } from "@/lib/services/annotators";
import type { Actor } from "@/lib/services/context";
import { getProjectOverview, listMyProjects, updateProjectMembers } from "@/lib/services/projects";
import { addMember, makeActors, makeProject, makeTask, makeUser } from "../factories";
import { codeOf } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db, { emailDomain: "members.test" });
});

const ctx = (role: Role) => ({ db: t.db, actor: actors[role] });

async function memberRow(projectId: number, userId: number) {
  const [row] = await t.db
    .select()
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
  return row;
}

describe("removing a member keeps a lead's decisions", () => {
  it("remove → re-add restores the paused standing and the export exclusion; each step is audited", async () => {
    const project = await makeProject(t.db);
    await makeTask(t.db, project);
    for (const role of ["researcher", "lead"] as const) await addMember(t.db, project.id, actors[role].id);
    const worker = await makeUser(t.db, { email: "worker@members.test" });
    await addMember(t.db, project.id, worker.id);

    await setAnnotatorStatus(ctx("lead"), { projectSlug: project.slug, userId: worker.id, status: "paused" });
    await setAnnotatorExcluded(ctx("lead"), { projectSlug: project.slug, userId: worker.id, excluded: true });

    // A researcher tidies the member list.
    await updateProjectMembers(ctx("researcher"), { slug: project.slug, remove: [worker.email] });
    const removed = await memberRow(project.id, worker.id);
    expect(removed).toMatchObject({ status: "removed", statusBeforeRemoval: "paused", excludedFromExports: true });
    // Exports still leave the removed annotator's judgments out.
    expect(await listExcludedAnnotators(t.db, project.id)).toContain(String(worker.id));
    // The removed member is no member: not listed, not counted, no work.
    const overview = await getProjectOverview(ctx("researcher"), { slug: project.slug });
    expect(overview.members.map((m) => m.email)).not.toContain(worker.email);
    expect(overview.progress.members).toBe(2);
    const workerCtx = {
      db: t.db,
      actor: { id: worker.id, email: worker.email, name: worker.name, role: "annotator" as const, locale: "en" },
    };
    expect(await codeOf(leaseNextTask(workerCtx, { projectSlug: project.slug }))).toBe("FORBIDDEN");
    expect((await listMyProjects(workerCtx, { todaySince: new Date() })).map((p) => p.slug)).not.toContain(project.slug);

    // Re-adding gives back the lead's decisions, not a fresh active row.
    const again = await updateProjectMembers(ctx("researcher"), { slug: project.slug, add: [worker.email] });
    expect(again.added).toEqual([worker.email]);
    expect(await memberRow(project.id, worker.id)).toMatchObject({
      status: "paused",
      statusBeforeRemoval: null,
      excludedFromExports: true,
    });

    const actions = await t.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.projectId, project.id))
      .orderBy(auditLog.id);
    expect(actions.map((a) => a.action)).toEqual(["annotator.pause", "annotator.exclude", "project.members.remove", "project.members.add"]);
    expect(actions[2]!.details).toMatchObject({
      emails: [worker.email],
      kept: [{ email: worker.email, status: "paused", excludedFromExports: true }],
    });
    expect(actions[3]!.details).toMatchObject({
      emails: [worker.email],
      restored: [{ email: worker.email, status: "paused", excludedFromExports: true }],
    });
  });

  it("a removed active member comes back active; removing twice changes nothing", async () => {
    const project = await makeProject(t.db);
    await addMember(t.db, project.id, actors.researcher.id);
    const worker = await makeUser(t.db);
    await addMember(t.db, project.id, worker.id);
    expect((await updateProjectMembers(ctx("researcher"), { slug: project.slug, remove: [worker.email] })).removed).toEqual([worker.email]);
    expect((await updateProjectMembers(ctx("researcher"), { slug: project.slug, remove: [worker.email] })).removed).toEqual([]);
    await updateProjectMembers(ctx("researcher"), { slug: project.slug, add: [worker.email] });
    expect(await memberRow(project.id, worker.id)).toMatchObject({
      status: "active",
      statusBeforeRemoval: null,
      excludedFromExports: false,
    });
  });

  it("a lead may still exclude a removed member's judgments; only leads change standing", async () => {
    const project = await makeProject(t.db);
    await addMember(t.db, project.id, actors.researcher.id);
    await addMember(t.db, project.id, actors.lead.id);
    const worker = await makeUser(t.db);
    await addMember(t.db, project.id, worker.id);
    await updateProjectMembers(ctx("researcher"), { slug: project.slug, remove: [worker.email] });
    expect(await codeOf(setAnnotatorExcluded(ctx("researcher"), { projectSlug: project.slug, userId: worker.id, excluded: true }))).toBe(
      "FORBIDDEN",
    );
    await setAnnotatorExcluded(ctx("lead"), { projectSlug: project.slug, userId: worker.id, excluded: true });
    expect(await listExcludedAnnotators(t.db, project.id)).toContain(String(worker.id));
    // A removed member's standing is not changed behind the removal.
    expect(await codeOf(setAnnotatorStatus(ctx("lead"), { projectSlug: project.slug, userId: worker.id, status: "active" }))).toBe(
      "CONFLICT",
    );
    expect(await memberRow(project.id, worker.id)).toMatchObject({
      status: "removed",
      statusBeforeRemoval: "active",
      excludedFromExports: true,
    });
  });
});
