/** Builders of the export domain's inputs for the unit tests: judgments and tasks with plain defaults. */
import type { ExportJudgment, ExportTask } from "@/lib/domain/export";

/**
 * Valid, counted judgments (strength votes and rankings), each by the annotator `nextKey`
 * names — a fresh one per call, or a rotation, as the test needs.
 */
export function judgmentBuilders(nextKey: () => string) {
  return {
    vote: (strength: number, extra: Partial<ExportJudgment> = {}): ExportJudgment => ({
      annotatorKey: nextKey(),
      strength,
      bothUnacceptable: false,
      unsafe: {},
      state: "valid",
      excluded: false,
      ...extra,
    }),
    rank: (ranks: number[], extra: Partial<ExportJudgment> = {}): ExportJudgment => ({
      annotatorKey: nextKey(),
      ranks,
      bothUnacceptable: false,
      unsafe: {},
      state: "valid",
      excluded: false,
      ...extra,
    }),
  };
}

/** A non-gold pairwise task t1 of item i1 on the 7-point scale, over the given candidates and item. */
export function pairwiseTask(
  judgments: ExportJudgment[],
  fields: Pick<ExportTask, "candidates" | "item"> & Partial<ExportTask>,
): ExportTask {
  return { taskId: "t1", itemId: "i1", kind: "pairwise", scalePoints: 7, judgments, isGold: false, ...fields };
}
