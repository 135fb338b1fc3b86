/**
 * The demo live project of the seed: on a fresh database a lead finds a live project with
 * a finished session (so its leaderboard and exports have rows) and an annotator can start
 * a session; seeding again adds nothing.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_LIVE_SLUG } from "@/db/seed/live-project";
import { seedDemo } from "@/db/seed/seed";
import { liveJudgments, liveNodes, liveSessions, modelEndpoints, projects, users } from "@/db/schema";
import { startLiveSession } from "@/lib/services/live";
import { getLiveLeaderboard } from "@/lib/services/live-leaderboard";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
const fastHash = async (password: string) => `plain:${password}`;

beforeAll(async () => {
  t = await useTestDatabase();
});

async function actor(email: string) {
  const [u] = await t.db.select().from(users).where(eq(users.email, email));
  return { db: t.db, actor: { id: u!.id, email: u!.email, name: u!.name, role: u!.role, locale: "en" } };
}

describe("the demo live project", () => {
  it("is seeded once, with a finished session, on the demo endpoints", async () => {
    const first = await seedDemo(t.db, { passwordHash: fastHash });
    const [project] = await t.db.select().from(projects).where(eq(projects.slug, DEMO_LIVE_SLUG));
    expect(project).toMatchObject({ kind: "live", status: "active" });
    const allProjects = await t.db.select({ id: projects.id }).from(projects);
    expect(first.projects).toBe(allProjects.length);

    const endpoints = await t.db.select().from(modelEndpoints);
    expect(endpoints.map((e) => e.name).sort()).toEqual(["demo-model-plain", "demo-model-strong", "demo-model-weak"]);
    expect(endpoints.every((e) => e.isDemo)).toBe(true);

    const sessions = await t.db.select().from(liveSessions).where(eq(liveSessions.projectId, project!.id));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ state: "ended", rating: 4 });
    const judged = await t.db.select().from(liveJudgments).where(eq(liveJudgments.sessionId, sessions[0]!.id));
    expect(judged).toHaveLength(2);
    const replies = await t.db.select().from(liveNodes).where(eq(liveNodes.sessionId, sessions[0]!.id));
    const candidates = replies.filter((n) => n.kind === "candidate");
    expect(candidates).toHaveLength(4);
    expect(candidates.every((c) => c.model?.startsWith("arbiter-demo-") && c.text.length > 0)).toBe(true);

    const again = await seedDemo(t.db, { passwordHash: fastHash });
    expect(again).toMatchObject({ users: 0, projects: 0, characters: 0, items: 0, tasks: 0 });
    expect(await t.db.select().from(liveSessions)).toHaveLength(1);
  });

  it("shows on the lead's live leaderboard, first turns by default, and an annotator can start a session", async () => {
    const lead = await actor("lead@arbiter.local");
    const board = await getLiveLeaderboard(lead, { projectSlug: DEMO_LIVE_SLUG });
    expect(board).toMatchObject({ basis: "first_turn_of_branch", comparisons: 1, laterTurnsLeftOut: 1, differentModels: 1 });
    expect(board.leaderboard?.rows).toHaveLength(2);
    const all = await getLiveLeaderboard(lead, { projectSlug: DEMO_LIVE_SLUG, allTurns: true });
    expect(all).toMatchObject({ basis: "all_turns", comparisons: 2, laterTurnsLeftOut: 0 });

    const { session } = await startLiveSession(await actor("annotator@arbiter.local"), { projectSlug: DEMO_LIVE_SLUG });
    expect(["Mira Ashdown", "苏挽灯"]).toContain(session.character);
  });
});
