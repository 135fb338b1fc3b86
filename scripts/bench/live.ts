/**
 * `npm run bench:live` — 40 concurrent live sessions × 3 candidates per turn against the
 * demo endpoint with fixed delays, through the live-session verbs and the turn stream
 * (lib/services/live-stream.ts) on a throw-away database.
 *
 * The demo endpoint runs in a process of its own (scripts/bench/demo-endpoint.ts), so its
 * CPU is not charged to Arbiter, and it reports its OWN time to first token for every
 * reply: from the request's arrival to its first token's write (the configured delay plus
 * its own timer and event-loop lateness). For each candidate:
 *
 *   added TTFT = (first delta reaching the stream's consumer − stream opened) − endpoint's own TTFT
 *
 * i.e. everything Arbiter puts between the annotator opening the stream and the first
 * token: the route's read of the signed-in user, the stream's one setup read, the prompt,
 * the HTTP client, the loopback hop and the event queue. Target: p95 < 15 ms. The same figure for a bare client
 * loop (the same client straight to the endpoint, same concurrency, no Arbiter) is printed
 * beside it: the floor that the client and the loopback alone cost on this machine.
 *
 * All 40 sessions send their turns in step (a burst of 40 streams × 3 requests at once),
 * the worst case for the setup reads; the pool is the app's default size
 * (DATABASE_POOL_SIZE, 10), since a stream holds no connection while it streams.
 *
 * Leaks: 40 more streams are abandoned after their first delta (the consumer stops, as a
 * closed connection does). Every one of their upstream requests must be aborted at the
 * endpoint: none may complete for nobody, none may stay open.
 *
 * Not included: Next.js's own HTTP handling and the session cookie's decryption (cached
 * per token), measured in bench:annotate (ADR 0004).
 * Options: --sessions N (40), --turns T (3), --first-token-ms (150), --token-ms (8).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createInterface } from "node:readline";
import { createDb } from "@/db/client";
import { getSessionUserRow } from "@/db/queries/users";
import { characters, modelEndpoints, projectMembers, users } from "@/db/schema";
import { DEMO_ENDPOINTS } from "@/lib/models/demo-server";
import { modelClient } from "@/lib/models/client";
import { registerDemoEndpoints, targetOf } from "@/lib/services/endpoints";
import { createLiveTurn, judgeLiveTurn, startLiveSession } from "@/lib/services/live";
import { liveReplySource } from "@/lib/services/live-models";
import { createLiveProject } from "@/lib/services/live-projects";
import { streamLiveTurn } from "@/lib/services/live-stream";
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
const TARGET_MS = 15;

/**
 * Progress on stderr, so a slow phase on a busy machine is visible while it runs; a phase
 * still running after PHASE_LIMIT_MS ends the run with exit code 2, naming it.
 */
const PHASE_LIMIT_MS = 300_000;
let watchdog: NodeJS.Timeout | undefined;
const phase = (name: string) => {
  process.stderr.write(`[bench:live] ${name}\n`);
  clearTimeout(watchdog);
  watchdog = setTimeout(() => {
    process.stderr.write(`[bench:live] still in "${name}" after ${PHASE_LIMIT_MS / 1000} s: giving up\n`);
    endpointProcess.kill("SIGTERM");
    process.exit(2);
  }, PHASE_LIMIT_MS);
  watchdog.unref();
};

