/**
 * Export queries: the ordered binary COPY an export streams from (tasks with their
 * candidates and judgments), the export records, and the stored secret behind annotator
 * pseudonyms. The service reads in one REPEATABLE READ transaction, so every query of an
 * export sees one snapshot.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { BinaryCopyReader, textArrayElements } from "@/db/copy-out";
import { characters, exportsTable, items, projectMembers, systemSettings, users, type Export } from "@/db/schema";
import type { ExportCharacter, ExportJudgmentRecord, ExportTaskRecord } from "@/lib/domain/export/source";

/**
 * The stable order of every export: item external id, then task id as text, both by code
 * point — exactly `compareTasks` of lib/domain/export (so "10" sorts before "9").
 */
const TASK_ORDER_SQL = `i.external_id collate "C", t.id::text collate "C"`;

/**
 * Reads every task of the project in export order, with its item, candidates (canonical
 * order) and standing adjudication, by `COPY … TO STDOUT (FORMAT binary)` on this
 * transaction's connection. Each row is one JSON array ({@link TASK_FIELDS}, candidates as
 * [id, model] pairs, then all its judgments, every state, as {@link JUDGMENT_FIELDS} arrays;
 * read with {@link taskFromArray} and {@link judgmentFromArray}) and the candidates' reply texts as
 * `to_json(content)::text` — the UTF-8 bytes of each text's JSON string literal, which the
 * export copies into its files as they are (see JsonText) rather than decoding, parsing,
 * re-escaping and re-encoding them. COPY rather than a cursor: node-postgres turns every
 * FETCHed field into a string, a COPY hands over the bytes. Characters are read once
 * ({@link listExportCharacters}), not with every task.
 * Items are walked in order by items_project_external_id_c_idx, their tasks by item, and
 * only the tasks of one item are sorted (by id as text: an incremental sort), so rows flow
 * from the first task on — sorting every task key first kept a million-judgment export
 * waiting for most of a second, and sorting and grouping every judgment (the former
 * judgment stream) for seconds. The per-task lookups (candidates by primary key, the
 * adjudication by its partial unique index, the judgments by judgments_task_id_idx) run
 * once per task on that stream. Empty safety flags come as null; `excluded` is not
 * read here but looked up by the reader ({@link listExcludedAnnotators}); with
 * `raw: false` the fields only the raw export needs (ratings … created_at) are left out.
 * The rows are read as {@link ExportTaskRecord}s and {@link ExportJudgmentRecord}s, the
 * shapes lib/domain/export/source.ts defines.
 */
