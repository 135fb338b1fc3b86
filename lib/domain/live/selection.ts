/**
 * Which endpoints answer a turn, and under which blind label each one is shown.
 *
 * The selection policy is pluggable: a policy maps the endpoint pool, N and a random
 * source to N endpoints (repeats allowed when the pool is smaller than N). `uniform` is
 * the one policy today; an active policy (pairs where the leaderboard is least sure)
 * plugs in beside it under its own name.
 */
import { shuffled, type RandomSource } from "@/lib/domain/assignment";
import { labelOf, type SlotLabel } from "@/lib/domain/live/tree";

export const SELECTION_POLICIES = ["uniform"] as const;
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

const POLICIES: Record<SelectionPolicy, SelectEndpoints> = { uniform: selectUniform };

/** The selection function of a policy name. */
export function selectionPolicy(name: SelectionPolicy): SelectEndpoints {
  return POLICIES[name];
}

/** One slot of a new turn: its blind label and the endpoint that fills it. */
export interface SlotPlan {
  readonly label: SlotLabel;
  readonly endpoint: string;
}

/**
 * Plans the slots of a turn: selects N endpoints by `policy`, then shuffles them onto the
 * labels A, B, … so that a label says nothing about the model behind it. Deterministic for
 * a seeded `random`.
 */
export function planSlots(pool: readonly string[], n: number, policy: SelectionPolicy, random: RandomSource): SlotPlan[] {
  if (!Number.isInteger(n) || n < 2 || n > 4) throw new RangeError("candidates per turn must be 2, 3 or 4");
  const chosen = selectionPolicy(policy)(pool, n, random);
  return shuffled(chosen, random).map((endpoint, j) => ({ label: labelOf(j), endpoint }));
}

/** Whether a turn compares replies of different models (false: the same model answered twice or more). */
export function comparesDifferentModels(models: readonly string[]): boolean {
  return new Set(models).size === models.length;
}
