/**
 * `npm run bench:live` — 40 concurrent live sessions × 3 candidates per turn against a
 * protocol server with fixed delays (the demo endpoint's server, lib/models/chat-server.ts),
 * through the live-session verbs and the turn stream (lib/services/live-stream.ts) on a
 * throw-away database.
 *
 * Figures:
 * - Arbiter's added time to first token, per candidate: from the stream's start to the
 *   moment its request goes to the endpoint (session, turn and tree reads, the prompt), plus
 *   from the endpoint's first token arriving in the client to the consumer receiving it
 *   (the event queue). The endpoint's own time (and the client library's, which the bare
 *   loop pays too) is left out. Target p95 < 15 ms;
 * - for context, time to first token as the consumer sees it, beside the same requests sent
 *   by a bare client loop (the one client, straight to the server, same concurrency);
 * - after 40 streams are abandoned mid-reply (their consumers stop, as a closed connection
 *   does), the server's open requests must drop to zero: no orphaned generation.
 *
 * Measured at the service boundary, in one process: the HTTP layer of `next start` adds its
 * own ~2–3 ms of CPU per request on this machine (ADR 0004) and is not included.
 * Options: --sessions N (40), --turns T (3), --first-token-ms (150), --token-ms (8).
 */
import { randomBytes } from "node:crypto";
import { createDb } from "@/db/client";
import { characters, modelEndpoints, projectMembers, users } from "@/db/schema";
import { startChatServer } from "@/lib/models/chat-server";
import { modelClient } from "@/lib/models/client";
import { createLiveTurn, judgeLiveTurn, startLiveSession } from "@/lib/services/live";
import { liveReplySource } from "@/lib/services/live-models";
import { createLiveProject } from "@/lib/services/live-projects";
import { streamLiveTurn, type ReplySource } from "@/lib/services/live-stream";
import { targetOf } from "@/lib/services/endpoints";
import { parseCli, positiveInt } from "../lib/cli";
import { percentile } from "./lib/annotation-load";
import { openBenchServer } from "./lib/throwaway";

const USAGE = "Usage: npm run bench:live [-- --sessions 40 --turns 3 --first-token-ms 150 --token-ms 8]";
const { values } = parseCli(USAGE, {
  sessions: { type: "string" },
  turns: { type: "string" },
  "first-token-ms": { type: "string" },
  "token-ms": { type: "string" },
});
const SESSIONS = positiveInt(USAGE, values.sessions, 40, "sessions");
const TURNS = positiveInt(USAGE, values.turns, 3, "turns");
const FIRST_TOKEN_MS = positiveInt(USAGE, values["first-token-ms"], 150, "first-token-ms");
const TOKEN_MS = positiveInt(USAGE, values["token-ms"], 8, "token-ms");
const PER_TURN = 3;

process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = "1";
const REPLY = "The lamp burns all night; I trim the wick at dusk and again at midnight, and the oil lasts until the gulls wake.";

const fmt = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

