/**
 * Consensus of pairwise judgments by an annotator model: majority vote, Dawid–Skene or MACE
 * on the direction label {A, tie, B} (canonical order), plus the noisy Bradley–Terry figures
 * of each annotator (reliability and position bias) when display orders and models are
 * known. One pure entry point for the command line (`npm run stats -- --consensus`), the
 * statistics API (`?consensus=`) and the export policy (`consensus`); the JSON-ready shapes
 * have snake_case keys. Definitions: docs/statistics.md, "Consensus".
 */

import { dawidSkene, majorityVote, type LabelModelResult } from "./dawid-skene";
import { DIRECTION_LABELS, directionClass, type DirectionLabel, type LabelObservation } from "./label-model";
import { leaderFragility } from "./fragility";
import type { ModelVote } from "./active-sampling";
import { mace } from "./mace";
import { displayedJudgment, noisyBradleyTerry, type DisplayedJudgment } from "./noisy-bradley-terry";
import { exact, type StatsJudgmentInput } from "./report";
import type { TaskKey } from "./types";
import { firstScore } from "@/lib/domain/preference";

/** The consensus methods, majority first (the default everywhere). */
export const CONSENSUS_METHODS = ["majority", "dawid-skene", "mace"] as const;
export type ConsensusMethod = (typeof CONSENSUS_METHODS)[number];

/** One counted pairwise judgment, as the consensus reads it. */
export interface ConsensusJudgment {
  readonly task: TaskKey;
  readonly annotator: string;
  /** Canonical strength (negative = A better). */
  readonly strength: number;
  /** Canonical index shown in each slot (`[1, 0]` = B on the left); null when unknown. */
  readonly displayOrder?: readonly number[] | null;
  /** Models of candidates A and B; null when unknown. */
  readonly models?: readonly [string | null, string | null] | null;
  /** The gold answer's canonical strength, when the task is a gold task. */
  readonly goldStrength?: number | null;
}

/** Options of {@link computeConsensus}. */
export interface ConsensusOptions {
  /** Seed of MACE's restarts (default 1). */
  readonly seed?: number;
  /** Dawid–Skene starts its gold annotators' error rates from gold answers (default true). */
  readonly useGold?: boolean;
}

/** `{A, tie, B}` probabilities. */
export type DirectionPosterior = Record<DirectionLabel, number>;

/** One task's consensus. */
export interface TaskConsensus {
  readonly task_id: TaskKey;
  readonly label: DirectionLabel;
  readonly posterior: DirectionPosterior;
}

