/**
 * Queries of live sessions: `(db, params)` → rows; no authorisation, no validation.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow } from "@/db/queries/rows";
import {
  characters,
  liveJudgments,
  liveNodes,
  liveRegenerations,
  liveSessions,
  liveTurns,
  modelEndpoints,
  projectCharacters,
  projectMembers,
  projects,
  type LiveJudgmentRow,
  type LiveNodeRow,
  type LiveSession,
  type LiveTurnRow,
  type NewLiveNode,
} from "@/db/schema";
import { rowFromJson } from "./rows";

/** A transaction or the database: every query here runs in either. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/** A project by slug with the member status of `userId` (null when not a member). */
export async function getProjectWithMembership(db: DbOrTx, slug: string, userId: number) {
  const [row] = await db
    .select({ project: projects, memberStatus: projectMembers.status })
    .from(projects)
    .leftJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, userId)))
    .where(eq(projects.slug, slug));
  return row ?? null;
}

export async function getCharactersByIds(db: DbOrTx, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(characters)
    .where(inArray(characters.id, [...ids]));
}

export async function insertSession(db: DbOrTx, values: typeof liveSessions.$inferInsert): Promise<LiveSession> {
  const [row] = await db.insert(liveSessions).values(values).returning();
  return row!;
}

export async function insertNode(db: DbOrTx, values: NewLiveNode): Promise<LiveNodeRow> {
  const [row] = await db.insert(liveNodes).values(values).returning();
  return row!;
}

export async function insertTurn(db: DbOrTx, values: typeof liveTurns.$inferInsert): Promise<LiveTurnRow> {
  const [row] = await db.insert(liveTurns).values(values).returning();
  return row!;
}

export async function insertJudgment(db: DbOrTx, values: typeof liveJudgments.$inferInsert): Promise<LiveJudgmentRow> {
  const [row] = await db.insert(liveJudgments).values(values).returning();
  return row!;
}

/** A regenerate request; a repeated one (same replaced reply) is a no-op. */
export async function insertRegeneration(db: DbOrTx, values: typeof liveRegenerations.$inferInsert): Promise<void> {
  await db.insert(liveRegenerations).values(values).onConflictDoNothing();
}

/** The session with its project and character. */
export async function getSessionContext(db: DbOrTx, sessionId: number) {
  const [row] = await db
    .select({ session: liveSessions, project: projects, character: characters, memberStatus: projectMembers.status })
    .from(liveSessions)
    .innerJoin(projects, eq(projects.id, liveSessions.projectId))
    .innerJoin(characters, eq(characters.id, liveSessions.characterId))
    .leftJoin(
      projectMembers,
      and(eq(projectMembers.projectId, liveSessions.projectId), eq(projectMembers.userId, liveSessions.annotatorId)),
    )
    .where(eq(liveSessions.id, sessionId));
  return row ?? null;
}

/** Locks a session row for the turn-creating transaction (one turn at a time per session). */
export async function lockSession(db: DbOrTx, sessionId: number): Promise<LiveSession | null> {
  const [row] = await db.select().from(liveSessions).where(eq(liveSessions.id, sessionId)).for("update");
  return row ?? null;
}

/** Locks a turn row: candidates are stored and judgments given under it. */
export async function lockTurn(db: DbOrTx, turnId: number): Promise<LiveTurnRow | null> {
  const [row] = await db.select().from(liveTurns).where(eq(liveTurns.id, turnId)).for("update");
  return row ?? null;
}

export async function getTurn(db: DbOrTx, sessionId: number, turnId: number): Promise<LiveTurnRow | null> {
  const [row] = await db
    .select()
    .from(liveTurns)
    .where(and(eq(liveTurns.id, turnId), eq(liveTurns.sessionId, sessionId)));
  return row ?? null;
}

/**
 * Every node, turn, judgment and regenerate request of a session, in id order. The reads
 * run one after another: inside a transaction they share one connection, where pg would
 * only queue them (and pg 9 refuses a query on a busy client).
 */
