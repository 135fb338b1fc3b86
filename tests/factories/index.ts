/**
 * Factories: the smallest valid rows for a test, written straight through drizzle so that
 * tests of one feature do not depend on another's service.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import {
  assignments,
  candidates,
  characters,
  items,
  judgments,
  projectMembers,
  projects,
  tasks,
  users,
  type GoldAnswer,
} from "@/db/schema";
import { ROLES, type Role } from "@/lib/auth/permissions";
import { contentHash } from "@/lib/domain/canonical";
import type { Actor } from "@/lib/services/context";
import { ProjectSettings } from "@/lib/validation/project-settings";

const uid = () => randomBytes(4).toString("hex");

// A cheap, real bcrypt hash of "correct-horse-battery" (cost 4) for tests that sign in.
export const TEST_PASSWORD = "correct-horse-battery";

export async function makeUser(
  db: Db,
  overrides: Partial<{ email: string; role: Role; active: boolean; name: string; passwordHash: string }> = {},
) {
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

export async function makeProject(
  db: Db,
  settings: Partial<ProjectSettings> = {},
  overrides: Partial<{ status: "draft" | "active" | "paused" | "archived"; slug: string }> = {},
) {
  const parsed = ProjectSettings.parse(settings);
  const [row] = await db
    .insert(projects)
    .values({
      slug: overrides.slug ?? `p-${uid()}`,
      name: "Test project",
      status: overrides.status ?? "active",
      mode: parsed.mode,
      scalePoints: parsed.scalePoints,
      overlap: parsed.overlap,
      settings: parsed,
    })
    .returning();
  return row!;
}

export async function addMember(db: Db, projectId: number, userId: number, status: "active" | "paused" | "qualification" = "active") {
  await db.insert(projectMembers).values({ projectId, userId, status });
}

/** An item with `k` candidates and one task over the first two (or all k when ranking). */
export async function makeTask(
  db: Db,
  project: { id: number; scalePoints: number; overlap: number },
  options: { k?: number; kind?: "pairwise" | "ranking"; characterName?: string; gold?: GoldAnswer } = {},
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
      gold: options.gold ?? null,
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

/** A user row as the service actor it signs in as. */
export function actorOf(user: { id: number; email: string; name: string; role: Role }, locale = "en"): Actor {
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale };
}

/**
 * One user of each role, as service actors. With `emailDomain` their emails are
 * `<role>@<domain>` (for tests that read them back); else unique ones.
 */
export async function makeActors(db: Db, options: { emailDomain?: string; locale?: string } = {}): Promise<Record<Role, Actor>> {
  const actors = {} as Record<Role, Actor>;
  for (const role of ROLES) {
    const email = options.emailDomain ? `${role}@${options.emailDomain}` : undefined;
    actors[role] = actorOf(await makeUser(db, { role, email }), options.locale);
  }
  return actors;
}

/** An annotator who is an active member of the project, as a service actor. */
export async function makeAnnotator(db: Db, projectId: number, overrides: Partial<{ role: Role; email: string }> = {}) {
  const user = await makeUser(db, { role: overrides.role ?? "annotator", email: overrides.email, passwordHash: "x" });
  await addMember(db, projectId, user.id);
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: "en" };
}

type Tuple<T, N extends number, R extends T[] = []> = R["length"] extends N ? R : Tuple<T, N, [T, ...R]>;

/** `count` annotators, each an active member of the project, made one after another. */
export async function makeAnnotators<N extends number>(db: Db, projectId: number, count: N) {
  const made: Awaited<ReturnType<typeof makeAnnotator>>[] = [];
  for (let i = 0; i < count; i++) made.push(await makeAnnotator(db, projectId));
  return made as Tuple<Awaited<ReturnType<typeof makeAnnotator>>, N>;
}

/**
 * An item with the given dialogue and replies, and one task over all of them (pairwise for
 * two, ranking for more). For export tests, where prompt text and reply text matter.
 */
