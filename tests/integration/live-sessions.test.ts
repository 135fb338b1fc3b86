/**
 * The live-session verbs on a real PostgreSQL: start, turns and branches, regenerate
 * requests, judgments with edits, the blind tree, the turn budget, end; who may call what.
 * Replies are stored straight into the turn's slots here (as a stream stores them); the
 * stream itself is tested against the protocol server in live-stream.test.ts.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveJudgments, liveNodes, liveRegenerations, liveSessions as liveSessionsTable, projectMembers } from "@/db/schema";
import { getSessionContext, loadSessionRecords, loadSessionWithRecords } from "@/db/queries/live";
import type { Role } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/services/context";
import {
  createLiveTurn,
  endLiveSession,
  getLiveSession,
  greetingOf,
  judgeLiveTurn,
  regenerateLiveCandidate,
  startLiveSession,
} from "@/lib/services/live";
import { actorOf, makeActors, makeUser } from "../factories";
import { codeAndMessageOf } from "./helpers/failure";
import { makeLiveCandidate, makeLiveProject } from "../factories/live";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let actors: Record<Role, Actor>;
let other: Actor;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db, { emailDomain: "live.test" });
  const o = await makeUser(t.db, { email: "other@live.test" });
  other = actorOf(o);
});

const ctx = (actor: Actor) => ({ db: t.db, actor });

/** A live project the annotator (and `other`) belong to, and a started session. */
async function started(opts: { perTurn?: number; turnBudget?: number } = {}) {
  const { project, character } = await makeLiveProject(t.db, opts);
  await t.db.insert(projectMembers).values([
    { projectId: project.id, userId: actors.annotator.id },
    { projectId: project.id, userId: other.id },
  ]);
  const { session } = await startLiveSession(ctx(actors.annotator), { projectSlug: project.slug });
  return { project, character, session };
}

/** Fills every slot of a turn as a finished stream would. */
async function fill(sessionId: number, turnId: number, texts: string[]) {
  const [user] = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId));
  const nodes = [];
  for (const [slot, text] of texts.entries()) nodes.push(await makeLiveCandidate(t.db, sessionId, turnId, user!.id, slot, text));
  return nodes;
}

