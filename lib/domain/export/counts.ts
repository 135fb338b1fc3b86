/**
 * Counts of an export, accumulated task by task (so a streaming exporter can keep
 * only this object in memory).
 */
import type { JudgmentTally } from "@/lib/domain/export/aggregate";
import type { TaskRows } from "@/lib/domain/export/rows";
import {
  PAIR_DROP_REASONS,
  TASK_DROP_REASONS,
  type PairDropReason,
  type PairSource,
  type StaticPairSource,
  type TaskDropReason,
} from "@/lib/domain/export/types";

/** The counts written to the manifest (snake_case: they are serialised as they are). */
export interface ExportCounts {
  /** Tasks seen. */
  tasks: number;
  /** Tasks that gave at least one training row. */
  tasks_with_rows: number;
  /** Tasks decided by an adjudicated label. */
  adjudicated_tasks: number;
  /** Rows written per file. */
  rows: { train: number; test: number; ties: number };
  /** Training rows by `pair_source`. */
  pair_sources: Record<StaticPairSource, number> & Partial<Record<Exclude<PairSource, StaticPairSource>, number>>;
  /** Tasks that gave no preference pair, by reason (every reason listed, zeros included). */
  tasks_dropped: Record<TaskDropReason, number>;
  /** Candidate pairs left out of otherwise usable tasks, by reason (every reason listed). */
  pairs_dropped: Record<PairDropReason, number>;
  /** Judgments of all tasks, by how they were treated. `in_gold_tasks` are not in the other buckets. */
  judgments: JudgmentTally & { in_gold_tasks: number };
  /** Tasks with rows whose prompt had an opening greeting folded into the system message. */
  greeting_folded: number;
  /** Rows (train + test + ties) per language code, keys in code-point order when serialised. */
  languages: Record<string, number>;
  /** Training rows (train + test) per `agreement` value (the 4-decimal number as a string key). */
  agreement_distribution: Record<string, number>;
}

/** Mean `agreement` of the training rows from {@link ExportCounts.agreement_distribution} (undefined when there are none). */
export function meanAgreement(counts: ExportCounts): number | undefined {
  let rows = 0;
  let sum = 0;
  for (const [value, n] of Object.entries(counts.agreement_distribution)) {
    rows += n;
    sum += Number(value) * n;
  }
  return rows > 0 ? sum / rows : undefined;
}

/** Counts with every bucket at zero. */
export function emptyCounts(): ExportCounts {
  return {
    tasks: 0,
    tasks_with_rows: 0,
    adjudicated_tasks: 0,
    rows: { train: 0, test: 0, ties: 0 },
    pair_sources: { pairwise: 0, kwise: 0, safety: 0 },
    tasks_dropped: Object.fromEntries(TASK_DROP_REASONS.map((r) => [r, 0])) as Record<TaskDropReason, number>,
    pairs_dropped: Object.fromEntries(PAIR_DROP_REASONS.map((r) => [r, 0])) as Record<PairDropReason, number>,
    judgments: { total: 0, counted: 0, rejected: 0, superseded: 0, excluded: 0, invalid: 0, in_gold_tasks: 0 },
    greeting_folded: 0,
    languages: {},
    agreement_distribution: {},
  };
}

/** Adds one task's contribution to `counts` (mutates and returns it). */
export function tallyTask(counts: ExportCounts, task: TaskRows): ExportCounts {
  counts.tasks++;
  if (task.rows.length > 0) counts.tasks_with_rows++;
  if (task.aggregate?.adjudicated) counts.adjudicated_tasks++;
  if (task.taskDrop) counts.tasks_dropped[task.taskDrop]++;
  for (const [reason, n] of Object.entries(task.pairDrops) as [PairDropReason, number][]) counts.pairs_dropped[reason] += n;
  if (task.split) counts.rows[task.split] += task.rows.length;
  counts.rows.ties += task.ties.length;
  for (const row of task.rows) {
    counts.pair_sources[row.pair_source] = (counts.pair_sources[row.pair_source] ?? 0) + 1;
    if (task.split) {
      const key = String(row.agreement);
      counts.agreement_distribution[key] = (counts.agreement_distribution[key] ?? 0) + 1;
    }
  }
  const j = task.judgments;
  counts.judgments.total += j.total;
  if (task.taskDrop === "gold") counts.judgments.in_gold_tasks += j.total;
  else {
    counts.judgments.counted += j.counted;
    counts.judgments.rejected += j.rejected;
    counts.judgments.superseded += j.superseded;
    counts.judgments.excluded += j.excluded;
    counts.judgments.invalid += j.invalid;
  }
  const written = task.rows.length + task.ties.length;
  if (written > 0) {
    if (task.greetingFolded) counts.greeting_folded++;
    counts.languages[task.language] = (counts.languages[task.language] ?? 0) + written;
  }
  return counts;
}
