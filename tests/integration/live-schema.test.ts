/**
 * The invariants of live sessions are database constraints: these tests break each one
 * with direct SQL writes (no service code in the way) and expect PostgreSQL to refuse.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { liveJudgments, liveNodes, liveSessions, liveTurns, projects } from "@/db/schema";
import { makeUser } from "../factories";
import { makeLiveCandidate, makeLiveSession, makeLiveTurn } from "../factories/live";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { pgError } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

/** A direct write of a candidate node in slot 0, for the placements the schema refuses. */
function insertCandidateNode(at: { sessionId: number; parentId: number; turnId: number }) {
  return t.db.insert(liveNodes).values({ ...at, kind: "candidate", slot: 0, text: "x", model: "m", endpointName: "e" });
}

/** A session with one open turn and both slots filled. */
async function openTurn() {
  const s = await makeLiveSession(t.db);
  const { turn, user } = await makeLiveTurn(t.db, s, s.greeting.id);
  const a = await makeLiveCandidate(t.db, s.session.id, turn.id, user.id, 0, "Always. I trim the wick at dusk.");
  const b = await makeLiveCandidate(t.db, s.session.id, turn.id, user.id, 1, "No.");
  return { ...s, turn, user, a, b };
}

function judgment(s: Awaited<ReturnType<typeof openTurn>>, fields: Partial<typeof liveJudgments.$inferInsert> = {}) {
  return t.db
    .insert(liveJudgments)
    .values({
      turnId: s.turn.id,
      sessionId: s.session.id,
      annotatorId: s.annotatorId,
      candidateNodeIds: [s.a.id, s.b.id],
      labels: ["A", "B"],
      strength: -2,
      chosenNodeId: s.a.id,
      ...fields,
    })
    .returning();
}