describe("live sessions", () => {
  it("reads a session and its records in one statement exactly as the separate reads do", async () => {
    const { session } = await started();
    const a = ctx(actors.annotator);
    const { turn: first } = await createLiveTurn(a, { sessionId: session.id, input: { text: "Is the lamp lit?" } });
    await fill(session.id, first.id, ["Yes.", "It is."]);
    await judgeLiveTurn(a, { sessionId: session.id, turnId: first.id, input: { strength: -1 } });
    const { turn } = await createLiveTurn(a, { sessionId: session.id, input: { text: "May I come up?" } });
    await fill(session.id, turn.id, ["Mind the stairs.", "No."]);
    await regenerateLiveCandidate(a, { sessionId: session.id, turnId: turn.id, label: "B" });
    const one = await loadSessionWithRecords(t.db, session.id);
    expect(one).not.toBeNull();
    expect(one!.context).toEqual(await getSessionContext(t.db, session.id));
    expect(one!.records).toEqual(await loadSessionRecords(t.db, session.id));
    expect([one!.records.judgments.length, one!.records.regenerations.length]).toEqual([1, 1]);
    expect(one!.context.session.createdAt).toBeInstanceOf(Date);
    expect(await loadSessionWithRecords(t.db, session.id + 10_000)).toBeNull();
  });

  it("starts with the character's greeting", async () => {
    const { session, character } = await started();
    expect(session.character).toBe(character.name);
    expect(session.greeting).toBe("Welcome to the lighthouse, traveller.");
    expect(greetingOf({ name: "林黛玉", profile: {} })).toBe("你好，我是林黛玉。");
  });

  it("plays three turns with a swipe, an edit and a branch, and keeps the whole tree", async () => {
    const { session } = await started();
    const me = ctx(actors.annotator);
    const t1 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Is the lamp still lit?" } });
    expect(t1.turn.candidates).toEqual([{ label: "A" }, { label: "B" }]);
    const [a1, b1] = await fill(session.id, t1.turn.id, ["Always. I trim the wick at dusk.", "No."]);
    // Swipe B: the request is stored; a judgment waits for the new reply.
    await regenerateLiveCandidate(me, { sessionId: session.id, turnId: t1.turn.id, label: "b" });
    await regenerateLiveCandidate(me, { sessionId: session.id, turnId: t1.turn.id, label: "B" }); // a repeat is a no-op
    expect(await t.db.select().from(liveRegenerations).where(eq(liveRegenerations.turnId, t1.turn.id))).toHaveLength(1);
    expect(await codeAndMessageOf(judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { strength: -2 } }))).toMatch(
      /CONFLICT: Reply B is being regenerated/,
    );
    const [user1] = await t.db.select().from(liveNodes).where(eq(liveNodes.id, a1!.parentId!));
    const b1b = await makeLiveCandidate(t.db, session.id, t1.turn.id, user1!.id, 1, "It went out last night.");
    // Judge A better, and edit it.
    const j1 = await judgeLiveTurn(me, {
      sessionId: session.id,
      turnId: t1.turn.id,
      input: { strength: -2, seconds: 12, editedText: "Always, traveller." },
    });
    expect(j1.replayed).toBe(false);
    const [stored] = await t.db.select().from(liveJudgments).where(eq(liveJudgments.turnId, t1.turn.id));
    expect(stored!.candidateNodeIds).toEqual([a1!.id, b1b.id]);
    expect(stored!.chosenNodeId).toBe(a1!.id);
    expect(j1.chosenNodeId).toBe(stored!.editNodeId);
    // A retry answers the same.
    expect(await judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { strength: -2 } })).toEqual({
      chosenNodeId: j1.chosenNodeId,
      replayed: true,
    });

    // Turn 2 continues from the edit.
    const t2 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Can I climb up?" } });
    const [u2] = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, t2.turn.id));
    expect(u2!.parentId).toBe(j1.chosenNodeId);
    await fill(session.id, t2.turn.id, ["The stairs are closed.", "Mind the ninth step."]);
    await judgeLiveTurn(me, { sessionId: session.id, turnId: t2.turn.id, input: { strength: 1 } });

    // Turn 3 branches from the greeting.
    const view0 = await getLiveSession(me, { sessionId: session.id });
    const greeting = view0.nodes.find((n) => n.kind === "greeting")!;
    expect(await codeAndMessageOf(createLiveTurn(me, { sessionId: session.id, input: { text: "x", parentNodeId: b1!.id } }))).toMatch(
      /VALIDATION: parentNodeId/,
    );
    const t3 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Who are you?", parentNodeId: greeting.id } });
    await fill(session.id, t3.turn.id, ["I am an AI assistant.", "Nobody."]);
    expect(
      await codeAndMessageOf(judgeLiveTurn(me, { sessionId: session.id, turnId: t3.turn.id, input: { both_unacceptable: true } })),
    ).toMatch(/VALIDATION: editedText/);
    const j3 = await judgeLiveTurn(me, {
      sessionId: session.id,
      turnId: t3.turn.id,
      input: { both_unacceptable: true, editedText: "I am Mira, keeper of this light." },
    });

    const view = await getLiveSession(me, { sessionId: session.id });
    expect(view.turns.map((x) => x.index)).toEqual([1, 2, 1]);
    expect(view.session.headNodeId).toBe(j3.chosenNodeId);
    expect(view.turns[0]!.slots[1]).toMatchObject({ label: "B", nodeId: b1b.id, swipedNodeIds: [b1!.id], pending: false });
    expect(view.nodes.find((n) => n.id === b1!.id)).toMatchObject({ swiped: true, label: "B" });
    expect(view.nodes.filter((n) => n.chosen).map((n) => n.kind)).toEqual(["edit", "candidate", "edit"]);
    // Blind for the annotator, with models for staff.
    expect(JSON.stringify(view)).not.toMatch(/"model"/);
    const staffView = await getLiveSession(ctx(actors.researcher), { sessionId: session.id });
    expect(staffView.nodes.find((n) => n.id === a1!.id)!.author).toMatchObject({ model: "m0", endpoint: "e0" });

    const ended = await endLiveSession(me, { sessionId: session.id, input: { rating: 4 } });
    expect(ended.state).toBe("ended");
    expect(await codeAndMessageOf(createLiveTurn(me, { sessionId: session.id, input: { text: "Still there?" } }))).toMatch(/CONFLICT/);
    expect(await codeAndMessageOf(endLiveSession(me, { sessionId: session.id, input: {} }))).toMatch(/CONFLICT/);
  });

  it("keeps one open turn, counts the turn budget, and checks the answer against the project", async () => {
    const { session } = await started({ perTurn: 3, turnBudget: 1 });
    const me = ctx(actors.annotator);
    const t1 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Hello?" } });
    expect(t1.turn.candidates.map((c) => c.label)).toEqual(["A", "B", "C"]);
    expect(await codeAndMessageOf(createLiveTurn(me, { sessionId: session.id, input: { text: "Again?" } }))).toMatch(
      /CONFLICT: Turn \d+ is still open/,
    );
    expect(await codeAndMessageOf(judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { ranking: [1, 2, 3] } }))).toMatch(
      /CONFLICT: Reply A has not finished/,
    );
    await fill(session.id, t1.turn.id, ["one", "two", "three"]);
    expect(await codeAndMessageOf(judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { strength: 1 } }))).toMatch(
      /VALIDATION/,
    );
    expect(await codeAndMessageOf(judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { ranking: [1, 2] } }))).toMatch(
      /VALIDATION/,
    );
    const j = await judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { ranking: [2, 1, 3] } });
    const view = await getLiveSession(me, { sessionId: session.id });
    expect(j.chosenNodeId).toBe(view.turns[0]!.slots[1]!.nodeId);
    expect(await codeAndMessageOf(createLiveTurn(me, { sessionId: session.id, input: { text: "More?" } }))).toMatch(
      /CONFLICT: This session has used its 1 turns/,
    );
  });

  it("refuses the wrong people", async () => {
    const { project, session } = await started();
    const me = ctx(actors.annotator);
    const t1 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Hi" } });
    // Another member cannot see or touch this session (it is not theirs: 404, nothing leaks).
    expect(await codeAndMessageOf(createLiveTurn(ctx(other), { sessionId: session.id, input: { text: "Hi" } }))).toMatch(/NOT_FOUND/);
    expect(
      await codeAndMessageOf(judgeLiveTurn(ctx(other), { sessionId: session.id, turnId: t1.turn.id, input: { strength: 1 } })),
    ).toMatch(/NOT_FOUND/);
    expect(await codeAndMessageOf(regenerateLiveCandidate(ctx(other), { sessionId: session.id, turnId: t1.turn.id, label: "A" }))).toMatch(
      /NOT_FOUND/,
    );
    expect(await codeAndMessageOf(endLiveSession(ctx(other), { sessionId: session.id, input: {} }))).toMatch(/NOT_FOUND/);
    expect(await codeAndMessageOf(getLiveSession(ctx(other), { sessionId: session.id }))).toMatch(/NOT_FOUND/);
    // A non-member cannot start one; a paused member neither.
    expect(await codeAndMessageOf(startLiveSession(ctx(actors.lead), { projectSlug: project.slug }))).toMatch(/FORBIDDEN/);
    await t.db.update(projectMembers).set({ status: "paused" }).where(eq(projectMembers.userId, other.id));
    expect(await codeAndMessageOf(startLiveSession(ctx(other), { projectSlug: project.slug }))).toMatch(/FORBIDDEN/);
    // A static project has no sessions.
    expect(await codeAndMessageOf(startLiveSession(ctx(actors.annotator), { projectSlug: "no-such-project" }))).toMatch(/NOT_FOUND/);
  });
});

