import { describe, expect, it } from "vitest";
import {
  binomialSample,
  bradleyTerryFromItems,
  itemComparisons,
  majorityCredit,
  multinomialSample,
  outlierFlags,
  patternBootstrap,
  percentileContFromHistogram,
  weightedCounts,
  weightedDirections,
} from "@/lib/domain/stats/aggregated";
import { percentAgreementFromCounts } from "@/lib/domain/stats/agreement";
import { bradleyTerry } from "@/lib/domain/stats/bradley-terry";
import { countByUnit } from "@/lib/domain/stats/counts";
import { krippendorffAlphaFromCounts } from "@/lib/domain/stats/krippendorff";
import { createRng } from "@/lib/domain/stats/rng";

describe("binomial and multinomial sampling", () => {
  it("binomial deviates stay in range and have the right mean and variance", () => {
    const rng = createRng(3);
    const n = 10_000;
    const p = 0.3;
    const xs = Array.from({ length: 2000 }, () => binomialSample(rng, n, p));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(n);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / xs.length));
    expect(variance / (n * p * (1 - p))).toBeGreaterThan(0.85);
    expect(variance / (n * p * (1 - p))).toBeLessThan(1.15);
    expect(binomialSample(rng, 500, 0)).toBe(0);
    expect(binomialSample(rng, 500, 1)).toBe(500);
  });

  it("multinomial draws add up to the number of draws and follow the weights", () => {
    const rng = createRng(1);
    const out = new Float64Array(3);
    const sums = [0, 0, 0];
    for (let r = 0; r < 500; r++) {
      multinomialSample(rng, 1000, [100, 300, 600], out);
      expect(out[0]! + out[1]! + out[2]!).toBe(1000);
      out.forEach((v, i) => (sums[i]! += v));
    }
    expect(sums.map((s) => s / 500 / 1000).map((x) => Math.round(x * 100) / 100)).toEqual([0.1, 0.3, 0.6]);
  });
});

describe("weighted patterns", () => {
  // Tasks as lists of strengths on the 7-point scale.
  const tasks = [
    [-2, -2, -1],
    [-2, -2, -1],
    [0, 1, 3],
    [3, 3],
    [3, 3],
    [3, 3],
    [-1, 1, 0, 2],
  ];
  const records = tasks.flatMap((values, task) => values.map((strength) => ({ task, strength })));
  const categories = [-3, -2, -1, 0, 1, 2, 3];
  const raw = countByUnit(
    records,
    (r) => r.task,
    (r) => r.strength,
    categories,
  );

  it("give the point estimates of the raw units", () => {
    const patterns = new Map<string, { n: number; counts: number[] }>();
    for (let u = 0; u < raw.units; u++) {
      const counts = Array.from(raw.counts.subarray(u * 7, u * 7 + 7));
      const key = counts.join(",");
      const p = patterns.get(key) ?? { n: 0, counts };
      p.n++;
      patterns.set(key, p);
    }
    const data = weightedCounts(categories, [...patterns.values()]);
    expect(data.units).toBe(4);
    for (const level of ["nominal", "ordinal", "interval"] as const) {
      expect(krippendorffAlphaFromCounts(data, level, data.weights).alpha).toBeCloseTo(krippendorffAlphaFromCounts(raw, level).alpha!, 12);
    }
    const dirs = weightedDirections(data);
    expect(percentAgreementFromCounts(dirs, dirs.weights)).toEqual(percentAgreementFromCounts(raw));
    const ci = patternBootstrap(dirs.weights, (w) => percentAgreementFromCounts(dirs, w).withTies, { rounds: 200, seed: 1 });
    expect(ci!.low).toBeLessThanOrEqual(percentAgreementFromCounts(raw).withTies!);
    expect(ci!.high).toBeGreaterThanOrEqual(percentAgreementFromCounts(raw).withTies!);
    // Seeded: the same call gives the same interval.
    expect(patternBootstrap(dirs.weights, (w) => percentAgreementFromCounts(dirs, w).withTies, { rounds: 200, seed: 1 })).toEqual(ci);
  });
});

describe("majorityCredit", () => {
  it("scores a judgment against the others of its task", () => {
    expect(majorityCredit([3, 0, 1], -1)).toBe(1); // others: A, A, B
    expect(majorityCredit([2, 0, 1], -1)).toBe(0.5); // others: A, B — a split majority
    expect(majorityCredit([1, 0, 2], -1)).toBe(0); // others: B, B
    expect(majorityCredit([0, 1, 0], 0)).toBeNull(); // nobody else
  });
});

