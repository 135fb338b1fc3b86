/**
 * Export verbs: build a training bundle (DPO / RM / KTO) or the raw judgments from the
 * database, stream one split over HTTP, list past exports.
 *
 * Memory stays constant in the number of judgments: one binary COPY of the tasks with
 * their judgments (db/copy-out.ts pauses it while 1,000 rows wait) inside one REPEATABLE
 * READ transaction; each task goes through the pure builders
 * (lib/domain/export) and its lines are written, hashed and counted at once. Only the
 * counts, the hashes and a bounded sample for the dataset card's statistics are kept.
 *
 * Unlike the other verbs, a build is not one transaction: the export record is written
 * as `running` first and finished as `done` or `failed` afterwards, so that a failed
 * build stays on record; the read itself is one read-only snapshot.
 */
import { createHmac } from "node:crypto";
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
  tuneExportTransaction,
  type ExportJudgmentCursorRow,
  type ExportTaskCursorRow,
  taskFromArray,
} from "@/db/queries/exports";
import { getProjectBySlug } from "@/db/queries/projects";
import type { Project } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import {
  buildDatasetCard,
  buildManifest,
  buildTaskRows,
  emptyCounts,
  jsonLinePieces,
  renderManifest,
  resolvePolicy,
  tallyTask,
  toJsonLine,
  JsonText,
  type CardStats,
  type ExportCandidate,
  type ExportCounts,
  type ExportPolicy,
  type ExportTask,
  type ManifestFileInput,
} from "@/lib/domain/export";
import type { ScalePoints } from "@/lib/domain/preference";
import { computeStatsReport, createRng, type StatsJudgmentInput } from "@/lib/domain/stats";
import { AppError, forbidden, notFound } from "@/lib/errors";
import { ExportKindParam, ExportSplitParam, parsePolicyOptions, type ExportPolicyOptions } from "@/lib/validation/export";
import { parseInput } from "@/lib/validation/parse";
import { z } from "zod";
import type { AuditAction } from "./audit";
import type { ServiceContext } from "./context";
import { directoryWriter, JsonlSink, pullFrom, writeWholeFile, type BundleWriter, type WrittenFile } from "./export-bundle";

/** A service context; actor null = the command line (trusted, no permission check). */
export type ExportContext = ServiceContext | { db: Db; actor: null };

/** Tasks between two progress reports. */
const PROGRESS_EVERY = 2000;
/** Tasks in the dataset card's statistics sample (all of them when there are fewer). */
export const CARD_SAMPLE_TASKS = 5_000;
/** system_settings key of the secret behind annotator pseudonyms in raw exports. */
export const PSEUDONYM_SECRET_KEY = "export.annotator_pseudonym_secret";
/** The ties file: gzip-compressed, so that the dataset validator (which reads every .jsonl/.json/.ndjson) passes the bundle. */
export const TIES_FILE = "ties.jsonl.gz";
/** The raw export's one data file. */
export const RAW_FILE = "judgments.jsonl";

const APP_VERSION: string = pkg.version;

// ---------------------------------------------------------------------------
// Reading: two cursors merged into one task at a time

/** One task with its character and every judgment of it, as read from the database. */
export type LoadedTask = {
  row: ExportTaskCursorRow;
  /** The task's candidates in canonical order, replies as JSON bytes (see {@link LoadedCandidate}). */
  candidates: LoadedCandidate[];
  /** Shared by every task of the character (one object, so its rendered profile is memoised). */
  character: { name: string; profile: Record<string, unknown> };
  judgments: ExportJudgmentCursorRow[];
};

/**
 * A candidate as the export reads it: its reply as the bytes of its JSON literal
 * (`contentJson`, which the serializer copies as they are), the text decoded only when
 * something reads `content` (the raw export's and the card's reply lengths).
 */
export class LoadedCandidate implements ExportCandidate {
  constructor(
    readonly id: string,
    readonly model: string,
    readonly contentJson: JsonText,
  ) {}

  get content(): string {
    return this.contentJson.text;
  }
}

