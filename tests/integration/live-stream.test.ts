/**
 * The turn stream against the local OpenAI-protocol server (tests/helpers/openai-server.ts):
 * replies streamed and stored as they complete, replayed on reload; a failure mid-stream
 * in one slot while the other completes, then a retry of that slot alone; a client that
 * disconnects aborts its upstream requests; an app restart between two candidates loses
 * nothing that finished and generates only what did not; a regenerate keeps the old reply.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { characters, liveNodes, modelEndpoints, projectMembers } from "@/db/schema";
import { createLiveTurn, getLiveSession, judgeLiveTurn, regenerateLiveCandidate, startLiveSession } from "@/lib/services/live";
import { liveReplySource } from "@/lib/services/live-models";
import { createLiveProject } from "@/lib/services/live-projects";
import { streamLiveTurn, type LiveStreamEvent } from "@/lib/services/live-stream";
import { makeUser } from "../factories";
import { startTestOpenAIServer, type TestOpenAIServer } from "../helpers/openai-server";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let server: TestOpenAIServer;
let slowServer: TestOpenAIServer;
let me: { db: TestDatabase["db"]; actor: { id: number; email: string; name: string; role: "annotator"; locale: string } };
const previousEnv = process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS;

beforeAll(async () => {
  process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = "1";
  t = await useTestDatabase();
  server = await startTestOpenAIServer({ models: ["keeper-7b", "keeper-13b"] });
  // Long replies, 40 ms per token: time to disconnect or "restart" mid-reply.
  slowServer = await startTestOpenAIServer({ models: ["slow-a", "slow-b"], tokenDelayMs: 40, reply: () => "word ".repeat(60).trim() });
  await t.db.insert(modelEndpoints).values([
    { name: "keeper-7b", baseUrl: server.baseUrl, model: "keeper-7b", params: {} },
    { name: "keeper-13b", baseUrl: server.baseUrl, model: "keeper-13b", params: {} },
    { name: "slow-a", baseUrl: slowServer.baseUrl, model: "slow-a", params: {} },
    { name: "slow-b", baseUrl: slowServer.baseUrl, model: "slow-b", params: {} },
  ]);
  await t.db.insert(characters).values({
    name: "Mira",
    profile: { occupation: "lighthouse keeper", greeting: "Welcome to the lighthouse, traveller." },
    contentHash: "live-stream-mira",
  });
  const u = await makeUser(t.db);
  me = { db: t.db, actor: { id: u.id, email: u.email, name: u.name, role: "annotator", locale: "en" } };
  for (const [slug, endpoints] of [
    ["lighthouse", ["keeper-7b", "keeper-13b"]],
    ["slow", ["slow-a", "slow-b"]],
  ] as const) {
    const p = await createLiveProject(
      { db: t.db, actor: null },
      { slug, name: slug, characters: ["Mira"], endpoints: [...endpoints], perTurn: 2, turns: 10, status: "active" },
    );
    await t.db.insert(projectMembers).values({ projectId: p.id, userId: u.id });
  }
});

afterAll(async () => {
  await server?.close();
  await slowServer?.close();
  process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = previousEnv;
});

async function collect(sessionId: number, turnId: number, signal = new AbortController().signal): Promise<LiveStreamEvent[]> {
  const out: LiveStreamEvent[] = [];
  for await (const e of streamLiveTurn(me, { sessionId, turnId }, signal, liveReplySource(t.db))) out.push(e);
  return out;
}

/** The labels of the replies a stream finished, in label order. */
function labelsDone(events: LiveStreamEvent[]) {
  return events
    .filter((e) => e.event === "candidate.done")
    .map((e) => e.data.label)
    .sort();
}

const textOf = (events: LiveStreamEvent[], label: string) =>
  events
    .filter((e) => e.event === "candidate.delta" && e.data.label === label)
    .map((e) => (e.data as { text: string }).text)
    .join("");

async function newTurn(slug: string, text: string) {
  const { session } = await startLiveSession(me, { projectSlug: slug });
  const { turn } = await createLiveTurn(me, { sessionId: session.id, input: { text } });
  return { sessionId: session.id, turnId: turn.id };
}