describe("freezing a live turn", () => {
  it("turns a judged turn into a static item with the same context and replies, once; leads only", async () => {
    const { freezeLiveTurn } = await import("@/lib/services/live-freeze");
    const { makeProject } = await import("../factories");
    const { items, candidates: candidateRows, tasks } = await import("@/db/schema");
    const { session } = await started();
    const me = ctx(actors.annotator);
    const t1 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Is the lamp still lit?" } });
    await fill(session.id, t1.turn.id, ["Always.", "No."]);
    await judgeLiveTurn(me, { sessionId: session.id, turnId: t1.turn.id, input: { strength: -1 } });
    const target = await makeProject(t.db, { overlap: 3 });
    // Leads and researchers reach the projects they are members of (admins reach all).
    const live = await t.db
      .select({ projectId: liveSessionsTable.projectId })
      .from(liveSessionsTable)
      .where(eq(liveSessionsTable.id, session.id));
    for (const who of [actors.lead, actors.researcher]) {
      await t.db.insert(projectMembers).values([
        { projectId: live[0]!.projectId, userId: who.id },
        { projectId: target.id, userId: who.id },
      ]);
    }
    const input = { targetProject: target.slug };
    expect(await codeAndMessageOf(freezeLiveTurn(ctx(actors.annotator), { sessionId: session.id, turnId: t1.turn.id, input }))).toMatch(
      /FORBIDDEN/,
    );
    expect(await codeAndMessageOf(freezeLiveTurn(ctx(actors.researcher), { sessionId: session.id, turnId: t1.turn.id, input }))).toMatch(
      /FORBIDDEN/,
    );
    const frozen = await freezeLiveTurn(ctx(actors.lead), { sessionId: session.id, turnId: t1.turn.id, input });
    expect(frozen.import.created).toBe(1);
    const [item] = await t.db.select().from(items).where(eq(items.projectId, target.id));
    expect(item!.externalId).toBe(`live-s${session.id}-t${t1.turn.id}`);
    expect(item!.context).toEqual([
      { role: "assistant", content: "Welcome to the lighthouse, traveller." },
      { role: "user", content: "Is the lamp still lit?" },
    ]);
    const replies = await t.db.select().from(candidateRows).where(eq(candidateRows.itemId, item!.id));
    expect(replies.map((r) => [r.model, r.content])).toEqual([
      ["m0", "Always."],
      ["m1", "No."],
    ]);
    expect(await t.db.select().from(tasks).where(eq(tasks.itemId, item!.id))).toHaveLength(1);
    const again = await freezeLiveTurn(ctx(actors.admin), { sessionId: session.id, turnId: t1.turn.id, input });
    expect(again.import.unchanged).toBe(1);
  });
});

