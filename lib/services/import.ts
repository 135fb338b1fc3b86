/**
 * The importer: one verb shared by the CLI, the HTTP route and the UI upload.
 *
 * One streaming pass inside one transaction. The source is read line by line through the
 * parse layer (zod on every line, cross-line checks), each valid line is checked against
 * the project (gold on its scale and on a task it fits, baseline model present, character
 * names, an external id that exists with other content), and valid lines are written in
 * batches of multi-row INSERT … SELECT FROM unnest() *while the next batch is parsed*:
 * parsing is CPU work in Node and writing is CPU work in PostgreSQL, so on a 2-core
 * machine overlapping them halves the time of "validate everything, then write".
 *
 * All or nothing: from the first problem on, nothing more is written, the rest of the
 * file is still read so that the report lists every problem, and the transaction is
 * rolled back. A dry run never writes. Only the current batch, the one being written and
 * a few bytes per item and character name are held in memory; items naming a character
 * that may still be defined later in the file wait in a temp file until the end.
 *
 * The transaction stays open while the source is read, so callers whose source is slow
 * (an HTTP upload) spool it to a file first (see app/api/projects/[slug]/import/route.ts).
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import type { Db } from "@/db/client";
import { insertAuditEntry } from "@/db/queries/audit";
import {
  deleteItemTasksAndCandidates,
  findCharacterIdsByHash,
  findItemsByExternalIds,
  insertCandidatesBulk,
  insertItemsBulk,
  insertTasksBulk,
  linkProjectCharacters,
  listProjectCharacters,
  lockProjectForImport,
  updateItemsBulk,
  upsertCharactersByHash,
  type CandidateWrite,
  type ItemWrite,
  type TaskWrite,
} from "@/db/queries/import";
import type { Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { contentHash as characterHashOf } from "@/lib/domain/canonical";
import { GOLD_TASK_OVERLAP, planItemTasks, type ItemPlanRules } from "@/lib/domain/import-plan";
import { parseImport, validateImport, type ImportChunk, type ImportProblem, type ParsedItem } from "@/lib/domain/import-parse";
import type { ScalePoints } from "@/lib/domain/preference";
import { AppError, conflictError, forbiddenError } from "@/lib/errors";
import { IMPORT_LIMITS, type ImportLine } from "@/lib/validation/import";
import { IMPORT_MAX_BODY_BYTES, ImportRequest } from "@/lib/validation/items";
import { parseInput } from "@/lib/validation/parse";
import { ProjectSettings } from "@/lib/validation/project-settings";
import type { AuditAction } from "./audit";
import type { ServiceContext, CliContext } from "./context";
import { requireProjectFor } from "./project-access";

/** Items per write batch: ~1,000 rows per statement amortises round trips and plans. */
const BATCH = 1000;
/** Progress is reported every this many lines (and at the end). */
const PROGRESS_EVERY = 1000;

/**
 * Where an import stands: "read" while the file is read (and written behind it), "finish"
 * while the items that had to wait for the whole file are written.
 */
export type ImportProgress = { phase: "read" | "finish"; lines: number; bytes: number };

/** What an import did (or, for a dry run, would do; for a refused file, what was wrong). */
export type ImportResult = {
  /** True when the file had no problem (and, unless a dry run, was written). */
  ok: boolean;
  dryRun: boolean;
  /** Items added, replaced (update), and found identical; all 0 when not ok. */
  created: number;
  updated: number;
  unchanged: number;
  tasksCreated: number;
  charactersCreated: number;
  /** Problems in file order (the first {@link IMPORT_LIMITS.maxReportedErrors}), and how many there were. */
  problems: ImportProblem[];
  problemCount: number;
  truncated: boolean;
  /** Non-blank lines (CSV: records) read, valid items among them, and bytes read. */
  lines: number;
  items: number;
  bytes: number;
};

/** The importer's input: the options plus the file as a stream of chunks. */
export type ImportItemsInput = {
  projectSlug: string;
  /** The file, as text or byte chunks (a read stream, a request body, an array in tests). */
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>;
  format: "jsonl" | "csv";
  update?: boolean;
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
};

