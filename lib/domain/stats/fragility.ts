/**
 * How fragile is the leader? The smallest number of votes whose removal changes which model
 * is first, following Huang, Broderick et al. 2025 ("Dropping just a handful of preferences
 * can change top large language model rankings"), who apply the approximate maximum
 * influence perturbation of Broderick, Giordano & Meager (2020) to Bradley–Terry leaderboards.
 *
 * 1. Fit the logistic Bradley–Terry model (`bt-logistic.ts`) on all votes; the leader ℓ has
 *    the highest score.
 * 2. For each challenger c, the influence of dropping vote v on the gap s_ℓ − s_c is, to
 *    first order (one Newton step from the full fit),
 *        Δ_v = −(e_ℓ − e_c)ᵀ H⁻ g_v,   g_v = (y_v − p_v) x_v,
 *    the vote's own gradient. Sorting votes by Δ_v and adding them up until the gap closes
 *    gives the approximate count k̃ for c.
 * 3. The approximation is confirmed by refitting without the first k votes of that order:
 *    from k̃, k is lowered while the leader still changes and raised until it does, so the
 *    reported count is one at which a refit really dethrones the leader.
 * The answer is an upper bound on the true minimum (a greedy order, not a search over all
 * subsets), and exact for the order it reports; `removed` lists the votes.
 */

import { fitBtLogistic, type BtVotes } from "./bt-logistic";
import { sigmoid } from "./linear-algebra";
import type { ModelVote } from "./active-sampling";

/** Options of {@link leaderFragility}. */
export interface FragilityOptions {
  /** Challengers tried, by smallest approximate count (default 3). */
  readonly challengers?: number;
  /** Refits allowed per challenger (default 60). */
  readonly maxRefits?: number;
}

/** The answer. */
export interface LeaderFragility {
  readonly leader: string;
  /** The model that becomes first once the votes are removed. */
  readonly challenger: string | null;
  /** Votes whose removal changes the leader, confirmed by refitting; null when none found. */
  readonly votes: number | null;
  /** The influence approximation's count for that challenger (before confirming). */
  readonly approximate: number | null;
  /** Indices (into the input) of the removed votes. */
  readonly removed: number[];
  readonly totalVotes: number;
  /** Refits made to confirm. */
  readonly refits: number;
}

/** Finds how many votes it takes to change the leader (see the module notes). Null with fewer than two models. */
export function leaderFragility(input: readonly ModelVote[], options: FragilityOptions = {}): LeaderFragility | null {
  const maxRefits = options.maxRefits ?? 60;
  const names: string[] = [];
  const index = new Map<string, number>();
  const kept: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const y: number[] = [];
  input.forEach((v, i) => {
    if (v.a === v.b) return;
    for (const name of [v.a, v.b]) {
      if (!index.has(name)) {
        index.set(name, names.length);
        names.push(name);
      }
    }
    kept.push(i);
    a.push(index.get(v.a)!);
    b.push(index.get(v.b)!);
    y.push(v.y);
  });
  const m = names.length;
  if (m < 2) return null;
  const votes: BtVotes = { models: m, a, b, y };
  const fitOpts = { ridge: 1e-6, covariance: false } as const;
  const full = fitBtLogistic(votes, fitOpts);
  if (full.hessianInverse === null) return null;
  const leaderOf = (s: Float64Array) => {
    let best = 0;
    for (let i = 1; i < m; i++) if (s[i]! > s[best]!) best = i;
    return best;
  };
  const leader = leaderOf(full.scores);
  const hInv = full.hessianInverse;
  const n = a.length;

  type Plan = { challenger: number; order: number[]; approximate: number | null };
  const plans: Plan[] = [];
  for (let c = 0; c < m; c++) {
    if (c === leader) continue;
    // u = H⁻ (e_ℓ − e_c); Δ_v = −uᵀ g_v = −(y_v − p_v)(u_a − u_b).
    const u = new Float64Array(m);
    for (let i = 0; i < m; i++) u[i] = hInv[i * m + leader]! - hInv[i * m + c]!;
    const delta = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      const p = sigmoid(full.scores[a[v]!]! - full.scores[b[v]!]!);
      delta[v] = -(y[v]! - p) * (u[a[v]!]! - u[b[v]!]!);
    }
    const order = Array.from({ length: n }, (_, v) => v)
      .filter((v) => delta[v]! < 0)
      .sort((x, z) => delta[x]! - delta[z]! || x - z);
    let gap = full.scores[leader]! - full.scores[c]!;
    let approximate: number | null = null;
    for (let k = 0; k < order.length; k++) {
      gap += delta[order[k]!]!;
      if (gap <= 0) {
        approximate = k + 1;
        break;
      }
    }
    plans.push({ challenger: c, order, approximate });
  }
  plans.sort((p, q) => (p.approximate ?? Infinity) - (q.approximate ?? Infinity) || p.challenger - q.challenger);

  let refits = 0;
  let best: { challenger: number; votes: number; approximate: number | null; removed: number[] } | null = null;
  for (const plan of plans.slice(0, options.challengers ?? 3)) {
    const w = new Float64Array(n);
    let budget = maxRefits;
    /** The new leader after dropping the first k votes of the order, or null when unchanged. */
    const flipsAt = (k: number): number | null => {
      w.fill(1);
      for (let i = 0; i < k; i++) w[plan.order[i]!] = 0;
      refits++;
      budget--;
      const fit = fitBtLogistic({ ...votes, w }, fitOpts, full.scores);
      // Dethroned means strictly behind: a tie for first leaves the leader where it was.
      const now = leaderOf(fit.scores);
      return fit.scores[now]! > fit.scores[leader]! + 1e-9 ? now : null;
    };
    const limit = plan.order.length;
    if (limit === 0) continue;
    let k = Math.min(Math.max(plan.approximate ?? limit, 1), limit);
    let winner = flipsAt(k);
    let known = 0; // the largest k known not to change the leader
    let step = 1;
    while (winner === null && k < limit && budget > 0) {
      known = k;
      k = Math.min(k + step, limit);
      winner = flipsAt(k);
      if (maxRefits - budget > 20) step *= 2;
    }
    while (winner !== null && k - 1 > known && budget > 0) {
      const lower = flipsAt(k - 1);
      if (lower === null) break;
      k--;
      winner = lower;
    }
    if (winner !== null && (best === null || k < best.votes)) {
      best = { challenger: winner, votes: k, approximate: plan.approximate, removed: plan.order.slice(0, k).map((v) => kept[v]!) };
    }
  }
  return {
    leader: names[leader]!,
    challenger: best === null ? null : names[best.challenger]!,
    votes: best === null ? null : best.votes,
    approximate: best === null ? (plans[0]?.approximate ?? null) : best.approximate,
    removed: best === null ? [] : best.removed.sort((x, z) => x - z),
    totalVotes: n,
    refits,
  };
}