/**
 * Calls `visit` for every task of the project in export order (see db/queries/exports.ts),
 * with its candidates, its character and all its judgments.
 *
 * One binary COPY in one REPEATABLE READ, read-only transaction, so counts and rows agree
 * even while annotators keep working. Tasks come with their judgments (looked up per task
 * by index on the sorted task stream), so rows flow from the first task on: no second
 * stream to sort and merge. The characters and the excluded annotators are read first, in
 * the same snapshot.
 */
export async function forEachExportTask(
  db: Db,
  projectId: number,
  options: { raw: boolean },
  visit: (task: LoadedTask) => Promise<void> | void,
): Promise<void> {
  const readOnly = { isolationLevel: "repeatable read", accessMode: "read only" } as const;
  await db.transaction(async (tx) => {
    await tuneExportTransaction(tx);
    const characters = await listExportCharacters(tx, projectId);
    const excluded = await listExcludedAnnotators(tx, projectId);
    const tasks = copyExportTasks(tx, projectId, options);
    try {
      for (;;) {
        const next = await tasks.next();
        if (next === undefined) break;
        const row = taskFromArray(next.t);
        const replies = next.replies;
        if (replies.length !== row.candidates.length) throw new Error(`export: task ${row.task_id} has ${row.candidates.length} candidates but ${replies.length} replies`);
        const candidates = row.candidates.map(([id, model], i) => new LoadedCandidate(id, model, new JsonText(replies[i]!)));
        const judgments = row.judgments.map((a) => judgmentFromArray(row.task_id, a, excluded));
        const character = characters.get(row.character_id);
        if (!character) throw new Error(`export: task ${row.task_id} names an unknown character`);
        await visit({ row, candidates, character, judgments });
      }
    } finally {
      await tasks.settle();
    }
  }, readOnly);
}

/** The pure layer's view of a loaded task. */
export function toExportTask({ row, candidates, character, judgments }: LoadedTask): ExportTask {
  const adj = row.adjudication;
  return {
    taskId: row.task_id,
    itemId: row.item_id,
    kind: row.kind,
    scalePoints: row.scale_points as ScalePoints,
    candidates,
    item: {
      externalId: row.external_id,
      character,
      scene: row.scene,
      context: row.context,
      language: row.language,
    },
    judgments: judgments.map((j) => ({
      annotatorKey: j.annotator_id,
      strength: j.strength,
      ranks: j.ranks,
      bothUnacceptable: j.both_unacceptable,
      unsafe: (j.unsafe ?? {}) as ExportTask["judgments"][number]["unsafe"],
      roleplayFlags: (j.roleplay_flags ?? undefined) as ExportTask["judgments"][number]["roleplayFlags"],
      state: j.state,
      excluded: j.excluded,
    })),
    adjudicated: adj
      ? {
          strength: adj.strength ?? null,
          ranks: adj.ranks ?? null,
          bothUnacceptable: adj.bothUnacceptable ?? false,
          unsafe: (adj.unsafe ?? null) as ExportTask["judgments"][number]["unsafe"] | null,
        }
      : null,
    isGold: row.gold !== null,
  };
}

// ---------------------------------------------------------------------------
// Dataset card statistics: a bounded, deterministic sample

/** Reply lengths in code points (what the statistics call a reply's length). */
const lengthOf = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** Whether a judgment is one the card's statistics count: valid, annotator not excluded, a strength given. */
function countsForCard(j: ExportJudgmentCursorRow): boolean {
  return j.state === "valid" && !j.excluded && !j.both_unacceptable && j.strength !== null;
}

/**
 * A reservoir of up to CARD_SAMPLE_TASKS tasks (seeded, so the same data in the same order
 * gives the same sample, and the card the same figures). Each sampled task keeps its
 * counted pairwise judgments — valid, annotator not excluded, not a gold task, with a
 * strength — as statistics-library input. The whole project when it has no more tasks
 * than that: then the figures are exact.
 */
class CardSample {
  private readonly tasks: StatsJudgmentInput[][] = [];
  private seen = 0;
  private readonly rng = createRng(1);

