/**
 * Bulk writes of the importer. Every statement takes whole batches as array parameters
 * and expands them with unnest(): one round trip and one plan per batch instead of one
 * per row, which is what keeps 100,000 items within the import target without COPY.
 * Callers pass a transaction; nothing here checks permissions or validates input.
 */
import { type AnyColumn, and, eq, exists, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { num, type RawRow } from "@/db/queries/rows";
import { type candidates, characters, items, judgments, projectCharacters, tasks } from "@/db/schema";
import type { TaskKind } from "@/lib/domain/enums";

/**
 * `unnest(...) as u(...)` over a batch: each named column travels as one array parameter of
 * its PostgreSQL type (JSON as text, cast where it is used), in the order given.
 */
function unnested<T>(list: T[], columns: Record<string, [type: string, value: (row: T) => unknown]>): SQL {
  const names = Object.keys(columns);
  const arrays = Object.values(columns).map(([type, value]) => sql`${sql.param(list.map(value))}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays, sql`, `)}) as u(${sql.raw(names.join(", "))})`;
}

/** Is this text (a batch of texts) one of `values`: one array parameter, whatever the batch size. */
const anyOf = (column: AnyColumn, values: string[]) => sql`${column} = any(${sql.param(values)}::text[])`;

/** An item of the project with this external id, as the importer needs to classify a line. */
export type ExistingItem = { id: number; externalId: string; contentHash: string; hasJudgments: boolean };

/**
 * Serialises imports into one project until the transaction ends: two concurrent imports
 * of overlapping files would otherwise both see an external id as new and one would fail
 * on the unique key after doing all its work.
 */
export async function lockProjectForImport(db: Db, projectId: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('arbiter.import'), ${projectId}::int)`);
}

/**
 * The project's items among `externalIds`, with whether any judgment (in any state) exists
 * on one of their tasks. `forUpdate` locks the rows found (the write pass), so a judgment
 * cannot slip in between the check and the replacement.
 */
export async function findItemsByExternalIds(
  db: Db,
  params: { projectId: number; externalIds: string[]; forUpdate?: boolean },
): Promise<ExistingItem[]> {
  if (params.externalIds.length === 0) return [];
  const query = db
    .select({
      id: items.id,
      externalId: items.externalId,
      contentHash: items.contentHash,
      hasJudgments: exists(
        db.select({ one: sql`1` }).from(tasks).innerJoin(judgments, eq(judgments.taskId, tasks.id)).where(eq(tasks.itemId, items.id)),
      ).mapWith(Boolean),
    })
    .from(items)
    .where(and(eq(items.projectId, params.projectId), anyOf(items.externalId, params.externalIds)))
    .$dynamic();
  return params.forUpdate ? query.for("update") : query;
}

/** Which of these character content hashes are already stored. */
export async function findCharacterIdsByHash(db: Db, hashes: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (hashes.length === 0) return found;
  const rows = await db
    .select({ id: characters.id, contentHash: characters.contentHash })
    .from(characters)
    .where(anyOf(characters.contentHash, hashes));
  for (const r of rows) found.set(r.contentHash, r.id);
  return found;
}

/**
 * Stores characters by content hash (an identical one is stored once, whoever imported it
 * first) and returns hash → id for all of them, with how many rows were new.
 */
export async function upsertCharactersByHash(
  db: Db,
  params: { characters: { name: string; profile: unknown; contentHash: string }[]; createdBy: number | null },
): Promise<{ ids: Map<string, number>; created: number }> {
  const list = params.characters;
  if (list.length === 0) return { ids: new Map(), created: 0 };
  const { rows } = await db.execute<RawRow<typeof characters, "id" | "contentHash">>(sql`
    insert into characters (name, profile, content_hash, created_by)
    select u.name, u.profile::jsonb, u.content_hash, ${params.createdBy}::bigint
    from ${unnested(list, { name: ["text", (c) => c.name], profile: ["text", (c) => JSON.stringify(c.profile)], content_hash: ["text", (c) => c.contentHash] })}
    on conflict (content_hash) do nothing
    returning id, content_hash`);
  const ids = new Map<string, number>();
  for (const r of rows) ids.set(r.content_hash, num(r.id));
  const missing = list.map((c) => c.contentHash).filter((h) => !ids.has(h));
  for (const [h, id] of await findCharacterIdsByHash(db, missing)) ids.set(h, id);
  return { ids, created: rows.length };
}

/** Links characters to a project ("already in the project" for later imports by name). */
export async function linkProjectCharacters(db: Db, params: { projectId: number; characterIds: number[] }): Promise<void> {
  if (params.characterIds.length === 0) return;
  await db.execute(sql`
    insert into project_characters (project_id, character_id)
    select ${params.projectId}::bigint, unnest(${sql.param(params.characterIds)}::bigint[])
    on conflict do nothing`);
}

/** One item row to write; JSON columns already serialised. */
export type ItemWrite = {
  externalId: string;
  characterId: number;
  scene: string | null;
  context: string;
  gold: string | null;
  metadata: string;
  language: string | null;
  contentHash: string;
};

/** The columns of an item write after its key (external id or id), as {@link unnested} takes them. */
const itemWriteColumns: Record<string, [string, (i: ItemWrite) => unknown]> = {
  character_id: ["bigint", (i) => i.characterId],
  scene: ["text", (i) => i.scene],
  context: ["text", (i) => i.context],
  gold: ["text", (i) => i.gold],
  metadata: ["text", (i) => i.metadata],
  language: ["text", (i) => i.language],
  content_hash: ["text", (i) => i.contentHash],
};

/** Inserts items; returns external id → new id (RETURNING order is not guaranteed, so map by key). */
export async function insertItemsBulk(db: Db, params: { projectId: number; items: ItemWrite[] }): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const list = params.items;
  if (list.length === 0) return ids;
  const { rows } = await db.execute<RawRow<typeof items, "id" | "externalId">>(sql`
    insert into items (project_id, external_id, character_id, scene, context, gold, metadata, language, content_hash)
    select ${params.projectId}::bigint, u.external_id, u.character_id, u.scene, u.context::jsonb, u.gold::jsonb,
           u.metadata::jsonb, u.language, u.content_hash
    from ${unnested(list, { external_id: ["text", (i) => i.externalId], ...itemWriteColumns })}
    returning id, external_id`);
  for (const r of rows) ids.set(r.external_id, num(r.id));
  return ids;
}

/** Rewrites existing items in place (the update path of a re-import); ids stay the same. */
export async function updateItemsBulk(db: Db, params: { items: (ItemWrite & { id: number })[] }): Promise<void> {
  const list = params.items;
  if (list.length === 0) return;
  await db.execute(sql`
    update items i
    set character_id = u.character_id, scene = u.scene, context = u.context::jsonb, gold = u.gold::jsonb,
        metadata = u.metadata::jsonb, language = u.language, content_hash = u.content_hash, updated_at = now()
    from ${unnested(list, { id: ["bigint", (i) => i.id], ...itemWriteColumns })}
    where i.id = u.id`);
}

/**
 * Removes the tasks and candidates of items about to be replaced. Assignments go with
 * their tasks (cascade); judgments would block it (restrict), which the caller has ruled out.
 */
export async function deleteItemTasksAndCandidates(db: Db, itemIds: number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await db.execute(sql`delete from tasks where item_id = any(${sql.param(itemIds)}::bigint[])`);
  await db.execute(sql`delete from candidates where item_id = any(${sql.param(itemIds)}::bigint[])`);
}

export type CandidateWrite = {
  itemId: number;
  position: number;
  model: string;
  modelVersion: string | null;
  content: string;
  metadata: string;
};

/** Inserts candidates; returns "itemId:position" → candidate id. */
export async function insertCandidatesBulk(db: Db, list: CandidateWrite[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (list.length === 0) return ids;
  const { rows } = await db.execute<RawRow<typeof candidates, "id" | "itemId" | "position">>(sql`
    insert into candidates (item_id, position, model, model_version, content, metadata)
    select u.item_id, u.position, u.model, u.model_version, u.content, u.metadata::jsonb
    from ${unnested(list, {
      item_id: ["bigint", (c) => c.itemId],
      position: ["smallint", (c) => c.position],
      model: ["text", (c) => c.model],
      model_version: ["text", (c) => c.modelVersion],
      content: ["text", (c) => c.content],
      metadata: ["text", (c) => c.metadata],
    })}
    returning id, item_id, position`);
  for (const r of rows) ids.set(`${r.item_id}:${r.position}`, num(r.id));
  return ids;
}

export type TaskWrite = {
  itemId: number;
  kind: TaskKind;
  candidateIds: number[];
  overlap: number;
  gold: string | null;
};

/** Inserts tasks of one project (its scale on every row, as the composite key demands). */
export async function insertTasksBulk(db: Db, params: { projectId: number; scalePoints: number; tasks: TaskWrite[] }): Promise<number> {
  const list = params.tasks;
  if (list.length === 0) return 0;
  // unnest() flattens a 2-D array, so each candidate list travels as an array literal.
  const result = await db.execute(sql`
    insert into tasks (project_id, item_id, kind, candidate_ids, scale_points, overlap, gold)
    select ${params.projectId}::bigint, u.item_id, u.kind::task_kind, u.candidate_ids::bigint[],
           ${params.scalePoints}::smallint, u.overlap, u.gold::jsonb
    from ${unnested(list, {
      item_id: ["bigint", (t) => t.itemId],
      kind: ["text", (t) => t.kind],
      candidate_ids: ["text", (t) => `{${t.candidateIds.join(",")}}`],
      overlap: ["smallint", (t) => t.overlap],
      gold: ["text", (t) => t.gold],
    })}`);
  return result.rowCount ?? list.length;
}

/** The characters linked to a project, for resolving characters given by name. */
export async function listProjectCharacters(db: Db, projectId: number): Promise<{ id: number; name: string; contentHash: string }[]> {
  return db
    .select({ id: characters.id, name: characters.name, contentHash: characters.contentHash })
    .from(projectCharacters)
    .innerJoin(characters, eq(characters.id, projectCharacters.characterId))
    .where(eq(projectCharacters.projectId, projectId));
}
