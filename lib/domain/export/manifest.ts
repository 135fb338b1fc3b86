/**
 * The bundle's manifest.json: what was built, from what, under which policy.
 * The generated time and app version are passed in (nothing here reads a clock).
 */
import { EXPORT_CONSENSUS_SEED } from "@/lib/domain/export/consensus";
import type { ExportCounts } from "@/lib/domain/export/counts";
import { SPLIT_RULE } from "@/lib/domain/export/split";
import type { ExportKind, ExportPolicy } from "@/lib/domain/export/types";
import { PSEUDONYM_RULE, type RawCounts } from "@/lib/domain/export/raw";

/** Version of the manifest layout; bump on incompatible changes. */
export const MANIFEST_SCHEMA_VERSION = 1;

/** A data file as listed in the manifest. */
export interface ManifestFileInput {
  path: string;
  split: "train" | "test" | "ties";
  rows: number;
  sha256: string;
}

/** Figures the manifest is built from. */
export interface ManifestInput {
  kind: ExportKind;
  project: { slug: string; name: string };
  policy: ExportPolicy;
  counts: ExportCounts;
  files: readonly ManifestFileInput[];
  /** Judgments read from the database for this export (defaults to `counts.judgments.total`). */
  sourceJudgments?: number;
  /** ISO 8601 time of the build. */
  generatedAt: string;
  appVersion: string;
  /** Further filters of the export (e.g. excluded annotator keys, date range), recorded as given. */
  filters?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/** The manifest object, keys in the order they are written. */
export interface Manifest {
  schema_version: number;
  kind: ExportKind;
  /** The format name the dataset validator reports: `trl-conversational` or `trl-standard`. */
  format: "trl-conversational" | "trl-standard";
  project: { slug: string; name: string };
  policy: {
    aggregation: string;
    min_judgments: number;
    min_agreement: number;
    ties: string;
    drop_slightly_better: boolean;
    unsafe_rule: "drop" | "flip";
    safety_pairs: boolean;
    gold_tasks: string;
    rejected_superseded_excluded: string;
    filters: Record<string, string | number | boolean | readonly string[]>;
    /** Model-based consensus only (absent under majority vote, so older manifests keep their bytes). */
    consensus?: string;
    min_posterior?: number;
    consensus_seed?: number;
  };
  margin_scale: "small" | "large";
  split: { unit: string; rule: string; salt: string; test_percent: number };
  counts: ExportCounts;
  /** Training data files (train/test), keyed by path: what the dataset validator checks. */
  files: Record<string, { split: string; rows: number; sha256: string }>;
  /** Files for analysis only (ties.jsonl), keyed by path; not training data. */
  analysis_files: Record<string, { split: string; rows: number; sha256: string }>;
  source_judgments: number;
  generated_at: string;
  app_version: string;
}

/** The `format` name of a policy as the validator spells it. */
export function formatName(format: ExportPolicy["format"]): Manifest["format"] {
  return format === "standard" ? "trl-standard" : "trl-conversational";
}

function fileEntries(files: readonly ManifestFileInput[]): Manifest["files"] {
  return Object.fromEntries(files.map((f) => [f.path, { split: f.split, rows: f.rows, sha256: f.sha256 }]));
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k] as T]),
  );
}

/**
 * Builds the manifest object. `files` lists the train/test files keyed by path (the
 * dataset validator reads `files[path].rows` and `.sha256` and expects every listed
 * file among the data files it checks); ties.jsonl goes to `analysis_files`, since it
 * is not preference-pair data. Counts are copied with language keys sorted and the agreement
 * distribution in ascending order of agreement.
 */
export function buildManifest(input: ManifestInput): Manifest {
  const p = input.policy;
  return {
    schema_version: MANIFEST_SCHEMA_VERSION,
    kind: input.kind,
    format: formatName(p.format),
    project: { slug: input.project.slug, name: input.project.name },
    policy: {
      aggregation:
        p.consensus !== undefined && p.consensus !== "majority"
          ? `pairwise: the ${p.consensus} model's label on A / tie / B (its posterior is the agreement; a strict majority of both-unacceptable votes stays that), strength = mean |strength| of that side; rankings: mean rank; an adjudicated label overrides the model`
          : "pairwise: majority of A / B / tie / both-unacceptable votes, strength = mean |strength| of the majority side; rankings: mean rank; an adjudicated label overrides the vote",
      min_judgments: p.minJudgments,
      min_agreement: p.minAgreement,
      ties: `ties and both-unacceptable go to ${input.files.find((f) => f.split === "ties")?.path ?? "ties.jsonl"}, not to train/test`,
      drop_slightly_better: p.dropSlightlyBetter,
      unsafe_rule: p.unsafeRule,
      safety_pairs: p.safetyPairs,
      gold_tasks: "excluded",
      rejected_superseded_excluded: "never counted",
      filters: sortedRecord(input.filters ?? {}),
      ...(p.consensus !== undefined && p.consensus !== "majority"
        ? { consensus: p.consensus, min_posterior: p.minPosterior, consensus_seed: EXPORT_CONSENSUS_SEED }
        : {}),
    },
    margin_scale: p.marginScale,
    split: { unit: "conversation", rule: SPLIT_RULE, salt: p.salt, test_percent: p.testPercent },
    counts: {
      ...input.counts,
      languages: sortedRecord(input.counts.languages),
      agreement_distribution: Object.fromEntries(
        Object.entries(input.counts.agreement_distribution).sort((a, b) => Number(a[0]) - Number(b[0])),
      ),
    },
    files: fileEntries(input.files.filter((f) => f.split !== "ties")),
    analysis_files: fileEntries(input.files.filter((f) => f.split === "ties")),
    source_judgments: input.sourceJudgments ?? input.counts.judgments.total,
    generated_at: input.generatedAt,
    app_version: input.appVersion,
  };
}

/** manifest.json text (of any kind): two-space indented JSON with a final newline. */
export function renderManifest(manifest: object): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Figures the raw export's manifest is built from. */
export interface RawManifestInput {
  project: { slug: string; name: string };
  /** Tasks read (every task of the project, judged or not). */
  tasks: number;
  counts: RawCounts;
  /** The data file (none when the project has no judgment), with rows and sha256. */
  files: readonly { path: string; rows: number; sha256: string }[];
  generatedAt: string;
  appVersion: string;
  exportId: number;
}

/** The raw export's manifest object, keys in the order they are written. */
export function buildRawManifest(input: RawManifestInput) {
  return {
    schema_version: MANIFEST_SCHEMA_VERSION,
    kind: "raw" as const,
    format: "raw-judgments" as const,
    project: { slug: input.project.slug, name: input.project.name },
    annotators: PSEUDONYM_RULE,
    counts: { tasks: input.tasks, judgments: input.counts },
    files: Object.fromEntries(input.files.map((f) => [f.path, { rows: f.rows, sha256: f.sha256 }])),
    source_judgments: input.counts.rows,
    generated_at: input.generatedAt,
    app_version: input.appVersion,
    export_id: input.exportId,
  };
}
