import { describe, expect, it } from "vitest";
import { createRng, fitBtLogistic, leaderFragility, sigmoid, type ModelVote } from "@/lib/domain/stats";

/** `n` Bradley–Terry votes between two different models drawn uniformly, by their true scores. */
function simulateVotes(scores: Record<string, number>, n: number, seed: number): ModelVote[] {
  const rng = createRng(seed);
  const names = Object.keys(scores);
  const votes: ModelVote[] = [];
  for (let i = 0; i < n; i++) {
    const a = names[rng.int(names.length)]!;
    let b = names[rng.int(names.length)]!;
    while (b === a) b = names[rng.int(names.length)]!;
    votes.push({ a, b, y: rng.next() < sigmoid(scores[a]! - scores[b]!) ? 1 : 0 });
  }
  return votes;
}

/** The leader of a set of votes by a refit, or null when first place is shared. */
function leaderOf(votes: readonly ModelVote[]): string | null {
  const names = [...new Set(votes.flatMap((v) => [v.a, v.b]))];
  const fit = fitBtLogistic(
    { models: names.length, a: votes.map((v) => names.indexOf(v.a)), b: votes.map((v) => names.indexOf(v.b)), y: votes.map((v) => v.y) },
    { ridge: 1e-6, covariance: false },
  );
  const order = names.map((n, i) => [n, fit.scores[i]!] as const).sort((p, q) => q[1] - p[1]);
  return order[0]![1] - order[1]![1] > 1e-9 ? order[0]![0] : null;
}

/** Smallest number of votes whose removal dethrones the leader, by trying every subset (small inputs only). */
function bruteForce(votes: readonly ModelVote[], leader: string): number | null {
  const n = votes.length;
  const choose = (k: number, from: number, picked: number[]): boolean => {
    if (picked.length === k) {
      const kept = votes.filter((_, i) => !picked.includes(i));
      const now = leaderOf(kept);
      return now !== null && now !== leader;
    }
    for (let i = from; i < n; i++) if (choose(k, i + 1, [...picked, i])) return true;
    return false;
  };
  for (let k = 1; k <= n; k++) if (choose(k, 0, [])) return k;
  return null;
}

describe("leader fragility (Huang et al. 2025)", () => {
  it("counts the votes a two-model leader can lose: 6–4 needs three of its wins gone", () => {
    const votes: ModelVote[] = [
      ...Array.from({ length: 6 }, () => ({ a: "x", b: "y", y: 1 })),
      ...Array.from({ length: 4 }, () => ({ a: "x", b: "y", y: 0 })),
    ];
    const r = leaderFragility(votes)!;
    expect(r.leader).toBe("x");
    expect(r.challenger).toBe("y");
    // Two removals leave 4–4, a shared first place: the leader is not dethroned until the third.
    expect(r.votes).toBe(3);
    expect(r.removed.every((i) => i < 6)).toBe(true);
    expect(r.totalVotes).toBe(10);
  });

  it("reports a removal that a refit confirms, never fewer votes than the true minimum", () => {
    let checked = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const votes = simulateVotes({ p: 0.4, q: 0, r: -0.3 }, 12, seed);
      const r = leaderFragility(votes);
      const leader = leaderOf(votes);
      if (r === null || leader === null || r.votes === null) continue;
      expect(r.leader).toBe(leader);
      const kept = votes.filter((_, i) => !r.removed.includes(i));
      expect(leaderOf(kept)).toBe(r.challenger);
      expect(r.removed).toHaveLength(r.votes);
      const minimum = bruteForce(votes, leader)!;
      expect(r.votes).toBeGreaterThanOrEqual(minimum);
      expect(r.votes).toBeLessThanOrEqual(minimum + 1);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("finds a clear leader sturdier than a narrow one", () => {
    const simulate = (gap: number, seed: number) => {
      const votes = simulateVotes({ a: gap, b: 0, c: -0.5, d: -1 }, 2000, seed);
      return leaderFragility(votes)!;
    };
    const narrow = simulate(0.08, 1);
    const clear = simulate(0.6, 1);
    expect(narrow.leader).toBe("a");
    expect(clear.leader).toBe("a");
    expect(narrow.votes!).toBeLessThan(clear.votes!);
    expect(narrow.votes!).toBeLessThan(0.05 * narrow.totalVotes);
    // The influence approximation is close for small removals.
    expect(Math.abs(narrow.approximate! - narrow.votes!)).toBeLessThanOrEqual(Math.max(2, 0.2 * narrow.votes!));
  });

  it("has nothing to say about fewer than two models", () => {
    expect(leaderFragility([])).toBeNull();
    expect(leaderFragility([{ a: "x", b: "x", y: 1 }])).toBeNull();
  });
});
