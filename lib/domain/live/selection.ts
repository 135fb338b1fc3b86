/**
 * Which endpoints answer a turn, and under which blind label each one is shown.
 *
 * The selection policy is pluggable: a policy maps the endpoint pool, N and a random
 * source to N endpoints (repeats allowed when the pool is smaller than N). `uniform` draws
 * them uniformly; `active` spends the turn where the live leaderboard's intervals shrink
 * most (lib/domain/stats/active-sampling.ts), from a sampling model fitted on the project's
 * live comparisons with endpoints as the models.
 */
import { shuffled, type RandomSource } from "@/lib/domain/assignment";
import { labelOf, type SlotLabel } from "@/lib/domain/live/tree";
import {
  ACTIVE_SAMPLING_FLOOR,
  drawIndex,
  namedPairProbabilities,
  type ModelVote,
  type SamplingModel,
} from "@/lib/domain/stats/active-sampling";
import { firstScore, rankScore } from "@/lib/domain/preference";

export const SELECTION_POLICIES = ["uniform", "active"] as const;
export type SelectionPolicy = (typeof SELECTION_POLICIES)[number];

/** Chooses `n` endpoints (ids) from `pool`; the order is irrelevant, labels are assigned after. */
export type SelectEndpoints = (pool: readonly string[], n: number, random: RandomSource) => string[];

/**
 * Uniform: N distinct endpoints drawn uniformly when the pool has at least N; otherwise
 * every endpoint once and the remaining slots drawn uniformly from the pool (so a pool of
 * two with N = 3 compares one model with itself, which the comparison records).
 */
export const selectUniform: SelectEndpoints = (pool, n, random) => {
  if (pool.length === 0) throw new Error("the endpoint pool is empty");
  const order = shuffled(pool, random);
  if (order.length >= n) return order.slice(0, n);
  const out = order.slice();
  while (out.length < n) out.push(pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))]!);
  return out;
};

/**
 * Active: the first pair of endpoints is drawn with the active-sampling probabilities of the
 * pool's pairs (deficit against the optimal design, with the floor); each further endpoint
 * (N = 3, 4) with probability proportional to the summed probabilities of the pairs it forms
 * with those already chosen, mixed with the same floor, so a ranking turn gathers the
 * endpoints whose comparisons the leaderboard needs. Uniform without a usable fit; repeats
 * as {@link selectUniform} when the pool is smaller than N.
 */
export function selectActive(model: SamplingModel | null, floor: number = ACTIVE_SAMPLING_FLOOR): SelectEndpoints {
  return (pool, n, random) => {
    if (pool.length === 0) throw new Error("the endpoint pool is empty");
    if (pool.length < n || pool.length < 2) return selectUniform(pool, n, random);
    const pairs: [number, number][] = [];
    for (let i = 0; i < pool.length; i++) for (let j = i + 1; j < pool.length; j++) pairs.push([i, j]);
    const probabilities = namedPairProbabilities(
      pairs.map(([i, j]) => [pool[i]!, pool[j]!] as const),
      model,
      "active",
      floor,
    );
    const [first, second] = pairs[drawIndex(probabilities, random)]!;
    const chosen = [first, second];
    const weight = new Map(pairs.map(([i, j], p) => [i * pool.length + j, probabilities[p]!]));
    while (chosen.length < n) {
      const rest = pool.map((_, e) => e).filter((e) => !chosen.includes(e));
      const pull = rest.map((e) => chosen.reduce((s, c) => s + weight.get(Math.min(e, c) * pool.length + Math.max(e, c))!, 0));
      const total = pull.reduce((s, w) => s + w, 0);
      const mixed = pull.map((w) => (1 - floor) * (total > 0 ? w / total : 1 / rest.length) + floor / rest.length);
      chosen.push(rest[drawIndex(mixed, random)]!);
    }
    return chosen.map((e) => pool[e]!);
  };
}

/**
 * The selection function of a policy name; `active` uses `model` (the sampling model of the
 * project's live comparisons, null when there is none yet).
 */
export function selectionPolicy(name: SelectionPolicy, model: SamplingModel | null = null): SelectEndpoints {
  return name === "active" ? selectActive(model) : selectUniform;
}

/** One judged live turn for the sampling model: the endpoint of each reply, slot order, and the answer. */
export interface LiveVoteSource {
  readonly endpoints: readonly (string | null)[];
  readonly strength: number | null;
  readonly ranks: readonly number[] | null;
  readonly bothUnacceptable: boolean;
}

/**
 * Pairwise votes between endpoints from judged live turns: a pairwise turn gives one vote
 * (canonical strength, negative = slot A better), a ranking turn one vote per pair of slots
 * (the better rank wins, equal ranks tie). "All unacceptable" turns and replies of unknown
 * endpoints give none.
 */
export function liveSamplingVotes(turns: readonly LiveVoteSource[]): ModelVote[] {
  const votes: ModelVote[] = [];
  for (const t of turns) {
    if (t.bothUnacceptable) continue;
    const e = t.endpoints;
    if (e.length === 2 && t.strength !== null) {
      if (e[0] && e[1]) votes.push({ a: e[0], b: e[1], y: firstScore(t.strength) });
    } else if (t.ranks && t.ranks.length === e.length) {
      for (let i = 0; i < e.length; i++)
        for (let j = i + 1; j < e.length; j++) {
          if (!e[i] || !e[j]) continue;
          const ri = t.ranks[i]!;
          const rj = t.ranks[j]!;
          votes.push({ a: e[i]!, b: e[j]!, y: rankScore(ri, rj) });
        }
    }
  }
  return votes;
}

/** One slot of a new turn: its blind label and the endpoint that fills it. */
export interface SlotPlan {
  readonly label: SlotLabel;
  readonly endpoint: string;
}

/**
 * Plans the slots of a turn: selects N endpoints by `policy` (`model` for `active`), then
 * shuffles them onto the labels A, B, … so that a label says nothing about the model behind
 * it. Deterministic for a seeded `random`.
 */
export function planSlots(
  pool: readonly string[],
  n: number,
  policy: SelectionPolicy,
  random: RandomSource,
  model: SamplingModel | null = null,
): SlotPlan[] {
  if (!Number.isInteger(n) || n < 2 || n > 4) throw new RangeError("candidates per turn must be 2, 3 or 4");
  const chosen = selectionPolicy(policy, model)(pool, n, random);
  return shuffled(chosen, random).map((endpoint, j) => ({ label: labelOf(j), endpoint }));
}

/** Whether a turn compares replies of different models (false: the same model answered twice or more). */
export function comparesDifferentModels(models: readonly string[]): boolean {
  return new Set(models).size === models.length;
}