export async function loadSessionRecords(db: DbOrTx, sessionId: number) {
  const nodes = await db.select().from(liveNodes).where(eq(liveNodes.sessionId, sessionId)).orderBy(asc(liveNodes.id));
  const turns = await db.select().from(liveTurns).where(eq(liveTurns.sessionId, sessionId)).orderBy(asc(liveTurns.id));
  const judgments = await db.select().from(liveJudgments).where(eq(liveJudgments.sessionId, sessionId)).orderBy(asc(liveJudgments.id));
  const regenerations = await db
    .select()
    .from(liveRegenerations)
    .where(eq(liveRegenerations.sessionId, sessionId))
    .orderBy(asc(liveRegenerations.id));
  return { nodes, turns, judgments, regenerations };
}

/**
 * The session with its project, character and annotator's member status, and every record
 * of the session, in one statement: the turn stream's setup read (one round trip before
 * its first upstream request). Judgments and regenerate requests are reached through the
 * session's turns, whose ids they are indexed by. Null when there is no such session.
 */
export async function loadSessionWithRecords(db: DbOrTx, sessionId: number) {
  const result = await db.execute<{
    session: Record<string, unknown>;
    project: Record<string, unknown>;
    character: Record<string, unknown>;
    member_status: (typeof projectMembers.$inferSelect)["status"] | null;
    nodes: Record<string, unknown>[];
    turns: Record<string, unknown>[];
    judgments: Record<string, unknown>[];
    regenerations: Record<string, unknown>[];
  }>(sql`
    select to_json(s) as session, to_json(p) as project, to_json(c) as character, m.status as member_status,
      coalesce((select json_agg(n order by n.id) from live_nodes n where n.session_id = s.id), '[]') as nodes,
      coalesce((select json_agg(t order by t.id) from live_turns t where t.session_id = s.id), '[]') as turns,
      coalesce((select json_agg(j order by j.id) from live_turns jt join live_judgments j on j.turn_id = jt.id
                 where jt.session_id = s.id), '[]') as judgments,
      coalesce((select json_agg(r order by r.id) from live_turns rt join live_regenerations r on r.turn_id = rt.id
                 where rt.session_id = s.id), '[]') as regenerations
    from live_sessions s
    join projects p on p.id = s.project_id
    join characters c on c.id = s.character_id
    left join project_members m on m.project_id = s.project_id and m.user_id = s.annotator_id
    where s.id = ${sessionId}`);
  const r = result.rows[0];
  if (!r) return null;
  return {
    context: {
      session: rowFromJson(liveSessions, r.session),
      project: rowFromJson(projects, r.project),
      character: rowFromJson(characters, r.character),
      memberStatus: r.member_status,
    },
    records: {
      nodes: r.nodes.map((n) => rowFromJson(liveNodes, n)),
      turns: r.turns.map((t) => rowFromJson(liveTurns, t)),
      judgments: r.judgments.map((j) => rowFromJson(liveJudgments, j)),
      regenerations: r.regenerations.map((g) => rowFromJson(liveRegenerations, g)),
    },
  };
}

/** The nodes of one turn (user, candidates, edit), in id order. */
export function listTurnNodes(db: DbOrTx, turnId: number): Promise<LiveNodeRow[]> {
  return db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId)).orderBy(asc(liveNodes.id));
}

/** The nodes of one turn (user, candidates, edit), in id order, and its regenerate requests (one read after another, as above). */
export async function loadTurnRecords(db: DbOrTx, turnId: number) {
  const nodes = await listTurnNodes(db, turnId);
  const regenerations = await db.select().from(liveRegenerations).where(eq(liveRegenerations.turnId, turnId));
  const [judgment] = await db.select().from(liveJudgments).where(eq(liveJudgments.turnId, turnId));
  return { nodes, regenerations, judgment: judgment ?? null };
}

/** An annotator's sessions in a project, newest first. */
export async function listSessionsOfAnnotator(db: DbOrTx, projectId: number, annotatorId: number, limit = 20) {
  return db
    .select({
      id: liveSessions.id,
      state: liveSessions.state,
      createdAt: liveSessions.createdAt,
      character: characters.name,
      turns: sql<number>`(select count(*)::int from ${liveTurns} where ${liveTurns.sessionId} = ${liveSessions.id})`,
    })
    .from(liveSessions)
    .innerJoin(characters, eq(characters.id, liveSessions.characterId))
    .where(and(eq(liveSessions.projectId, projectId), eq(liveSessions.annotatorId, annotatorId)))
    .orderBy(desc(liveSessions.id))
    .limit(limit);
}