  offer(loaded: LoadedTask): void {
    const { row } = loaded;
    if (row.kind !== "pairwise" || row.gold !== null) return;
    if (!loaded.judgments.some(countsForCard)) return;
    const index = this.seen++;
    let slot = index;
    if (index >= CARD_SAMPLE_TASKS) {
      slot = this.rng.int(index + 1);
      if (slot >= CARD_SAMPLE_TASKS) return;
    }
    const counted = loaded.judgments.filter(countsForCard);
    const lengths = loaded.candidates.map((c) => lengthOf(c.content));
    this.tasks[slot] = counted.map((j) => ({
      task_id: row.task_id,
      annotator: j.annotator_id,
      scale_points: row.scale_points as ScalePoints,
      strength: j.strength,
      display_order: j.display_order,
      candidate_lengths: lengths,
    }));
  }

  stats(): { stats: CardStats; basis: string } {
    const sample = this.tasks.flat();
    const basis =
      this.seen <= CARD_SAMPLE_TASKS
        ? `all ${this.seen} pairwise non-gold tasks with counted judgments (${sample.length} judgments)`
        : `a seeded random sample of ${CARD_SAMPLE_TASKS} of the ${this.seen} pairwise non-gold tasks with counted judgments (${sample.length} judgments)`;
    if (sample.length === 0) return { stats: {}, basis };
    const report = computeStatsReport(sample, { bootstrapRounds: 0 });
    const stats: CardStats = {
      krippendorffAlphaOrdinal: report.krippendorff_alpha.ordinal ?? undefined,
      fleissKappa: report.fleiss_kappa.value ?? undefined,
      leftChoiceShare: report.all_annotators.left_share?.value,
      longerWinsShare: report.all_annotators.longer_share?.value,
      basis,
    };
    return { stats, basis };
  }
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
  rawCounts: { rows: number; valid: number; rejected: number; superseded: number } | null;
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
  if (ctx.actor && !can(ctx.actor.role, "export.create")) throw forbidden();
}

async function requireProject(db: Db, slug: string): Promise<Project> {
  const project = await getProjectBySlug(db, slug);
  if (!project) throw notFound(`The project "${slug}"`);
  return project;
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
 *   library on {@link CardSample}).
 * - `raw`: `judgments.jsonl` (one line per judgment, every state; see {@link rawJudgmentLine}),
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
  const options = kind === "raw" ? {} : parsePolicyOptions(input.policy ?? {});
  const policy = kind === "raw" ? null : resolvePolicy({ ...options, kind });
  if (!input.writer && !shape.outDir) throw new AppError("VALIDATION", "outDir: is required", { outDir: ["is required"] });
  const project = await requireProject(ctx.db, shape.projectSlug);
  if (policy) policy.allowRoleplayFlaggedChosen = projectAllowsRoleplayFlaggedChosen(project);
  const writer = input.writer ?? directoryWriter(shape.outDir!);

  const exportId = await insertExportRecord(ctx.db, {
    projectId: project.id,
    kind,
    format: policy?.format ?? "jsonl",
    policy: (policy ?? {}) as Record<string, unknown>,
    createdBy: ctx.actor?.id ?? null,
  });
  try {
    const result =
      kind === "raw"
        ? await writeRawBundle(ctx.db, project, writer, exportId, input.onProgress)
        : await writePreferenceBundle(ctx.db, project, kind, policy!, writer, exportId, input.onProgress);
    const dataFiles = result.files.filter((f) => f.name !== "manifest.json" && f.name !== "README.md");
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
    await finishExportRecord(ctx.db, exportId, { status: "failed", error: (error as Error).message ?? String(error) }).catch(() => undefined);
    throw error;
  }
}

