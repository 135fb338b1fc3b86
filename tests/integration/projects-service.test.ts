import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, judgments, projectMembers, projects, tasks } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import type { AppError } from "@/lib/errors";
import { createCharacter, getCharacterDetail, parseCharacterForm, updateCharacter } from "@/lib/services/characters";
import type { Actor } from "@/lib/services/context";
import {
  createProject,
  getProjectOverview,
  listMyProjects,
  setProjectStatus,
  updateProject,
  updateProjectMembers,
} from "@/lib/services/projects";
import { defaultProjectSettings } from "@/lib/validation/project-settings";
import { addMember, makeActors, makeAssignment, makeProjectWithStaff, makeTask, makeUser } from "../factories";
import { codeOf, thrownBy } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [actors.researcher, actors.lead]);

const run = promisify(execFile);
let t: TestDatabase;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db, { emailDomain: "projects.test" });
});

const ctx = (role: Role) => ({ db: t.db, actor: actors[role] });
const today = () => new Date(Date.now() - 24 * 3600 * 1000);

describe("projects", () => {
  it("refuses every write verb to annotators", async () => {
    const project = await makeProject(t.db);
    expect(await codeOf(createProject(ctx("annotator"), { slug: "nope", name: "Nope" }))).toBe("FORBIDDEN");
    expect(await codeOf(updateProject(ctx("annotator"), { slug: project.slug, name: "x", settings: defaultProjectSettings() }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(setProjectStatus(ctx("annotator"), { slug: project.slug, status: "paused" }))).toBe("FORBIDDEN");
    expect(await codeOf(updateProjectMembers(ctx("annotator"), { slug: project.slug, add: [actors.annotator.email] }))).toBe("FORBIDDEN");
    expect(await codeOf(getProjectOverview(ctx("annotator"), { slug: project.slug }))).toBe("FORBIDDEN");
  });

  it("creates a project with validated settings and records it", async () => {
    const project = await createProject(ctx("researcher"), {
      slug: "rp-zh",
      name: "角色扮演",
      settings: { scalePoints: 5, overlap: 2, dimensions: ["fluency"] },
    });
    expect(project).toMatchObject({ slug: "rp-zh", scalePoints: 5, overlap: 2, mode: "pairwise" });
    expect(project.settings).toMatchObject({ scalePoints: 5, dimensions: ["fluency"], leaseMinutes: 20 });
    const bad = await createProject(ctx("researcher"), { slug: "Bad Slug", name: "", settings: { scalePoints: 4 } }).catch(
      (e: AppError) => e,
    );
    expect((bad as AppError).code).toBe("VALIDATION");
    expect(Object.keys((bad as AppError).fields!)).toEqual(expect.arrayContaining(["slug", "name", "settings.scalePoints"]));
    expect(await codeOf(createProject(ctx("lead"), { slug: "rp-zh", name: "again" }))).toBe("CONFLICT");
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.projectId, project.id));
    expect(entry).toMatchObject({ action: "project.create", actorId: actors.researcher.id });
  });

  it("guards settings the data depends on, and carries overlap into tasks", async () => {
    const project = await makeProject(t.db, { overlap: 3 });
    const { task } = await makeTask(t.db, project);
    const base = { slug: project.slug, name: project.name, settings: { ...defaultProjectSettings(), overlap: 3 } };
    // Mode is fixed once tasks exist.
    expect(await codeOf(updateProject(ctx("researcher"), { ...base, settings: { ...base.settings, mode: "ranking" } }))).toBe("CONFLICT");
    // Overlap follows into the tasks.
    await updateProject(ctx("researcher"), { ...base, settings: { ...base.settings, overlap: 5 } });
    expect((await t.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]!.overlap).toBe(5);
    // Scale is fixed once judged; overlap cannot drop below a task's count.
    const annotators = [await makeUser(t.db), await makeUser(t.db)];
    for (const a of annotators) {
      const assignment = await makeAssignment(t.db, task.id, project.id, a.id, { state: "submitted" });
      await t.db.insert(judgments).values({
        taskId: task.id,
        kind: "pairwise",
        scalePoints: 7,
        assignmentId: assignment.id,
        annotatorId: a.id,
        projectId: project.id,
        strength: 1,
        displayOrder: [0, 1],
      });
    }
    const scale = await updateProject(ctx("researcher"), { ...base, settings: { ...base.settings, overlap: 5, scalePoints: 5 } }).catch(
      (e: AppError) => e,
    );
    expect((scale as AppError).code).toBe("CONFLICT");
    expect((scale as AppError).fields).toHaveProperty(["settings.scalePoints"]);
    expect(await codeOf(updateProject(ctx("researcher"), { ...base, settings: { ...base.settings, overlap: 1 } }))).toBe("CONFLICT");
    expect(await codeOf(updateProject(ctx("researcher"), { ...base, settings: { ...base.settings, overlap: 2 } }))).toBe("OK");
  });

  it("changes status, and annotators see only active or paused projects they belong to", async () => {
    const project = await makeProject(t.db);
    const other = await makeProject(t.db);
    await addMember(t.db, project.id, actors.annotator.id);
    await addMember(t.db, other.id, actors.annotator.id);
    await setProjectStatus(ctx("lead"), { slug: other.slug, status: "archived" });
    const mine = await listMyProjects(ctx("annotator"), { todaySince: today() });
    expect(mine.map((p) => p.slug)).toContain(project.slug);
    expect(mine.map((p) => p.slug)).not.toContain(other.slug);
    const staff = await listMyProjects(ctx("researcher"), { todaySince: today() });
    expect(staff.map((p) => p.slug)).toEqual(expect.arrayContaining([project.slug, other.slug]));
  });

  it("adds and removes members by email, all or nothing", async () => {
    const project = await makeProject(t.db);
    const a = await makeUser(t.db, { email: "member-a@projects.test" });
    await makeUser(t.db, { email: "member-b@projects.test" });
    const bad = await updateProjectMembers(ctx("researcher"), {
      slug: project.slug,
      add: ["member-a@projects.test", "ghost@projects.test"],
    }).catch((e: AppError) => e);
    expect((bad as AppError).code).toBe("VALIDATION");
    expect((bad as AppError).message).toContain("ghost@projects.test");
    expect(
      await t.db
        .select()
        .from(projectMembers)
        .where(and(eq(projectMembers.projectId, project.id), eq(projectMembers.userId, a.id))),
    ).toHaveLength(0);
    const result = await updateProjectMembers(ctx("researcher"), {
      slug: project.slug,
      add: ["Member-A@projects.test", "member-b@projects.test"],
    });
    expect(result.added.sort()).toEqual(["member-a@projects.test", "member-b@projects.test"]);
    const again = await updateProjectMembers(ctx("researcher"), {
      slug: project.slug,
      add: ["member-a@projects.test"],
      remove: ["member-b@projects.test"],
    });
    expect(again).toEqual({ added: [], removed: ["member-b@projects.test"], unchanged: 1 });
    const overview = await getProjectOverview(ctx("researcher"), { slug: project.slug });
    expect(overview.members.filter((m) => m.role === "annotator").map((m) => m.userId)).toEqual([a.id]);
  });
});

