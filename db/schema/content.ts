import { sql } from "drizzle-orm";
import { bigint, check, index, integer, json, jsonb, pgTable, primaryKey, smallint, text, unique, uniqueIndex } from "drizzle-orm/pg-core";
import { modelEndpoints, type SamplingParams } from "./models";
import { projects } from "./projects";
import { users } from "./users";
import { createdAt, identity, instant, optionalReference, reference, updatedAt } from "./columns";

/** A message of the dialogue context. */
export type ContextMessage = { role: "user" | "assistant"; content: string };
/** Free-form character profile: keys in any language; values strings, string lists or objects. */
export type CharacterProfile = { [key: string]: ProfileValue };
export type ProfileValue = string | number | boolean | ProfileValue[] | { [key: string]: ProfileValue };
/** A gold answer: the expected strength (or ranks) and the answers that count as correct. */
export type GoldAnswer = { strength?: number; accept?: number[]; ranks?: number[] };

/** A persona, reusable across projects. */
export const characters = pgTable(
  "characters",
  {
    id: identity(),
    name: text("name").notNull(),
    /**
     * json, not jsonb: jsonb re-sorts object keys, and the key order is the order in which
     * the character card shows the attributes that are not well known.
     */
    profile: json("profile").$type<CharacterProfile>().notNull().default({}),
    /** sha256 of name + canonical profile: an identical inline character is stored once. */
    contentHash: text("content_hash").notNull(),
    createdBy: optionalReference("created_by", () => users.id, "set null"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("characters_content_hash_key").on(t.contentHash),
    // Character table search and sort by name.
    index("characters_name_idx").on(t.name),
    check("characters_name_nonempty", sql`length(btrim(${t.name})) > 0`),
  ],
);

/** Which characters a project uses ("the name of a character already in the project"). */
export const projectCharacters = pgTable(
  "project_characters",
  {
    projectId: reference("project_id", () => projects.id, "cascade"),
    characterId: reference("character_id", () => characters.id, "restrict"),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.characterId] }), index("project_characters_character_idx").on(t.characterId)],
);

/** One role-play prompt: character, optional scene, dialogue ending with the user turn. */
export const items = pgTable(
  "items",
  {
    id: identity(),
    projectId: reference("project_id", () => projects.id, "cascade"),
    externalId: text("external_id").notNull(),
    characterId: reference("character_id", () => characters.id, "restrict"),
    scene: text("scene"),
    context: jsonb("context").$type<ContextMessage[]>().notNull(),
    gold: jsonb("gold").$type<GoldAnswer>(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    language: text("language"),
    /** sha256 of the import line's canonical content: re-importing the same line is a no-op. */
    contentHash: text("content_hash").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Idempotent import and lookup by the researcher's own id.
    uniqueIndex("items_project_external_id_key").on(t.projectId, t.externalId),
    // Item browser filtered by character; per-character statistics.
    index("items_project_character_idx").on(t.projectId, t.characterId),
    // Exports walk a project's items in code-point order of external_id (their stable order), with no up-front sort.
    index("items_project_external_id_c_idx").on(t.projectId, sql`${t.externalId} collate "C"`),
    index("items_character_idx").on(t.characterId),
    check("items_external_id_nonempty", sql`length(${t.externalId}) between 1 and 200`),
    check("items_context_is_array", sql`jsonb_typeof(${t.context}) = 'array' and jsonb_array_length(${t.context}) > 0`),
  ],
);

/** One reply to an item, in the item's canonical order (position 0 = "A"). */
export const candidates = pgTable(
  "candidates",
  {
    id: identity(),
    itemId: reference("item_id", () => items.id, "cascade"),
    position: smallint("position").notNull(),
    model: text("model").notNull(),
    modelVersion: text("model_version"),
    content: text("content").notNull(),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    // Generation metadata: set on candidates sampled from a model endpoint, null on imported ones.
    endpointId: optionalReference("endpoint_id", () => modelEndpoints.id, "restrict"),
    /** Which of the K samples asked of this endpoint for this item (0-based). */
    sampleIndex: smallint("sample_index"),
    /** The sampling parameters sent (the endpoint's defaults merged with the job's). */
    params: jsonb("params").$type<SamplingParams>(),
    seed: bigint("seed", { mode: "number" }),
    finishReason: text("finish_reason"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    /** Time to the first content token, in ms (null when the endpoint does not stream). */
    ttftMs: integer("ttft_ms"),
    totalMs: integer("total_ms"),
    /** The `id` of the chat completion, as the endpoint gave it. */
    responseId: text("response_id"),
    generatedAt: instant("generated_at"),
  },
  (t) => [
    // Canonical order; also serves "candidates of an item" lookups.
    unique("candidates_item_position_key").on(t.itemId, t.position),
    // Idempotent generation: one candidate per item × endpoint × sample index, whoever asks.
    uniqueIndex("candidates_item_endpoint_sample_key").on(t.itemId, t.endpointId, t.sampleIndex).where(sql`${t.endpointId} is not null`),
    check(
      "candidates_generated_has_sample",
      sql`(${t.endpointId} is null) = (${t.sampleIndex} is null) and (${t.sampleIndex} is null or ${t.sampleIndex} >= 0)`,
    ),
    // Leaderboard and filters by model.
    index("candidates_model_idx").on(t.model),
    check("candidates_position_range", sql`${t.position} between 0 and 15`),
    check("candidates_model_nonempty", sql`length(btrim(${t.model})) > 0`),
  ],
);

export type Character = typeof characters.$inferSelect;
export type NewCharacter = typeof characters.$inferInsert;
export type Item = typeof items.$inferSelect;
export type NewItem = typeof items.$inferInsert;
export type Candidate = typeof candidates.$inferSelect;
export type NewCandidate = typeof candidates.$inferInsert;