async function writePreferenceBundle(
  db: Db,
  project: Project,
  kind: "dpo" | "rm" | "kto",
  policy: ExportPolicy,
  writer: BundleWriter,
  exportId: number,
  onProgress: BuildExportInput["onProgress"],
): Promise<BuildExportResult> {
  const train = new JsonlSink(writer, "train.jsonl");
  const test = new JsonlSink(writer, "test.jsonl");
  const ties = new JsonlSink(writer, TIES_FILE, true);
  const counts = emptyCounts();
  const sample = new CardSample();
  const scales = new Set<ScalePoints>();
  let judgmentsRead = 0;

  await forEachExportTask(db, project.id, { raw: false }, async (loaded) => {
    judgmentsRead += loaded.judgments.length;
    const task = toExportTask(loaded);
    scales.add(task.scalePoints);
    const built = buildTaskRows(task, policy);
    tallyTask(counts, built);
    const sink = built.split === "test" ? test : built.split === "train" ? train : null;
    // push() returns a promise only when it wrote a chunk out: awaiting every line would cost a tick each.
    if (sink) {
      for (const row of built.rows) {
        const pending = sink.pushPieces(jsonLinePieces(row));
        if (pending) await pending;
      }
    }
    for (const row of built.ties) {
      const pending = ties.pushPieces(jsonLinePieces(row));
      if (pending) await pending;
    }
    sample.offer(loaded);
    if (onProgress && counts.tasks % PROGRESS_EVERY === 0) onProgress({ tasks: counts.tasks, judgments: judgmentsRead });
  });
  onProgress?.({ tasks: counts.tasks, judgments: judgmentsRead });

  const written = (await Promise.all([train.end(), test.end(), ties.end()])).filter((f): f is WrittenFile => f !== null);
  const manifestFiles: ManifestFileInput[] = written.map((f) => ({
    path: f.name,
    split: f.name === TIES_FILE ? "ties" : f.name === "test.jsonl" ? "test" : "train",
    rows: f.rows,
    sha256: f.sha256,
  }));
  const projectRef = { slug: project.slug, name: project.name };
  const manifest = buildManifest({
    kind,
    project: projectRef,
    policy,
    counts,
    files: manifestFiles,
    sourceJudgments: judgmentsRead,
    generatedAt: new Date().toISOString(),
    appVersion: APP_VERSION,
  });
  const { stats, basis } = sample.stats();
  const card = buildDatasetCard({
    project: projectRef,
    kind,
    policy,
    counts,
    files: manifestFiles,
    scalePoints: [...scales],
    guidelines: project.guidelines,
    stats,
    appVersion: APP_VERSION,
  });
  const manifestFile = await writeWholeFile(writer, "manifest.json", renderManifest(manifest));
  const cardFile = await writeWholeFile(writer, "README.md", card);
  const files = [...written, manifestFile, cardFile];
  await writer.commit(files.map((f) => f.name));
  return { exportId, kind, project: projectRef, files, counts, rawCounts: null, sourceJudgments: judgmentsRead, statsBasis: basis };
}

// ---------------------------------------------------------------------------
// Raw judgments

/**
 * The pseudonym of an annotator in a project's raw exports: HMAC-SHA256 over
 * "<project id>:<user id>" keyed by a random secret stored once in system_settings
 * ({@link PSEUDONYM_SECRET_KEY}). Stable across exports and servers sharing the database
 * (reproducible), different between projects (no linking across projects by pseudonym),
 * and not reversible without the database.
 */
export function annotatorPseudonym(secret: string, projectId: number, userId: string | number): string {
  return `ann-${createHmac("sha256", secret).update(`${projectId}:${userId}`).digest("hex").slice(0, 16)}`;
}

/**
 * One raw-judgment line (the format `npm run stats` reads, lib/validation/raw-judgment.ts):
 * the fields of issue 5 "Raw" plus `candidate_lengths`, in a fixed order, every key on every
 * line (null where a judgment has no value: `strength` on rankings, `ranking` on pairwise,
 * both on "both unacceptable", `gold` off gold tasks).
 */
