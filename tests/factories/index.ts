/**
 * Factories: the smallest valid rows for a test, written straight through drizzle so that
 * tests of one feature do not depend on another's service.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { assignments, candidates, characters, items, projectMembers, projects, tasks, users } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { contentHash } from "@/lib/domain/canonical";
import { ProjectSettings } from "@/lib/validation/project-settings";

const uid = () => randomBytes(4).toString("hex");

// A cheap, real bcrypt hash of "correct-horse-battery" (cost 4) for tests that sign in.
export const TEST_PASSWORD = "correct-horse-battery";

export async function makeUser(db: Db, overrides: Partial<{ email: string; role: Role; active: boolean; name: string; passwordHash: string }> = {}) {
  const bcrypt = await import("bcryptjs");
  const [row] = await db
    .insert(users)
    .values({
      email: overrides.email ?? `user-${uid()}@example.test`,
      name: overrides.name ?? "Test User",
      role: overrides.role ?? "annotator",
      active: overrides.active ?? true,
      passwordHash: overrides.passwordHash ?? bcrypt.hashSync(TEST_PASSWORD, 4),
    })
    .returning();
  return row!;
}

export async function makeProject(db: Db, settings: Partial<ProjectSettings> = {}) {
  const parsed = ProjectSettings.parse(settings);
  const [row] = await db
    .insert(projects)
    .values({
      slug: `p-${uid()}`,
      name: "Test project",
      status: "active",
      mode: parsed.mode,
      scalePoints: parsed.scalePoints,
      overlap: parsed.overlap,
      settings: parsed,
    })
    .returning();
  return row!;
}

export async function addMember(db: Db, projectId: number, userId: number) {
  await db.insert(projectMembers).values({ projectId, userId });
}

/** An item with `k` candidates and one task over the first two (or all k when ranking). */
export async function makeTask(
  db: Db,
  project: { id: number; scalePoints: number; overlap: number },
  options: { k?: number; kind?: "pairwise" | "ranking"; characterName?: string } = {},
) {
  const k = options.k ?? 2;
  const name = options.characterName ?? "孙悟空";
  const profile = { 性别: "男", 口头禅: ["俺老孙来也"] };
  const [character] = await db
    .insert(characters)
    .values({ name, profile, contentHash: contentHash({ name, profile, salt: uid() }) })
    .returning();
  const context = [{ role: "user" as const, content: "大圣，你今天去哪儿了？" }];
  const [item] = await db
    .insert(items)
    .values({ projectId: project.id, externalId: `ext-${uid()}`, characterId: character!.id, context, contentHash: uid() })
    .returning();
  const cands = await db
    .insert(candidates)
    .values(Array.from({ length: k }, (_, i) => ({ itemId: item!.id, position: i, model: `model-${i}`, content: `回复 ${i} 🐒` })))
    .returning();
  const kind = options.kind ?? (k === 2 ? "pairwise" : "ranking");
  const [task] = await db
    .insert(tasks)
    .values({
      projectId: project.id,
      itemId: item!.id,
      kind,
      candidateIds: kind === "pairwise" ? [cands[0]!.id, cands[1]!.id] : cands.map((c) => c.id),
      scalePoints: project.scalePoints,
      overlap: project.overlap,
    })
    .returning();
  return { character: character!, item: item!, candidates: cands, task: task! };
}

export async function makeAssignment(
  db: Db,
  taskId: number,
  projectId: number,
  annotatorId: number,
  options: { displayOrder?: number[]; state?: "active" | "submitted" } = {},
) {
  const [row] = await db
    .insert(assignments)
    .values({
      taskId,
      projectId,
      annotatorId,
      displayOrder: options.displayOrder ?? [0, 1],
      state: options.state ?? "active",
      expiresAt: new Date(Date.now() + 20 * 60_000),
    })
    .returning();
  return row!;
}
