/**
 * Factories for live sessions, written straight through drizzle (no service code).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { characters, liveNodes, liveSessions, liveTurns, projects } from "@/db/schema";
import { contentHash } from "@/lib/domain/canonical";
import { ProjectSettings } from "@/lib/validation/project-settings";
import { makeUser } from "./index";

const uid = () => randomBytes(4).toString("hex");

export async function makeCharacter(
  db: Db,
  name = `Mira ${uid()}`,
  profile: Record<string, string> = { occupation: "lighthouse keeper", greeting: "Welcome to the lighthouse, traveller." },
) {
  const [row] = await db
    .insert(characters)
    .values({ name, profile, contentHash: contentHash({ name, profile, n: uid() }) })
    .returning();
  return row!;
}

/** A live project (its settings name `endpointIds` that need not exist) with one character. */
export async function makeLiveProject(db: Db, opts: { perTurn?: number; endpointIds?: number[]; turnBudget?: number } = {}) {
  const character = await makeCharacter(db);
  const perTurn = opts.perTurn ?? 2;
  const settings = ProjectSettings.parse({
    mode: perTurn === 2 ? "pairwise" : "ranking",
    overlap: 1,
    live: { characterIds: [character.id], endpointIds: opts.endpointIds ?? [1, 2], perTurn, turnBudget: opts.turnBudget ?? 5 },
  });
  const [project] = await db
    .insert(projects)
    .values({
      slug: `live-${uid()}`,
      name: "Live project",
      status: "active",
      kind: "live",
      mode: settings.mode,
      scalePoints: 7,
      overlap: 1,
      settings,
    })
    .returning();
  return { project: project!, character };
}

/** A session with its greeting, for an annotator (made when not given). */
export async function makeLiveSession(db: Db, opts: { perTurn?: number; annotatorId?: number } = {}) {
  const { project, character } = await makeLiveProject(db, { perTurn: opts.perTurn });
  const annotatorId = opts.annotatorId ?? (await makeUser(db)).id;
  const [session] = await db
    .insert(liveSessions)
    .values({ projectId: project.id, annotatorId, characterId: character.id, perTurn: opts.perTurn ?? 2, turnBudget: 5, seed: 1 })
    .returning();
  const [greeting] = await db
    .insert(liveNodes)
    .values({ sessionId: session!.id, kind: "greeting", text: "Welcome to the lighthouse, traveller." })
    .returning();
  return { project, character, session: session!, greeting: greeting!, annotatorId };
}

/** An open turn below `parentId` with its user message. */
export async function makeLiveTurn(
  db: Db,
  s: { session: { id: number; perTurn: number }; annotatorId: number },
  parentId: number,
  text = "Is the lamp still lit?",
) {
  const labels = ["A", "B", "C", "D"].slice(0, s.session.perTurn);
  const [turn] = await db
    .insert(liveTurns)
    .values({ sessionId: s.session.id, turnIndex: 1, labels, slotEndpointIds: labels.map((_, i) => i + 1) })
    .returning();
  const [user] = await db
    .insert(liveNodes)
    .values({ sessionId: s.session.id, parentId, turnId: turn!.id, kind: "user", text, authorId: s.annotatorId })
    .returning();
  return { turn: turn!, user: user! };
}

/** A completed candidate of a slot. */
export async function makeLiveCandidate(
  db: Db,
  sessionId: number,
  turnId: number,
  userNodeId: number,
  slot: number,
  text = `reply ${uid()}`,
) {
  const [node] = await db
    .insert(liveNodes)
    .values({
      sessionId,
      parentId: userNodeId,
      turnId,
      kind: "candidate",
      slot,
      text,
      endpointName: `e${slot}`,
      model: `m${slot}`,
      params: {},
      finishReason: "stop",
    })
    .returning();
  return node!;
}
