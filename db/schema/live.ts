import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { characters } from "./content";
import { liveNodeKind, liveSessionState } from "./enums";
import { projects } from "./projects";
import { users } from "./users";
import { createdAt, idColumn, identity, instant, optionalReference, reference } from "./columns";

/**
 * A live role-play session: one annotator plays the user opposite one character of a
 * live project. The settings that shape the session (N per turn, turn budget, scene and
 * user role) are copied in at start, so a later change of the project's settings never
 * reinterprets a session under way. Only `state`, `ended_at` and the whole-session rating
 * ever change (once, when the session ends); nodes, turns and judgments are append-only.
 */
export const liveSessions = pgTable(
  "live_sessions",
  {
    id: identity(),
    projectId: reference("project_id", () => projects.id, "cascade"),
    annotatorId: reference("annotator_id", () => users.id, "restrict"),
    characterId: reference("character_id", () => characters.id, "restrict"),
    scene: text("scene"),
    userRole: text("user_role"),
    perTurn: smallint("per_turn").notNull(),
    turnBudget: smallint("turn_budget").notNull(),
    /** Seed of the session's slot plans (endpoint selection and blind labels). */
    seed: bigint("seed", { mode: "number" }).notNull(),
    state: liveSessionState("state").notNull().default("active"),
    endedAt: instant("ended_at"),
    /** Optional whole-session rating, 1–5, given when the session ends. */
    rating: smallint("rating"),
    ratingNote: text("rating_note"),
    createdAt: createdAt(),
  },
  (t) => [
    // "My sessions" and resume: an annotator's sessions in a project, newest first.
    index("live_sessions_annotator_idx").on(t.annotatorId, t.projectId, t.id.desc()),
    // Exports walk a project's sessions in id order.
    index("live_sessions_project_idx").on(t.projectId, t.id),
    check("live_sessions_per_turn_range", sql`${t.perTurn} between 2 and 4`),
    check("live_sessions_turn_budget_range", sql`${t.turnBudget} between 1 and 200`),
    check("live_sessions_ended_at", sql`(${t.state} = 'ended') = (${t.endedAt} is not null)`),
    check("live_sessions_rating_range", sql`${t.rating} is null or (${t.rating} between 1 and 5 and ${t.state} = 'ended')`),
  ],
);

/**
 * One user prompt and the N replies compared under it. `judged` flips once, from false
 * to true, in the transaction that stores the judgment; a session has at most one
 * unjudged turn (the one on screen).
 */
export const liveTurns = pgTable(
  "live_turns",
  {
    id: identity(),
    sessionId: reference("session_id", () => liveSessions.id, "cascade"),
    /** 1-based depth of the turn on its branch. */
    turnIndex: smallint("turn_index").notNull(),
    /** The blind labels shown, slot order ("A", "B", …). */
    labels: text("labels").array().notNull(),
    /** The endpoint (registry id) that fills each slot, slot order. */
    slotEndpointIds: idColumn("slot_endpoint_ids").array().notNull(),
    judged: boolean("judged").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    // Target of nodes' (session_id, turn_id) key: a node's turn is in its session.
    unique("live_turns_session_id_key").on(t.sessionId, t.id),
    // At most one open turn per session.
    uniqueIndex("live_turns_one_open_key").on(t.sessionId).where(sql`not ${t.judged}`),
    check("live_turns_index_positive", sql`${t.turnIndex} >= 1`),
    check(
      "live_turns_slots",
      sql`cardinality(${t.labels}) between 2 and 4 and cardinality(${t.slotEndpointIds}) = cardinality(${t.labels}) and ${t.labels} = (array['A','B','C','D'])[1:cardinality(${t.labels})]`,
    ),
  ],
);

/**
 * A node of the conversation tree: the greeting (the root), a user message, a candidate
 * reply (stored once complete, with its generation record) or an annotator's edit.
 * Parent, turn and edited node all lie in the node's own session (composite keys).
 */