describe("bradleyTerryFromItems", () => {
  it("rates models as bradleyTerry does on the expanded comparisons", () => {
    const comparisons = [
      { item: 1, models: ["a", "b"] as [string, string], strength: -1 },
      { item: 1, models: ["a", "b"] as [string, string], strength: 2 },
      { item: 2, models: ["b", "c"] as [string, string], strength: -2 },
      { item: 3, models: ["c", "a"] as [string, string], strength: 1 },
      { item: 4, models: ["a", "c"] as [string, string], strength: 0 },
      { item: 5, models: ["c", "b"] as [string, string], strength: 1 },
      { item: 6, models: ["b", "a"] as [string, string], strength: 3 },
    ];
    const reference = bradleyTerry(comparisons, { bootstrapRounds: 0 });
    const index = new Map<string, number>();
    const items = [1, 2, 3, 4, 5, 6].map((item) => {
      const mine = comparisons.filter((c) => c.item === item);
      return itemComparisons(
        1,
        mine.map((c) => [c.models, Math.sign(c.strength), 1] as const),
        index,
      );
    });
    const ours = bradleyTerryFromItems(items, [...index.keys()], { rounds: 50, seed: 2 });
    expect(ours.models).toEqual(reference.models);
    ours.ratings.forEach((r, i) => {
      expect(r.rating).toBeCloseTo(reference.ratings[i]!.rating!, 6);
      expect(r.wins).toBe(reference.ratings[i]!.wins);
      expect(r.ties).toBe(reference.ratings[i]!.ties);
    });
    expect(ours.winRate).toEqual(reference.winRate);
    expect(ours.totalComparisons).toBe(reference.totalComparisons);
  });
});

describe("outlierFlags", () => {
  const base = {
    judgments: 50,
    medianSeconds: 20,
    leftShare: { value: 0.5, low: 0.4, high: 0.6, n: 40 },
    tieRate: 0.1,
    tieN: 50,
    goldAccuracy: { value: 0.9, n: 10 },
  };
  const project = { medianSeconds: 20, goldMinAccuracy: 0.7 };
  it("raises each flag only past its threshold and with enough data", () => {
    expect(outlierFlags(base, project)).toEqual([]);
    expect(outlierFlags({ ...base, medianSeconds: 9 }, project)).toEqual(["too-fast"]);
    expect(outlierFlags({ ...base, leftShare: { value: 0.62, low: 0.55, high: 0.7, n: 40 } }, project)).toEqual(["position-bias"]);
    expect(outlierFlags({ ...base, leftShare: { value: 0.51, low: 0.505, high: 0.515, n: 40_000 } }, project)).toEqual([]);
    expect(outlierFlags({ ...base, tieRate: 0.6 }, project)).toEqual(["tie-heavy"]);
    expect(outlierFlags({ ...base, goldAccuracy: { value: 0.5, n: 10 } }, project)).toEqual(["low-gold"]);
    expect(outlierFlags({ ...base, goldAccuracy: { value: 0.5, n: 2 } }, project)).toEqual([]);
    expect(outlierFlags({ ...base, judgments: 3, medianSeconds: 1 }, project)).toEqual([]);
  });
});

describe("percentileContFromHistogram", () => {
  /** PostgreSQL's percentile_cont over the expanded, sorted values (orderedsetaggs.c). */
  const reference = (values: number[], f: number) => {
    const v = [...values].sort((a, b) => a - b);
    if (v.length === 0) return null;
    const pos = f * (v.length - 1);
    const lo = v[Math.floor(pos)]!;
    const hi = v[Math.ceil(pos)]!;
    return Math.floor(pos) === Math.ceil(pos) ? lo : lo + (pos - Math.floor(pos)) * (hi - lo);
  };

  it("matches PostgreSQL on real (float4) seconds: percentile_cont(0.5) of 1.1 and 2.2", () => {
    // select percentile_cont(0.5) within group (order by x) from (values (1.1::real), (2.2::real)) v(x) → 1.6500000357627869
    expect(
      percentileContFromHistogram(
        [
          [Math.fround(2.2), 1],
          [Math.fround(1.1), 1],
        ],
        0.5,
      ),
    ).toBe(1.6500000357627869);
  });

  it("equals the expanded computation for any histogram, odd and even totals", () => {
    const rng = createRng(5);
    for (let round = 0; round < 200; round++) {
      const histogram: [number, number][] = [];
      const values: number[] = [];
      const bins = 1 + Math.floor(rng.next() * 6);
      for (let b = 0; b < bins; b++) {
        const value = Math.round(rng.next() * 1000) / 10;
        const n = Math.floor(rng.next() * 4);
        histogram.push([value, n]);
        for (let i = 0; i < n; i++) values.push(value);
      }
      for (const f of [0.5, 0.25, 0.9]) expect(percentileContFromHistogram(histogram, f)).toBe(reference(values, f));
    }
    expect(percentileContFromHistogram([], 0.5)).toBeNull();
    expect(percentileContFromHistogram([[3, 0]], 0.5)).toBeNull();
  });
});
