/**
 * The model-based consensus of an export (`consensus: dawid-skene | mace`): one fit of the
 * annotator model over every counted pairwise judgment of the project (gold tasks included:
 * Dawid–Skene starts the error rates of annotators with gold answers from them), before the
 * rows are built task by task. The posteriors are rounded to 4 decimals, the fit's inputs
 * come in (task, annotator) order and MACE's restarts use a fixed seed, so the same
 * judgments give the same labels and bytes.
 */
import { dawidSkene, majorityVote, type LabelModelResult } from "@/lib/domain/stats/dawid-skene";
import { directionClass, type LabelObservation } from "@/lib/domain/stats/label-model";
import { mace } from "@/lib/domain/stats/mace";
import { countedJudgments } from "./aggregate";
import type { ExportPolicy, ExportTask } from "./types";

/** Seed of MACE's restarts in exports (recorded in the manifest). */
export const EXPORT_CONSENSUS_SEED = 1;

/** One counted pairwise judgment for the fit. */
export interface ConsensusInputJudgment {
  readonly taskId: string;
  readonly annotatorKey: string;
  /** Canonical strength (negative = A better). */
  readonly strength: number;
  /** The gold answer's strength when the task is a gold task. */
  readonly goldStrength?: number | null;
}

/** Per task id: the model's label and its rounded posterior {A, tie, B}. */
export type ExportConsensusMap = ReadonlyMap<string, NonNullable<ExportTask["modelConsensus"]>>;

/** Fits the policy's model (majority vote when `consensus` is "majority"). */
export function fitExportConsensus(judgments: readonly ConsensusInputJudgment[], method: ExportPolicy["consensus"]): ExportConsensusMap {
  const observations: LabelObservation[] = judgments.map((j) => ({
    task: j.taskId,
    annotator: j.annotatorKey,
    label: directionClass(j.strength),
  }));
  let fit: LabelModelResult;
  if (method === "dawid-skene") {
    const gold = new Map<string, number>();
    for (const j of judgments)
      if (j.goldStrength !== null && j.goldStrength !== undefined) gold.set(j.taskId, directionClass(j.goldStrength));
    fit = dawidSkene(observations, { classes: 3, tieClass: 1, gold: gold.size > 0 ? gold : null });
  } else if (method === "mace") {
    fit = mace(observations, { classes: 3, tieClass: 1, seed: EXPORT_CONSENSUS_SEED });
  } else {
    fit = majorityVote(observations, { classes: 3, tieClass: 1 });
  }
  const out = new Map<string, NonNullable<ExportTask["modelConsensus"]>>();
  fit.tasks.forEach((task, i) => {
    const posterior = fit.posterior[i]!.map((p) => Math.round(p * 10000) / 10000);
    out.set(String(task), { label: fit.labels[i]! as 0 | 1 | 2, posterior });
  });
  return out;
}

/** The counted pairwise judgments of tasks, by the export's counting rules (for in-memory builds and tests). */
export function consensusInputOf(tasks: readonly ExportTask[]): ConsensusInputJudgment[] {
  const out: ConsensusInputJudgment[] = [];
  for (const task of tasks) {
    if (task.kind !== "pairwise") continue;
    for (const j of countedJudgments(task).counted) {
      if (j.bothUnacceptable) continue;
      out.push({ taskId: task.taskId, annotatorKey: j.annotatorKey, strength: j.strength as number });
    }
  }
  return out;
}
