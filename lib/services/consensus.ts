/**
 * The annotator models of a project's dashboard and statistics API: Dawid–Skene, MACE or
 * majority vote on the direction label, noisy Bradley–Terry reliability and position bias
 * per annotator, and the leaderboard's fragility, over the valid pairwise judgments under the
 * dashboard's filters. Computed by the pure library (lib/domain/stats/consensus.ts).
 * Definitions: docs/statistics.md, "Consensus".
 */
import { selectConsensusJudgments } from "@/db/queries/consensus";
import { getProjectBySlug } from "@/db/queries/projects";
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
import { StatsInput } from "@/lib/validation/stats";
import type { ServiceContext } from "./context";
import { findProjectFor } from "./project-access";

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

/** As {@link getProjectConsensus}, plus each task's label and posterior (the review queue ranks by it). */
export async function fitProjectConsensus(
  ctx: ServiceContext,
  raw: unknown,
): Promise<ProjectConsensus & { labels: TaskConsensus[] }> {
  if (!can(ctx.actor.role, "stats.read")) throw forbiddenError();
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
    leader_fragility: leaderFragilityOf(judgments),
    labels,
  };
}

function stripMethod(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return raw;
  const { consensus: _method, ...rest } = raw as Record<string, unknown>;
  return rest;
}
