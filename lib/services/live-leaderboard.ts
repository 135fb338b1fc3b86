/**
 * The model leaderboard of a live project: Bradley–Terry with bootstrap intervals over the
 * live comparisons, from the first turn of each branch by default (see
 * lib/domain/live/leaderboard.ts), every turn on request; the answer names its basis.
 */
import { listLiveComparisons } from "@/db/queries/live";
import { can } from "@/lib/auth/permissions";
import { liveLeaderboardInput, type LiveLeaderboardBasis } from "@/lib/domain/live";
import { bradleyTerryFromItems, itemComparisons } from "@/lib/domain/stats/aggregated";
import { conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import type { ServiceContext } from "./context";
import { findProjectFor } from "./project-access";
import { leaderboardStatsOf, STATS_BOOTSTRAP, type LeaderboardStats } from "./stats";

export type LiveLeaderboard = {
  basis: LiveLeaderboardBasis;
  /** What the basis means, for the dashboard and API readers. */
  note: string;
  comparisons: number;
  sameModel: number;
  differentModels: number;
  laterTurnsLeftOut: number;
  noPreference: number;
  /** The Bradley–Terry fit (null before two models have met), as the dashboard's leaderboard. */
  leaderboard: LeaderboardStats | null;
};

const NOTES: Record<LiveLeaderboardBasis, string> = {
  first_turn_of_branch: "First turn of each branch only: later turns answer contexts partly written by earlier winners.",
  all_turns: "All turns: later turns answer contexts partly written by earlier winners, which favours models that won before.",
};

/** Staff with `stats.read`. `allTurns`: every judged turn instead of first turns of branches. */
export async function getLiveLeaderboard(
  ctx: ServiceContext,
  params: { projectSlug: string; allTurns?: boolean },
): Promise<LiveLeaderboard> {
  if (!can(ctx.actor.role, "stats.read")) throw forbiddenError();
  const project = await findProjectFor(ctx, params.projectSlug);
  if (!project) throw notFoundError(`The project "${params.projectSlug}"`);
  if (project.kind !== "live") throw conflictError("This is not a live project.");
  const rows = await listLiveComparisons(ctx.db, project.id);
  const basis: LiveLeaderboardBasis = params.allTurns ? "all_turns" : "first_turn_of_branch";
  const input = liveLeaderboardInput(
    rows.map((r) => ({
      models: r.models ?? [],
      strength: r.strength,
      ranks: r.ranks,
      bothUnacceptable: r.both_unacceptable,
      firstOfBranch: r.first_of_branch,
    })),
    basis,
  );
  const modelIndex = new Map<string, number>();
  const items = input.entries.map((e) => itemComparisons(1, [e], modelIndex));
  const board = items.length > 0 && modelIndex.size > 1 ? bradleyTerryFromItems(items, [...modelIndex.keys()], STATS_BOOTSTRAP) : null;
  return {
    basis,
    note: NOTES[basis],
    comparisons: input.comparisons,
    sameModel: input.sameModel,
    differentModels: input.differentModels,
    laterTurnsLeftOut: input.laterTurnsLeftOut,
    noPreference: input.noPreference,
    leaderboard: board ? leaderboardStatsOf(board) : null,
  };
}