describe("the live turn stream", () => {
  it("streams both replies, stores each as it completes, asks with the export's prompt, and replays on reload", async () => {
    const { sessionId, turnId } = await newTurn("lighthouse", "Is the lamp still lit?");
    const received = server.stats.received;
    const events = await collect(sessionId, turnId);
    expect(server.stats.received - received).toBe(2);
    expect(events.at(-1)).toEqual({ event: "turn.ready", data: { turnId } });
    expect(labelsDone(events)).toEqual(["A", "B"]);
    const stored = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId));
    const replies = stored.filter((n) => n.kind === "candidate");
    expect(replies).toHaveLength(2);
    for (const r of replies) {
      expect(textOf(events, r.slot === 0 ? "A" : "B")).toBe(r.text);
      expect(r.finishReason).toBe("stop");
      expect(r.text).toContain('answers "Is the lamp still lit?"');
      expect(["keeper-7b", "keeper-13b"]).toContain(r.model);
    }
    // The request's messages: the persona system message, the greeting folded in, the user turn.
    const asked = server.stats.requests.at(-1)!.messages;
    expect(asked[0]!.role).toBe("system");
    expect(asked[0]!.content).toContain("Welcome to the lighthouse, traveller.");
    expect(asked.at(-1)).toEqual({ role: "user", content: "Is the lamp still lit?" });
    // A reload replays what is stored, asks nothing, and ends with turn.ready.
    const again = await collect(sessionId, turnId);
    expect(server.stats.received - received).toBe(2);
    expect(textOf(again, "A")).toBe(textOf(events, "A"));
    expect(again.at(-1)!.event).toBe("turn.ready");
  });

  it("reports a reply cut mid-stream in its slot alone, and retries only that slot", async () => {
    const { sessionId, turnId } = await newTurn("lighthouse", "Tell me about the storm.");
    server.queueFaults({ kind: "cut", afterTokens: 2 }, null);
    const events = await collect(sessionId, turnId);
    const errors = events.filter((e) => e.event === "candidate.error");
    expect(errors).toHaveLength(1);
    expect(events.filter((e) => e.event === "candidate.done")).toHaveLength(1);
    expect(events.some((e) => e.event === "turn.ready")).toBe(false);
    const failed = (errors[0]!.data as { label: string }).label;
    const received = server.stats.received;
    const retry = await collect(sessionId, turnId);
    expect(server.stats.received - received).toBe(1);
    expect(labelsDone(retry)).toEqual(["A", "B"]);
    expect(retry.at(-1)!.event).toBe("turn.ready");
    expect(textOf(retry, failed)).toContain("answers");
  });

  it("aborts its upstream requests when the client disconnects", async () => {
    const { sessionId, turnId } = await newTurn("slow", "Tell me a long story.");
    const controller = new AbortController();
    const aborted = slowServer.stats.aborted;
    const received = slowServer.stats.received;
    const stream = streamLiveTurn(me, { sessionId, turnId }, controller.signal, liveReplySource(t.db));
    for await (const e of stream) {
      if (e.event === "candidate.delta") {
        // A's first token can come before B's request reaches the server on a busy machine;
        // disconnect once both are upstream, so there are two requests to abort.
        for (let i = 0; i < 100 && slowServer.stats.received - received < 2; i++) await new Promise((r) => setTimeout(r, 20));
        expect(slowServer.stats.received - received).toBe(2);
        controller.abort(); // the request's signal: the connection closed
        break;
      }
    }
    // The server notices the closed sockets asynchronously: wait (bounded) for it to.
    for (let i = 0; i < 100 && (slowServer.stats.inFlight > 0 || slowServer.stats.aborted - aborted < 2); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(slowServer.stats.inFlight).toBe(0);
    expect(slowServer.stats.aborted - aborted).toBe(2);
    const stored = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId));
    expect(stored.filter((n) => n.kind === "candidate")).toHaveLength(0);
  });

  it("after a restart between two candidates, keeps the finished one and generates only the other", async () => {
    const { sessionId, turnId } = await newTurn("slow", "One more question.");
    // Slot B's request is slow to start: A finishes first, then the process "dies".
    slowServer.setFaultRule((_req, n) => (n % 2 === 0 ? { kind: "slow", firstTokenMs: 5_000 } : null));
    const controller = new AbortController();
    for await (const e of streamLiveTurn(me, { sessionId, turnId }, controller.signal, liveReplySource(t.db))) {
      if (e.event === "candidate.done") {
        controller.abort();
        break;
      }
    }
    slowServer.setFaultRule(null);
    const stored = (await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId))).filter((n) => n.kind === "candidate");
    expect(stored).toHaveLength(1);
    const received = slowServer.stats.received;
    const events = await collect(sessionId, turnId);
    expect(slowServer.stats.received - received).toBe(1);
    expect(events.at(-1)!.event).toBe("turn.ready");
    const after = (await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId))).filter((n) => n.kind === "candidate");
    expect(after.map((n) => n.id)).toContain(stored[0]!.id);
    expect(after).toHaveLength(2);
  });

  it("regenerates one slot: the old reply stays as a swiped sibling", async () => {
    const { sessionId, turnId } = await newTurn("lighthouse", "Sing me a song.");
    await collect(sessionId, turnId);
    await regenerateLiveCandidate(me, { sessionId, turnId, label: "B" });
    const received = server.stats.received;
    const events = await collect(sessionId, turnId);
    expect(server.stats.received - received).toBe(1);
    expect(events.at(-1)!.event).toBe("turn.ready");
    await judgeLiveTurn(me, { sessionId, turnId, input: { strength: 1 } });
    const view = await getLiveSession(me, { sessionId });
    expect(view.turns[0]!.slots[1]!.swipedNodeIds).toHaveLength(1);
    expect(view.turns[0]!.judgment!.chosenNodeId).toBe(view.turns[0]!.slots[1]!.nodeId);
  });
});