describe("creating a live project by names", () => {
  it("resolves characters and endpoints by name, refuses unknown ones by name, and makes a live project with its pool", async () => {
    const { createLiveProject } = await import("@/lib/services/live-projects");
    const { modelEndpoints, projectCharacters, characters } = await import("@/db/schema");
    await t.db.insert(characters).values({ name: "Lin Daiyu", profile: {}, contentHash: "by-name-lin" });
    await t.db.insert(modelEndpoints).values([
      { name: "by-name-a", baseUrl: "http://127.0.0.1:9/v1", model: "a" },
      { name: "by-name-b", baseUrl: "http://127.0.0.1:9/v1", model: "b" },
    ]);
    const cli = { db: t.db, actor: null };
    const base = {
      slug: "by-name",
      name: "By name",
      characters: ["Lin Daiyu"],
      endpoints: ["by-name-a", "by-name-b"],
      perTurn: 3,
      turns: 4,
    };
    expect(await codeAndMessageOf(createLiveProject(cli, { ...base, characters: ["Nobody"] }))).toMatch(
      /VALIDATION: characters: no character named "Nobody"/,
    );
    expect(await codeAndMessageOf(createLiveProject(cli, { ...base, endpoints: ["by-name-a", "nope"] }))).toMatch(
      /VALIDATION: endpoints: no active endpoint named "nope"/,
    );
    expect(await codeAndMessageOf(createLiveProject(cli, { ...base, endpoints: ["by-name-a"] }))).toMatch(/VALIDATION/);
    expect(await codeAndMessageOf(createLiveProject(cli, { ...base, perTurn: 5 }))).toMatch(/VALIDATION/);
    const project = await createLiveProject(cli, base);
    expect(project.kind).toBe("live");
    expect(project.mode).toBe("ranking");
    expect(project.settings.live).toMatchObject({ perTurn: 3, turnBudget: 4, selection: "uniform" });
    expect(await t.db.select().from(projectCharacters).where(eq(projectCharacters.projectId, project.id))).toHaveLength(1);
  });
});
