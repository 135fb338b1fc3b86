import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bradleyTerry, createRng, fitBradleyTerry, type Comparison } from "@/lib/domain/stats";

/**
 * Stigler (1994) citation counts among four statistics journals, as in Agresti (2002, p. 448)
 * and R BradleyTerry2's `citations` (row = cited journal = winner, column = citing journal).
 * BTm(...) prints log-abilities relative to Biometrika: Comm Statist −2.9491, JASA −0.4796,
 * JRSS-B 0.2690.
 */
const CITATIONS = [
  [714, 730, 498, 221],
  [33, 425, 68, 17],
  [320, 813, 1072, 142],
  [284, 276, 325, 188],
];

function simulate(strengths: readonly number[], games: number, seed: number, tieRate = 0.1): Comparison[] {
  const rng = createRng(seed);
  const m = strengths.length;
  const out: Comparison[] = [];
  for (let g = 0; g < games; g++) {
    const a = rng.int(m);
    let b = rng.int(m - 1);
    if (b >= a) b++;
    const pA = 1 / (1 + Math.exp(strengths[b]! - strengths[a]!));
    const u = rng.next();
    const strength = u < tieRate ? 0 : u < tieRate + (1 - tieRate) * pA ? -1 : 1;
    out.push({ item: Math.floor(g / 2), models: [`m${a}`, `m${b}`], strength });
  }
  return out;
}

describe("Bradley–Terry maximum likelihood", () => {
  it("reproduces the journal-citation example (Agresti 2002; BradleyTerry2)", () => {
    const wins = CITATIONS.map((row, i) => row.map((v, j) => (i === j ? 0 : v)));
    const fit = fitBradleyTerry(wins);
    expect(fit.converged).toBe(true);
    const l = fit.logStrengths.map((x) => x! - fit.logStrengths[0]!);
    expect(l.slice(1).map((x) => x.toFixed(4))).toEqual(["-2.9491", "-0.4796", "0.2690"]);
  });

  it("solves the two-model case in closed form: odds = wins ratio", () => {
    const comparisons: Comparison[] = [];
    for (let i = 0; i < 3; i++) comparisons.push({ models: ["x", "y"], strength: -2 });
    comparisons.push({ models: ["x", "y"], strength: 1 });
    const r = bradleyTerry(comparisons, { bootstrapRounds: 0 });
    const x = r.ratings.find((m) => m.model === "x")!;
    const y = r.ratings.find((m) => m.model === "y")!;
    expect(x.rating!).toBeCloseTo(1000 + 200 * Math.log10(3), 6);
    expect(y.rating!).toBeCloseTo(1000 - 200 * Math.log10(3), 6);
    expect(x.ciLow).toBe(x.rating);
    expect(x).toMatchObject({ wins: 3, losses: 1, ties: 0, rank: 1 });
    expect(y.rank).toBe(2);
  });

  it("counts a tie as half a win to each side", () => {
    const r = bradleyTerry(
      [
        { models: ["x", "y"], strength: -1 },
        { models: ["x", "y"], strength: 0 },
      ],
      { bootstrapRounds: 0 },
    );
    // x scored 1.5 of 2: odds 3.
    expect(r.ratings[0]!.model).toBe("x");
    expect(r.ratings[0]!.rating! - r.ratings[1]!.rating!).toBeCloseTo(400 * Math.log10(3), 6);
    expect(r.winRate[0]![1]).toBeCloseTo(0.75, 12);
    expect(r.ratings[0]!.ties).toBe(1);
  });

  it("satisfies the likelihood equations and centres ratings at 1000", () => {
    const comparisons = simulate([0.8, 0.2, -0.1, -0.5, 0.4], 3000, 11);
    const r = bradleyTerry(comparisons, { bootstrapRounds: 0 });
    const mean = r.ratings.reduce((s, m) => s + m.rating!, 0) / r.ratings.length;
    expect(mean).toBeCloseTo(1000, 9);
    // Σ_j w_ij = Σ_j n_ij · p_i / (p_i + p_j) for every model i.
    const p = r.ratings.map((m) => 10 ** ((m.rating! - 1000) / 400));
    r.models.forEach((_, i) => {
      let observed = 0;
      let expected = 0;
      r.models.forEach((__, j) => {
        const n = r.comparisons[i]![j]!;
        if (i === j || n === 0) return;
        observed += r.winRate[i]![j]! * n;
        expected += (n * p[i]!) / (p[i]! + p[j]!);
      });
      expect(observed).toBeCloseTo(expected, 6);
    });
  });

  it("expands K-wise rankings to pairs (equal ranks tie)", () => {
    const ranked = bradleyTerry(
      [
        { item: 1, models: ["a", "b", "c"], ranks: [1, 2, 2] },
        { item: 2, models: ["a", "b", "c"], ranks: [2, 1, 3] },
        { item: 3, models: ["c", "a", "b"], ranks: [1, 2, 3] },
      ],
      { bootstrapRounds: 0 },
    );
    const pairs = bradleyTerry(
      [
        { item: 1, models: ["a", "b"], strength: -1 },
        { item: 1, models: ["a", "c"], strength: -1 },
        { item: 1, models: ["b", "c"], strength: 0 },
        { item: 2, models: ["a", "b"], strength: 1 },
        { item: 2, models: ["a", "c"], strength: -1 },
        { item: 2, models: ["b", "c"], strength: -1 },
        { item: 3, models: ["c", "a"], strength: -1 },
        { item: 3, models: ["c", "b"], strength: -1 },
        { item: 3, models: ["a", "b"], strength: -1 },
      ],
      { bootstrapRounds: 0 },
    );
    expect(ranked.totalComparisons).toBe(9);
    expect(ranked.ratings).toEqual(pairs.ratings);
    expect(ranked.winRate).toEqual(pairs.winRate);
  });

  it("does not depend on which candidate is canonical A", () => {
    const comparisons = simulate([0.5, 0, -0.3, 0.1], 800, 5);
    const flipped = comparisons.map((c) =>
      "strength" in c ? { ...c, models: [c.models[1], c.models[0]] as [string, string], strength: -c.strength } : c,
    );
    const a = bradleyTerry(comparisons, { bootstrapRounds: 20, seed: 3 });
    const b = bradleyTerry(flipped, { bootstrapRounds: 20, seed: 3 });
    expect(b.models).toEqual(a.models);
    b.ratings.forEach((m, i) => {
      expect(m.rating!).toBeCloseTo(a.ratings[i]!.rating!, 8);
      expect(m.ciLow!).toBeCloseTo(a.ratings[i]!.ciLow!, 8);
      expect(m.ciHigh!).toBeCloseTo(a.ratings[i]!.ciHigh!, 8);
    });
  });

  it("recovers the ordering of simulated models", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const strengths = [1.2, 0.6, 0, -0.6, -1.2];
        const r = bradleyTerry(simulate(strengths, 4000, seed), { bootstrapRounds: 0 });
        return r.models.join(",") === "m0,m1,m2,m3,m4";
      }),
      { numRuns: 15 },
    );
  });
});

