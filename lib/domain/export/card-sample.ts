/**
 * The dataset card's agreement and bias figures, from a bounded, deterministic sample of
 * the exported tasks (so a million-judgment export keeps constant memory).
 */
import type { CardStats } from "@/lib/domain/export/card";
import { codePointLength, type ExportJudgmentRecord, type ExportSourceTask } from "@/lib/domain/export/source";
import type { ScalePoints } from "@/lib/domain/preference";
import { computeStatsReport, createRng, type StatsJudgmentInput } from "@/lib/domain/stats";

/** Tasks in the dataset card's statistics sample (all of them when there are fewer). */
export const CARD_SAMPLE_TASKS = 5_000;

/** Whether a judgment is one the card's statistics count: valid, annotator not excluded, a strength given. */
function countsForCard(j: ExportJudgmentRecord): boolean {
  return j.state === "valid" && !j.excluded && !j.both_unacceptable && j.strength !== null;
}

/**
 * A reservoir of up to {@link CARD_SAMPLE_TASKS} tasks (seeded, so the same data in the
 * same order gives the same sample, and the card the same figures). Each sampled task
 * keeps its counted pairwise judgments — valid, annotator not excluded, not a gold task,
 * with a strength — as statistics-library input. The whole project when it has no more
 * tasks than that: then the figures are exact.
 */
export class CardSample {
  private readonly tasks: StatsJudgmentInput[][] = [];
  private seen = 0;
  private readonly rng = createRng(1);

  offer(task: ExportSourceTask): void {
    const { record } = task;
    if (record.kind !== "pairwise" || record.gold !== null) return;
    if (!task.judgments.some(countsForCard)) return;
    const index = this.seen++;
    let slot = index;
    if (index >= CARD_SAMPLE_TASKS) {
      slot = this.rng.int(index + 1);
      if (slot >= CARD_SAMPLE_TASKS) return;
    }
    const counted = task.judgments.filter(countsForCard);
    const lengths = task.candidates.map((c) => codePointLength(c.content));
    this.tasks[slot] = counted.map((j) => ({
      task_id: record.task_id,
      annotator: j.annotator_id,
      scale_points: record.scale_points as ScalePoints,
      strength: j.strength,
      display_order: j.display_order,
      candidate_lengths: lengths,
    }));
  }

  /** Which tasks the figures are computed on, as the card states it. */
  basis(): string {
    const judgments = this.tasks.reduce((n, t) => n + t.length, 0);
    return this.seen <= CARD_SAMPLE_TASKS
      ? `all ${this.seen} pairwise non-gold tasks with counted judgments (${judgments} judgments)`
      : `a seeded random sample of ${CARD_SAMPLE_TASKS} of the ${this.seen} pairwise non-gold tasks with counted judgments (${judgments} judgments)`;
  }

  /** Alpha, kappa, position and length bias on the sample (nothing when it is empty). */
  stats(): CardStats {
    const sample = this.tasks.flat();
    if (sample.length === 0) return {};
    const report = computeStatsReport(sample, { bootstrapRounds: 0 });
    return {
      krippendorffAlphaOrdinal: report.krippendorff_alpha.ordinal ?? undefined,
      fleissKappa: report.fleiss_kappa.value ?? undefined,
      leftChoiceShare: report.all_annotators.left_share?.value,
      longerWinsShare: report.all_annotators.longer_share?.value,
      basis: this.basis(),
    };
  }
}
