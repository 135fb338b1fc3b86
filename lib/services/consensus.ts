/**
 * The annotator models of a project's dashboard and statistics API: Dawid–Skene, MACE or
 * majority vote on the direction label, noisy Bradley–Terry reliability and position bias
 * per annotator, and the leaderboard's fragility, over the valid pairwise judgments under the
 * dashboard's filters. Computed by the pure library (lib/domain/stats/consensus.ts).
 * Definitions: docs/statistics.md, "Consensus".
 */
import { raiseTaskOverlap, selectConsensusJudgments } from "@/db/queries/consensus";
import { can } from "@/lib/auth/permissions";
import {
  computeConsensus,
  leaderFragilityOf,
  type ConsensusAnnotator,
  type ConsensusJudgment,
  type ConsensusReport,
  type LeaderFragilityJson,
  type TaskConsensus,
} from "@/lib/domain/stats/consensus";
import { forbiddenError, notFoundError } from "@/lib/errors";
import { ConsensusMethodInput } from "@/lib/validation/consensus";
import { parseInput } from "@/lib/validation/parse";
import { ProjectSlugInput } from "@/lib/validation/projects";
import { StatsInput } from "@/lib/validation/stats";
import { withDefaultSettings } from "@/lib/validation/project-settings";
import { recordProjectAudit, recordSystemProjectAudit } from "./audit";
import type { CliContext, ServiceContext } from "./context";
import { findProjectFor, requireProjectFor } from "./project-access";

/** An annotator row with who it is (staff see names; the fit itself keys by user id). */
export type ProjectConsensusAnnotator = ConsensusAnnotator & { id: number; name: string; email: string };

export type ProjectConsensus = {
  consensus: Omit<ConsensusReport, "annotators"> & { annotators: ProjectConsensusAnnotator[] };
  leader_fragility: LeaderFragilityJson | null;
};

/** Seed of MACE's restarts on the dashboard (the CLI's default). */
export const CONSENSUS_SEED = 1;

/**
 * Fits the chosen annotator model over a project's judgments under the dashboard's filters
 * (`raw` = StatsInput fields plus `consensus`). Staff only ("stats.read").
 */
export async function getProjectConsensus(ctx: ServiceContext, raw: unknown): Promise<ProjectConsensus> {
  const fit = await fitProjectConsensus(ctx, raw);
  return { consensus: fit.consensus, leader_fragility: fit.leader_fragility };
}

/**
 * As {@link getProjectConsensus}, plus each task's label and posterior (the review queue ranks
 * by it). `fragility: false` skips the leader's fragility (refits), for callers that need
 * only the labels.
 */