describe("Bradley–Terry exclusions, bootstrap and ranks", () => {
  it("reports models that never lose or never win instead of an infinite rating", () => {
    const comparisons: Comparison[] = [
      ...simulate([0.3, 0, -0.3], 300, 9).map((c) => ({ ...c })),
      // "champ" beats everyone, "dud" loses to everyone.
      { models: ["champ", "m0"], strength: -1 },
      { models: ["m1", "champ"], strength: 2 },
      { models: ["dud", "m2"], strength: 1 },
      { models: ["m0", "dud"], strength: -3 },
      { models: ["champ", "dud"], strength: -1 },
    ];
    const r = bradleyTerry(comparisons, { bootstrapRounds: 30 });
    const champ = r.ratings.find((m) => m.model === "champ")!;
    const dud = r.ratings.find((m) => m.model === "dud")!;
    expect(champ).toMatchObject({ excluded: "never-loses", rating: null, ciLow: null, rank: null, wins: 3 });
    expect(dud).toMatchObject({ excluded: "never-wins", rating: null, losses: 3 });
    expect(r.ratings.slice(0, 3).every((m) => m.excluded === null && Number.isFinite(m.rating))).toBe(true);
    expect(r.models.slice(3)).toEqual(["champ", "dud"]);
    const mean = r.ratings.slice(0, 3).reduce((s, m) => s + m.rating!, 0) / 3;
    expect(mean).toBeCloseTo(1000, 9);
    // The win-rate matrix still shows the excluded models' record.
    expect(r.winRate[3]![r.models.indexOf("m0")]).toBe(1);
    expect(r.stronglyConnected).toBe(true);
  });

  it("excludes repeatedly: a model unbeaten once the unbeaten one is removed is flagged too", () => {
    const fit = fitBradleyTerry([
      [0, 2, 2, 2],
      [0, 0, 3, 3],
      [0, 0, 0, 2],
      [0, 0, 1, 0],
    ]);
    // Model 0 never loses; model 1 lost only to model 0, so it never loses among the rest.
    expect(fit.excluded).toEqual(["never-loses", "never-loses", null, null]);
    expect(fit.logStrengths[2]! - fit.logStrengths[3]!).toBeCloseTo(Math.log(2), 9);
    const chain = fitBradleyTerry([
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    // A strict chain 0 > 1 > 2: the ends go first, which leaves 1 with nobody to compare to.
    expect(chain.excluded).toEqual(["never-loses", "not-comparable", "never-wins"]);
    expect(chain.logStrengths).toEqual([null, null, null]);
  });

  it("gives reproducible bootstrap intervals for a seed, containing the rating", () => {
    const comparisons = simulate([0.4, 0.1, 0, -0.2, -0.3], 2000, 21);
    const a = bradleyTerry(comparisons, { bootstrapRounds: 50, seed: 7 });
    const b = bradleyTerry(comparisons, { bootstrapRounds: 50, seed: 7 });
    const c = bradleyTerry(comparisons, { bootstrapRounds: 50, seed: 8 });
    expect(b).toEqual(a);
    expect(c.ratings.map((m) => m.ciLow)).not.toEqual(a.ratings.map((m) => m.ciLow));
    for (const m of a.ratings) {
      expect(m.ciLow!).toBeLessThanOrEqual(m.rating!);
      expect(m.ciHigh!).toBeGreaterThanOrEqual(m.rating!);
    }
    expect(a.bootstrap).toEqual({ rounds: 50, seed: 7, level: 0.95, degenerateRounds: 0 });
    expect(a.items).toBe(1000);
  });

  it("ranks a model 1 + the number of models whose interval lies wholly above", () => {
    const comparisons = simulate([2, 1.9, 0, -2], 6000, 4);
    const r = bradleyTerry(comparisons, { bootstrapRounds: 100, seed: 1 });
    expect(r.models).toEqual(["m0", "m1", "m2", "m3"]);
    for (const m of r.ratings) {
      const above = r.ratings.filter((o) => o !== m && o.ciLow! > m.ciHigh!).length;
      expect(m.rank).toBe(1 + above);
    }
    // The top two are too close to separate; the others are clearly apart.
    expect(r.ratings.map((m) => m.rank)).toEqual([1, 1, 3, 4]);
  });

  it("marks bootstrap rounds where a model goes unbeaten as infinite, not as a finite number", () => {
    // b lost once in 20 games to a: many resamples drop that loss.
    const comparisons: Comparison[] = [];
    for (let i = 0; i < 19; i++) comparisons.push({ models: ["b", "a"], strength: -1 });
    comparisons.push({ models: ["b", "a"], strength: 1 });
    const r = bradleyTerry(comparisons, { bootstrapRounds: 200, seed: 2 });
    const b = r.ratings.find((m) => m.model === "b")!;
    expect(Number.isFinite(b.rating)).toBe(true);
    expect(b.ciHigh).toBe(Infinity);
    expect(r.bootstrap.degenerateRounds).toBeGreaterThan(0);
  });

  it("flags a comparison graph that is not strongly connected", () => {
    // {a, b} beat {c, d} every time, with mixed results inside each group.
    const comparisons: Comparison[] = [
      { models: ["a", "b"], strength: -1 },
      { models: ["a", "b"], strength: 1 },
      { models: ["c", "d"], strength: -1 },
      { models: ["c", "d"], strength: 1 },
      { models: ["a", "c"], strength: -1 },
      { models: ["b", "d"], strength: -1 },
    ];
    const r = bradleyTerry(comparisons, { bootstrapRounds: 0, maxIterations: 2000 });
    expect(r.stronglyConnected).toBe(false);
    expect(r.converged).toBe(false);
  });
});
