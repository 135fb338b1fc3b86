/**
 * In-memory export of a list of tasks: the reference composition of the row builders,
 * for tests and small previews. The database export (bundle.ts, driven by
 * lib/services/exports.ts) does the same task by task: tasks in {@link compareTasks}
 * order → {@link buildTaskRows} → {@link toJsonLine} into the task's split file,
 * ties into the ties file → {@link tallyTask}.
 */
import { consensusInputOf, fitExportConsensus } from "@/lib/domain/export/consensus";
import { emptyCounts, tallyTask, type ExportCounts } from "@/lib/domain/export/counts";
import { buildTaskRows } from "@/lib/domain/export/rows";
import { compareTasks, renderJsonl, sha256Hex } from "@/lib/domain/export/serialize";
import {
  resolvePolicy,
  type DpoRow,
  type ExportPolicy,
  type ExportPolicyInput,
  type ExportTask,
  type KtoRow,
  type RmRow,
  type TieRow,
} from "@/lib/domain/export/types";

/** One data file of a bundle. */
export interface BundleFile {
  /** File name inside the bundle: train.jsonl, test.jsonl or ties.jsonl. */
  path: string;
  /** Split name for the dataset card's `configs` (`ties` for ties.jsonl). */
  split: "train" | "test" | "ties";
  rows: number;
  /** Hex sha256 of `content`'s UTF-8 bytes. */
  sha256: string;
  /** The exact file content (UTF-8 text, "\n" line ends). */
  content: string;
}

/** Result of {@link buildExportInMemory}. */
export interface InMemoryExport {
  policy: ExportPolicy;
  train: (DpoRow | RmRow | KtoRow)[];
  test: (DpoRow | RmRow | KtoRow)[];
  ties: TieRow[];
  counts: ExportCounts;
  /**
   * The non-empty data files, in the order train, test, ties. Empty files are left
   * out: an empty JSONL file is an error for the dataset validator and for `datasets`.
   */
  files: BundleFile[];
}

/**
 * Builds a whole export in memory: resolves the policy, sorts tasks by
 * {@link compareTasks}, builds every task's rows and renders the JSONL files.
 * The same tasks (in any input order) and policy always give byte-identical files.
 */
export function buildExportInMemory(tasks: readonly ExportTask[], policyInput: ExportPolicyInput = {}): InMemoryExport {
  const policy = resolvePolicy(policyInput);
  const fitted = policy.consensus === "majority" ? null : fitExportConsensus(consensusInputOf(tasks), policy.consensus);
  const ordered = [...tasks]
    .sort(compareTasks)
    .map((task) => (fitted === null ? task : { ...task, modelConsensus: fitted.get(task.taskId) ?? null }));
  const counts = emptyCounts();
  const train: (DpoRow | RmRow | KtoRow)[] = [];
  const test: (DpoRow | RmRow | KtoRow)[] = [];
  const ties: TieRow[] = [];
  for (const task of ordered) {
    const built = buildTaskRows(task, policy);
    tallyTask(counts, built);
    if (built.split === "test") test.push(...built.rows);
    else if (built.split === "train") train.push(...built.rows);
    ties.push(...built.ties);
  }
  const files: BundleFile[] = [];
  const add = (path: string, split: BundleFile["split"], rows: readonly object[]) => {
    if (rows.length === 0) return;
    const content = renderJsonl(rows);
    files.push({ path, split, rows: rows.length, sha256: sha256Hex(content), content });
  };
  add("train.jsonl", "train", train);
  add("test.jsonl", "test", test);
  add("ties.jsonl", "ties", ties);
  return { policy, train, test, ties, counts, files };
}
