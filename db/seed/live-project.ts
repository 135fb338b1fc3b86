/**
 * The demo live project: annotators play the user beside two demo characters, and two of
 * the three built-in demo models (labelled "demo model" everywhere; templates, not
 * language models) answer every turn. Made through the services, as `npm run
 * project:create -- --kind live` makes one, with one short finished session (two turns,
 * judged and ended) so that the live leaderboard and the live exports have rows from the
 * first start. Idempotent: nothing is added when the project exists.
 */
import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelEndpoints, projectMembers, projects, users } from "@/db/schema";
import { demoReply, isDemoModel } from "@/lib/models/demo-model";
import { DEMO_ENDPOINTS } from "@/lib/models/demo-server";
import { registerDemoEndpoints } from "@/lib/services/endpoints";
import { createLiveTurn, endLiveSession, judgeLiveTurn, startLiveSession } from "@/lib/services/live";
import { createLiveProject } from "@/lib/services/live-projects";
import { streamLiveTurn, type GeneratedReply, type ReplySource } from "@/lib/services/live-stream";

export const DEMO_LIVE_SLUG = "demo-live";

/**
 * Where the demo endpoints point until the app's start-up registers the running demo
 * endpoint's address over it (`npm run dev` / `npm start` do so on every start).
 */
const NOT_STARTED_URL = "http://127.0.0.1:9/v1";

/** The finished demo session: what the annotator writes, and which reply wins (strength, negative = A better). */
const DEMO_TURNS = [
  { text: "The storm knocked the power out in the village. Is the lamp still lit up there?", strength: -1 },
  { text: "Could you tell the fishing boats where the safe channel is tonight?", strength: 2 },
] as const;

/**
 * The demo models answering in this process, without the HTTP server: the seed must not
 * depend on the demo endpoint running. The replies are the demo endpoint's own (the same
 * templates, model and seed), so the session reads as one run against the endpoint would.
 */
function inProcessDemoSource(endpoints: Map<number, { name: string; model: string }>): ReplySource {
  return async ({ endpointId, messages, seed, onDelta }): Promise<GeneratedReply> => {
    const endpoint = endpoints.get(endpointId);
    if (!endpoint || !isDemoModel(endpoint.model)) throw new Error(`endpoint ${endpointId} is not a demo model`);
    const text = demoReply(endpoint.model, messages, seed);
    onDelta(text);
    return {
      text,
      endpointName: endpoint.name,
      model: endpoint.model,
      params: { seed },
      seed,
      finishReason: "stop",
      responseId: null,
      promptTokens: null,
      completionTokens: null,
      ttftMs: null,
      totalMs: 0,
    };
  };
}

/**
 * Creates the demo live project with `memberIds` (the demo annotators and staff) as its
 * members, and its finished session; returns what it added.
 */
export async function seedLiveDemo(db: Db, memberIds: readonly number[]): Promise<{ projects: number; sessions: number }> {
  const [existing] = await db.select({ id: projects.id }).from(projects).where(eq(projects.slug, DEMO_LIVE_SLUG));
  if (existing) return { projects: 0, sessions: 0 };

  const names = DEMO_ENDPOINTS.map((e) => e.name);
  const registered = () => db.select().from(modelEndpoints).where(inArray(modelEndpoints.name, names));
  // Registered already (the app started before): their address stays as the running endpoint set it.
  if ((await registered()).length === 0) await registerDemoEndpoints(db, NOT_STARTED_URL);
  const endpoints = (await registered()).filter((e) => e.archivedAt === null);
  if (endpoints.length < 2) return { projects: 0, sessions: 0 };

  const project = await createLiveProject(
    { db, actor: null },
    {
      slug: DEMO_LIVE_SLUG,
      name: "演示：实时角色扮演 / Demo live role-play (demo models)",
      description:
        "Play the user beside a demo character: two replies stream in at every turn from the built-in demo models (templates, not language models); judge them and the chosen one continues the conversation.",
      characters: ["Mira Ashdown", "苏挽灯"],
      endpoints: endpoints.map((e) => e.name),
      perTurn: 2,
      turns: 6,
      status: "active",
      userRole: "A visitor on the island",
      settings: { scalePoints: 5, dimensions: ["persona_utterance", "fluency"], rationale: "optional" },
    },
  );

  if (memberIds.length > 0) {
    await db
      .insert(projectMembers)
      .values(memberIds.map((userId) => ({ projectId: project.id, userId })))
      .onConflictDoNothing();
  }
  const demoPeople =
    memberIds.length === 0
      ? []
      : await db
          .select({ id: users.id, email: users.email, name: users.name })
          .from(users)
          .where(inArray(users.id, [...memberIds]));

  // One finished session by the third demo annotator (the first two find the project fresh).
  const annotator = demoPeople.find((u) => u.email === "annotator3@arbiter.local");
  if (!annotator) return { projects: 1, sessions: 0 };
  const ctx = { db, actor: { id: annotator.id, email: annotator.email, name: annotator.name, role: "annotator" as const, locale: "en" } };
  // The pool's later character (Mira Ashdown, stored after 苏挽灯): the demo turns are in English.
  // A fixed session seed: the same models, labels and replies on every machine.
  const { session } = await startLiveSession(ctx, { projectSlug: DEMO_LIVE_SLUG }, () => 0.99, 20_240_601);
  const source = inProcessDemoSource(new Map(endpoints.map((e) => [e.id, { name: e.name, model: e.model }])));
  for (const turn of DEMO_TURNS) {
    const { turn: created } = await createLiveTurn(ctx, { sessionId: session.id, input: { text: turn.text } });
    for await (const event of streamLiveTurn(ctx, { sessionId: session.id, turnId: created.id }, new AbortController().signal, source)) {
      if (event.event === "candidate.error") throw new Error(`demo live session: ${event.data.message}`);
    }
    await judgeLiveTurn(ctx, { sessionId: session.id, turnId: created.id, input: { strength: turn.strength, seconds: 20 } });
  }
  await endLiveSession(ctx, { sessionId: session.id, input: { rating: 4 } });
  return { projects: 1, sessions: 1 };
}