const fmt = (xs: number[]) =>
  xs.length === 0
    ? "no samples"
    : `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

// ---------------------------------------------------------------------------------------
// The demo endpoint, in its own process.

type EndpointStats = { received: number; completed: number; aborted: number; inFlight: number };
const endpointProcess = spawn(process.execPath, ["--import", "tsx", "scripts/bench/demo-endpoint.ts"], {
  stdio: ["pipe", "pipe", "inherit"],
  env: { ...process.env, TIMINGS: "1", FIRST_TOKEN_MS: String(FIRST_TOKEN_MS), TOKEN_MS: String(TOKEN_MS) },
});
/** The endpoint's own TTFT of each reply, by `model:seed`. */
const ownTtft = new Map<string, number>();
let statsWaiter: ((s: EndpointStats) => void) | null = null;
const baseUrl: string = await new Promise((resolve, reject) => {
  let first = true;
  createInterface({ input: endpointProcess.stdout! }).on("line", (line) => {
    if (first) {
      first = false;
      return resolve(line.trim());
    }
    const msg = JSON.parse(line) as { model?: string; seed?: number; ownTtftMs?: number; stats?: EndpointStats };
    if (msg.stats) statsWaiter?.(msg.stats);
    else ownTtft.set(`${msg.model}:${msg.seed}`, msg.ownTtftMs!);
  });
  endpointProcess.once("exit", (code) => reject(new Error(`demo endpoint exited (${code})`)));
});
const endpointStats = () =>
  new Promise<EndpointStats>((resolve) => {
    statsWaiter = resolve;
    endpointProcess.stdin!.write("stats\n");
  });

const server = await openBenchServer();
try {
  const { url } = await server.createDatabase();
  const { db, pool } = createDb(url);
  await registerDemoEndpoints(db, baseUrl);
  // Short replies keep the run short; the first token is what is measured.
  await db.update(modelEndpoints).set({ params: { max_tokens: 64 } });
  const endpoints = await db.select().from(modelEndpoints);
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
      endpoints: DEMO_ENDPOINTS.map((e) => e.name),
      perTurn: PER_TURN,
      turns: 2 * TURNS + 2,
      status: "active",
    },
  );
  await db.insert(projectMembers).values(people.map((u) => ({ projectId: project.id, userId: u.id })));
  const actors = people.map((u) => ({ id: u.id, email: u.email, name: u.name, role: "annotator" as const, locale: "en" }));
  const source = liveReplySource(db);
  // A signal per stream, as each request has its own (a stream listens on it until it ends).
  const never = () => new AbortController().signal;

  phase("baseline: the bare client loop");
  // Baseline: the same client straight to the endpoint, SESSIONS × 3 requests at once per round.
  const clients = endpoints.map((e) => ({ model: e.model, client: modelClient(targetOf(e)) }));
  const messages = [
    { role: "system" as const, content: "You are Mira, a lighthouse keeper." },
    { role: "assistant" as const, content: "Welcome to the lighthouse." },
    { role: "user" as const, content: "Is the lamp still lit?" },
  ];
  const bareSeen: { key: string; ms: number }[] = [];
  for (let round = 0; round < TURNS + 1; round++) {
    await Promise.all(
      Array.from({ length: SESSIONS * PER_TURN }, async (_, i) => {
        const { model, client } = clients[i % clients.length]!;
        const seed = 1_000_000_000 + round * 10_000 + i;
        const started = performance.now();
        let first = 0;
        for await (const e of client.stream(messages, { seed })) if (e.type === "delta" && first === 0) first = performance.now() - started;
        if (round > 0) bareSeen.push({ key: `${model}:${seed}`, ms: first }); // round 0 warms the client up
      }),
    );
  }

  phase("warm-up: one turn per session");
  // Warm-up, not measured: one turn per session (connections, caches, the JIT).
  const sessions = await Promise.all(
    actors.map(async (actor) => {
      const ctx = { db, actor };
      const { session } = await startLiveSession(ctx, { projectSlug: "live-bench" });
      const { turn } = await createLiveTurn(ctx, { sessionId: session.id, input: { text: "Good evening." } });
      for await (const e of streamLiveTurn(ctx, { sessionId: session.id, turnId: turn.id }, never(), source)) void e;
      await judgeLiveTurn(ctx, { sessionId: session.id, turnId: turn.id, input: { ranking: [1, 2, 3] } });
      return session;
    }),
  );

  // Each request as it leaves for the endpoint, by `endpointId:seed` (the stored node names both).
  const sentAt = new Map<string, number>();
  const timed: typeof source = (request) => {
    sentAt.set(`${request.endpointId}:${request.seed}`, performance.now());
    return source(request);
  };
  const { rows: endpointIds } = await pool.query<{ id: string; model: string }>(`select id, model from model_endpoints`);
  const modelOf = new Map(endpointIds.map((r) => [Number(r.id), r.model]));

  /**
   * SESSIONS sessions run TURNS turns each. `thinkMs` > 0: before each turn an annotator
   * reads and judges for a seeded random time, uniform in [0, 2 × thinkMs], so the
   * sessions' turns overlap without starting at the same instant; 0: all in step.
   */
  async function measure(thinkMs: number) {
    let seed = 0x5eed;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const firstDeltas: { turnId: number; slot: number; opened: number; at: number }[] = [];
    const turnCreation: number[] = [];
    const openAtStart: number[] = [];
    let open = 0;
    await Promise.all(
      actors.map(async (actor, i) => {
        const ctx = { db, actor };
        const sessionId = sessions[i]!.id;
        for (let n = 0; n < TURNS; n++) {
          if (thinkMs > 0) await new Promise((r) => setTimeout(r, random() * 2 * thinkMs));
          const created = performance.now();
          const { turn } = await createLiveTurn(ctx, { sessionId, input: { text: `Question ${n}: is the lamp still lit?` } });
          turnCreation.push(performance.now() - created);
          const opened = performance.now();
          openAtStart.push(++open);
          await getSessionUserRow(db, actor.id); // the stream route's own read: the signed-in user's row
          const seen = new Set<string>();
          for await (const e of streamLiveTurn(ctx, { sessionId, turnId: turn.id }, never(), timed)) {
            if (e.event === "candidate.error") throw new Error(`bench: ${e.data.message}`);
            if (e.event === "candidate.delta" && !seen.has(e.data.label)) {
              seen.add(e.data.label);
              firstDeltas.push({ turnId: turn.id, slot: e.data.label.charCodeAt(0) - 65, opened, at: performance.now() });
            }
          }
          open--;
          await judgeLiveTurn(ctx, { sessionId, turnId: turn.id, input: { ranking: [1, 2, 3] } });
        }
      }),
    );
    // Each candidate's request: its stored endpoint and seed name the endpoint's own timing.
    const { rows: stored } = await pool.query<{ turn_id: string; slot: number; endpoint_id: string; seed: string }>(
      `select turn_id, slot, endpoint_id, seed from live_nodes where kind = 'candidate'`,
    );
    const nodeOf = new Map(stored.map((r) => [`${r.turn_id}:${r.slot}`, r]));
    const f = { own: [] as number[], seen: [] as number[], added: [] as number[], setup: [] as number[], client: [] as number[] };
    for (const d of firstDeltas) {
      const node = nodeOf.get(`${d.turnId}:${d.slot}`);
      const own = node && ownTtft.get(`${modelOf.get(Number(node.endpoint_id))}:${node.seed}`);
      const sent = node && sentAt.get(`${node.endpoint_id}:${node.seed}`);
      if (own === undefined || sent === undefined) throw new Error(`bench: no timing for turn ${d.turnId} slot ${d.slot}`);
      f.own.push(own);
      f.seen.push(d.at - d.opened);
      f.added.push(d.at - d.opened - own);
      f.setup.push(sent - d.opened);
      f.client.push(d.at - sent - own);
    }
    const meanOpen = openAtStart.reduce((a, b) => a + b, 0) / openAtStart.length;
    return { ...f, turnCreation, meanOpen, maxOpen: Math.max(...openAtStart) };
  }

  const thinkMs = FIRST_TOKEN_MS + 64 * TOKEN_MS;
  phase("measured: sessions with think time");
  const staggered = await measure(thinkMs);
  phase("measured: sessions in step");
  const inStep = await measure(0);
  const bareAdded = bareSeen.map((b) => b.ms - (ownTtft.get(b.key) ?? Number.NaN));

  // Disconnects: a turn in SESSIONS new sessions, each stream abandoned after its first delta.
  phase("abandoned streams");
  const beforeAbandon = await endpointStats();
  await Promise.all(
    actors.map(async (actor) => {
      const ctx = { db, actor };
      const { session } = await startLiveSession(ctx, { projectSlug: "live-bench" });
      const { turn } = await createLiveTurn(ctx, { sessionId: session.id, input: { text: "Tell me a long story." } });
      const controller = new AbortController();
      for await (const e of streamLiveTurn(ctx, { sessionId: session.id, turnId: turn.id }, controller.signal, source))
        if (e.event === "candidate.delta") break; // the consumer goes away (the generator's return() runs)
      controller.abort();
    }),
  );
  phase("abandoned streams: waiting for the endpoint to settle");
  // Longer than a whole reply takes, so a request that was not aborted would have completed by now.
  await new Promise((r) => setTimeout(r, FIRST_TOKEN_MS + 64 * TOKEN_MS + 500));
  const afterAbandon = await endpointStats();
  const abandoned = afterAbandon.received - beforeAbandon.received;
  const abortedUpstream = afterAbandon.aborted - beforeAbandon.aborted;
  const completedForNobody = afterAbandon.completed - beforeAbandon.completed;
  const leaked = completedForNobody + afterAbandon.inFlight;

  const p95 = percentile(staggered.added, 95);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const report = (title: string, r: typeof staggered, target: boolean) => {
    console.log(title);
    console.log(`    endpoint's own TTFT (arrival → first token written, at the endpoint): ${fmt(r.own)}`);
    console.log(`    TTFT seen by the stream's consumer (stream opened → first delta):    ${fmt(r.seen)}`);
    console.log(
      `    Arbiter's ADDED TTFT (consumer's − endpoint's own, per candidate):   ${fmt(r.added)}${target ? `  target p95 < ${TARGET_MS} ms: ${p95 < TARGET_MS ? "OK" : "OVER"}` : ""}`,
    );
    console.log(`      of which stream opened → request sent (reads, prompt):             ${fmt(r.setup)}`);
    console.log(`      of which client, loopback and event queue:                         ${fmt(r.client)}`);
    console.log(`    turn creation (the POST /turns verb), for context:                    ${fmt(r.turnCreation)}`);
  };
  console.log(
    `bench:live — ${SESSIONS} sessions × ${TURNS} turns × ${PER_TURN} streamed candidates; demo endpoint in its own process (first token after ${FIRST_TOKEN_MS} ms, then ${TOKEN_MS} ms per token); pg pool ${pool.options.max}; load average ${load} on ${availableParallelism()} cores`,
  );
  report(
    `  ${SESSIONS} concurrent sessions, annotators' think time uniform 0–${2 * thinkMs} ms between turns (streams open when one opens: mean ${staggered.meanOpen.toFixed(1)}, max ${staggered.maxOpen}):`,
    staggered,
    true,
  );
  report(
    `  worst case, all ${SESSIONS} sessions' turns sent at the same instant (${SESSIONS * PER_TURN} requests at once):`,
    inStep,
    false,
  );
  console.log(`  baseline, bare client loop, ${SESSIONS * PER_TURN} requests at once (client's TTFT − endpoint's own): ${fmt(bareAdded)}`);
  console.log(
    `  abandoned streams: ${SESSIONS} (${abandoned} upstream requests): ${abortedUpstream} aborted at the endpoint, ${completedForNobody} completed for nobody, ${afterAbandon.inFlight} still open → leaked ${leaked} (target 0): ${leaked === 0 ? "OK" : "LEAK"}`,
  );
  clearTimeout(watchdog);
  await pool.end();
  if (p95 >= TARGET_MS || leaked !== 0) process.exitCode = 1;
} finally {
  endpointProcess.kill("SIGTERM");
  await server.close();
}