/** An estimate with its 95% interval. */
export interface IntervalJson {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** One annotator's row. */
export interface ConsensusAnnotator {
  readonly annotator: string;
  readonly judgments: number;
  /** Expected share of answers equal to the true direction under the method's posterior. */
  readonly accuracy: number;
  /** `confusion[true][answered]`, rows summing to 1; a row is null when the annotator never met that class. */
  readonly confusion: Record<DirectionLabel, DirectionPosterior | null>;
  /** MACE only: θ, the probability of answering on purpose (not spamming). */
  readonly competence?: number;
  /** MACE only: the distribution of answers when spamming. */
  readonly spamming?: DirectionPosterior;
  /** Noisy Bradley–Terry: reliability γ (1 = the average annotator). Null without display orders and models. */
  readonly reliability: IntervalJson | null;
  /** Noisy Bradley–Terry: P(choosing the left reply between two equal ones). Null without display orders and models. */
  readonly position_bias: IntervalJson | null;
  /** Why a lead should look: see docs/statistics.md, "Consensus". */
  readonly flags: string[];
}

/** The `consensus` object of the statistics JSON. */
export interface ConsensusReport {
  readonly method: ConsensusMethod;
  readonly iterations: number;
  readonly converged: boolean;
  readonly tasks: number;
  readonly judgments: number;
  /** Dawid–Skene's class priors; null for the other methods. */
  readonly priors: DirectionPosterior | null;
  readonly annotators: ConsensusAnnotator[];
  /** Tasks whose top posterior is below 0.8: the review queue's candidates. */
  readonly uncertain_tasks: number;
  /** Noisy Bradley–Terry's fit, when it could be made. */
  readonly noisy_bradley_terry: { models: { model: string; rating: number }[]; converged: boolean; judgments: number } | null;
}

/** Flag thresholds (documented in docs/statistics.md). */
export const CONSENSUS_FLAGS = {
  /** DS / MACE accuracy below this: "low-accuracy". */
  lowAccuracy: 0.6,
  /** MACE competence below this: "likely-spammer". */
  spammer: 0.3,
  /** Position-bias interval wholly outside [0.5 − this, 0.5 + this]: "position-bias". */
  positionBias: 0.1,
  /** Reliability interval wholly below this: "unreliable". */
  unreliable: 0.5,
  /** Minimum judgments before flags are raised. */
  minJudgments: 20,
} as const;

/** Posterior threshold below which a task counts as uncertain in the report. */
export const UNCERTAIN_POSTERIOR = 0.8;

const TIE = 1;

function posteriorJson(row: readonly number[]): DirectionPosterior {
  return { A: exact(row[0]!)!, tie: exact(row[1]!)!, B: exact(row[2]!)! };
}

/** Fits the chosen model; returns the report and one consensus per task (tasks in first-seen order). */
export function computeConsensus(
  judgments: readonly ConsensusJudgment[],
  method: ConsensusMethod,
  options: ConsensusOptions = {},
): { report: ConsensusReport; labels: TaskConsensus[]; fit: LabelModelResult } {
  const observations: LabelObservation[] = judgments.map((j) => ({
    task: j.task,
    annotator: j.annotator,
    label: directionClass(j.strength),
  }));
  let fit: LabelModelResult;
  let priors: DirectionPosterior | null = null;
  let competence: number[] | null = null;
  let strategy: number[][] | null = null;
  if (method === "majority") {
    fit = majorityVote(observations, { classes: 3, tieClass: TIE });
  } else if (method === "dawid-skene") {
    const gold = new Map<TaskKey, number>();
    if (options.useGold !== false) {
      for (const j of judgments)
        if (j.goldStrength !== null && j.goldStrength !== undefined) gold.set(j.task, directionClass(j.goldStrength));
    }
    const ds = dawidSkene(observations, { classes: 3, tieClass: TIE, gold: gold.size > 0 ? gold : null });
    priors = posteriorJson(ds.priors);
    fit = ds;
  } else {
    const m = mace(observations, { classes: 3, tieClass: TIE, seed: options.seed ?? 1 });
    competence = m.competence;
    strategy = m.strategy;
    fit = m;
  }

  // Noisy Bradley–Terry on the judgments that say what was shown and by which models.
  const displayed: DisplayedJudgment[] = [];
  for (const j of judgments) {
    const models = j.models;
    if (j.displayOrder?.length !== 2 || !models || models[0] === null || models[1] === null) continue;
    const d = displayedJudgment(j.annotator, [models[0], models[1]], j.strength, j.displayOrder);
    if (d !== null) displayed.push(d);
  }
  const noisy =
    displayed.length > 0 && new Set(displayed.flatMap((d) => [d.left, d.right])).size >= 2 ? noisyBradleyTerry(displayed) : null;
  const noisyBy = new Map(noisy?.annotators.map((a) => [a.annotator, a]) ?? []);

  const annotators: ConsensusAnnotator[] = fit.annotators.map((a, k) => {
    const confusion = Object.fromEntries(
      DIRECTION_LABELS.map((label, t) => [label, a.confusion[t] ? posteriorJson(a.confusion[t]!) : null]),
    ) as Record<DirectionLabel, DirectionPosterior | null>;
    const n = noisyBy.get(a.annotator);
    const reliability = n ? { value: exact(n.reliability.value)!, low: exact(n.reliability.low)!, high: exact(n.reliability.high)! } : null;
    const position = n
      ? { value: exact(n.leftProbability.value)!, low: exact(n.leftProbability.low)!, high: exact(n.leftProbability.high)! }
      : null;
    const flags: string[] = [];
    if (a.judgments >= CONSENSUS_FLAGS.minJudgments) {
      if (method !== "majority" && a.accuracy < CONSENSUS_FLAGS.lowAccuracy) flags.push("low-accuracy");
      if (competence !== null && competence[k]! < CONSENSUS_FLAGS.spammer) flags.push("likely-spammer");
      if (position && (position.low > 0.5 + CONSENSUS_FLAGS.positionBias || position.high < 0.5 - CONSENSUS_FLAGS.positionBias)) {
        flags.push("position-bias");
      }
      if (reliability && reliability.high < CONSENSUS_FLAGS.unreliable) flags.push("unreliable");
    }
    return {
      annotator: a.annotator,
      judgments: a.judgments,
      accuracy: exact(a.accuracy)!,
      confusion,
      ...(competence !== null ? { competence: exact(competence[k]!)!, spamming: posteriorJson(strategy![k]!) } : {}),
      reliability,
      position_bias: position,
      flags,
    };
  });

  const labels: TaskConsensus[] = fit.tasks.map((task, i) => ({
    task_id: task,
    label: DIRECTION_LABELS[fit.labels[i]!]!,
    posterior: posteriorJson(fit.posterior[i]!),
  }));
  const uncertain = fit.posterior.filter((row) => Math.max(...row) < UNCERTAIN_POSTERIOR).length;
  return {
    report: {
      method,
      iterations: fit.iterations,
      converged: fit.converged,
      tasks: fit.tasks.length,
      judgments: judgments.length,
      priors,
      annotators,
      uncertain_tasks: uncertain,
      noisy_bradley_terry: noisy
        ? {
            models: [...noisy.models]
              .sort((p, q) => q.score - p.score)
              .map((m) => ({ model: m.model, rating: Math.round(m.rating * 10) / 10 })),
            converged: noisy.converged,
            judgments: displayed.length,
          }
        : null,
    },
    labels,
    fit,
  };
}

/**
 * The judgments of raw-judgment lines that the consensus counts, by the report's rules:
 * valid lines only, the last line of a (task, annotator) replacing earlier ones, pairwise
 * strengths only (K-wise rankings and "both unacceptable" answers have no direction).
 */
export function consensusJudgmentsOf(input: Iterable<StatsJudgmentInput>): ConsensusJudgment[] {
  const latest = new Map<string, StatsJudgmentInput>();
  for (const j of input) {
    if (j.state !== null && j.state !== undefined && j.state !== "valid") continue;
    const key = `${String(j.task_id)}\u0000${j.annotator}`;
    latest.delete(key);
    latest.set(key, j);
  }
  const out: ConsensusJudgment[] = [];
  for (const j of latest.values()) {
    if (j.both_unacceptable === true || j.strength === null || j.strength === undefined) continue;
    const models = j.models && j.models.length === 2 ? ([j.models[0] ?? null, j.models[1] ?? null] as const) : null;
    out.push({
      task: j.task_id,
      annotator: j.annotator,
      strength: j.strength,
      displayOrder: j.display_order ?? null,
      models,
      goldStrength: j.gold?.strength ?? null,
    });
  }
  return out;
}

/** The leaderboard's fragility (`fragility.ts`) over pairwise judgments that name both models, as JSON. */
export function leaderFragilityOf(judgments: readonly ConsensusJudgment[]): LeaderFragilityJson | null {
  const votes: ModelVote[] = [];
  for (const j of judgments) {
    const models = j.models;
    if (!models || models[0] === null || models[1] === null || models[0] === models[1]) continue;
    votes.push({ a: models[0], b: models[1], y: firstScore(j.strength) });
  }
  const r = leaderFragility(votes);
  if (r === null) return null;
  return {
    leader: r.leader,
    challenger: r.challenger,
    votes: r.votes,
    approximate: r.approximate,
    total_votes: r.totalVotes,
    refits: r.refits,
  };
}

/** `leader_fragility` of the statistics JSON. */
export interface LeaderFragilityJson {
  readonly leader: string;
  readonly challenger: string | null;
  /** Votes whose removal makes `challenger` first (confirmed by refitting); null when none found. */
  readonly votes: number | null;
  readonly approximate: number | null;
  readonly total_votes: number;
  readonly refits: number;
}

/**
 * Tasks by the uncertainty of their model label (1 − its posterior), highest first, ties by
 * task id; only those whose top posterior is below `below` (1 keeps every task but the certain).
 */
export function rankByUncertainty(labels: readonly TaskConsensus[], below: number): { taskId: number; uncertainty: number }[] {
  return labels
    .map((l) => ({
      taskId: Number(l.task_id),
      uncertainty: Math.round((1 - Math.max(l.posterior.A, l.posterior.tie, l.posterior.B)) * 10000) / 10000,
    }))
    .filter((r) => below >= 1 || 1 - r.uncertainty < below)
    .sort((x, y) => y.uncertainty - x.uncertainty || x.taskId - y.taskId);
}