describe("characters", () => {
  it("creates and edits characters with the import's profile rules, Chinese kept exactly", async () => {
    expect(await codeOf(createCharacter(ctx("annotator"), { name: "x", profile: {} }))).toBe("FORBIDDEN");
    const input = parseCharacterForm({
      name: "苏挽灯",
      profileJson: '{"性别":"女","口头禅":["灯不灭，人就还在。"],"人际关系":{"师父":"老周"}}',
    });
    const c = await createCharacter(ctx("researcher"), input);
    expect(c.profile).toEqual({ 性别: "女", 口头禅: ["灯不灭，人就还在。"], 人际关系: { 师父: "老周" } });
    expect(await codeOf(createCharacter(ctx("researcher"), input))).toBe("CONFLICT");
    const edited = await updateCharacter(ctx("lead"), { id: c.id, character: { name: "苏挽灯", profile: { 性别: "女", 年龄: "19" } } });
    expect(edited.profile).toEqual({ 性别: "女", 年龄: "19" });
    const detail = await getCharacterDetail(ctx("researcher"), { id: c.id });
    expect(detail.character.name).toBe("苏挽灯");
  });

  it("keeps the profile's key order, which is the card's order for other attributes", async () => {
    const profile = { 说话风格: "慢", zeta: "z", 性别: "男", alpha: "a", 人际关系: { 师父: "老周", 徒弟: "小林" } };
    const c = await createCharacter(ctx("researcher"), { name: "顺序", profile });
    const detail = await getCharacterDetail(ctx("researcher"), { id: c.id });
    expect(Object.keys(detail.character.profile)).toEqual(["说话风格", "zeta", "性别", "alpha", "人际关系"]);
    expect(Object.keys(detail.character.profile.人际关系 as object)).toEqual(["师父", "徒弟"]);
  });

  it("names the field when the profile is not valid", async () => {
    const notJson = thrownBy(() => parseCharacterForm({ name: "A", profileJson: "{nope" }));
    expect(notJson.fields).toHaveProperty("profile");
    const nullValue = thrownBy(() => parseCharacterForm({ name: "A", profileJson: '{"age": null}' }));
    expect(nullValue.code).toBe("VALIDATION");
    expect(Object.keys(nullValue.fields!)[0]).toMatch(/^profile/);
  });
});

describe("project CLIs", () => {
  const env = () => ({ ...process.env, DATABASE_URL: t.url });

  it("project:create takes a settings file validated by the same schema", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "arbiter-cli-"));
    const settings = path.join(dir, "settings.json");
    await writeFile(settings, JSON.stringify({ mode: "ranking", scalePoints: 3, overlap: 2 }));
    const ok = await run("npx", ["tsx", "scripts/project-create.ts", "--slug", "cli-proj", "--name", "CLI 项目", "--settings", settings], {
      env: env(),
    });
    expect(ok.stdout).toContain("Created project cli-proj");
    const [row] = await t.db.select().from(projects).where(eq(projects.slug, "cli-proj"));
    expect(row).toMatchObject({ mode: "ranking", scalePoints: 3, overlap: 2, name: "CLI 项目" });

    await writeFile(settings, JSON.stringify({ scalePoints: 4, colour: "blue" }));
    const bad = await run("npx", ["tsx", "scripts/project-create.ts", "--slug", "cli-bad", "--name", "x", "--settings", settings], {
      env: env(),
    }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("settings.scalePoints");
    const usage = await run("npx", ["tsx", "scripts/project-create.ts", "--name", "x"], { env: env() }).catch((e) => e);
    expect(usage.code).toBe(2);
  }, 60_000);

  it("project:members adds by email and names an unknown one", async () => {
    const project = await makeProject(t.db);
    await makeUser(t.db, { email: "cli-member@projects.test" });
    const ok = await run("npx", ["tsx", "scripts/project-members.ts", "--project", project.slug, "--add", "cli-member@projects.test"], {
      env: env(),
    });
    expect(ok.stdout).toContain("added 1");
    const bad = await run("npx", ["tsx", "scripts/project-members.ts", "--project", project.slug, "--add", "nobody@projects.test"], {
      env: env(),
    }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("nobody@projects.test");
  }, 60_000);
});
