import { describe, expect, it } from "vitest";
import { liveSamplingVotes, planSlots, selectActive, selectUniform } from "@/lib/domain/live";
import { ACTIVE_SAMPLING_FLOOR, buildSamplingModel, createRng, sigmoid, type ModelVote } from "@/lib/domain/stats";

/** 100 simulated votes on every pair of four endpoints: a ≈ b in the middle, c far above, d far below. */
function fittedModel() {
  const scores: Record<string, number> = { a: 0, b: 0.1, c: 2.5, d: -2.5 };
  const rng = createRng(3);
  const votes: ModelVote[] = [];
  const names = Object.keys(scores);
  for (let i = 0; i < 4; i++)
    for (let j = i + 1; j < 4; j++)
      for (let k = 0; k < 100; k++) {
        const [x, y] = [names[i]!, names[j]!];
        votes.push({ a: x, b: y, y: rng.next() < sigmoid(scores[x]! - scores[y]!) ? 1 : 0 });
      }
  return buildSamplingModel(votes);
}

describe("live endpoint selection: active", () => {
  const model = fittedModel();
  const pool = ["a", "b", "c", "d"];

  function pairShare(select: typeof selectUniform, draws: number, seed: number): Map<string, number> {
    const rng = createRng(seed);
    const counts = new Map<string, number>();
    for (let t = 0; t < draws; t++) {
      const key = select(pool, 2, () => rng.next())
        .slice()
        .sort()
        .join("");
      counts.set(key, (counts.get(key) ?? 0) + 1 / draws);
    }
    return counts;
  }

  it("spends few turns on the lopsided pair, which uniform selection gives a sixth", () => {
    // Active: c–d takes only the floor, 0.2 / 6 ≈ 0.033; uniform: 1/6. With 4,000 draws the
    // standard error is under 0.006, so the margins below cannot be crossed by chance.
    const active = pairShare(selectActive(model), 4000, 11);
    const uniform = pairShare(selectUniform, 4000, 11);
    expect(active.get("cd") ?? 0).toBeLessThan(ACTIVE_SAMPLING_FLOOR / 6 + 0.02);
    expect(uniform.get("cd") ?? 0).toBeGreaterThan(1 / 6 - 0.03);
    for (const pair of ["ac", "ad", "bc", "bd"]) expect(active.get(pair) ?? 0).toBeGreaterThan(0.12);
  });

  it("chooses distinct endpoints for a ranking turn, reproducibly, and is uniform without a fit", () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => selectActive(model)(pool, 3, () => rng.next()));
    };
    for (const chosen of run(5)) expect(new Set(chosen).size).toBe(3);
    expect(run(5)).toEqual(run(5));
    const plan = planSlots(pool, 4, "active", Math.random, model);
    expect(plan.map((p) => p.endpoint).sort()).toEqual(pool);
    expect(selectActive(model)(["a", "b"], 3, Math.random)).toHaveLength(3);
    const blind = pairShare(selectActive(null), 3000, 2);
    for (const share of blind.values()) expect(Math.abs(share - 1 / 6)).toBeLessThan(0.03);
  });

  it("reads votes from judged turns: strengths, rankings, no preference, unknown endpoints", () => {
    expect(
      liveSamplingVotes([
        { endpoints: ["1", "2"], strength: -2, ranks: null, bothUnacceptable: false },
        { endpoints: ["1", "2"], strength: 0, ranks: null, bothUnacceptable: false },
        { endpoints: ["1", "2"], strength: 3, ranks: null, bothUnacceptable: true },
        { endpoints: ["1", null], strength: 1, ranks: null, bothUnacceptable: false },
        { endpoints: ["3", "1", "2"], strength: null, ranks: [2, 1, 2], bothUnacceptable: false },
      ]),
    ).toEqual([
      { a: "1", b: "2", y: 1 },
      { a: "1", b: "2", y: 0.5 },
      { a: "3", b: "1", y: 0 },
      { a: "3", b: "2", y: 0.5 },
      { a: "1", b: "2", y: 1 },
    ]);
  });
});
