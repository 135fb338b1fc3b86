/**
 * One builder per export kind, the one path every export takes: the bundle build, the
 * HTTP stream of one file, the preview's counts. A builder is fed the project's tasks one
 * at a time in export order ({@link addTask}: the lines each data file gets) and then
 * writes the manifest and the dataset card from what it tallied. The service only reads
 * tasks and moves bytes (lib/services/exports.ts); everything an export decides is here.
 *
 * A new kind is a new {@link BundleBuilder} in {@link createBundleBuilder}; a new rule of
 * the preference kinds belongs in the row builder (rows.ts, policy in types.ts), which
 * every path then applies alike.
 */
import type { ExportConsensusMap } from "@/lib/domain/export/consensus";
import { CardSample } from "@/lib/domain/export/card-sample";
import { buildDatasetCard, buildRawDatasetCard } from "@/lib/domain/export/card";
import { emptyCounts, tallyTask, type ExportCounts } from "@/lib/domain/export/counts";
import { buildManifest, buildRawManifest, renderManifest, type ManifestFileInput } from "@/lib/domain/export/manifest";
import { annotatorPseudonym, RAW_FILE, rawJudgmentLine, type RawCounts } from "@/lib/domain/export/raw";
import { buildTaskRows } from "@/lib/domain/export/rows";
import { jsonLinePieces } from "@/lib/domain/export/serialize";
import { toExportTask, type ExportSourceTask } from "@/lib/domain/export/source";
import type { ExportKind, ExportPolicy } from "@/lib/domain/export/types";
import type { ExportKindName } from "@/lib/domain/enums";
import type { ScalePoints } from "@/lib/domain/preference";

/** The ties file: gzip-compressed, so that the dataset validator (which reads every .jsonl/.json/.ndjson) passes the bundle. */
export const TIES_FILE = "ties.jsonl.gz";
export const MANIFEST_FILE = "manifest.json";
export const CARD_FILE = "README.md";

/** One data file a kind writes (only when it gets a line: an empty JSONL file fails the dataset validator). */
export interface DataFileSpec {
  readonly name: string;
  /** The split the manifest and the card list it under. */
  readonly split: "train" | "test" | "ties";
  /** Written gzip-compressed (the hash and size are of the compressed bytes). */
  readonly gzip: boolean;
}

/** A data file as written: what the manifest and card list. */
export interface WrittenDataFile {
  readonly name: string;
  readonly rows: number;
  readonly sha256: string;
}

/** One line of a data file (without its newline): text, or pieces of text and JSON bytes (see jsonLinePieces). */
export type BundleLine = string | readonly (string | Uint8Array)[];

/** What the build was, beside its files. */
export interface BundleSummary {
  /** Preference kinds: every count of the manifest (null for raw). */
  counts: ExportCounts | null;
  /** Raw: rows per judgment state (null otherwise). */
  rawCounts: RawCounts | null;
  /** Judgments read from the database. */
  sourceJudgments: number;
  /** The statistics sample the card's figures come from (null for raw). */
  statsBasis: string | null;
}

/** The project and build facts that go into a manifest and a card. */
export interface BundleMeta {
  project: { slug: string; name: string; guidelines?: string };
  exportId: number;
  /** ISO 8601 time of the build (only the manifest holds it). */
  generatedAt: string;
  appVersion: string;
}

export interface BundleBuilder {
  readonly kind: ExportKindName;
  /** Every data file of the kind, in the order the manifest lists them. */
  readonly dataFiles: readonly DataFileSpec[];
  /**
   * Adds one task (tasks come in export order, compareTasks): returns its lines for each
   * data file, indexed like {@link dataFiles} (files not rendered get none).
   */
  addTask(task: ExportSourceTask): readonly (readonly BundleLine[])[];
  /** Tasks and judgments read so far (for progress reports). */
  progress(): { tasks: number; judgments: number };
  summary(): BundleSummary;
  /** manifest.json's text, after the last task, listing the data files as written. */
  manifest(files: readonly WrittenDataFile[], meta: BundleMeta): string;
  /** README.md's text (the dataset card), after the last task. */
  card(files: readonly WrittenDataFile[], meta: BundleMeta): string;
}

export type BundleBuilderOptions = {
  /** Preference kinds: the resolved policy. */
  policy?: ExportPolicy;
  /** Raw: the per-installation secret behind annotator pseudonyms, and the project they are scoped to. */
  pseudonyms?: { secret: string; projectId: number };
  /** Names of the data files to render lines for (default: all). The counts cover every file either way. */
  render?: readonly string[];
  /** Keep the sample the dataset card's statistics need (default true; a stream or a preview writes no card). */
  withCard?: boolean;
  /**
   * With a model-based consensus policy: the fitted labels by task id (`fitExportConsensus`),
   * read when the first task arrives (the caller fits them in the export's snapshot).
   */
  modelConsensus?: () => ExportConsensusMap | null;
};

const NO_LINES: readonly BundleLine[] = [];

const PREFERENCE_FILES: readonly DataFileSpec[] = [
  { name: "train.jsonl", split: "train", gzip: false },
  { name: "test.jsonl", split: "test", gzip: false },
  { name: TIES_FILE, split: "ties", gzip: true },
];
const RAW_FILES: readonly DataFileSpec[] = [{ name: RAW_FILE, split: "train", gzip: false }];

/** The data files a kind may write, in the order its manifest lists them. */
export function dataFilesOf(kind: ExportKindName): readonly DataFileSpec[] {
  return kind === "raw" ? RAW_FILES : PREFERENCE_FILES;
}