export async function fitProjectConsensus(
  ctx: ServiceContext | CliContext,
  raw: unknown,
  options: { fragility?: boolean } = {},
): Promise<ProjectConsensus & { labels: TaskConsensus[] }> {
  if (ctx.actor !== null && !can(ctx.actor.role, "stats.read")) throw forbiddenError();
  const input = parseInput(StatsInput, stripMethod(raw));
  const { consensus: method } = parseInput(ConsensusMethodInput, { consensus: (raw as { consensus?: unknown } | null)?.consensus });
  const project = await findProjectFor(ctx, input.projectSlug);
  if (!project) throw notFoundError(`The project "${input.projectSlug}"`);
  const rows = await selectConsensusJudgments(ctx.db, {
    projectId: project.id,
    from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
    to: input.to ? new Date(new Date(`${input.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    character: input.character,
    model: input.model,
    annotatorId: input.annotator,
  });
  const people = new Map<string, { id: number; name: string; email: string }>();
  const judgments: ConsensusJudgment[] = rows.map((r) => {
    const key = String(r.annotatorId);
    if (!people.has(key)) people.set(key, { id: r.annotatorId, name: r.annotatorName, email: r.annotatorEmail });
    return {
      task: r.taskId,
      annotator: key,
      strength: r.strength,
      displayOrder: r.displayOrder,
      models: [r.modelA, r.modelB],
      goldStrength: r.goldStrength,
    };
  });
  const { report, labels } = computeConsensus(judgments, method, { seed: CONSENSUS_SEED });
  return {
    consensus: { ...report, annotators: report.annotators.map((a) => ({ ...a, ...people.get(a.annotator)! })) },
    leader_fragility: options.fragility === false ? null : leaderFragilityOf(judgments),
    labels,
  };
}

function stripMethod(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return raw;
  const { consensus: _method, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/** One row of the dashboard's annotator-model table: Dawid–Skene, MACE and noisy Bradley–Terry side by side. */
export type AnnotatorModelRow = {
  id: number;
  name: string;
  email: string;
  judgments: number;
  /** Dawid–Skene accuracy and confusion (rows = true direction). */
  accuracy: number;
  confusion: ConsensusAnnotator["confusion"];
  /** MACE competence θ. */
  competence: number | null;
  /** Noisy Bradley–Terry P(left between equal replies) and reliability, with 95% intervals. */
  positionBias: ConsensusAnnotator["position_bias"];
  reliability: ConsensusAnnotator["reliability"];
  /** Union of both models' flags. */
  flags: string[];
};

export type AnnotatorModels = {
  rows: AnnotatorModelRow[];
  dawidSkene: { iterations: number; converged: boolean; uncertainTasks: number; tasks: number };
  mace: { iterations: number; converged: boolean };
  fragility: LeaderFragilityJson | null;
};

/**
 * The dashboard's annotator models under its filters: Dawid–Skene and MACE fitted on the
 * same judgments, noisy Bradley–Terry position bias, and the leader's fragility. Staff only.
 */
export async function getAnnotatorModels(ctx: ServiceContext, raw: unknown): Promise<AnnotatorModels> {
  const filters = stripMethod(raw);
  const ds = await fitProjectConsensus(ctx, { ...(filters as object), consensus: "dawid-skene" });
  const mace = await fitProjectConsensus(ctx, { ...(filters as object), consensus: "mace" });
  const maceBy = new Map(mace.consensus.annotators.map((a) => [a.id, a]));
  const rows = ds.consensus.annotators.map((a): AnnotatorModelRow => {
    const m = maceBy.get(a.id);
    return {
      id: a.id,
      name: a.name,
      email: a.email,
      judgments: a.judgments,
      accuracy: a.accuracy,
      confusion: a.confusion,
      competence: m?.competence ?? null,
      positionBias: a.position_bias,
      reliability: a.reliability,
      flags: [...new Set([...a.flags, ...(m?.flags ?? [])])].sort(),
    };
  });
  return {
    rows,
    dawidSkene: {
      iterations: ds.consensus.iterations,
      converged: ds.consensus.converged,
      uncertainTasks: ds.consensus.uncertain_tasks,
      tasks: ds.consensus.tasks,
    },
    mace: { iterations: mace.consensus.iterations, converged: mace.consensus.converged },
    fragility: ds.leader_fragility,
  };
}

export type ExtendResult = {
  /** Tasks whose overlap was raised by one. */
  extended: number[];
  /** Complete tasks below the posterior threshold (before the cap on extra judgments). */
  uncertain: number;
  method: "majority" | "dawid-skene" | "mace";
  minPosterior: number;
  maxExtra: number;
};

/**
 * Adaptive overlap: fits the project's consensus model (its `adaptiveOverlap.method`) over
 * all valid pairwise judgments and asks one more judgment of every complete task whose top
 * posterior is below `adaptiveOverlap.minPosterior`, up to `adaptiveOverlap.extra` extra
 * judgments per task. The engine then serves those tasks like any other. The background
 * upkeep runs it after judgments arrive (lib/services/project-upkeep.ts, `automatic`);
 * `npm run overlap:extend` and the dashboard's button run it at once. A no-op when the
 * project's `adaptiveOverlap.extra` is 0. Permission "task.extend". Audited when it changed
 * something: as the actor's change, or as the platform's own (no actor) when `automatic`.
 */
export async function extendUncertainTasks(
  ctx: ServiceContext | CliContext,
  raw: unknown,
  options: { automatic?: boolean } = {},
): Promise<ExtendResult> {
  if (ctx.actor !== null && !can(ctx.actor.role, "task.extend")) throw forbiddenError();
  const { projectSlug } = parseInput(ProjectSlugInput, raw);
  const project = await requireProjectFor(ctx, projectSlug);
  const settings = withDefaultSettings(project.settings).adaptiveOverlap;
  const base = { method: settings.method, minPosterior: settings.minPosterior, maxExtra: settings.extra };
  if (settings.extra === 0) return { extended: [], uncertain: 0, ...base };
  const fitted = await fitProjectConsensus(ctx, { projectSlug, consensus: settings.method }, { fragility: false });
  const uncertainIds = fitted.labels
    .filter((l) => Math.max(l.posterior.A, l.posterior.tie, l.posterior.B) < settings.minPosterior)
    .map((l) => Number(l.task_id));
  const extended = await raiseTaskOverlap(ctx.db, project.id, uncertainIds, settings.extra);
  if (extended.length > 0) {
    const details = { tasks: extended.length, ...base };
    if (ctx.actor !== null) await recordProjectAudit({ db: ctx.db, actor: ctx.actor }, "task.extend", project.id, details);
    else if (options.automatic) await recordSystemProjectAudit(ctx.db, "task.extend", project.id, { automatic: true, ...details });
  }
  return { extended, uncertain: uncertainIds.length, ...base };
}
