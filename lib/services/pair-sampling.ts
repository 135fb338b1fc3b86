/**
 * Active pair sampling in static projects: with `pairSampling: "active"`, the open pair tasks
 * of an item with more than two candidates are served informative pairs first. This service
 * fits the sampling model on the project's valid pairwise judgments (models as in the
 * leaderboard), weighs each open pair task within its item by its active-sampling probability
 * (floor included; lib/domain/stats/active-sampling.ts) and stores a weighted random key per
 * task (tasks.sampling_rank); the lease (db/functions/arbiter_lease_next_task.sql) walks open
 * tasks by completion level, then by that key. With `uniform` every key is 0 (id order).
 * The background upkeep calls it after judgments arrive (lib/services/project-upkeep.ts);
 * so do `npm run stats:fold`, `npm run pairs:refresh` and a change of the setting.
 * Definitions: docs/statistics.md, "Active pair sampling".
 */
import type { Db } from "@/db/client";
import { clearSamplingRanks, selectOpenTasksForSampling, selectSamplingVotes, setSamplingRanks } from "@/db/queries/pair-sampling";
import { can } from "@/lib/auth/permissions";
import {
  buildSamplingModel,
  pairTaskWeights,
  weightedServingKey,
  type PairSampling,
  type PairTask,
} from "@/lib/domain/stats/active-sampling";
import { forbiddenError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { ProjectSlugInput } from "@/lib/validation/projects";
import { withDefaultSettings } from "@/lib/validation/project-settings";
import type { CliContext, ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";
import { firstScore } from "@/lib/domain/preference";

export type PairSamplingRefresh = {
  policy: PairSampling;
  /** Votes the sampling model was fitted on. */
  votes: number;
  /** Open tasks ranked. */
  tasks: number;
  /** Tasks whose rank changed. */
  changed: number;
};

/** Refreshes a project's serving ranks (see the module notes). Staff with `project.write`, or the CLI. */
export async function refreshPairSampling(ctx: ServiceContext | CliContext, raw: unknown): Promise<PairSamplingRefresh> {
  if (ctx.actor !== null && !can(ctx.actor.role, "project.write")) throw forbiddenError();
  const { projectSlug } = parseInput(ProjectSlugInput, raw);
  const project = await requireProjectFor(ctx, projectSlug);
  return refreshPairSamplingOf(ctx.db, project.id, withDefaultSettings(project.settings).pairSampling);
}

/** {@link refreshPairSampling} for a project already found (callers check access). */
export async function refreshPairSamplingOf(db: Db, projectId: number, policy: PairSampling): Promise<PairSamplingRefresh> {
  if (policy === "uniform") return { policy, votes: 0, tasks: 0, changed: await clearSamplingRanks(db, projectId) };
  const votes = (await selectSamplingVotes(db, projectId))
    .filter((v) => v.model_a !== null && v.model_b !== null && v.model_a !== v.model_b)
    .map((v) => ({ a: v.model_a!, b: v.model_b!, y: firstScore(v.strength) }));
  const model = buildSamplingModel(votes);
  const open = await selectOpenTasksForSampling(db, projectId);
  const pairs: PairTask[] = open
    .filter((t) => t.kind === "pairwise")
    .map((t) => ({ id: Number(t.id), item: Number(t.item_id), a: t.model_a, b: t.model_b }));
  const weights = pairTaskWeights(pairs, model, "active");
  const ranks = open.map((t) => {
    const id = Number(t.id);
    return [id, weightedServingKey(id, weights.get(id) ?? 1)] as const;
  });
  return { policy, votes: votes.length, tasks: ranks.length, changed: await setSamplingRanks(db, projectId, ranks) };
}
