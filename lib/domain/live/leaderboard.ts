/**
 * Which live comparisons feed the model leaderboard. By default only the first turn of
 * each branch counts: a later turn answers a context partly written by earlier winners
 * (their style, their facts), which favours the models that won before. An option takes
 * every turn, and the result says which basis it used. Each comparison records whether
 * its replies came from different models or one model (a pool smaller than N, or a
 * repeat), and "all unacceptable" turns carry no preference.
 */

/** One judged live turn as the leaderboard sees it. */
export interface LiveComparison {
  /** Model of each compared reply, slot order. */
  readonly models: readonly string[];
  readonly strength: number | null;
  readonly ranks: readonly number[] | null;
  readonly bothUnacceptable: boolean;
  readonly firstOfBranch: boolean;
}

export type LiveLeaderboardBasis = "first_turn_of_branch" | "all_turns";

export interface LiveLeaderboardInput {
  /** Entries as `itemComparisons` takes them: [models, strength or ranks, count]. */
  readonly entries: (readonly [readonly string[], number | readonly number[], number])[];
  readonly basis: LiveLeaderboardBasis;
  /** Judged turns considered under the basis. */
  readonly comparisons: number;
  /** Of those, comparisons between replies of one model only (they rank nothing). */
  readonly sameModel: number;
  /** Of those, comparisons with at least two different models. */
  readonly differentModels: number;
  /** Judged turns left out: later turns of a branch (first-turn basis). */
  readonly laterTurnsLeftOut: number;
  /** "All unacceptable" turns (no preference). */
  readonly noPreference: number;
}

/** The leaderboard's input from live comparisons under `basis` (see the module comment). */
export function liveLeaderboardInput(
  turns: readonly LiveComparison[],
  basis: LiveLeaderboardBasis = "first_turn_of_branch",
): LiveLeaderboardInput {
  const entries: (readonly [readonly string[], number | readonly number[], number])[] = [];
  let comparisons = 0;
  let sameModel = 0;
  let laterTurnsLeftOut = 0;
  let noPreference = 0;
  for (const t of turns) {
    if (basis === "first_turn_of_branch" && !t.firstOfBranch) {
      laterTurnsLeftOut++;
      continue;
    }
    comparisons++;
    if (new Set(t.models).size === 1) sameModel++;
    if (t.bothUnacceptable) {
      noPreference++;
      continue;
    }
    if (t.models.length === 2 && t.strength !== null) entries.push([t.models, t.strength, 1]);
    else if (t.ranks && t.ranks.length === t.models.length) entries.push([t.models, t.ranks, 1]);
  }
  return { entries, basis, comparisons, sameModel, differentModels: comparisons - sameModel, laterTurnsLeftOut, noPreference };
}