export const liveNodes = pgTable(
  "live_nodes",
  {
    id: identity(),
    sessionId: reference("session_id", () => liveSessions.id, "cascade"),
    parentId: idColumn("parent_id"),
    turnId: idColumn("turn_id"),
    kind: liveNodeKind("kind").notNull(),
    text: text("text").notNull(),
    /** Candidates: the slot (0 = "A") they fill; a later candidate of the same slot is a regenerate. */
    slot: smallint("slot"),
    /** Edits: the candidate rewritten (null when the annotator wrote a reply after "all unacceptable"). */
    editOf: idColumn("edit_of"),
    /** User messages and edits: who wrote them. */
    authorId: optionalReference("author_id", () => users.id, "restrict"),
    /** Candidates: the endpoint (registry id) and what it was asked and answered. */
    endpointId: idColumn("endpoint_id"),
    endpointName: text("endpoint_name"),
    model: text("model"),
    params: jsonb("params").$type<Record<string, unknown>>(),
    seed: bigint("seed", { mode: "number" }),
    finishReason: text("finish_reason"),
    responseId: text("response_id"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    ttftMs: real("ttft_ms"),
    totalMs: real("total_ms"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("live_nodes_session_id_key").on(t.sessionId, t.id),
    foreignKey({ name: "live_nodes_parent_fk", columns: [t.sessionId, t.parentId], foreignColumns: [t.sessionId, t.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ name: "live_nodes_edit_of_fk", columns: [t.sessionId, t.editOf], foreignColumns: [t.sessionId, t.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      name: "live_nodes_turn_fk",
      columns: [t.sessionId, t.turnId],
      foreignColumns: [liveTurns.sessionId, liveTurns.id],
    }).onDelete("cascade"),
    // One greeting (root) per session.
    uniqueIndex("live_nodes_one_root_key").on(t.sessionId).where(sql`${t.parentId} is null`),
    // One user message per turn, one edit per turn.
    uniqueIndex("live_nodes_turn_user_key").on(t.turnId).where(sql`${t.kind} = 'user'`),
    uniqueIndex("live_nodes_turn_edit_key").on(t.turnId).where(sql`${t.kind} = 'edit'`),
    // A turn's replies by slot, newest last (the current reply of a slot is its newest).
    index("live_nodes_turn_slot_idx").on(t.turnId, t.slot, t.id),
    index("live_nodes_parent_idx").on(t.parentId),
    check(
      "live_nodes_shape",
      sql`case ${t.kind}
        when 'greeting' then ${t.parentId} is null and ${t.turnId} is null and ${t.slot} is null and ${t.editOf} is null
        when 'user' then ${t.parentId} is not null and ${t.turnId} is not null and ${t.slot} is null and ${t.editOf} is null and ${t.authorId} is not null and length(btrim(${t.text})) > 0
        when 'candidate' then ${t.parentId} is not null and ${t.turnId} is not null and ${t.slot} between 0 and 3 and ${t.editOf} is null and ${t.model} is not null and ${t.endpointName} is not null
        when 'edit' then ${t.parentId} is not null and ${t.turnId} is not null and ${t.slot} is null and ${t.authorId} is not null and length(btrim(${t.text})) > 0
      end`,
    ),
  ],
);

/**
 * The annotator's answer to a live turn, in label terms (slot j = label j, the canonical
 * order): the compared nodes exactly as judged, strength (N = 2) or ranks (N > 2) or
 * "all unacceptable", ratings and flags by slot, and the continuation it chose.
 */
export const liveJudgments = pgTable(
  "live_judgments",
  {
    id: identity(),
    turnId: idColumn("turn_id").notNull(),
    sessionId: idColumn("session_id").notNull(),
    annotatorId: reference("annotator_id", () => users.id, "restrict"),
    /** The candidate nodes compared, slot order. */
    candidateNodeIds: idColumn("candidate_node_ids").array().notNull(),
    labels: text("labels").array().notNull(),
    strength: smallint("strength"),
    ranks: smallint("ranks").array(),
    bothUnacceptable: boolean("both_unacceptable").notNull().default(false),
    /** Slot → dimension key → 1–5. */
    ratings: jsonb("ratings").$type<Record<string, Record<string, number>>>().notNull().default({}),
    /** Slot → unsafe category. */
    unsafe: jsonb("unsafe").$type<Record<string, string>>().notNull().default({}),
    rationale: text("rationale"),
    seconds: real("seconds"),
    /** The compared reply the conversation continues with (null after "all unacceptable"). */
    chosenNodeId: idColumn("chosen_node_id"),
    /** The annotator's edit of it (or their own reply), which then continues the conversation. */
    editNodeId: idColumn("edit_node_id"),
    createdAt: createdAt(),
  },
  (t) => [
    // One judgment per turn.
    uniqueIndex("live_judgments_turn_key").on(t.turnId),
    foreignKey({
      name: "live_judgments_turn_fk",
      columns: [t.sessionId, t.turnId],
      foreignColumns: [liveTurns.sessionId, liveTurns.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "live_judgments_chosen_fk",
      columns: [t.sessionId, t.chosenNodeId],
      foreignColumns: [liveNodes.sessionId, liveNodes.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "live_judgments_edit_fk",
      columns: [t.sessionId, t.editNodeId],
      foreignColumns: [liveNodes.sessionId, liveNodes.id],
    }).onDelete("cascade"),
    check(
      "live_judgments_one_answer",
      sql`(case when ${t.strength} is not null then 1 else 0 end) + (case when ${t.ranks} is not null then 1 else 0 end) + (case when ${t.bothUnacceptable} then 1 else 0 end) = 1`,
    ),
    check(
      "live_judgments_slots",
      sql`cardinality(${t.candidateNodeIds}) between 2 and 4 and cardinality(${t.labels}) = cardinality(${t.candidateNodeIds}) and (${t.ranks} is null or cardinality(${t.ranks}) = cardinality(${t.candidateNodeIds}))`,
    ),
    check(
      "live_judgments_strength_pairwise",
      sql`${t.strength} is null or (${t.strength} between -3 and 3 and cardinality(${t.candidateNodeIds}) = 2)`,
    ),
    check("live_judgments_continuation", sql`${t.chosenNodeId} is not null or ${t.editNodeId} is not null`),
    check("live_judgments_chosen_compared", sql`${t.chosenNodeId} is null or ${t.chosenNodeId} = any(${t.candidateNodeIds})`),
  ],
);

/**
 * A regenerate ("swipe") asked for a slot: the slot's reply `replaces_node_id` is to be
 * replaced by a new one, which the next stream of the turn generates. The old reply stays
 * as a rejected sibling. One request per replaced reply (a repeated click is a no-op).
 */
export const liveRegenerations = pgTable(
  "live_regenerations",
  {
    id: identity(),
    sessionId: idColumn("session_id").notNull(),
    turnId: idColumn("turn_id").notNull(),
    replacesNodeId: idColumn("replaces_node_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("live_regenerations_node_key").on(t.replacesNodeId),
    index("live_regenerations_turn_idx").on(t.turnId),
    foreignKey({
      name: "live_regenerations_turn_fk",
      columns: [t.sessionId, t.turnId],
      foreignColumns: [liveTurns.sessionId, liveTurns.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "live_regenerations_node_fk",
      columns: [t.sessionId, t.replacesNodeId],
      foreignColumns: [liveNodes.sessionId, liveNodes.id],
    }).onDelete("cascade"),
  ],
);

export type LiveSession = typeof liveSessions.$inferSelect;
export type NewLiveSession = typeof liveSessions.$inferInsert;
export type LiveTurnRow = typeof liveTurns.$inferSelect;
export type LiveNodeRow = typeof liveNodes.$inferSelect;
export type NewLiveNode = typeof liveNodes.$inferInsert;
export type LiveJudgmentRow = typeof liveJudgments.$inferSelect;
