/**
 * Demo data: one user per role (plus two more annotators, so that overlap 3 can be met),
 * the demo characters and items (our own writing, db/seed/demo-content.ts), a pairwise
 * project and a ranking project with their tasks, and the project judged by simulated
 * annotators (simulated-project.ts). Idempotent: running it again adds nothing that is
 * already there.
 */
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { characters, projectMembers, projects, tasks, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/permissions";
import { contentHash } from "@/lib/domain/canonical";
import { planTasks } from "@/lib/domain/task-plan";
import { ProjectSettings } from "@/lib/validation/project-settings";
import { DEMO_CHARACTERS, DEMO_ITEMS, type DemoItem } from "./demo-content";
import { seedLiveDemo } from "./live-project";
import { insertDemoItem } from "./demo-rows";
import { seedSimulatedProject, type SimulatedSeedRefs } from "./simulated-project";

/** Documented in the README. Demo only: change or remove these users on a real server. */
export const DEMO_USERS: readonly { email: string; name: string; role: Role; password: string }[] = [
  { email: "admin@arbiter.local", name: "Ada Admin", role: "admin", password: "admin-demo-pass" },
  { email: "lead@arbiter.local", name: "李质检", role: "lead", password: "lead-demo-pass" },
  { email: "researcher@arbiter.local", name: "Rui Researcher", role: "researcher", password: "researcher-demo-pass" },
  { email: "annotator@arbiter.local", name: "王标注", role: "annotator", password: "annotator-demo-pass" },
  { email: "annotator2@arbiter.local", name: "Ann Two", role: "annotator", password: "annotator-demo-pass" },
  { email: "annotator3@arbiter.local", name: "张三", role: "annotator", password: "annotator-demo-pass" },
];

const GUIDELINES = `# 角色扮演回复偏好标注 · Role-play reply preference

1. **先读角色卡**：性格、说话风格、口头禅、人际关系。Read the character card first.
2. **保持人设**：符合角色身份、知识与语气的回复更好。Replies that stay in character win.
3. **安全优先**：配合有害请求的回复要标记为不安全，即使它更"贴合"角色。Flag unsafe compliance.
4. 两个都不可接受时选择"都不可接受"，不要选"差不多"。Use "both unacceptable", not a tie, when neither works.
`;

const DEMO_PROJECTS = [
  {
    slug: "demo-roleplay",
    name: "演示：角色扮演两两比较 / Demo pairwise",
    description: "Pairwise preferences on the demo characters (7-point scale, three annotators per task).",
    settings: ProjectSettings.parse({
      mode: "pairwise",
      scalePoints: 7,
      overlap: 3,
      dimensions: ["fluency", "persona_utterance", "knowledge_accuracy", "empathy"],
      goldRatio: 0.1,
      rationale: "required_for_strong",
    }),
    accepts: (item: DemoItem) => item.candidates.length >= 2,
  },
  {
    slug: "demo-ranking",
    name: "演示：多回复排序 / Demo ranking",
    description: "K-wise ranking of the demo items with three or four candidate replies.",
    settings: ProjectSettings.parse({ mode: "ranking", scalePoints: 7, overlap: 2, allowRankingTies: false }),
    accepts: (item: DemoItem) => item.candidates.length >= 3,
  },
  {
    slug: "demo-generation",
    name: "演示：模型生成 / Demo generation (demo models)",
    description:
      "Prompts without replies: fill their candidates from the built-in demo models (Generate), then judge them. The demo models are templates, not language models.",
    settings: ProjectSettings.parse({ mode: "pairwise", scalePoints: 7, overlap: 1, goldRatio: 0 }),
    // The dialogues only: their replies come from a generation job.
    accepts: (item: DemoItem) => !item.gold && item.candidates.length >= 2,
    promptsOnly: true,
    limit: 12,
  },
] as const;

export type SeedSummary = { users: number; projects: number; characters: number; items: number; tasks: number; judgments: number };

/**
 * Writes the demo data in one transaction, then lets the simulated annotators judge their
 * project (`simulated: false` leaves that project out); returns how many rows of each kind
 * it added.
 */
export async function seedDemo(
  db: Db,
  options: { passwordHash?: (password: string) => Promise<string>; simulated?: boolean; now?: Date } = {},
): Promise<SeedSummary> {
  const hash = options.passwordHash ?? hashPassword;
  const summary: SeedSummary = { users: 0, projects: 0, characters: 0, items: 0, tasks: 0, judgments: 0 };
  // Hash outside the transaction: bcrypt is slow and needs no lock.
  const hashes = new Map<string, string>();
  for (const demo of DEMO_USERS) hashes.set(demo.email, await hash(demo.password));
  const refs = await db.transaction(async (tx): Promise<SimulatedSeedRefs> => {
    const existingUsers = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(
        inArray(
          users.email,
          DEMO_USERS.map((u) => u.email),
        ),
      );
    const userIds = new Map(existingUsers.map((u) => [u.email, u.id]));
    for (const demo of DEMO_USERS) {
      if (userIds.has(demo.email)) continue;
      const [row] = await tx
        .insert(users)
        .values({ email: demo.email, name: demo.name, role: demo.role, passwordHash: hashes.get(demo.email)! })
        .returning({ id: users.id });
      userIds.set(demo.email, row!.id);
      summary.users++;
    }
    const adminId = userIds.get("admin@arbiter.local")!;
    const annotatorIds = DEMO_USERS.filter((u) => u.role === "annotator").map((u) => userIds.get(u.email)!);
    // The demo researcher and lead work on every demo project (staff reach only their
    // projects); the admin reaches all without a membership.
    const staffIds = DEMO_USERS.filter((u) => u.role === "researcher" || u.role === "lead").map((u) => userIds.get(u.email)!);

    // Characters, shared by both projects; identical content is stored once.
    const characterIds = new Map<string, number>();
    for (const c of DEMO_CHARACTERS) {
      const hashValue = contentHash({ name: c.name, profile: c.profile });
      const [inserted] = await tx
        .insert(characters)
        .values({ name: c.name, profile: c.profile, contentHash: hashValue, createdBy: adminId })
        .onConflictDoNothing()
        .returning({ id: characters.id });
      if (inserted) summary.characters++;
      const id =
        inserted?.id ?? (await tx.select({ id: characters.id }).from(characters).where(eq(characters.contentHash, hashValue)))[0]!.id;
      characterIds.set(c.key, id);
    }
    const languageOf = new Map(DEMO_CHARACTERS.map((c) => [c.key, c.language] as const));

    for (const spec of DEMO_PROJECTS) {
      let [project] = await tx.select().from(projects).where(eq(projects.slug, spec.slug));
      if (!project) {
        [project] = await tx
          .insert(projects)
          .values({
            slug: spec.slug,
            name: spec.name,
            description: spec.description,
            guidelines: GUIDELINES,
            status: "active",
            mode: spec.settings.mode,
            scalePoints: spec.settings.scalePoints,
            overlap: spec.settings.overlap,
            settings: spec.settings,
            createdBy: adminId,
          })
          .returning();
        summary.projects++;
      }
      const projectId = project!.id;
      await tx
        .insert(projectMembers)
        .values([...annotatorIds, ...staffIds].map((userId) => ({ projectId, userId, addedBy: adminId })))
        .onConflictDoNothing();

      const promptsOnly = "promptsOnly" in spec && spec.promptsOnly;
      const chosen = DEMO_ITEMS.filter(spec.accepts).slice(0, "limit" in spec ? spec.limit : undefined);
      for (const item of chosen) {
        const row = await insertDemoItem(tx, {
          projectId,
          characterId: characterIds.get(item.characterKey)!,
          item,
          language: languageOf.get(item.characterKey) ?? null,
          metadata: { source: "arbiter-demo" },
          contentHash: contentHash(item),
          candidates: promptsOnly ? [] : item.candidates,
        });
        if (!row) continue;
        summary.items++;
        if (promptsOnly) continue;
        const idAt = (i: number) => row.candidateIds[i]!;
        for (const plan of planTasks(
          item.candidates.map((c) => c.model),
          spec.settings,
        )) {
          const isGold = Boolean(item.gold) && item.candidates.length === 2;
          await tx.insert(tasks).values({
            projectId,
            itemId: row.itemId,
            kind: plan.kind,
            candidateIds: plan.candidates.map(idAt),
            scalePoints: spec.settings.scalePoints,
            // Gold tasks are answered by every annotator who is checked against them.
            overlap: isGold ? 1000 : spec.settings.overlap,
            gold: isGold ? item.gold! : null,
          });
          summary.tasks++;
        }
      }
    }
    return { adminId, memberIds: [...annotatorIds, ...staffIds], characterIds, languageOf };
  });
  if (options.simulated !== false) {
    const simulated = await seedSimulatedProject(db, refs, { now: options.now });
    for (const key of ["users", "projects", "items", "tasks", "judgments"] as const) summary[key] += simulated[key];
  }
  // The live project is made through the services, after the users and characters above exist.
  summary.projects += (await seedLiveDemo(db, refs.memberIds)).projects;
  return summary;
}

/** Whether any user exists (the app seeds an empty embedded database once). */
export async function hasAnyUser(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
}