/** The builder of one kind: `dpo`, `rm`, `kto` (options.policy required) or `raw` (options.pseudonyms required). */
export function createBundleBuilder(kind: ExportKindName, options: BundleBuilderOptions): BundleBuilder {
  if (kind === "raw") {
    if (!options.pseudonyms) throw new Error("a raw export needs the pseudonym secret");
    return rawBuilder(options.pseudonyms, options.render);
  }
  if (!options.policy) throw new Error(`a ${kind} export needs a policy`);
  if (options.policy.kind !== kind) throw new Error(`the policy is for ${options.policy.kind}, not ${kind}`);
  return preferenceBuilder(kind, options.policy, options.render, options.withCard ?? true, options.modelConsensus);
}

function manifestFiles(specs: readonly DataFileSpec[], files: readonly WrittenDataFile[]): ManifestFileInput[] {
  return files.map((f) => ({ path: f.name, split: specs.find((s) => s.name === f.name)!.split, rows: f.rows, sha256: f.sha256 }));
}

/**
 * DPO, reward-model and KTO bundles: train/test rows and ties from {@link buildTaskRows},
 * counts by {@link tallyTask}, the card's statistics from a {@link CardSample}.
 */
function preferenceBuilder(
  kind: ExportKind,
  policy: ExportPolicy,
  render: readonly string[] | undefined,
  withCard: boolean,
  modelConsensus: (() => ExportConsensusMap | null) | undefined,
): BundleBuilder {
  const wanted = PREFERENCE_FILES.map((f) => render === undefined || render.includes(f.name));
  const counts = emptyCounts();
  const sample = new CardSample();
  const scales = new Set<ScalePoints>();
  let judgments = 0;
  const linesOf = (rows: readonly object[]): BundleLine[] => rows.map(jsonLinePieces);
  return {
    kind,
    dataFiles: PREFERENCE_FILES,
    addTask(source) {
      judgments += source.judgments.length;
      const fitted = policy.consensus === "majority" ? null : (modelConsensus?.() ?? null);
      if (policy.consensus !== "majority" && fitted === null) throw new Error(`a ${policy.consensus} export needs the fitted consensus`);
      const task =
        fitted === null ? toExportTask(source) : { ...toExportTask(source), modelConsensus: fitted.get(source.record.task_id) ?? null };
      scales.add(task.scalePoints);
      const built = buildTaskRows(task, policy);
      tallyTask(counts, built);
      if (withCard) sample.offer(source);
      const train = built.split === "train" && wanted[0] ? linesOf(built.rows) : NO_LINES;
      const test = built.split === "test" && wanted[1] ? linesOf(built.rows) : NO_LINES;
      const ties = wanted[2] && built.ties.length > 0 ? linesOf(built.ties) : NO_LINES;
      return [train, test, ties];
    },
    progress: () => ({ tasks: counts.tasks, judgments }),
    summary: () => ({ counts, rawCounts: null, sourceJudgments: judgments, statsBasis: sample.basis() }),
    manifest(files, meta) {
      return renderManifest(
        buildManifest({
          kind,
          project: { slug: meta.project.slug, name: meta.project.name },
          policy,
          counts,
          files: manifestFiles(PREFERENCE_FILES, files),
          sourceJudgments: judgments,
          generatedAt: meta.generatedAt,
          appVersion: meta.appVersion,
        }),
      );
    },
    card(files, meta) {
      if (!withCard) throw new Error("this builder was made without the card's sample");
      return buildDatasetCard({
        project: { slug: meta.project.slug, name: meta.project.name },
        kind,
        policy,
        counts,
        files: manifestFiles(PREFERENCE_FILES, files),
        scalePoints: [...scales],
        guidelines: meta.project.guidelines,
        stats: sample.stats(),
        appVersion: meta.appVersion,
      });
    },
  };
}

/** The raw export: every judgment in every state, one line each, annotators pseudonymised. */
function rawBuilder(keys: { secret: string; projectId: number }, render: readonly string[] | undefined): BundleBuilder {
  const wanted = render === undefined || render.includes(RAW_FILE);
  const counts: RawCounts = { rows: 0, valid: 0, rejected: 0, superseded: 0 };
  const pseudonyms = new Map<string, string>();
  let tasks = 0;
  const pseudonymOf = (userId: string) => {
    let name = pseudonyms.get(userId);
    if (name === undefined) pseudonyms.set(userId, (name = annotatorPseudonym(keys.secret, keys.projectId, userId)));
    return name;
  };
  return {
    kind: "raw",
    dataFiles: RAW_FILES,
    addTask(source) {
      tasks++;
      const lines: string[] = [];
      for (const j of source.judgments) {
        if (wanted) lines.push(rawJudgmentLine(source, j, pseudonymOf(j.annotator_id)));
        counts.rows++;
        counts[j.state]++;
      }
      return [lines];
    },
    progress: () => ({ tasks, judgments: counts.rows }),
    summary: () => ({ counts: null, rawCounts: counts, sourceJudgments: counts.rows, statsBasis: null }),
    manifest(files, meta) {
      return renderManifest(
        buildRawManifest({
          project: meta.project,
          tasks,
          counts,
          files: files.map((f) => ({ path: f.name, rows: f.rows, sha256: f.sha256 })),
          generatedAt: meta.generatedAt,
          appVersion: meta.appVersion,
          exportId: meta.exportId,
        }),
      );
    },
    card(_files, meta) {
      return buildRawDatasetCard({ project: meta.project, tasks, counts, appVersion: meta.appVersion });
    },
  };
}
