/**
 * Active endpoint selection in a live project, end to end on a real PostgreSQL: a session
 * plays 200 first turns (each a new branch from the greeting, so each counts for the live
 * leaderboard), replies are stored with the endpoint that wrote them, and the annotator
 * judges by a hidden Bradley–Terry truth over four endpoints. Under `pairSampling: active`
 * each turn's endpoints come from a fit on the judged turns so far; the lopsided pair
 * (strongest against weakest, a foregone conclusion) is planned far less often than under
 * uniform selection.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveNodes, liveSessions, liveTurns, projectMembers, projects } from "@/db/schema";
import { createRng, sigmoid } from "@/lib/domain/stats";
import type { Actor } from "@/lib/services/context";
import { createLiveTurn, judgeLiveTurn } from "@/lib/services/live";
import { actorOf, makeUser } from "../factories";
import { makeLiveProject } from "../factories/live";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let annotator: Actor;
beforeAll(async () => {
  t = await useTestDatabase();
  const u = await makeUser(t.db, { role: "annotator" });
  annotator = actorOf(u);
});

const ctx = (actor: Actor) => ({ db: t.db, actor });

/** Hidden truth per endpoint id (log-odds): 1 ≈ 2 in the middle, 3 far above, 4 far below. */
const TRUTH: Record<number, number> = { 1: 0, 2: 0.1, 3: 2.5, 4: -2.5 };
const TURNS = 200;

/** Plays TURNS judged first turns under `policy`; returns the endpoint pair planned for each. */
async function play(policy: "uniform" | "active"): Promise<[number, number][]> {
  const { project, character } = await makeLiveProject(t.db, { endpointIds: [1, 2, 3, 4], turnBudget: TURNS });
  await t.db
    .update(projects)
    .set({ settings: { ...project.settings, pairSampling: policy } })
    .where(eq(projects.id, project.id));
  await t.db.insert(projectMembers).values({ projectId: project.id, userId: annotator.id });
  // Session and greeting as startLiveSession stores them, with a fixed seed so that the plans
  // (and so the counts below) are the same on every run.
  const [session] = await t.db
    .insert(liveSessions)
    .values({ projectId: project.id, annotatorId: annotator.id, characterId: character.id, perTurn: 2, turnBudget: TURNS, seed: 12345 })
    .returning();
  const [greeting] = await t.db
    .insert(liveNodes)
    .values({ sessionId: session!.id, kind: "greeting", text: "Welcome to the lighthouse, traveller." })
    .returning();
  const judge = createRng(99);
  const planned: [number, number][] = [];
  for (let k = 0; k < TURNS; k++) {
    const { turn } = await createLiveTurn(ctx(annotator), {
      sessionId: session!.id,
      input: { text: `Question ${k}`, parentNodeId: greeting!.id },
    });
    const [row] = await t.db.select().from(liveTurns).where(eq(liveTurns.id, turn.id));
    const endpoints = row!.slotEndpointIds;
    const [user] = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turn.id));
    for (const [slot, endpoint] of endpoints.entries()) {
      await t.db.insert(liveNodes).values({
        sessionId: session!.id,
        parentId: user!.id,
        turnId: turn.id,
        kind: "candidate",
        slot,
        text: `reply ${k}.${slot}`,
        endpointId: endpoint,
        endpointName: `e${endpoint}`,
        model: `m${endpoint}`,
        params: {},
        finishReason: "stop",
      });
    }
    const aWins = judge.next() < sigmoid(TRUTH[endpoints[0]!]! - TRUTH[endpoints[1]!]!);
    await judgeLiveTurn(ctx(annotator), { sessionId: session!.id, turnId: turn.id, input: { strength: aWins ? -2 : 2 } });
    planned.push([Math.min(endpoints[0]!, endpoints[1]!), Math.max(endpoints[0]!, endpoints[1]!)]);
  }
  // Every planned turn was judged and counts as a first turn of its branch.
  const { rows } = await t.db.execute<{ n: number }>(sql`
    select count(*)::int as n from live_judgments j join live_sessions s on s.id = j.session_id where s.project_id = ${project.id}`);
  expect(rows[0]!.n).toBe(TURNS);
  return planned;
}

describe("live sessions under active pair sampling", () => {
  it("plan the lopsided pair far less often than uniform selection does", async () => {
    const lopsided = (pairs: [number, number][]) => pairs.filter(([a, b]) => a === 3 && b === 4).length;
    const uniform = lopsided(await play("uniform"));
    const active = lopsided(await play("active"));
    // Measured: 30 and 10. Uniform: 1/6 of 200 ≈ 33 (sd ≈ 5.3). Active: the pair gets only the floor once a fit
    // exists, 0.2/6 ≈ 3 % of turns (≈ 7–10 with the first, uniform turns; sd ≈ 3). The
    // thresholds sit over 2.5 sd from either expectation, and the seeds are fixed.
    expect(uniform).toBeGreaterThanOrEqual(20);
    expect(active).toBeLessThanOrEqual(18);
    expect(active).toBeLessThan(uniform / 2);
  }, 300_000);
});