export async function makeExportTask(
  db: Db,
  project: { id: number; scalePoints: number; overlap: number },
  options: {
    externalId?: string;
    character?: { name: string; profile?: Record<string, unknown> };
    scene?: string | null;
    context?: { role: "user" | "assistant"; content: string }[];
    language?: string | null;
    replies: { model: string; content: string }[];
    gold?: GoldAnswer;
  },
) {
  const name = options.character?.name ?? "林黛玉";
  const profile = (options.character?.profile ?? { 性别: "女", 性格: "多愁善感" }) as Record<string, string>;
  const [character] = await db
    .insert(characters)
    .values({ name, profile, contentHash: contentHash({ name, profile, salt: uid() }) })
    .returning();
  const [item] = await db
    .insert(items)
    .values({
      projectId: project.id,
      externalId: options.externalId ?? `ext-${uid()}`,
      characterId: character!.id,
      scene: options.scene ?? null,
      context: options.context ?? [{ role: "user", content: "妹妹今天可好？" }],
      language: options.language ?? null,
      contentHash: uid(),
    })
    .returning();
  const cands = await db
    .insert(candidates)
    .values(options.replies.map((r, i) => ({ itemId: item!.id, position: i, model: r.model, content: r.content })))
    .returning();
  const [task] = await db
    .insert(tasks)
    .values({
      projectId: project.id,
      itemId: item!.id,
      kind: cands.length === 2 ? "pairwise" : "ranking",
      candidateIds: cands.map((c) => c.id),
      scalePoints: project.scalePoints,
      overlap: project.overlap,
      gold: options.gold ?? null,
    })
    .returning();
  return { character: character!, item: item!, candidates: cands, task: task! };
}

/** One judgment to store with {@link addJudgments}; omitted fields take plain defaults. */
export type JudgmentSpec = {
  annotatorId: number;
  strength?: number;
  ranks?: number[];
  bothUnacceptable?: boolean;
  unsafe?: Record<string, string>;
  state?: "valid" | "rejected" | "superseded";
  displayOrder?: number[];
  ratings?: Record<string, Record<string, number>>;
  rationale?: string;
  seconds?: number;
};

/** Stores judgments of a task, each with its own submitted assignment (as the annotation flow leaves them). */
export async function addJudgments(
  db: Db,
  task: { id: number; projectId: number; kind: "pairwise" | "ranking"; scalePoints: number; candidateIds: number[] },
  specs: JudgmentSpec[],
) {
  const rows = [];
  for (const spec of specs) {
    const displayOrder = spec.displayOrder ?? task.candidateIds.map((_, i) => i);
    const assignment = await makeAssignment(db, task.id, task.projectId, spec.annotatorId, { displayOrder, state: "submitted" });
    const [row] = await db
      .insert(judgments)
      .values({
        taskId: task.id,
        kind: task.kind,
        scalePoints: task.scalePoints,
        assignmentId: assignment.id,
        annotatorId: spec.annotatorId,
        projectId: task.projectId,
        strength: spec.bothUnacceptable ? null : task.kind === "pairwise" ? (spec.strength ?? -1) : null,
        ranks: spec.bothUnacceptable ? null : task.kind === "ranking" ? (spec.ranks ?? task.candidateIds.map((_, i) => i + 1)) : null,
        bothUnacceptable: spec.bothUnacceptable ?? false,
        unsafe: spec.unsafe ?? {},
        ratings: spec.ratings ?? {},
        rationale: spec.rationale ?? null,
        seconds: spec.seconds ?? 12.5,
        displayOrder,
        state: spec.state ?? "valid",
      })
      .returning();
    rows.push(row!);
  }
  return rows;
}

/**
 * makeProject for tests about something other than membership: the staff named by
 * `members` (read when a project is made, so they can be created in beforeAll) are
 * members of every project it makes — researchers and leads reach only their projects.
 */
export function makeProjectWithStaff(members: () => ({ id: number } | undefined)[]): typeof makeProject {
  return async (db, settings, overrides) => {
    const project = await makeProject(db, settings, overrides);
    for (const m of members()) if (m) await addMember(db, project.id, m.id);
    return project;
  };
}