export function rawJudgmentLine(task: ExportTaskCursorRow, candidates: readonly ExportCandidate[], j: ExportJudgmentCursorRow, annotator: string): string {
  return JSON.stringify({
    judgment_id: Number(j.id),
    task_id: Number(task.task_id),
    item_id: task.external_id,
    annotator,
    kind: task.kind,
    scale_points: task.scale_points,
    candidates: candidates.map((c) => Number(c.id)),
    models: candidates.map((c) => c.model),
    strength: task.kind === "pairwise" ? j.strength : null,
    ranking: task.kind === "ranking" ? j.ranks : null,
    both_unacceptable: j.both_unacceptable,
    display_order: j.display_order,
    ratings: j.ratings ?? {},
    unsafe: j.unsafe ?? {},
    roleplay_flags: j.roleplay_flags ?? {},
    rationale: j.rationale,
    seconds: j.seconds,
    gold: task.gold,
    state: j.state,
    created_at: j.created_at,
    candidate_lengths: candidates.map((c) => lengthOf(c.content)),
  });
}

async function writeRawBundle(
  db: Db,
  project: Project,
  writer: BundleWriter,
  exportId: number,
  onProgress: BuildExportInput["onProgress"],
): Promise<BuildExportResult> {
  const secret = await ensureSystemSecret(db, PSEUDONYM_SECRET_KEY);
  const sink = new JsonlSink(writer, RAW_FILE);
  const rawCounts = { rows: 0, valid: 0, rejected: 0, superseded: 0 };
  const pseudonyms = new Map<string, string>();
  let tasks = 0;
  await forEachExportTask(db, project.id, { raw: true }, async ({ row, candidates, judgments }) => {
    tasks++;
    for (const j of judgments) {
      let annotator = pseudonyms.get(j.annotator_id);
      if (annotator === undefined) pseudonyms.set(j.annotator_id, (annotator = annotatorPseudonym(secret, project.id, j.annotator_id)));
      const pending = sink.push(rawJudgmentLine(row, candidates, j, annotator));
      if (pending) await pending;
      rawCounts.rows++;
      rawCounts[j.state]++;
    }
    if (onProgress && tasks % PROGRESS_EVERY === 0) onProgress({ tasks, judgments: rawCounts.rows });
  });
  onProgress?.({ tasks, judgments: rawCounts.rows });
  const data = await sink.end();
  const written = data ? [data] : [];
  const projectRef = { slug: project.slug, name: project.name };
  const manifest = {
    schema_version: 1,
    kind: "raw",
    format: "raw-judgments",
    project: projectRef,
    annotators: "pseudonymised: ann-<16 hex of HMAC-SHA256(per-installation secret, project id:user id)>, stable within the project",
    counts: { tasks, judgments: rawCounts },
    files: Object.fromEntries(written.map((f) => [f.name, { rows: f.rows, sha256: f.sha256 }])),
    source_judgments: rawCounts.rows,
    generated_at: new Date().toISOString(),
    app_version: APP_VERSION,
    export_id: exportId,
  };
  const card = [
    "---",
    "license: other",
    `pretty_name: ${JSON.stringify(`${project.name} — raw judgments`)}`,
    "tags:",
    "- arbiter",
    "- role-play",
    "- human-feedback",
    "- preference",
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${JSON.stringify(RAW_FILE)}`,
    "---",
    "",
    `# ${project.name}: raw judgments`,
    "",
    `Every judgment of the Arbiter project \`${project.slug}\` (app ${APP_VERSION}), one JSON object per line, in every state (\`valid\`, \`rejected\`, \`superseded\` — only \`valid\` ones count): ${rawCounts.rows} judgments (${rawCounts.valid} valid, ${rawCounts.rejected} rejected, ${rawCounts.superseded} superseded) of ${tasks} tasks.`,
    "",
    "Fields: `judgment_id`, `task_id`, `item_id`, `annotator` (a pseudonym, stable within the project), `kind`, `scale_points`, `candidates` (ids, canonical order), `models`, `strength` (pairwise, canonical: negative = first candidate better) or `ranking` (rank per candidate, 1 = best), `both_unacceptable`, `display_order` (canonical index shown in each slot, 0 = left), `ratings`, `unsafe`, `roleplay_flags`, `rationale`, `seconds`, `gold`, `state`, `created_at`, `candidate_lengths`. Format: Arbiter's docs/export-format.md, \"Raw\"; `npm run stats -- judgments.jsonl` computes the agreement statistics.",
    "",
  ].join("\n");
  const manifestFile = await writeWholeFile(writer, "manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  const cardFile = await writeWholeFile(writer, "README.md", card);
  const files = [...written, manifestFile, cardFile];
  await writer.commit(files.map((f) => f.name));
  return { exportId, kind: "raw", project: projectRef, files, counts: null, rawCounts, sourceJudgments: rawCounts.rows, statsBasis: null };
}

// ---------------------------------------------------------------------------
// Streaming one split over HTTP

/** What {@link streamExport} takes (all from the URL). */
export type StreamExportInput = {
  projectSlug: string;
  kind: string;
  /** `train` (default) or `test`; ignored for raw. */
  split?: string | null;
  policy?: ExportPolicyOptions;
};

/**
 * One split of an export as a stream of JSONL chunks, straight from the database cursors
 * (constant memory; the client can pipe the body into a file). The same rows, bytes and
 * order as that file of a bundle built with the same policy; `raw` streams the raw
 * judgments. Everything that can be refused is checked before the first chunk (so the
 * route still answers 400/403/404); the stream is audited as `export.create` (via "api").
 */
export async function streamExport(ctx: ServiceContext, input: StreamExportInput): Promise<AsyncIterableIterator<string>> {
  if (!can(ctx.actor.role, "export.create")) throw forbidden();
  const kind = parseInput(ExportKindParam, input.kind);
  const split = kind === "raw" ? "train" : parseInput(ExportSplitParam.default("train"), input.split ?? undefined);
  const options = kind === "raw" ? {} : parsePolicyOptions(input.policy ?? {});
  const policy = kind === "raw" ? null : resolvePolicy({ ...options, kind });
  const project = await requireProject(ctx.db, input.projectSlug);
  if (policy) policy.allowRoleplayFlaggedChosen = projectAllowsRoleplayFlaggedChosen(project);
  const secret = kind === "raw" ? await ensureSystemSecret(ctx.db, PSEUDONYM_SECRET_KEY) : "";
  await insertAuditEntry(ctx.db, {
    actorId: ctx.actor.id,
    action: "export.create" satisfies AuditAction,
    targetType: "project",
    targetId: String(project.id),
    projectId: project.id,
    details: { kind, via: "api", split, policy: policy ?? {} },
  });

  return pullFrom<string>(async (emit) => {
    const pseudonyms = new Map<string, string>();
    let lines: string[] = [];
    let size = 0;
    const push = async (line: string) => {
      lines.push(line, "\n");
      size += line.length + 1;
      if (size >= 256 * 1024) {
        const chunk = lines.join("");
        lines = [];
        size = 0;
        await emit(chunk);
      }
    };
    await forEachExportTask(ctx.db, project.id, { raw: kind === "raw" }, async (loaded) => {
      if (policy === null) {
        for (const j of loaded.judgments) {
          let annotator = pseudonyms.get(j.annotator_id);
          if (annotator === undefined) pseudonyms.set(j.annotator_id, (annotator = annotatorPseudonym(secret, project.id, j.annotator_id)));
          await push(rawJudgmentLine(loaded.row, loaded.candidates, j, annotator));
        }
        return;
      }
      const built = buildTaskRows(toExportTask(loaded), policy);
      if (built.split === split) for (const row of built.rows) await push(toJsonLine(row));
    });
    if (lines.length > 0) await emit(lines.join(""));
  });
}

/** A project's past exports, newest first (researcher and up). */
export async function listExports(ctx: ServiceContext, input: { projectSlug: string }) {
  if (!can(ctx.actor.role, "export.create")) throw forbidden();
  const project = await requireProject(ctx.db, input.projectSlug);
  return listExportRecords(ctx.db, project.id);
}

/** The project's rule for replies flagged for role-play faults (see ExportPolicy.allowRoleplayFlaggedChosen). */
export function projectAllowsRoleplayFlaggedChosen(project: { settings: unknown }): boolean {
  return (project.settings as { allowRoleplayFlaggedChosen?: boolean } | null)?.allowRoleplayFlaggedChosen === true;
}
