import { describe, expect, it } from "vitest";
import {
  ACTIVE_SAMPLING_FLOOR,
  buildSamplingModel,
  choosePair,
  contrastVariance,
  createRng,
  fitBtLogistic,
  pairProbabilities,
  sigmoid,
  type ModelVote,
} from "@/lib/domain/stats";

function votes(scores: Record<string, number>, pairs: [string, string, number][], seed: number): ModelVote[] {
  const rng = createRng(seed);
  const out: ModelVote[] = [];
  for (const [a, b, n] of pairs) {
    for (let i = 0; i < n; i++) out.push({ a, b, y: rng.next() < sigmoid(scores[a]! - scores[b]!) ? 1 : 0 });
  }
  return out;
}

describe("logistic Bradley–Terry with sandwich covariance", () => {
  it("solves two models in closed form and gives the delta-method variance", () => {
    // 30 wins of x, 10 of y: ŝ_x − ŝ_y = log 3; sandwich variance = Σ(y − p)² / (Σ p(1 − p))² = 1 / (n p (1 − p)).
    const a = Array(40).fill(0);
    const b = Array(40).fill(1);
    const y = [...Array(30).fill(1), ...Array(10).fill(0)];
    const fit = fitBtLogistic({ models: 2, a, b, y }, { ridge: 0 });
    expect(fit.scores[0]! - fit.scores[1]!).toBeCloseTo(Math.log(3), 9);
    expect(contrastVariance(fit.covariance!, 2, 0, 1)).toBeCloseTo(1 / (40 * 0.75 * 0.25), 9);
  });
});

describe("active pair sampling (Chiang et al. 2024, Eq. 9)", () => {
  const scores = { a: 0, b: 0.1, c: 2.5, d: -2.5 };
  const data = votes(
    scores,
    [
      ["a", "b", 100],
      ["a", "c", 100],
      ["a", "d", 100],
      ["b", "c", 100],
      ["b", "d", 100],
      ["c", "d", 100],
    ],
    3,
  );
  const model = buildSamplingModel(data);

  it("spends votes where the interval shrinks most: close pairs over lopsided ones", () => {
    const { pairs, probabilities } = pairProbabilities(["a", "b", "c", "d"], model, "active");
    const p = (x: number, y: number) => probabilities[pairs.findIndex(([i, j]) => i === x && j === y)]!;
    expect(p(0, 1)).toBeGreaterThan(p(2, 3) * 2);
    expect(p(0, 1)).toBeGreaterThan(p(0, 2));
    expect(probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it("keeps a floor under every pair", () => {
    const { probabilities } = pairProbabilities(["a", "b", "c", "d"], model, "active", 0.3);
    for (const q of probabilities) expect(q).toBeGreaterThanOrEqual(0.3 / 6 - 1e-12);
    expect(ACTIVE_SAMPLING_FLOOR).toBeGreaterThan(0);
  });

  it("favours a pair never compared directly, and a model it has not seen", () => {
    const sparse = buildSamplingModel(
      votes(
        scores,
        [
          ["a", "b", 50],
          ["b", "c", 50],
          ["c", "d", 50],
        ],
        5,
      ),
    );
    const { pairs, probabilities } = pairProbabilities(["a", "b", "c", "d"], sparse, "active", 0);
    const p = (x: number, y: number) => probabilities[pairs.findIndex(([i, j]) => i === x && j === y)]!;
    expect(p(0, 3)).toBeGreaterThan(p(0, 1));
    const unknown = pairProbabilities(["a", "b", "new"], sparse, "active", 0).probabilities;
    expect(unknown[1]).toBeGreaterThanOrEqual(unknown[0]!);
    expect(unknown[2]).toBeGreaterThanOrEqual(unknown[0]!);
  });

  it("is uniform when asked, without a fit, and for candidates of one model beyond the floor", () => {
    expect(pairProbabilities(["a", "b", "c"], model, "uniform").probabilities).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(pairProbabilities(["a", "b", "c"], null, "active").probabilities).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(pairProbabilities(["a", "b", "c"], buildSamplingModel([]), "active").probabilities).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const same = pairProbabilities(["a", "a", "b"], model, "active", 0.3).probabilities;
    expect(same[0]).toBeCloseTo(0.1, 12);
  });

  it("draws pairs with those probabilities, reproducibly for a seed", () => {
    const candidates = ["a", "b", "c", "d"];
    const { pairs, probabilities } = pairProbabilities(candidates, model, "active");
    const rng = createRng(42);
    const counts = new Map<string, number>();
    const draws = 20000;
    for (let i = 0; i < draws; i++) {
      const key = choosePair(candidates, model, "active", rng).join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    pairs.forEach((pair, i) => expect(Math.abs((counts.get(pair.join()) ?? 0) / draws - probabilities[i]!)).toBeLessThan(0.015));
    const again = (seed: number) => Array.from({ length: 5 }, (_, __, r = createRng(seed)) => choosePair(candidates, model, "active", r));
    expect(again(7)).toEqual(again(7));
    expect(() => choosePair(["a"], model, "active", rng)).toThrow(/two candidates/);
  });
});