export function copyExportTasks(tx: Db, projectId: number, options: { raw: boolean }): BinaryCopyReader<ExportTaskCopyRow> {
  if (!Number.isSafeInteger(projectId)) throw new Error(`not a project id: ${projectId}`);
  // COPY runs over the simple protocol (no parameters): the id is an integer, checked above.
  const rawFields = options.raw
    ? `, j.ratings, j.rationale, j.seconds, to_char(j.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : "";
  const text = `copy (
    select json_build_array(t.id::text, t.kind, t.scale_points, t.gold, i.id::text, i.external_id,
           i.scene, i.context, i.language, i.character_id::text, c.meta,
           (select r.label from reviews r
             where r.task_id = t.id and r.verdict = 'adjudicate' and r.revoked_at is null),
           t.candidate_ids,
           (select json_agg(json_build_array(j.id, j.annotator_id, j.strength, j.ranks, j.both_unacceptable, nullif(j.unsafe, '{}'::jsonb),
                                             j.state, nullif(j.roleplay_flags, '{}'::jsonb), j.display_order ${rawFields}))
              from judgments j where j.task_id = t.id)) as t,
           c.replies
      from items i
      join tasks t on t.item_id = i.id
      left join lateral (
        select json_agg(json_build_array(c.id::text, c.model)) as meta, array_agg(to_json(c.content)::text) as replies
          from candidates c where c.id = any(t.candidate_ids)) c on true
     where i.project_id = ${projectId} and t.project_id = ${projectId}
     order by ${TASK_ORDER_SQL}
  ) to stdout (format binary)`;
  return BinaryCopyReader.start(tx, text, decodeTaskCopyRow);
}

/**
 * One row of the task COPY with its candidates put in canonical order. The query leaves
 * them in whatever order the index returns them: an ORDER BY inside the two aggregates
 * costs a sort per aggregate and task (two thirds of a million small sorts, about 1.5 s
 * of server time per million judgments). Both aggregates of one group see the same rows in
 * the same order, so meta and replies stay paired; the order is then the first position
 * of each candidate's id in candidate_ids (array_position), as the task's candidate_ids has it.
 */
function decodeTaskCopyRow(fields: (Buffer | null)[]): ExportTaskCopyRow {
  const t = JSON.parse(fields[0]!.toString("utf8")) as unknown[];
  const replies: Uint8Array[] = fields[1] == null ? [] : textArrayElements(fields[1]);
  // Judgments by id, in id order (an ORDER BY in the aggregate would be a sort per task).
  const judgments = t[13] as [number, ...unknown[]][] | null;
  if (judgments !== null && judgments.length > 1) {
    let sorted = true;
    for (let i = 1; i < judgments.length; i++) if (judgments[i - 1]![0] > judgments[i]![0]) sorted = false;
    if (!sorted) judgments.sort((a, b) => a[0] - b[0]);
  }
  const meta = t[10] as [string, string][] | null;
  const order = t[12] as number[];
  if (meta !== null && meta.length > 1) {
    const positions = meta.map(([id]) => order.indexOf(Number(id)));
    let sorted = true;
    for (let i = 1; i < positions.length; i++) if (positions[i - 1]! > positions[i]!) sorted = false;
    if (!sorted) {
      const index = positions.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]!);
      t[10] = index.map((i) => meta[i]!);
      const inOrder = index.map((i) => replies[i]!);
      return { t, replies: inOrder };
    }
  }
  return { t, replies };
}

/** One row of {@link copyExportTasks}: the task array, and each candidate's reply as the UTF-8 bytes of its JSON literal. */
export type ExportTaskCopyRow = { t: unknown[]; replies: Uint8Array[] };

/** Field order of the task arrays. */
export const TASK_FIELDS = [
  "task_id",
  "kind",
  "scale_points",
  "gold",
  "item_id",
  "external_id",
  "scene",
  "context",
  "language",
  "character_id",
  "candidates",
  "adjudication",
  "candidate_ids",
  "judgments",
] as const;

/** A task array of {@link copyExportTasks} as a named record. */
export function taskFromArray(a: readonly unknown[]): ExportTaskRecord {
  return {
    task_id: a[0] as string,
    kind: a[1] as ExportTaskRecord["kind"],
    scale_points: a[2] as number,
    gold: (a[3] ?? null) as ExportTaskRecord["gold"],
    item_id: a[4] as string,
    external_id: a[5] as string,
    scene: (a[6] ?? null) as string | null,
    context: a[7] as ExportTaskRecord["context"],
    language: (a[8] ?? null) as string | null,
    character_id: a[9] as string,
    candidates: (a[10] ?? []) as ExportTaskRecord["candidates"],
    adjudication: (a[11] ?? null) as ExportTaskRecord["adjudication"],
    judgments: (a[13] ?? []) as unknown[][],
  };
}

/** The annotators of a project whose judgments are excluded from exports (project_members.excluded_from_exports), as id text. */
export async function listExcludedAnnotators(db: Db, projectId: number): Promise<Set<string>> {
  const rows = await db
    .select({ id: projectMembers.userId })
    .from(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.excludedFromExports, true)));
  return new Set(rows.map((r) => String(r.id)));
}

/** Field order of one judgment in a task row's judgment arrays. */
export const JUDGMENT_FIELDS = [
  "id",
  "annotator_id",
  "strength",
  "ranks",
  "both_unacceptable",
  "unsafe",
  "state",
  // The "excluded" flag is computed from the excluded annotators, not read: this slot carries the role-play flags.
  "roleplay_flags",
  "display_order",
  "ratings",
  "rationale",
  "seconds",
  "created_at",
] as const;

/** A judgment array of a task row as a named record; `excluded`: the annotators excluded from exports. */
export function judgmentFromArray(taskId: string, a: readonly unknown[], excluded: ReadonlySet<string>): ExportJudgmentRecord {
  const annotator = String(a[1]);
  return {
    id: String(a[0]),
    task_id: taskId,
    annotator_id: annotator,
    strength: a[2] as number | null,
    ranks: a[3] as number[] | null,
    both_unacceptable: a[4] as boolean,
    unsafe: (a[5] ?? {}) as Record<string, string>,
    state: a[6] as ExportJudgmentRecord["state"],
    roleplay_flags: (a[7] ?? null) as Record<string, string[]> | null,
    excluded: excluded.has(annotator),
    display_order: a[8] as number[],
    ratings: (a[9] ?? null) as ExportJudgmentRecord["ratings"],
    rationale: (a[10] ?? null) as string | null,
    seconds: (a[11] ?? null) as number | null,
    created_at: (a[12] ?? null) as string | null,
  };
}

/** The characters of a project's items (id → name and profile), read once per export. */
export async function listExportCharacters(db: Db, projectId: number): Promise<Map<string, ExportCharacter>> {
  const rows = await db
    .select({ id: characters.id, name: characters.name, profile: characters.profile })
    .from(characters)
    .where(inArray(characters.id, db.select({ id: items.characterId }).from(items).where(eq(items.projectId, projectId))));
  return new Map(rows.map((r) => [String(r.id), { name: r.name, profile: (r.profile ?? {}) as Record<string, unknown> }]));
}

/**
 * Session settings for an export's read transaction (SET LOCAL: they end with it).
 * enable_sort off: the planner prices the index walk of the task stream (see
 * copyExportTasks) above one big sort, which costs no less in total and holds back every
 * row until it is done; this only discourages sorts (where no index gives the order, the
 * planner still sorts), and the ORDER BY decides the order either way.
 * work_mem 64 MB: should the task stream have to sort after all, in memory rather than on disk.
 * jit off: the stream's cost estimate (subplans per task) crosses the JIT thresholds,
 * and compiling it cost more than it saved (about 0.3 s, for nothing).
 */
export async function tuneExportTransaction(db: Db): Promise<void> {
  await db.execute(sql`set local enable_sort = off`);
  await db.execute(sql`set local work_mem = '64MB'`);
  await db.execute(sql`set local jit = off`);
}

/** Exports this transaction's snapshot, so that a second connection can read the same data. */
export async function exportSnapshot(db: Db): Promise<string> {
  const { rows } = await db.execute(sql`select pg_export_snapshot() as id`);
  return String((rows[0] as { id: string }).id);
}

/** Makes this (just begun, REPEATABLE READ) transaction see an exported snapshot. */
export async function useSnapshot(db: Db, id: string): Promise<void> {
  // SET TRANSACTION SNAPSHOT takes a literal, not a parameter; ids look like 00000003-0000001B-1.
  if (!/^[0-9A-Fa-f-]+$/.test(id)) throw new Error(`not a snapshot id: ${id}`);
  await db.execute(sql.raw(`set transaction snapshot '${id}'`));
}

/** Records an export as running; returns its id. */
export async function insertExportRecord(
  db: Db,
  values: { projectId: number; kind: Export["kind"]; format: string; policy: Record<string, unknown>; createdBy: number | null },
): Promise<number> {
  const [row] = await db
    .insert(exportsTable)
    .values({ ...values, status: "running" })
    .returning({ id: exportsTable.id });
  return row!.id;
}

/** Marks an export done (with its counts and files) or failed (with the error). */
export async function finishExportRecord(
  db: Db,
  id: number,
  patch:
    | { status: "done"; counts: Record<string, number>; files: Export["files"]; sourceJudgments: number }
    | { status: "failed"; error: string },
): Promise<void> {
  await db
    .update(exportsTable)
    .set({ ...patch, finishedAt: new Date() })
    .where(eq(exportsTable.id, id));
}

/** A project's exports, newest first (served by exports_project_created_idx). */
export async function listExportRecords(db: Db, projectId: number, limit = 100) {
  return db
    .select({
      id: exportsTable.id,
      kind: exportsTable.kind,
      format: exportsTable.format,
      policy: exportsTable.policy,
      status: exportsTable.status,
      counts: exportsTable.counts,
      files: exportsTable.files,
      sourceJudgments: exportsTable.sourceJudgments,
      error: exportsTable.error,
      createdAt: exportsTable.createdAt,
      finishedAt: exportsTable.finishedAt,
      createdByEmail: users.email,
    })
    .from(exportsTable)
    .leftJoin(users, eq(users.id, exportsTable.createdBy))
    .where(eq(exportsTable.projectId, projectId))
    .orderBy(desc(exportsTable.createdAt), desc(exportsTable.id))
    .limit(limit);
}

export async function getExportRecord(db: Db, id: number): Promise<Export | undefined> {
  const [row] = await db.select().from(exportsTable).where(eq(exportsTable.id, id)).limit(1);
  return row;
}

/**
 * A random secret kept in system_settings under `key`, created on first use. Concurrent
 * first uses agree: the insert does nothing on conflict and everyone reads the winner.
 */
export async function ensureSystemSecret(db: Db, key: string): Promise<string> {
  await db
    .insert(systemSettings)
    .values({ key, value: randomBytes(32).toString("hex") })
    .onConflictDoNothing();
  const [row] = await db.select({ value: systemSettings.value }).from(systemSettings).where(eq(systemSettings.key, key)).limit(1);
  return String(row!.value);
}

/** One counted pairwise judgment for a model-based export consensus. */
export type ExportConsensusRow = { task_id: string; annotator_id: string; strength: number; gold_strength: number | null };

/**
 * The counted pairwise judgments of a project for the annotator model of an export: valid,
 * with a direction (not "both unacceptable"), of annotators a lead has not excluded, gold
 * tasks included (with their gold strength); in (task, annotator) order so the fit is the same
 * on the same data.
 */
export async function selectExportConsensusInput(db: Db, projectId: number): Promise<ExportConsensusRow[]> {
  const { rows } = await db.execute(sql`
    select j.task_id::text as task_id, j.annotator_id::text as annotator_id, j.strength,
           (t.gold ->> 'strength')::int as gold_strength
      from judgments j
      join tasks t on t.id = j.task_id
     where j.project_id = ${projectId} and t.kind = 'pairwise' and j.state = 'valid' and j.strength is not null
       and j.annotator_id not in (select m.user_id from project_members m where m.project_id = ${projectId} and m.excluded_from_exports)
     order by j.task_id, j.annotator_id`);
  return rows as ExportConsensusRow[];
}
