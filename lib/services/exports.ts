/**
 * Export verbs: build a training bundle (DPO / RM / KTO) or the raw judgments from the
 * database, stream one file of one over HTTP, preview a policy's counts, list past exports.
 *
 * Every verb takes the same path: the project's tasks are read one at a time from one
 * binary COPY (db/copy-out.ts pauses it while 1,000 rows wait) inside one REPEATABLE READ
 * transaction ({@link forEachExportTask}), and each goes through the kind's bundle builder
 * (lib/domain/export/bundle.ts), which decides every row, count, manifest and card; this
 * file only moves the bytes (lib/services/export-bundle.ts writes, hashes and counts
 * them). Memory stays constant in the number of judgments: only the counts, the hashes
 * and a bounded sample for the dataset card's statistics are kept.
 *
 * Unlike the other verbs, a build is not one transaction: the export record is written
 * as `running` first and finished as `done` or `failed` afterwards, so that a failed
 * build stays on record; the read itself is one read-only snapshot.
 */
import { randomBytes } from "node:crypto";
import pkg from "@/package.json";
import type { Db } from "@/db/client";
import { insertAuditEntry } from "@/db/queries/audit";
import {
  copyExportTasks,
  ensureSystemSecret,
  finishExportRecord,
  insertExportRecord,
  judgmentFromArray,
  listExcludedAnnotators,
  listExportCharacters,
  listExportRecords,
  taskFromArray,
  selectExportConsensusInput,
  tuneExportTransaction,
} from "@/db/queries/exports";
import { countProjectTasks } from "@/db/queries/projects";
import type { Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import {
  CARD_FILE,
  createBundleBuilder,
  dataFilesOf,
  fitExportConsensus,
  JsonText,
  lineText,
  MANIFEST_FILE,
  resolvePolicy,
  SourceCandidate,
  type BundleBuilder,
  type BundleMeta,
  type ExportConsensusMap,
  type ExportCounts,
  type ExportSourceTask,
  type RawCounts,
} from "@/lib/domain/export";
import { AppError, conflictError, forbiddenError } from "@/lib/errors";
import { ExportKindParam, ExportSplitParam, parsePolicyOptions, type ExportPolicyOptions } from "@/lib/validation/export";
import { parseInput } from "@/lib/validation/parse";
import { z } from "zod";
import type { AuditAction } from "./audit";
import type { ServiceContext, CliContext } from "./context";
import { directoryWriter, JsonlSink, pullFrom, writeWholeFile, type BundleWriter, type WrittenFile } from "./export-bundle";
import { writeLivePreferenceBundle, writeLiveRecordsBundle } from "./live-export";
import { requireProjectFor } from "./project-access";

/** A service context; actor null = the command line (trusted, no permission check). */
export type ExportContext = ServiceContext | CliContext;

/** Tasks between two progress reports. */
const PROGRESS_EVERY = 2000;
/** system_settings key of the secret behind annotator pseudonyms in raw exports. */
export const PSEUDONYM_SECRET_KEY = "export.annotator_pseudonym_secret";

const APP_VERSION: string = pkg.version;

// ---------------------------------------------------------------------------
// Reading: one COPY stream, one task at a time

/**
 * Calls `visit` for every task of the project in export order (see db/queries/exports.ts),
 * with its candidates, its character and all its judgments.
 *
 * One binary COPY in one REPEATABLE READ, read-only transaction, so counts and rows agree
 * even while annotators keep working. Tasks come with their judgments (looked up per task
 * by index on the sorted task stream), so rows flow from the first task on. The characters
 * and the excluded annotators are read first, in the same snapshot.
 */
export async function forEachExportTask(
  db: Db,
  projectId: number,
  options: { raw: boolean; prepare?: (tx: Db) => Promise<void> },
  visit: (task: ExportSourceTask) => Promise<void> | void,
): Promise<void> {
  const readOnly = { isolationLevel: "repeatable read", accessMode: "read only" } as const;
  await db.transaction(async (tx) => {
    await tuneExportTransaction(tx);
    // In the same snapshot as the rows: a model-based consensus is fitted on what they show.
    if (options.prepare) await options.prepare(tx);
    const characters = await listExportCharacters(tx, projectId);
    const excluded = await listExcludedAnnotators(tx, projectId);
    const tasks = copyExportTasks(tx, projectId, options);
    try {
      for (;;) {
        const next = await tasks.next();
        if (next === undefined) break;
        const record = taskFromArray(next.t);
        const replies = next.replies;
        if (replies.length !== record.candidates.length)
          throw new Error(`export: task ${record.task_id} has ${record.candidates.length} candidates but ${replies.length} replies`);
        const candidates = record.candidates.map(([id, model], i) => new SourceCandidate(id, model, new JsonText(replies[i]!)));
        const judgments = record.judgments.map((a) => judgmentFromArray(record.task_id, a, excluded));
        const character = characters.get(record.character_id);
        if (!character) throw new Error(`export: task ${record.task_id} names an unknown character`);
        await visit({ record, candidates, character, judgments });
      }
    } finally {
      await tasks.settle();
    }
  }, readOnly);
}

/**
 * The bundle builder of `kind` for a project (the pseudonym secret of raw exports is
 * created on first use). `render`: the data files to render lines for (default all).
 */
async function openBuilder(
  db: Db,
  project: Project,
  kind: ExportKindParam,
  options: ExportPolicyOptions,
  output: { render?: readonly string[]; withCard?: boolean; modelConsensus?: () => ExportConsensusMap | null } = {},
): Promise<BundleBuilder> {
  if (kind === "raw") {
    const secret = await ensureSystemSecret(db, PSEUDONYM_SECRET_KEY);
    return createBundleBuilder("raw", { pseudonyms: { secret, projectId: project.id }, ...output });
  }
  if (kind === "tree")
    throw new AppError("VALIDATION", "kind: tree exports are for live projects", { kind: ["tree exports are for live projects"] });
  return createBundleBuilder(kind, {
    policy: resolvePolicy({ ...options, allowRoleplayFlaggedChosen: projectAllowsRoleplayFlaggedChosen(project), kind }),
    ...output,
  });
}

/**
 * For a model-based consensus policy (`consensus: dawid-skene | mace`): a `prepare` hook for
 * {@link forEachExportTask} that reads the counted pairwise judgments in the export's
 * snapshot and fits the model once, and the fitted labels for the builder. Under majority
 * vote (and for raw exports) both are absent.
 */
function modelConsensusLoader(projectId: number, kind: ExportKindParam, options: ExportPolicyOptions) {
  const method = options.consensus ?? "majority";
  if (kind === "raw" || kind === "tree" || method === "majority") return { prepare: undefined, modelConsensus: undefined };
  let fitted: ExportConsensusMap | null = null;
  return {
    prepare: async (tx: Db) => {
      const rows = await selectExportConsensusInput(tx, projectId);
      fitted = fitExportConsensus(
        rows.map((r) => ({ taskId: r.task_id, annotatorKey: r.annotator_id, strength: r.strength, goldStrength: r.gold_strength })),
        method,
      );
    },
    modelConsensus: () => fitted,
  };
}

// ---------------------------------------------------------------------------
// Building a bundle

/** What {@link buildExport} takes. `writer` wins over `outDir`; one of them is required. */
export type BuildExportInput = {
  projectSlug: string;
  kind: ExportKindParam;
  /** Policy options (camelCase, as `exportPolicySchema` without `kind`); ignored for raw. */
  policy?: ExportPolicyOptions;
  outDir?: string;
  writer?: BundleWriter;
  /** Called after every 2,000 tasks and at the end. */
  onProgress?: (progress: { tasks: number; judgments: number }) => void;
  /** Live projects: leave out edit-over-original or chosen-over-swiped pairs (both kept by default). */
  live?: { editPairs?: boolean; swipePairs?: boolean };
};

/** What a build produced. */
export type BuildExportResult = {
  exportId: number;
  kind: ExportKindParam;
  project: { slug: string; name: string };
  /** The data files with rows and sha256 (train, test, ties; or judgments.jsonl), then manifest.json and README.md. */
  files: WrittenFile[];
  /** Training-kind counts (null for raw). */
  counts: ExportCounts | null;
  /** Raw: rows per judgment state. */
  rawCounts: RawCounts | null;
  sourceJudgments: number;
  /** The statistics sample the card's figures come from. */
  statsBasis: string | null;
};

const BuildExportShape = z.object({
  projectSlug: z.string({ error: "is required" }).min(1, "is required"),
  kind: ExportKindParam,
  outDir: z.string().min(1).optional(),
});

function authorise(ctx: ExportContext): void {
  if (ctx.actor && !can(ctx.actor.role, "export.create")) throw forbiddenError();
}

async function requireProject(ctx: ExportContext, slug: string): Promise<Project> {
  return requireProjectFor(ctx, slug);
}

/** The policy options of a preference kind, parsed (raw takes none). */
function policyOptionsFor(kind: ExportKindParam, policy: ExportPolicyOptions | undefined): ExportPolicyOptions {
  return kind === "raw" || kind === "tree" ? {} : parsePolicyOptions(policy ?? {});
}

/** Nested counts flattened to dotted keys, for the exports.counts column (numbers only). */
function flattenCounts(value: unknown, prefix = "", out: Record<string, number> = {}): Record<string, number> {
  if (typeof value === "number") out[prefix] = value;
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flattenCounts(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/**
 * Builds an export bundle from the database and records it.
 *
 * - `dpo` / `rm` / `kto`: `train.jsonl`, `test.jsonl` (each only when it has rows),
 *   `ties.jsonl.gz` (ties and "both unacceptable", for analysis), `manifest.json` and a
 *   dataset card `README.md` (agreement, position and length bias from the statistics
 *   library on a bounded sample).
 * - `raw`: `judgments.jsonl` (one line per judgment, every state; see rawJudgmentLine),
 *   `manifest.json`, `README.md`.
 *
 * Tasks are read in `compareTasks` order from one snapshot, so the same policy on the same
 * data gives byte-identical data files (the generated time is only in the manifest).
 * Every build is recorded in `exports` (running → done / failed) and audited as
 * `export.create`. Permission `export.create`; actor null = the command line.
 */
export async function buildExport(ctx: ExportContext, input: BuildExportInput): Promise<BuildExportResult> {
  authorise(ctx);
  const shape = parseInput(BuildExportShape, input);
  const kind = shape.kind;
  const options = policyOptionsFor(kind, input.policy);
  if (!input.writer && !shape.outDir) throw new AppError("VALIDATION", "outDir: is required", { outDir: ["is required"] });
  const project = await requireProject(ctx, shape.projectSlug);
  const isLive = project.kind === "live";
  if (kind === "tree" && !isLive)
    throw new AppError("VALIDATION", "kind: tree exports are for live projects", { kind: ["tree exports are for live projects"] });
  // A live turn has exactly one judgment: unless asked otherwise, one is enough.
  const policy =
    kind === "raw" || kind === "tree"
      ? null
      : resolvePolicy({
          ...options,
          ...(isLive && input.policy?.minJudgments === undefined ? { minJudgments: 1 } : {}),
          allowRoleplayFlaggedChosen: projectAllowsRoleplayFlaggedChosen(project),
          kind,
        });
  const liveOptions = { editPairs: input.live?.editPairs ?? true, swipePairs: input.live?.swipePairs ?? true };
  const writer = input.writer ?? directoryWriter(shape.outDir!);

  const exportId = await insertExportRecord(ctx.db, {
    projectId: project.id,
    kind,
    format: policy?.format ?? "jsonl",
    policy: (policy ? (isLive ? { ...policy, ...liveOptions } : policy) : {}) as Record<string, unknown>,
    createdBy: ctx.actor?.id ?? null,
  });
  try {
    const result = isLive
      ? kind === "raw" || kind === "tree"
        ? await writeLiveRecordsBundle(ctx.db, project, kind, writer, exportId, APP_VERSION)
        : await writeLivePreferenceBundle(ctx.db, project, kind, policy!, liveOptions, writer, exportId, APP_VERSION)
      : await writeModelBundle(ctx.db, project, kind, options, writer, exportId, input.onProgress);
    const dataFiles = result.files.filter((f) => f.name !== MANIFEST_FILE && f.name !== CARD_FILE);
    await ctx.db.transaction(async (tx) => {
      await finishExportRecord(tx, exportId, {
        status: "done",
        counts: result.counts ? flattenCounts(result.counts) : flattenCounts(result.rawCounts),
        files: dataFiles.map((f) => ({ name: f.name, rows: f.rows, sha256: f.sha256 })),
        sourceJudgments: result.sourceJudgments,
      });
      await insertAuditEntry(tx, {
        actorId: ctx.actor?.id ?? null,
        action: "export.create" satisfies AuditAction,
        targetType: "export",
        targetId: String(exportId),
        projectId: project.id,
        details: {
          kind,
          via: ctx.actor ? "app" : "cli",
          policy: policy ?? {},
          files: dataFiles.map((f) => ({ name: f.name, rows: f.rows, sha256: f.sha256 })),
          sourceJudgments: result.sourceJudgments,
        },
      });
    });
    return result;
  } catch (error) {
    await writer.abort().catch(() => undefined);
    // An expected refusal is already a clear message. Anything else may carry server paths,
    // SQL or driver detail: staff see a clear message with an id; the cause goes to the log
    // and the audit entry, where operators look the id up.
    if (error instanceof AppError) {
      await finishExportRecord(ctx.db, exportId, { status: "failed", error: error.message }).catch(() => undefined);
      throw error;
    }
    const errorId = `${exportId}-${randomBytes(4).toString("hex")}`;
    const message = `The export failed. An operator can look it up as error ${errorId}.`;
    console.error(`[export] error ${errorId} (export ${exportId}, project ${project.slug}):`, error);
    await finishExportRecord(ctx.db, exportId, { status: "failed", error: message }).catch(() => undefined);
    await insertAuditEntry(ctx.db, {
      actorId: ctx.actor?.id ?? null,
      action: "export.fail" satisfies AuditAction,
      targetType: "export",
      targetId: String(exportId),
      projectId: project.id,
      details: {
        errorId,
        kind,
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? (error.stack ?? null) : null,
      },
    }).catch((e) => console.error(`[export] error ${errorId}: the audit entry was not written:`, e));
    throw new AppError("INTERNAL", message);
  }
}

/**
 * Feeds every task to the builder and writes its lines into the kind's data files (a file
 * is opened at its first line only), then the manifest and the card, and commits the bundle.
 */
/** {@link writeBundle} with the kind's builder, and the policy's consensus model fitted first when it has one. */
async function writeModelBundle(
  db: Db,
  project: Project,
  kind: ExportKindParam,
  options: ExportPolicyOptions,
  writer: BundleWriter,
  exportId: number,
  onProgress: BuildExportInput["onProgress"],
): Promise<BuildExportResult> {
  const model = modelConsensusLoader(project.id, kind, options);
  const builder = await openBuilder(db, project, kind, options, { modelConsensus: model.modelConsensus });
  return writeBundle(db, project, builder, writer, exportId, onProgress, model.prepare);
}

async function writeBundle(
  db: Db,
  project: Project,
  builder: BundleBuilder,
  writer: BundleWriter,
  exportId: number,
  onProgress: BuildExportInput["onProgress"],
  prepare?: (tx: Db) => Promise<void>,
): Promise<BuildExportResult> {
  const sinks = builder.dataFiles.map((f) => new JsonlSink(writer, f.name, f.gzip));
  await forEachExportTask(db, project.id, { raw: builder.kind === "raw", prepare }, async (task) => {
    const lines = builder.addTask(task);
    for (let i = 0; i < lines.length; i++) {
      const sink = sinks[i]!;
      for (const line of lines[i]!) {
        // push() returns a promise only when it wrote a chunk out: awaiting every line would cost a tick each.
        const pending = typeof line === "string" ? sink.push(line) : sink.pushPieces(line);
        if (pending) await pending;
      }
    }
    if (onProgress) {
      const progress = builder.progress();
      if (progress.tasks % PROGRESS_EVERY === 0) onProgress(progress);
    }
  });
  onProgress?.(builder.progress());

  const written = (await Promise.all(sinks.map((s) => s.end()))).filter((f): f is WrittenFile => f !== null);
  const meta: BundleMeta = {
    project: { slug: project.slug, name: project.name, guidelines: project.guidelines },
    exportId,
    generatedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
  };
  const manifestFile = await writeWholeFile(writer, MANIFEST_FILE, builder.manifest(written, meta));
  const cardFile = await writeWholeFile(writer, CARD_FILE, builder.card(written, meta));
  const files = [...written, manifestFile, cardFile];
  await writer.commit(files.map((f) => f.name));
  return { exportId, kind: builder.kind, project: { slug: project.slug, name: project.name }, files, ...builder.summary() };
}

// ---------------------------------------------------------------------------
// Streaming one file over HTTP

/** What {@link streamExport} takes (all from the URL). */
export type StreamExportInput = {
  projectSlug: string;
  kind: string;
  /** `train` (default) or `test`; ignored for raw. */
  split?: string | null;
  policy?: ExportPolicyOptions;
};

/** Bytes of text gathered before a chunk is handed to the response. */
const STREAM_CHUNK_CHARS = 256 * 1024;

/**
 * One split of an export as a stream of JSONL chunks, straight from the database (constant
 * memory; the client can pipe the body into a file): that file of a bundle built with the
 * same policy, the same rows, bytes and order, made by the same builder; `raw` streams the
 * raw judgments. Everything that can be refused is checked before the first chunk (so the
 * route still answers 400/403/404); the stream is audited as `export.create` (via "api").
 */
export async function streamExport(ctx: ServiceContext, input: StreamExportInput): Promise<AsyncIterableIterator<string>> {
  if (!can(ctx.actor.role, "export.create")) throw forbiddenError();
  const kind = parseInput(ExportKindParam, input.kind);
  if (kind === "tree") throw conflictError("Tree exports are written as bundles (npm run export -- --kind tree), not streamed.");
  const split = kind === "raw" ? "train" : parseInput(ExportSplitParam.default("train"), input.split ?? undefined);
  const options = policyOptionsFor(kind, input.policy);
  const project = await requireProject(ctx, input.projectSlug);
  const policy =
    kind === "raw" ? null : resolvePolicy({ ...options, allowRoleplayFlaggedChosen: projectAllowsRoleplayFlaggedChosen(project), kind });
  if (project.kind === "live")
    throw conflictError("Live projects export as bundles (npm run export); the per-file stream serves static projects.");
  const file = dataFilesOf(kind).find((f) => f.split === split)!;
  const model = modelConsensusLoader(project.id, kind, options);
  const builder = await openBuilder(ctx.db, project, kind, options, {
    render: [file.name],
    withCard: false,
    modelConsensus: model.modelConsensus,
  });
  const index = builder.dataFiles.indexOf(file);
  await insertAuditEntry(ctx.db, {
    actorId: ctx.actor.id,
    action: "export.create" satisfies AuditAction,
    targetType: "project",
    targetId: String(project.id),
    projectId: project.id,
    details: { kind, via: "api", split, policy: policy ?? {} },
  });

  return pullFrom<string>(async (emit) => {
    let lines: string[] = [];
    let size = 0;
    await forEachExportTask(ctx.db, project.id, { raw: kind === "raw", prepare: model.prepare }, async (task) => {
      for (const line of builder.addTask(task)[index]!) {
        const text = lineText(line);
        lines.push(text, "\n");
        size += text.length + 1;
        if (size >= STREAM_CHUNK_CHARS) {
          const chunk = lines.join("");
          lines = [];
          size = 0;
          await emit(chunk);
        }
      }
    });
    if (lines.length > 0) await emit(lines.join(""));
  });
}

// ---------------------------------------------------------------------------
// Preview, totals, history

/**
 * The counts a DPO / RM / KTO policy would give — kept rows per split, every drop
 * category — from the same builder as the real export, without rendering a line, writing
 * a file or recording an export.
 */
export async function previewExport(
  ctx: ServiceContext,
  input: { projectSlug: string; kind: string; policy?: ExportPolicyOptions },
): Promise<{ counts: ExportCounts; judgments: number }> {
  if (!can(ctx.actor.role, "export.create")) throw forbiddenError();
  const kind = parseInput(ExportKindParam, input.kind);
  if (kind === "raw" || kind === "tree") throw conflictError("A raw or tree export keeps every record; there is nothing to preview.");
  const options = policyOptionsFor(kind, input.policy);
  const project = await requireProject(ctx, input.projectSlug);
  const model = modelConsensusLoader(project.id, kind, options);
  const builder = await openBuilder(ctx.db, project, kind, options, { render: [], withCard: false, modelConsensus: model.modelConsensus });
  await forEachExportTask(ctx.db, project.id, { raw: false, prepare: model.prepare }, (task) => {
    builder.addTask(task);
  });
  const summary = builder.summary();
  return { counts: summary.counts!, judgments: summary.sourceJudgments };
}

/** How many tasks a build will walk (for the progress bar). */
export async function exportTaskTotal(ctx: ServiceContext, projectSlug: string): Promise<number> {
  if (!can(ctx.actor.role, "export.create")) throw forbiddenError();
  const project = await requireProject(ctx, projectSlug);
  return countProjectTasks(ctx.db, project.id);
}

/** A project's past exports, newest first (researcher and up). */
export async function listExports(ctx: ServiceContext, input: { projectSlug: string }) {
  if (!can(ctx.actor.role, "export.create")) throw forbiddenError();
  const project = await requireProject(ctx, input.projectSlug);
  return listExportRecords(ctx.db, project.id);
}

/** The project's rule for replies flagged for role-play faults (ExportPolicy.allowRoleplayFlaggedChosen). */
export function projectAllowsRoleplayFlaggedChosen(project: { settings: unknown }): boolean {
  return (project.settings as { allowRoleplayFlaggedChosen?: boolean } | null)?.allowRoleplayFlaggedChosen === true;
}
