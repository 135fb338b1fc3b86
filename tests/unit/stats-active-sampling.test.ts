import { describe, expect, it } from "vitest";
import {
  ACTIVE_SAMPLING_FLOOR,
  designMeanSd,
  optimalDesign,
  pairTaskWeights,
  samplingModelFromVotes,
  uniformDesign,
  buildSamplingModel,
  choosePair,
  contrastVariance,
  createRng,
  fitBtLogistic,
  pairProbabilities,
  sigmoid,
  weightedServingKey,
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

describe("active pair sampling (optimal design for the rating intervals)", () => {
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

  it("spends votes where the rating intervals shrink most: not on the lopsided pair", () => {
    // c and d sit 2.5 log-odds either side of a ≈ b: their votes against each other say
    // almost nothing (p(1 − p) ≈ 0.007), while c's and d's wide intervals need the middle.
    const { pairs, probabilities } = pairProbabilities(["a", "b", "c", "d"], model, "active");
    const p = (x: number, y: number) => probabilities[pairs.findIndex(([i, j]) => i === x && j === y)]!;
    expect(p(2, 3)).toBeCloseTo(ACTIVE_SAMPLING_FLOOR / 6, 12);
    for (const [x, y] of [
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ] as const)
      expect(p(x, y)).toBeGreaterThan(3 * p(2, 3));
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

describe("optimal design for the mean rating interval width", () => {
  const m = 6;
  const scores = [-2.4, -1.1, 0, 0.2, 1.5, 3];
  const lower = 0.2 / 15;
  const design = optimalDesign(scores, lower);

  /** Φ's directional derivative per pair, by finite differences of designMeanSd (independent of the module's formula). */
  function gain(d: Float64Array, i: number, j: number): number {
    const h = 1e-6;
    const e = Float64Array.from(d);
    e[i * m + j]! += h;
    e[j * m + i]! += h;
    return (designMeanSd(scores, d)! - designMeanSd(scores, e)!) / h;
  }

  it("is a design: symmetric shares at least the bound, summing to 1", () => {
    let total = 0;
    for (let i = 0; i < m; i++)
      for (let j = i + 1; j < m; j++) {
        expect(design[i * m + j]).toBe(design[j * m + i]);
        expect(design[i * m + j]).toBeGreaterThanOrEqual(lower - 1e-12);
        total += design[i * m + j]!;
      }
    expect(total).toBeCloseTo(1, 9);
  });

  it("meets the equivalence theorem: equal gains above the bound, no larger gain at it", () => {
    const free: number[] = [];
    const bound: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) (design[i * m + j]! > lower * 1.05 ? free : bound).push(gain(design, i, j));
    expect(free.length).toBeGreaterThan(2);
    const top = Math.max(...free);
    for (const g of free) expect(g / top).toBeGreaterThan(0.98);
    for (const g of bound) expect(g).toBeLessThan(top * 1.02);
  });

  it("beats the uniform design and any nearby design (to the algorithm's convergence, 1e-4)", () => {
    const best = designMeanSd(scores, design)!;
    expect(best).toBeLessThan(designMeanSd(scores, uniformDesign(m))! * 0.97);
    const rng = createRng(11);
    for (let t = 0; t < 50; t++) {
      const d = Float64Array.from(design);
      const i = rng.int(m - 1);
      const j = i + 1 + rng.int(m - 1 - i);
      const k = rng.int(m - 1);
      const l = k + 1 + rng.int(m - 1 - k);
      const move = Math.min(0.01, d[k * m + l]! - lower);
      for (const [x, y, s] of [
        [i, j, move],
        [k, l, -move],
      ] as const) {
        d[x * m + y]! += s;
        d[y * m + x]! += s;
      }
      expect(designMeanSd(scores, d)!).toBeGreaterThan(best * (1 - 1e-4));
    }
  });

  it("is uniform when every model is equally strong", () => {
    const flat = optimalDesign([0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(flat[i * 4 + j]).toBeCloseTo(1 / 6, 6);
  });

  it("is reached by sampling: refitting as votes arrive, the realised shares approach it", () => {
    const names = scores.map((_, i) => `m${i}`);
    const rng = createRng(5);
    const a: number[] = [];
    const b: number[] = [];
    const y: number[] = [];
    let fitted = null as ReturnType<typeof samplingModelFromVotes> | null;
    for (let v = 0; v < 6000; v++) {
      if (v > 0 && v % 100 === 0) fitted = samplingModelFromVotes(names, { models: m, a, b, y });
      const [i, j] = choosePair(names, fitted, "active", rng);
      a.push(i);
      b.push(j);
      y.push(rng.next() < sigmoid(scores[i]! - scores[j]!) ? 1 : 0);
    }
    const counts = new Float64Array(m * m);
    for (let v = 0; v < a.length; v++) counts[a[v]! * m + b[v]!]! += 1 / a.length;
    for (let i = 0; i < m; i++)
      for (let j = i + 1; j < m; j++) expect(Math.abs(counts[i * m + j]! - design[i * m + j]!)).toBeLessThan(0.03);
    // Realised, the design's mean sd is within 2 % of the optimum and well below uniform's.
    const realised = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) realised[i * m + j] = realised[j * m + i] = counts[i * m + j]!;
    expect(designMeanSd(scores, realised)!).toBeLessThan(designMeanSd(scores, design)! * 1.02);
  });
});

describe("pair task weights and serving keys (the assignment engine's order)", () => {
  const scores = { a: 0, b: 0.1, c: 2.5, d: -2.5 };
  const names = Object.keys(scores) as (keyof typeof scores)[];
  const all: [string, string, number][] = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) all.push([names[i]!, names[j]!, 100]);
  const model = buildSamplingModel(votes(scores, all, 3));
  const item = (id: number, pairs: [string | null, string | null][]) => pairs.map(([a, b], k) => ({ id: id * 10 + k, item: id, a, b }));

  it("average 1 per item, keep the floor, and leave the lopsided pair at it", () => {
    const tasks = [
      ...item(1, [
        ["a", "b"],
        ["a", "c"],
        ["a", "d"],
        ["b", "c"],
        ["b", "d"],
        ["c", "d"],
      ]),
      ...item(2, [
        ["a", "c"],
        ["c", "d"],
      ]),
      ...item(3, [["a", "b"]]),
    ];
    const w = pairTaskWeights(tasks, model, "active");
    const mean = (ids: number[]) => ids.reduce((s, id) => s + w.get(id)!, 0) / ids.length;
    expect(mean([10, 11, 12, 13, 14, 15])).toBeCloseTo(1, 1);
    expect(mean([20, 21])).toBeCloseTo(1, 1);
    expect(w.get(30)).toBe(1);
    expect(w.get(15)).toBeCloseTo(ACTIVE_SAMPLING_FLOOR, 9);
    for (const x of w.values()) expect(x).toBeGreaterThanOrEqual(ACTIVE_SAMPLING_FLOOR - 1e-9);
    expect(w.get(20)! / w.get(21)!).toBeGreaterThan(5);
    for (const x of pairTaskWeights(tasks, model, "uniform").values()) expect(x).toBe(1);
    // Unknown models take the largest known weight: a candidate nobody has voted on is wanted.
    const unknown = pairTaskWeights(
      item(4, [
        ["a", "new"],
        ["c", "d"],
      ]),
      model,
      "active",
    );
    expect(unknown.get(40)!).toBeGreaterThan(unknown.get(41)!);
  });

  it("order tasks as a weighted random permutation: each comes first in proportion to its weight", () => {
    expect(weightedServingKey(7, 1)).toBe(weightedServingKey(7, 1));
    expect(weightedServingKey(7, 0.5)).toBeCloseTo(2 * weightedServingKey(7, 1), 12);
    expect(() => weightedServingKey(7, 0)).toThrow(RangeError);
    // Groups of three tasks with weights 1, 2 and 5: over 6,000 groups the lightest comes first
    // 1/8 of the time and the heaviest 5/8 (standard error < 0.007; margin 0.03).
    const first = [0, 0, 0];
    const groups = 6000;
    for (let g = 0; g < groups; g++) {
      const keys = [1, 2, 5].map((w, k) => weightedServingKey(1_000_000 + 3 * g + k, w));
      first[keys.indexOf(Math.min(...keys))]! += 1 / groups;
    }
    expect(Math.abs(first[0]! - 1 / 8)).toBeLessThan(0.03);
    expect(Math.abs(first[1]! - 2 / 8)).toBeLessThan(0.03);
    expect(Math.abs(first[2]! - 5 / 8)).toBeLessThan(0.03);
  });
});