describe("live session invariants", () => {
  it("keeps nodes, judgments and turns append-only", async () => {
    const s = await openTurn();
    expect((await pgError(() => t.db.update(liveNodes).set({ text: "rewritten" }).where(eq(liveNodes.id, s.a.id)))).message).toMatch(
      /append-only/,
    );
    expect((await pgError(() => t.db.delete(liveNodes).where(eq(liveNodes.id, s.b.id)))).message).toMatch(/append-only/);
    expect(
      (
        await pgError(() =>
          t.db
            .update(liveTurns)
            .set({ labels: ["B", "A"] })
            .where(eq(liveTurns.id, s.turn.id)),
        )
      ).message,
    ).toMatch(/open to judged/);
    expect((await pgError(() => t.db.delete(liveTurns).where(eq(liveTurns.id, s.turn.id)))).message).toMatch(/append-only/);
    const [j] = await judgment(s);
    expect((await pgError(() => t.db.update(liveJudgments).set({ strength: 2 }).where(eq(liveJudgments.id, j!.id)))).message).toMatch(
      /append-only/,
    );
    expect((await pgError(() => t.db.update(liveTurns).set({ judged: false }).where(eq(liveTurns.id, s.turn.id)))).message).toMatch(
      /open to judged/,
    );
  });

  it("still lets a whole project go (deletes cascade)", async () => {
    const s = await openTurn();
    await judgment(s);
    await t.db.delete(projects).where(eq(projects.id, s.project.id));
    expect(await t.db.select().from(liveNodes).where(eq(liveNodes.sessionId, s.session.id))).toEqual([]);
  });

  it("closes the turn with its judgment, once", async () => {
    const s = await openTurn();
    await judgment(s);
    const [turn] = await t.db.select().from(liveTurns).where(eq(liveTurns.id, s.turn.id));
    expect(turn!.judged).toBe(true);
    expect((await pgError(() => judgment(s))).code).toBe("23505");
    // No candidate joins a judged turn.
    expect((await pgError(() => makeLiveCandidate(t.db, s.session.id, s.turn.id, s.user.id, 1))).message).toMatch(/already judged/);
  });

  it("allows one open turn per session", async () => {
    const s = await openTurn();
    const error = await pgError(() => makeLiveTurn(t.db, s, s.greeting.id, "Another question"));
    expect(error.constraint).toBe("live_turns_one_open_key");
  });

  it("judges exactly the current reply of every slot, under the labels shown", async () => {
    const s = await openTurn();
    const swipe = await makeLiveCandidate(t.db, s.session.id, s.turn.id, s.user.id, 1, "It went out last night.");
    expect((await pgError(() => judgment(s))).message).toMatch(/current reply of every slot/);
    expect((await pgError(() => judgment(s, { candidateNodeIds: [s.a.id, swipe.id], labels: ["B", "A"] }))).message).toMatch(/labels/);
    await expect(judgment(s, { candidateNodeIds: [s.a.id, swipe.id] })).resolves.toBeDefined();
  });

  it("refuses a judgment without a full set of replies", async () => {
    const s = await makeLiveSession(t.db);
    const { turn, user } = await makeLiveTurn(t.db, s, s.greeting.id);
    const a = await makeLiveCandidate(t.db, s.session.id, turn.id, user.id, 0);
    const error = await pgError(() =>
      t.db.insert(liveJudgments).values({
        turnId: turn.id,
        sessionId: s.session.id,
        annotatorId: s.annotatorId,
        candidateNodeIds: [a.id, a.id],
        labels: ["A", "B"],
        strength: 1,
        chosenNodeId: a.id,
      }),
    );
    expect(error.message).toMatch(/current reply/);
  });

  it("takes a judgment only from the session's annotator", async () => {
    const s = await openTurn();
    const other = await makeUser(t.db);
    expect((await pgError(() => judgment(s, { annotatorId: other.id }))).message).toMatch(/only the annotator/);
  });

  it("needs exactly one answer, a pairwise strength on two replies, and a continuation among them", async () => {
    const s = await openTurn();
    expect((await pgError(() => judgment(s, { ranks: [1, 2] }))).constraint).toBe("live_judgments_one_answer");
    expect((await pgError(() => judgment(s, { strength: 4 }))).constraint).toBe("live_judgments_strength_pairwise");
    expect((await pgError(() => judgment(s, { chosenNodeId: null }))).constraint).toBe("live_judgments_continuation");
    expect((await pgError(() => judgment(s, { chosenNodeId: s.user.id }))).constraint).toBe("live_judgments_chosen_compared");
  });

  it("keeps the tree's shape: replies answer their turn, user turns follow chosen replies", async () => {
    const s = await openTurn();
    // A reply below the greeting, or in a slot the turn does not have.
    expect(
      (await pgError(() => insertCandidateNode({ sessionId: s.session.id, parentId: s.greeting.id, turnId: s.turn.id }))).message,
    ).toMatch(/own turn/);
    expect((await pgError(() => makeLiveCandidate(t.db, s.session.id, s.turn.id, s.user.id, 2))).message).toMatch(/no slot/);
    // A second greeting; a user node with no author.
    expect(
      (await pgError(() => t.db.insert(liveNodes).values({ sessionId: s.session.id, kind: "greeting", text: "Again" }))).constraint,
    ).toBe("live_nodes_one_root_key");
    expect(
      (
        await pgError(() =>
          t.db.insert(liveNodes).values({ sessionId: s.session.id, parentId: s.greeting.id, turnId: s.turn.id, kind: "user", text: "x" }),
        )
      ).constraint,
    ).toBe("live_nodes_shape");
    await judgment(s);
    // The next user turn may follow the chosen reply, never the loser.
    const [next] = await t.db
      .insert(liveTurns)
      .values({ sessionId: s.session.id, turnIndex: 2, labels: ["A", "B"], slotEndpointIds: [1, 2] })
      .returning();
    const follow = (parentId: number) =>
      t.db
        .insert(liveNodes)
        .values({ sessionId: s.session.id, parentId, turnId: next!.id, kind: "user", text: "Can I climb up?", authorId: s.annotatorId });
    expect((await pgError(() => follow(s.b.id))).message).toMatch(/greeting or a chosen reply/);
    await expect(follow(s.a.id)).resolves.toBeDefined();
  });

  it("keeps parents, turns and edits inside their own session", async () => {
    const s = await openTurn();
    const other = await makeLiveSession(t.db);
    const error = await pgError(() => insertCandidateNode({ sessionId: other.session.id, parentId: s.user.id, turnId: s.turn.id }));
    // The node trigger finds no parent in the session (23514) before the composite key would (23503).
    expect(["23503", "23514"]).toContain(error.code);
  });

  it("lets an edit rewrite only the chosen reply of its turn", async () => {
    const s = await openTurn();
    const [edit] = await t.db
      .insert(liveNodes)
      .values({
        sessionId: s.session.id,
        parentId: s.user.id,
        turnId: s.turn.id,
        kind: "edit",
        editOf: s.b.id,
        text: "Always, traveller.",
        authorId: s.annotatorId,
      })
      .returning();
    expect((await pgError(() => judgment(s, { editNodeId: edit!.id }))).message).toMatch(/edit is of this turn's chosen reply/);
    await expect(judgment(s, { editNodeId: edit!.id, chosenNodeId: s.b.id, strength: 2 })).resolves.toBeDefined();
  });

  it("ends a session once, with a rating 1–5 only when ended, and takes nothing after", async () => {
    const s = await openTurn();
    expect((await pgError(() => t.db.update(liveSessions).set({ rating: 4 }).where(eq(liveSessions.id, s.session.id)))).constraint).toBe(
      "live_sessions_rating_range",
    );
    expect(
      (await pgError(() => t.db.update(liveSessions).set({ state: "ended" }).where(eq(liveSessions.id, s.session.id)))).constraint,
    ).toBe("live_sessions_ended_at");
    await t.db.update(liveSessions).set({ state: "ended", endedAt: sql`now()`, rating: 4 }).where(eq(liveSessions.id, s.session.id));
    expect((await pgError(() => t.db.update(liveSessions).set({ rating: 5 }).where(eq(liveSessions.id, s.session.id)))).message).toMatch(
      /only changes when it ends/,
    );
    expect((await pgError(() => makeLiveCandidate(t.db, s.session.id, s.turn.id, s.user.id, 0))).message).toMatch(/has ended/);
    expect((await pgError(() => judgment(s))).message).toMatch(/only the annotator of an active session/);
  });

  it("checks a session's N and a turn's labels", async () => {
    const s = await makeLiveSession(t.db);
    expect((await pgError(() => t.db.update(liveSessions).set({ perTurn: 5 }).where(eq(liveSessions.id, s.session.id)))).message).toMatch(
      /only changes when it ends|per_turn/,
    );
    expect(
      (
        await pgError(() =>
          t.db.insert(liveTurns).values({ sessionId: s.session.id, turnIndex: 1, labels: ["B", "A"], slotEndpointIds: [1, 2] }),
        )
      ).constraint,
    ).toBe("live_turns_slots");
    expect(
      (
        await pgError(() =>
          t.db.insert(liveTurns).values({ sessionId: s.session.id, turnIndex: 1, labels: ["A", "B"], slotEndpointIds: [1] }),
        )
      ).constraint,
    ).toBe("live_turns_slots");
  });
});