/** Actor null = the command line (an operator with shell access to the server). */
type ImportContext = ServiceContext | CliContext;

/** A valid line on its way to the database. */
type Pending = { line: number; offset: number; hash: string; characterHash: string | null; value: ImportLine; tasks: number };

/** Thrown inside the transaction to roll it back and hand the result out. */
class Rollback {
  constructor(readonly result: ImportResult) {}
}

/** Problems of the project checks, kept in file order and capped like the parse layer's. */
class LineProblems {
  list: ImportProblem[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(p: ImportProblem): void {
    this.count += 1;
    this.list.push(p);
    // Keep the earliest lines: character problems are only known at the end of the file.
    if (this.list.length > 2 * this.max) this.trim();
  }
  trim(): void {
    this.list.sort((a, b) => a.line - b.line);
    this.list.length = Math.min(this.list.length, this.max);
  }
}

/** A temp file of JSON records, written as they come and read back in batches. */
class Spool {
  private out: WriteStream | null = null;
  count = 0;
  private constructor(readonly dir: string) {}

  static async open(): Promise<Spool> {
    return new Spool(await mkdtemp(path.join(os.tmpdir(), "arbiter-import-")));
  }

  private get file() {
    return path.join(this.dir, "deferred.jsonl");
  }

  async add(record: unknown): Promise<void> {
    // A large buffer: waiting for "drain" every few lines would cost more than parsing.
    this.out ??= createWriteStream(this.file, { highWaterMark: 4 << 20 });
    this.count += 1;
    if (!this.out.write(`${JSON.stringify(record)}\n`)) await once(this.out, "drain");
  }