/** Ends a session (once), with the optional rating. False when it had already ended. */
export async function endSessionRow(db: DbOrTx, sessionId: number, rating: number | null, note: string | null): Promise<boolean> {
  const rows = await db
    .update(liveSessions)
    .set({ state: "ended", endedAt: sql`now()`, rating, ratingNote: note })
    .where(and(eq(liveSessions.id, sessionId), eq(liveSessions.state, "active")))
    .returning({ id: liveSessions.id });
  return rows.length > 0;
}

/** A project's sessions in id order (exports). */
export async function listProjectSessions(db: DbOrTx, projectId: number) {
  return db
    .select({ session: liveSessions, character: characters })
    .from(liveSessions)
    .innerJoin(characters, eq(characters.id, liveSessions.characterId))
    .where(eq(liveSessions.projectId, projectId))
    .orderBy(asc(liveSessions.id));
}

/** The slug of a session's project (a project-bound API token is checked against it). */
export async function getSessionProjectSlug(db: DbOrTx, sessionId: number): Promise<string | null> {
  const [row] = await db
    .select({ slug: projects.slug })
    .from(liveSessions)
    .innerJoin(projects, eq(projects.id, liveSessions.projectId))
    .where(eq(liveSessions.id, sessionId));
  return row?.slug ?? null;
}

/**
 * Every judged live turn of a project: the compared replies' models, the answer, and whether
 * it opens a branch. `firstOfBranchOnly`: only the turns that open a branch (the active
 * sampler's basis), so a turn's planning does not read the whole project's later turns.
 */
export async function listLiveComparisons(db: DbOrTx, projectId: number, options: { firstOfBranchOnly?: boolean } = {}) {
  const result = await db.execute<
    RawRow<typeof liveJudgments, "strength" | "ranks" | "bothUnacceptable"> & {
      models: string[];
      endpoint_ids: (string | null)[];
      first_of_branch: boolean;
    }
  >(sql`
    select c.models, c.endpoint_ids, j.strength, j.ranks, j.both_unacceptable,
      (p.kind = 'greeting') as first_of_branch
    from live_judgments j
    -- The candidates' models and endpoints in slot order, from one pass over their nodes.
    cross join lateral (
      select array_agg(coalesce(n.model, '') order by u.ord) as models,
             array_agg(n.endpoint_id::text order by u.ord) as endpoint_ids
        from unnest(j.candidate_node_ids) with ordinality as u(id, ord)
        join live_nodes n on n.id = u.id) c
    join live_sessions s on s.id = j.session_id
    join live_nodes un on un.turn_id = j.turn_id and un.kind = 'user'
    join live_nodes p on p.id = un.parent_id
    where s.project_id = ${projectId}${options.firstOfBranchOnly ? sql` and p.kind = 'greeting'` : sql``}
    order by j.id`);
  return result.rows;
}

/** Adds characters to a project's pool (those already in it stay). */
export async function insertProjectCharacters(db: DbOrTx, projectId: number, characterIds: readonly number[]): Promise<void> {
  if (characterIds.length === 0) return;
  await db
    .insert(projectCharacters)
    .values(characterIds.map((characterId) => ({ projectId, characterId })))
    .onConflictDoNothing();
}

/** Characters by exact name, newest first (a name may belong to several imported profiles). */
export async function getCharactersByNames(db: DbOrTx, names: readonly string[]) {
  if (names.length === 0) return [];
  return db
    .select({ id: characters.id, name: characters.name })
    .from(characters)
    .where(inArray(characters.name, [...names]))
    .orderBy(desc(characters.id));
}

/** Active (not archived) endpoints by registry name. */
export async function getEndpointsByNames(db: DbOrTx, names: readonly string[]) {
  if (names.length === 0) return [];
  return db
    .select({ id: modelEndpoints.id, name: modelEndpoints.name })
    .from(modelEndpoints)
    .where(and(inArray(modelEndpoints.name, [...names]), isNull(modelEndpoints.archivedAt)));
}