const server = await openBenchServer();
const chat = await startChatServer({
  models: ["bench-a", "bench-b", "bench-c"],
  reply: () => REPLY,
  firstTokenDelayMs: FIRST_TOKEN_MS,
  tokenDelayMs: TOKEN_MS,
});
try {
  const { url } = await server.createDatabase();
  const { db, pool } = createDb(url, 20);
  // Endpoints, a character, annotators, the project.
  const endpoints = await db
    .insert(modelEndpoints)
    .values(
      ["bench-a", "bench-b", "bench-c"].map((model) => ({
        name: model,
        baseUrl: chat.baseUrl,
        model,
        params: { max_tokens: 64 },
        concurrency: 256,
      })),
    )
    .returning();
  const [character] = await db
    .insert(characters)
    .values({
      name: "Mira",
      profile: { occupation: "lighthouse keeper", greeting: "Welcome to the lighthouse." },
      contentHash: randomBytes(8).toString("hex"),
    })
    .returning();
  const people = await db
    .insert(users)
    .values(
      Array.from({ length: SESSIONS }, (_, i) => ({
        email: `live-bench-${i}@bench.test`,
        name: `Bench ${i}`,
        role: "annotator" as const,
        passwordHash: "x",
      })),
    )
    .returning();
  const project = await createLiveProject(
    { db, actor: null },
    {
      slug: "live-bench",
      name: "Live bench",
      characters: [character!.name],
      endpoints: endpoints.map((e) => e.name),
      perTurn: PER_TURN,
      turns: TURNS + 2,
      status: "active",
    },
  );
  await db.insert(projectMembers).values(people.map((u) => ({ projectId: project.id, userId: u.id })));
  const actors = people.map((u) => ({ id: u.id, email: u.email, name: u.name, role: "annotator" as const, locale: "en" }));
  const real = liveReplySource(db);
  // Per candidate: when its request left, and when its first token reached our code.
  const marks = new Map<string, { sent: number; firstToken: number; prompt: string }>();
  let measuring = false;
  const source: ReplySource = (request) => {
    const key = `${request.seed}:${request.endpointId}:${Math.random()}`;
    const mark = { sent: performance.now(), firstToken: 0, prompt: request.messages.at(-1)?.content ?? "" };
    if (measuring) marks.set(key, mark);
    return real({
      ...request,
      onDelta: (text) => {
        if (mark.firstToken === 0) {
          mark.firstToken = performance.now();
          firstTokenOf.set(request.onDelta, mark);
        }
        request.onDelta(text);
      },
    });
  };
  const firstTokenOf = new Map<unknown, { sent: number; firstToken: number; prompt: string }>();

  // Baseline: the same requests through the bare client, same concurrency.
  const messages = [
    { role: "system" as const, content: "Character: Mira" },
    { role: "user" as const, content: "Is the lamp still lit?" },
  ];
  const bare: number[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    await Promise.all(
      Array.from({ length: SESSIONS * PER_TURN }, async (_, i) => {
        const client = modelClient(targetOf(endpoints[i % endpoints.length]!));
        const started = performance.now();
        let first = 0;
        for await (const e of client.stream(messages, { seed: i }))
          if (e.type === "delta" && first === 0) first = performance.now() - started;
        bare.push(first);
      }),
    );
  }

  // Warm-up, not measured: one turn per session (connections, caches, the JIT), as the
  // bare loop above warmed its client on its first round.
  const sessions = await Promise.all(
    actors.map(async (actor) => {
      const ctx = { db, actor };
      const { session } = await startLiveSession(ctx, { projectSlug: "live-bench" });
      const { turn: t } = await createLiveTurn(ctx, { sessionId: session.id, input: { text: `Session ${session.id}: good evening.` } });
      for await (const e of streamLiveTurn(ctx, { sessionId: session.id, turnId: t.id }, new AbortController().signal, source)) void e;
      await judgeLiveTurn(ctx, { sessionId: session.id, turnId: t.id, input: { ranking: [1, 2, 3] } });
      return session;
    }),
  );

  // Arbiter: 40 sessions, TURNS turns each, 3 streamed candidates per turn.
  const live: number[] = [];
  const added: number[] = [];
  const beforeRequest: number[] = [];
  const afterToken: number[] = [];
  const before = { ...chat.stats };
  measuring = true;
  await Promise.all(
    actors.map(async (actor, i) => {
      const ctx = { db, actor };
      const session = sessions[i]!;
      for (let turn = 0; turn < TURNS; turn++) {
        const text = `Session ${session.id}, question ${turn}: is the lamp still lit?`;
        const { turn: t } = await createLiveTurn(ctx, { sessionId: session.id, input: { text } });
        const started = performance.now();
        const seen = new Set<string>();
        // The stream's requests, in the order they are sent: matched to labels by their first token.
        const sentBefore = new Set(marks.values());
        for await (const e of streamLiveTurn(ctx, { sessionId: session.id, turnId: t.id }, new AbortController().signal, source)) {
          if (e.event === "candidate.delta" && !seen.has(e.data.label)) {
            seen.add(e.data.label);
            const now = performance.now();
            live.push(now - started);
            // This stream's request whose first token arrived first and is not yet counted
            // (the consumer sees the labels' first tokens in the order they arrive).
            const mine = [...marks.values()].filter((m) => m.prompt === text && !sentBefore.has(m) && m.firstToken > 0);
            const m = mine.sort((a, b) => a.firstToken - b.firstToken)[0];
            if (m) {
              sentBefore.add(m);
              added.push(m.sent - started + (now - m.firstToken));
              beforeRequest.push(m.sent - started);
              afterToken.push(now - m.firstToken);
            }
          }
          if (e.event === "candidate.error") throw new Error(`bench: ${e.data.message}`);
        }
        await judgeLiveTurn(ctx, { sessionId: session.id, turnId: t.id, input: { ranking: [1, 2, 3] } });
      }
    }),
  );

  // Disconnects: start a turn in every session, abandon its stream after the first delta.
  const aborters = await Promise.all(
    actors.map(async (actor) => {
      const ctx = { db, actor };
      const { session } = await startLiveSession(ctx, { projectSlug: "live-bench" });
      const { turn: t } = await createLiveTurn(ctx, { sessionId: session.id, input: { text: "Tell me a long story." } });
      const controller = new AbortController();
      const stream = streamLiveTurn(ctx, { sessionId: session.id, turnId: t.id }, controller.signal, source);
      for await (const e of stream) if (e.event === "candidate.delta") break; // the consumer goes away (return() runs)
      controller.abort();
    }),
  );
  void aborters;
  await new Promise((r) => setTimeout(r, 500));
  const leaked = chat.stats.inFlight;

  measuring = false;
  const addedP95 = percentile(added, 95);
  const addedP50 = percentile(added, 50);
  console.log(
    `bench:live — ${SESSIONS} sessions × ${TURNS} turns × ${PER_TURN} candidates; endpoint first token ${FIRST_TOKEN_MS} ms, then ${TOKEN_MS} ms per token`,
  );
  console.log(`  time to first token, bare client loop (baseline): ${fmt(bare)}`);
  console.log(`  time to first token, through the live stream:     ${fmt(live)}`);
  console.log(
    `  Arbiter's added TTFT (before the request + after the first token): ${fmt(added)} (target p95 < 15 ms) ${addedP95 < 15 ? "OK" : "OVER"}`,
  );
  console.log(`    of which before the request (reads, prompt): ${fmt(beforeRequest)}`);
  console.log(`    of which after the first token (queue to consumer): ${fmt(afterToken)}`);
  console.log(
    `  upstream requests: ${chat.stats.received - before.received} received during the run; after ${SESSIONS} abandoned streams, ${leaked} still open (target 0) ${leaked === 0 ? "OK" : "LEAK"}; ${chat.stats.aborted} aborted upstream`,
  );
  await pool.end();
  void addedP50;
  if (addedP95 >= 15 || leaked !== 0) process.exitCode = 1;
} finally {
  await chat.close();
  await server.close();
}