  async *batches<T>(size: number): AsyncGenerator<T[]> {
    if (!this.out) return;
    const out = this.out;
    await new Promise<void>((resolve, reject) => {
      out.once("error", reject);
      out.end(resolve);
    });
    const lines = readline.createInterface({ input: createReadStream(this.file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    let batch: T[] = [];
    for await (const line of lines) {
      if (line === "") continue;
      batch.push(JSON.parse(line) as T);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async remove(): Promise<void> {
    // Let pending writes finish rather than destroy() the stream under them: a writev
    // completing after destroy() is an uncaught ERR_STREAM_DESTROYED.
    const out = this.out;
    if (out && !out.closed) {
      await new Promise<void>((resolve) => {
        out.once("close", resolve);
        out.once("error", () => resolve());
        if (!out.writableEnded) out.end();
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function characterNameOf(value: ImportLine): string {
  return typeof value.character === "string" ? value.character : value.character.name;
}

/** The item row of a line, JSON columns serialised for the unnest() insert. */
function itemRow(value: ImportLine, hash: string, characterId: number): ItemWrite {
  const language = value.metadata?.language;
  return {
    externalId: value.external_id,
    characterId,
    scene: value.scene ?? null,
    context: JSON.stringify(value.context),
    gold: value.gold ? JSON.stringify(value.gold) : null,
    metadata: JSON.stringify(value.metadata ?? {}),
    // Item metadata may say which language the dialogue is in (a filter of the browser).
    language: typeof language === "string" && language.trim() !== "" && language.length <= 35 ? language.trim() : null,
    contentHash: hash,
  };
}

/** The state of one import, inside its transaction. */
class ImportRun {
  readonly extra = new LineProblems(IMPORT_LIMITS.maxReportedErrors);
  /** Problems the parse layer has counted so far (updated after every line). */
  parseProblems = 0;
  readonly counts = { created: 0, updated: 0, unchanged: 0, tasks: 0, characters: 0 };
  /** Inline character name → content hash (the parse layer guarantees one profile per name). */
  private readonly inline = new Map<string, string>();
  /** Inline characters not yet stored, by hash. */
  private readonly unsaved = new Map<string, { name: string; profile: unknown }>();
  /** Stored (or found) character ids by content hash. */
  private readonly characterIds = new Map<string, number>();
  /** Names given as a plain string → first line and how many lines use them. */
  private readonly references = new Map<string, { line: number; count: number }>();
  /** Raw JSON of an inline character → its hash: most files repeat one object per character. */
  private readonly hashCache = new Map<string, string>();
  private batch: Pending[] = [];
  private inflight: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private aborted = false;

  constructor(
    private readonly db: Db,
    private readonly project: Project,
    private readonly rules: ItemPlanRules,
    private readonly options: { update: boolean; dryRun: boolean },
    private readonly actorId: number | null,
    /** The project's characters by name, read under the import lock. */
    private readonly projectByName: Map<string, { id: number; hash: string }[]>,
    private readonly deferred: Spool,
  ) {}

  /** Whether the import is still clean, so that writing it is not wasted work. */
  private get writing(): boolean {
    return !this.aborted && !this.options.dryRun && this.parseProblems === 0 && this.extra.count === 0;
  }

  private characterHash(character: { name: string; profile: unknown }): string {
    const key = JSON.stringify(character);
    let hash = this.hashCache.get(key);
    if (hash === undefined) {
      // Same hash as the seed and the character service: identical characters are stored once.
      hash = characterHashOf({ name: character.name, profile: character.profile });
      if (this.hashCache.size > 10_000) this.hashCache.clear();
      this.hashCache.set(key, hash);
    }
    return hash;
  }

  /** Takes one valid line: checks it against the project, then batches or defers it. */
  async add(item: ParsedItem): Promise<void> {
    const v = item.value;
    const plan = planItemTasks(v, this.rules);
    for (const issue of plan.issues) this.extra.add({ line: item.line, ...issue });
    let characterHash: string | null = null;
    let deferred = false;
    if (typeof v.character === "string") {
      const name = v.character;
      const ref = this.references.get(name);
      if (ref) ref.count += 1;
      else this.references.set(name, { line: item.line, count: 1 });
      // Resolvable now only to an inline definition already read or to the project's one
      // character of that name; otherwise it waits for the end of the file.
      deferred = !this.inline.has(name) && (this.projectByName.get(name)?.length ?? 0) !== 1;
    } else {
      characterHash = this.characterHash(v.character);
      if (!this.inline.has(v.character.name)) {
        this.inline.set(v.character.name, characterHash);
        if (!this.characterIds.has(characterHash)) this.unsaved.set(characterHash, v.character);
      }
    }
    if (plan.issues.length > 0) return;
    const pending: Pending = { line: item.line, offset: item.offset, hash: item.hash, characterHash, value: v, tasks: plan.tasks.length };
    if (deferred) {
      await this.deferred.add(pending);
      return;
    }
    this.batch.push(pending);
    if (this.batch.length >= BATCH) await this.dispatch();
  }

  /** Hands the current batch to the database while the caller goes on parsing; one batch in flight at most. */
  private async dispatch(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    await this.settle();
    this.inflight = this.process(batch).catch((error: unknown) => {
      this.failure = { error };
    });
  }

  private async settle(): Promise<void> {
    await this.inflight;
    if (this.failure) throw this.failure.error;
  }

  /**
   * Waits for the batch in flight, whatever happens to it. Must run before the
   * transaction ends on an error: a write still queued behind the ROLLBACK would run
   * outside any transaction and be committed.
   */
  async quiesce(): Promise<void> {
    this.aborted = true;
    await this.inflight;
  }

  /** Classifies a batch against the project's items and, while the import is clean, writes it. */
  private async process(batch: Pending[]): Promise<void> {
    const db = this.db;
    const projectId = this.project.id;
    const write = this.writing;
    const existing = new Map(
      (await findItemsByExternalIds(db, { projectId, externalIds: batch.map((p) => p.value.external_id), forUpdate: write })).map((e) => [
        e.externalId,
        e,
      ]),
    );
    const fresh: Pending[] = [];
    const replaced: { pending: Pending; id: number }[] = [];
    for (const p of batch) {
      const found = existing.get(p.value.external_id);
      if (!found) fresh.push(p);
      else if (found.contentHash === p.hash) this.counts.unchanged += 1;
      else if (!this.options.update)
        this.extra.add({
          line: p.line,
          field: "external_id",
          message: `"${p.value.external_id}" already exists in this project with different content; import with "update" to replace it`,
        });
      else if (found.hasJudgments)
        this.extra.add({
          line: p.line,
          field: "external_id",
          message: `"${p.value.external_id}" already exists with different content and has judgments, so it cannot be replaced`,
        });
      else replaced.push({ pending: p, id: found.id });
    }
    this.counts.created += fresh.length;
    this.counts.updated += replaced.length;
    for (const p of [...fresh, ...replaced.map((r) => r.pending)]) this.counts.tasks += p.tasks;
    // A problem found meanwhile (here or by the parser) means this batch would be rolled back.
    if (!write || !this.writing) return;

    await this.saveCharacters();
    const rows = (p: Pending) => itemRow(p.value, p.hash, this.characterIdOf(p));
    const updates = replaced.map((r) => ({ ...rows(r.pending), id: r.id }));
    await deleteItemTasksAndCandidates(
      db,
      updates.map((u) => u.id),
    );
    await updateItemsBulk(db, { items: updates });
    const newIds = await insertItemsBulk(db, { projectId, items: fresh.map(rows) });
    const targets = [
      ...fresh.map((p) => ({ value: p.value, itemId: newIds.get(p.value.external_id)! })),
      ...replaced.map((r) => ({ value: r.pending.value, itemId: r.id })),
    ];

    const candidateRows: CandidateWrite[] = [];
    for (const t of targets) {
      t.value.candidates.forEach((c, position) =>
        candidateRows.push({
          itemId: t.itemId,
          position,
          model: c.model,
          modelVersion: c.version ?? null,
          content: c.content,
          metadata: JSON.stringify(c.metadata ?? {}),
        }),
      );
    }
    const candidateIds = await insertCandidatesBulk(db, candidateRows);
    const taskRows: TaskWrite[] = [];
    for (const t of targets) {
      for (const task of planItemTasks(t.value, this.rules).tasks) {
        taskRows.push({
          itemId: t.itemId,
          kind: task.kind,
          candidateIds: task.candidates.map((position) => candidateIds.get(`${t.itemId}:${position}`)!),
          overlap: task.gold ? GOLD_TASK_OVERLAP : this.project.overlap,
          gold: task.gold ? JSON.stringify(task.gold) : null,
        });
      }
    }
    await insertTasksBulk(db, { projectId, scalePoints: this.project.scalePoints, tasks: taskRows });
  }

  /** Stores the inline characters met so far (by content hash) and links them to the project. */
  private async saveCharacters(): Promise<void> {
    if (this.unsaved.size === 0) return;
    const list = [...this.unsaved].map(([contentHash, c]) => ({ contentHash, name: c.name, profile: c.profile }));
    this.unsaved.clear();
    const { ids, created } = await upsertCharactersByHash(this.db, { characters: list, createdBy: this.actorId });
    this.counts.characters += created;
    for (const [h, id] of ids) this.characterIds.set(h, id);
    await linkProjectCharacters(this.db, { projectId: this.project.id, characterIds: [...ids.values()] });
  }

  private characterIdOf(p: Pending): number {
    const name = characterNameOf(p.value);
    const hash = p.characterHash ?? this.inline.get(name);
    const byProject = this.projectByName.get(name) ?? [];
    const id = hash !== undefined ? this.characterIds.get(hash) : byProject.length === 1 ? byProject[0]!.id : undefined;
    // Unreachable while the checks above hold; a loud failure beats a wrong character.
    if (id === undefined) throw new Error(`line ${p.line}: no character id for "${name}"`);
    return id;
  }

  /**
   * After the last line: writes the last batch, checks the character names (now that
   * every inline definition is known), writes the deferred items, and counts what a dry
   * run would create.
   */
  async finish(onProgress: (lines: number, bytes: number) => void): Promise<void> {
    await this.dispatch();
    await this.settle();
    for (const [name, ref] of this.references) {
      const hashes = new Set((this.projectByName.get(name) ?? []).map((c) => c.hash));
      const inlineHash = this.inline.get(name);
      if (inlineHash !== undefined) hashes.add(inlineHash);
      const where = ref.count > 1 ? ` (used on ${ref.count.toLocaleString("en-US")} lines; this is the first)` : "";
      if (hashes.size === 0)
        this.extra.add({
          line: ref.line,
          field: "character",
          message: `"${name}" is not a character of this project; give it inline with a profile${where}`,
        });
      else if (hashes.size > 1)
        this.extra.add({
          line: ref.line,
          field: "character",
          message: `"${name}" names ${hashes.size} different characters (in this project and this file); give it inline with its profile${where}`,
        });
    }
    if (this.parseProblems + this.extra.count > 0) return;
    let done = 0;
    for await (const batch of this.deferred.batches<Pending>(BATCH)) {
      await this.process(batch);
      done += batch.length;
      onProgress(done, batch[batch.length - 1]!.offset);
    }
    if (this.options.dryRun) {
      const hashes = [...this.unsaved.keys()];
      for (let i = 0; i < hashes.length; i += BATCH) {
        const known = await findCharacterIdsByHash(this.db, hashes.slice(i, i + BATCH));
        this.counts.characters += Math.min(BATCH, hashes.length - i) - known.size;
      }
    }
  }
}

/**
 * Imports items into a project from a JSONL or CSV stream, all or nothing.
 *
 * Refused as a whole (`ok: false`, database unchanged) when any line has a problem: the
 * report lists every problem as {line, field, message} (capped, all counted). Idempotent:
 * a line whose `external_id` exists with the same content hash is "unchanged"; with other
 * content it is a problem unless `update`, which replaces items that have no judgments
 * yet (candidates and tasks regenerated, the item keeps its id). New items get candidates
 * in file order and tasks per the project's mode and pairing; gold items get gold tasks.
 * Inline characters are stored once by content hash and linked to the project; a name
 * must match exactly one character among the project's and the file's. Needs "item.import".
 */
export async function importItems(ctx: ImportContext, input: ImportItemsInput): Promise<ImportResult> {
  if (ctx.actor && !can(ctx.actor.role, "item.import")) throw forbiddenError();
  const options = parseInput(ImportRequest, {
    projectSlug: input.projectSlug,
    format: input.format,
    update: input.update ?? false,
    dryRun: input.dryRun ?? false,
  });
  const project = await requireProjectFor(ctx, options.projectSlug);
  if (project.status === "archived") throw conflictError(`The project "${project.slug}" is archived; nothing can be imported into it.`);
  const parsedSettings = ProjectSettings.safeParse(project.settings);
  const settings = parsedSettings.success ? parsedSettings.data : ProjectSettings.parse({});
  // The columns are what the database enforces; the settings add pairing and ties.
  const rules: ItemPlanRules = {
    mode: project.mode,
    pairing: settings.pairing,
    baselineModel: settings.baselineModel,
    scalePoints: project.scalePoints as ScalePoints,
    allowRankingTies: settings.allowRankingTies,
  };
  const progress = (p: ImportProgress, force = false) => {
    if (input.onProgress && (force || p.lines % PROGRESS_EVERY === 0)) input.onProgress(p);
  };

  const deferred = await Spool.open();
  try {
    return await ctx.db.transaction(async (tx) => {
      // Serialises imports into one project: two overlapping files must not both see an
      // external id as new.
      await lockProjectForImport(tx, project.id);
      const projectByName = new Map<string, { id: number; hash: string }[]>();
      for (const c of await listProjectCharacters(tx, project.id)) {
        projectByName.set(c.name, [...(projectByName.get(c.name) ?? []), { id: c.id, hash: c.contentHash }]);
      }
      const run = new ImportRun(tx, project, rules, options, ctx.actor?.id ?? null, projectByName, deferred);
      let lines = 0;
      let bytes = 0;
      let parsed: Awaited<ReturnType<typeof validateImport>>;
      try {
        parsed = await validateImport(parseImport(input.source, options.format), {
          maxProblems: IMPORT_LIMITS.maxReportedErrors,
          onItem: (item) => run.add(item),
          onProgress: (p) => {
            lines = p.lines;
            bytes = p.offset;
            run.parseProblems = p.problems;
            progress({ phase: "read", lines, bytes });
          },
        });
        progress({ phase: "read", lines, bytes }, true);
        await run.finish((done, offset) => progress({ phase: "finish", lines: done, bytes: offset }, true));
      } catch (error) {
        // The source failed (unreadable, too large) or a write did: nothing may outlive the rollback.
        await run.quiesce();
        throw error;
      }

      run.extra.trim();
      const problemCount = parsed.problemCount + run.extra.count;
      const problems = [...parsed.problems, ...run.extra.list].sort((a, b) => a.line - b.line).slice(0, IMPORT_LIMITS.maxReportedErrors);
      const ok = problemCount === 0;
      const result: ImportResult = {
        ok,
        dryRun: options.dryRun,
        created: ok ? run.counts.created : 0,
        updated: ok ? run.counts.updated : 0,
        unchanged: ok ? run.counts.unchanged : 0,
        tasksCreated: ok ? run.counts.tasks : 0,
        charactersCreated: ok ? run.counts.characters : 0,
        problems,
        problemCount,
        truncated: problemCount > problems.length,
        lines,
        items: parsed.items,
        bytes,
      };
      if (!ok || options.dryRun) throw new Rollback(result);
      await insertAuditEntry(tx, {
        actorId: ctx.actor?.id ?? null,
        action: "items.import" satisfies AuditAction,
        targetType: "project",
        targetId: String(project.id),
        projectId: project.id,
        details: {
          format: options.format,
          update: options.update,
          via: ctx.actor ? "app" : "cli",
          lines,
          bytes,
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          tasksCreated: result.tasksCreated,
          charactersCreated: result.charactersCreated,
        },
      });
      return result;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  } finally {
    await deferred.remove();
  }
}

const tooLarge = (max: number) =>
  new AppError(
    "PAYLOAD_TOO_LARGE",
    `The file is larger than the limit of ${(max / 1_048_576).toLocaleString("en-US")} MB; import it with the CLI instead.`,
  );

/**
 * Imports an uploaded file (an HTTP request body). The body is first copied to a temp
 * file, counting bytes against `maxBytes`, so that the import's transaction never waits
 * on the network; then the file is imported with {@link importItems}. A declared or
 * actual size over the limit is refused with PAYLOAD_TOO_LARGE before anything is read
 * into the database.
 */
export async function importUpload(
  ctx: ServiceContext,
  input: Omit<ImportItemsInput, "source"> & { body: ReadableStream<Uint8Array> | null; declaredBytes?: number | null; maxBytes?: number },
): Promise<ImportResult> {
  // Authorise before accepting up to half a gigabyte from the caller.
  if (!can(ctx.actor.role, "item.import")) throw forbiddenError();
  const max = input.maxBytes ?? IMPORT_MAX_BODY_BYTES;
  if (input.declaredBytes != null && input.declaredBytes > max) throw tooLarge(max);
  const dir = await mkdtemp(path.join(os.tmpdir(), "arbiter-upload-"));
  try {
    const file = path.join(dir, "upload");
    const out = createWriteStream(file, { highWaterMark: 4 << 20 });
    let bytes = 0;
    try {
      const reader = input.body?.getReader();
      for (;;) {
        const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
        if (chunk.done) break;
        bytes += chunk.value.byteLength;
        if (bytes > max) {
          await reader?.cancel().catch(() => undefined);
          throw tooLarge(max);
        }
        if (!out.write(chunk.value)) await once(out, "drain");
      }
    } finally {
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(resolve);
      });
    }
    const { body: _body, declaredBytes: _declared, maxBytes: _max, ...rest } = input;
    return await importItems(ctx, { ...rest, source: createReadStream(file, { highWaterMark: 1 << 20 }) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
