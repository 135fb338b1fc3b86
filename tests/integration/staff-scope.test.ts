/**
 * Researchers and leads act only on projects they are members of; admins (and the CLI)
 * on all. Every project verb answers a stranger's project exactly as a missing one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { judgments, projectMembers } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { submitJudgment } from "@/lib/services/annotation";
import { listProjectAnnotators, previewAnnotatorExclusion, setAnnotatorExcluded, setAnnotatorStatus } from "@/lib/services/annotators";
import { listAuditPage } from "@/lib/services/audit-log";
import type { Actor } from "@/lib/services/context";
import { buildExport, exportTaskTotal, listExports, previewExport, streamExport } from "@/lib/services/exports";
import { listProjectGold, retireGold, setTaskGold } from "@/lib/services/gold";
import { importItems } from "@/lib/services/import";
import { getItemDetail, listItemsPage } from "@/lib/services/items";
import {
  createProject,
  getProjectOverview,
  listMyProjects,
  setProjectStatus,
  updateProject,
  updateProjectMembers,
} from "@/lib/services/projects";
import { acceptJudgment, adjudicateTask, getTaskReview, listReviewQueue, rejectJudgment } from "@/lib/services/review";
import { getProjectStats } from "@/lib/services/stats";
import { createApiToken } from "@/lib/services/tokens";
import { defaultProjectSettings } from "@/lib/validation/project-settings";
import { addMember, makeActors, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { codeOf } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let actors: Record<Role, Actor>;
let theirs: Awaited<ReturnType<typeof makeProject>>;
let taskId: number;
let itemId: number;
let judgmentId: number;
let annotatorId: number;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db, { emailDomain: "scope.test" });
  // Another team's project: nobody above is a member of it.
  theirs = await makeProject(t.db, { overlap: 3 }, { slug: "other-team" });
  const made = await makeTask(t.db, theirs);
  taskId = made.task.id;
  itemId = made.task.itemId;
  const worker = await makeUser(t.db);
  annotatorId = worker.id;
  await addMember(t.db, theirs.id, worker.id);
  const asg = await makeAssignment(t.db, made.task.id, theirs.id, worker.id);
  judgmentId = (
    await submitJudgment({ db: t.db, actor: { ...actors.annotator, id: worker.id } }, { assignmentId: asg.id, input: { strength: 1 } })
  ).judgment.id;
});

const ctx = (role: Role) => ({ db: t.db, actor: actors[role] });

const slug = () => theirs.slug;
const VERBS: Record<string, (c: ReturnType<typeof ctx>) => Promise<unknown>> = {
  "project overview": (c) => getProjectOverview(c, { slug: slug() }),
  "project update": (c) => updateProject(c, { slug: slug(), name: "renamed", settings: { ...theirs.settings } }),
  "project status": (c) => setProjectStatus(c, { slug: slug(), status: "paused" }),
  "project members": (c) => updateProjectMembers(c, { slug: slug(), add: [actors.annotator.email] }),
  "items list": (c) => listItemsPage(c, { projectSlug: slug() }),
  "item detail": (c) => getItemDetail(c, { projectSlug: slug(), itemId }),
  import: (c) => importItems(c, { projectSlug: slug(), source: [""], format: "jsonl", dryRun: true }),
  "export build": (c) => buildExport(c, { projectSlug: slug(), kind: "dpo", outDir: "/tmp/arbiter-scope-never" }),
  "export stream": async (c) => {
    const it = await streamExport(c, { projectSlug: slug(), kind: "dpo" });
    for await (const _ of it) void _;
  },
  "export list": (c) => listExports(c, { projectSlug: slug() }),
  "export preview": (c) => previewExport(c, { projectSlug: slug(), kind: "dpo" }),
  "export total": (c) => exportTaskTotal(c, slug()),
  statistics: (c) => getProjectStats(c, { projectSlug: slug() }),
  "review task": (c) => getTaskReview(c, { taskId }),
  "review accept": (c) => acceptJudgment(c, { judgmentId }),
  "review reject": (c) => rejectJudgment(c, { judgmentId, note: "no" }),
  adjudicate: (c) => adjudicateTask(c, { taskId, strength: 1 }),
  "review queue of the project": (c) => listReviewQueue(c, { projectSlug: slug() }),
  "gold list": (c) => listProjectGold(c, { projectSlug: slug() }),
  "gold set": (c) => setTaskGold(c, { taskId, strength: 1, accept: [1] }),
  "gold retire": (c) => retireGold(c, { taskId }),
  "annotators list": (c) => listProjectAnnotators(c, { projectSlug: slug() }),
  "annotator status": (c) => setAnnotatorStatus(c, { projectSlug: slug(), userId: annotatorId, status: "paused" }),
  "annotator exclude": (c) => setAnnotatorExcluded(c, { projectSlug: slug(), userId: annotatorId, excluded: true }),
  "annotator preview": (c) => previewAnnotatorExclusion(c, { projectSlug: slug(), userId: annotatorId }),
  "token for the project": (c) => createApiToken(c, { name: "scoped", scopes: ["export"], projectSlug: slug() }),
};

describe("staff outside a project", () => {
  it.each(Object.keys(VERBS))("%s: a researcher or lead who is not a member gets NOT_FOUND (as for a missing project)", async (verb) => {
    for (const role of ["researcher", "lead"] as const) {
      const code = await codeOf(VERBS[verb]!(ctx(role)));
      // Leads-only verbs refuse researchers by role first; either way nothing is reached.
      expect(role === "researcher" ? ["NOT_FOUND", "FORBIDDEN"] : ["NOT_FOUND"], `${role}: ${verb}`).toContain(code);
    }
  });

  it("leaves the project untouched", async () => {
    const [row] = await t.db.select().from(judgments).where(eq(judgments.id, judgmentId));
    expect(row!.state).toBe("valid");
    expect((await t.db.select().from(projectMembers).where(eq(projectMembers.projectId, theirs.id))).length).toBe(1);
  });

  it("lists only their own projects; the review queue and the audit log show nothing of the others", async () => {
    for (const role of ["researcher", "lead"] as const) {
      const mine = await listMyProjects(ctx(role), { todaySince: new Date() });
      expect(mine.map((p) => p.slug)).not.toContain(theirs.slug);
    }
    const queue = await listReviewQueue(ctx("lead"), { contestedOnly: false });
    expect(queue.rows.map((r: { taskId: number }) => r.taskId)).not.toContain(taskId);
    expect(queue.projects.map((p: { slug: string }) => p.slug)).not.toContain(theirs.slug);
    const audit = await listAuditPage(ctx("lead"), {});
    expect(audit.rows.filter((r: { projectId: number | null }) => r.projectId === theirs.id)).toEqual([]);
  });

  it("an admin acts on every project", async () => {
    expect(await codeOf(getProjectOverview(ctx("admin"), { slug: slug() }))).toBe("OK");
    expect(await codeOf(getProjectStats(ctx("admin"), { projectSlug: slug() }))).toBe("OK");
    expect((await listMyProjects(ctx("admin"), { todaySince: new Date() })).map((p) => p.slug)).toContain(theirs.slug);
  });
});

describe("membership of staff", () => {
  it("the creator of a project becomes its member and can work on it", async () => {
    const created = await createProject(ctx("researcher"), { slug: "made-by-me", name: "Mine", settings: defaultProjectSettings() });
    expect(await codeOf(getProjectOverview(ctx("researcher"), { slug: created.slug }))).toBe("OK");
    expect((await listMyProjects(ctx("researcher"), { todaySince: new Date() })).map((p) => p.slug)).toContain("made-by-me");
  });

  it("a lead or admin adds staff; a researcher adds annotators only", async () => {
    const project = await makeProject(t.db);
    await addMember(t.db, project.id, actors.researcher.id);
    await addMember(t.db, project.id, actors.lead.id);
    const colleague = await makeUser(t.db, { role: "researcher" });
    expect(await codeOf(updateProjectMembers(ctx("researcher"), { slug: project.slug, add: [colleague.email] }))).toBe("FORBIDDEN");
    expect(await codeOf(updateProjectMembers(ctx("researcher"), { slug: project.slug, add: [actors.annotator.email] }))).toBe("OK");
    expect(await codeOf(updateProjectMembers(ctx("lead"), { slug: project.slug, add: [colleague.email] }))).toBe("OK");
    const colleagueCtx = {
      db: t.db,
      actor: { id: colleague.id, email: colleague.email, name: colleague.name, role: "researcher" as const, locale: "en" },
    };
    expect(await codeOf(getProjectStats(colleagueCtx, { projectSlug: project.slug }))).toBe("OK");
    // The command line acts as the operator.
    const another = await makeUser(t.db, { role: "lead" });
    expect(await codeOf(updateProjectMembers({ db: t.db, actor: null }, { slug: project.slug, add: [another.email] }))).toBe("OK");
  });
});
