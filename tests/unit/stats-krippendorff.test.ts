import fc from "fast-check";
import { contingencyTable, twoRaterLabels } from "./rating-arbitraries";
import { describe, expect, it } from "vitest";
import {
  countByUnit,
  dimensionAlpha,
  fleissKappa,
  krippendorffAlpha,
  krippendorffAlphaFromCounts,
  scottPi,
  strengthAlpha,
  valuesByUnit,
} from "@/lib/domain/stats";

const _ = null;

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: reliability
 * data with missing values, 4 observers × 12 units (unit 12 has a single value and is not
 * pairable). Published: nominal α = 0.743, ordinal α = 0.815, interval α = 0.849.
 */
const K2011 = {
  A: [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  B: [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  C: [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  D: [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
};
const k2011Units = K2011.A.map((__, u) => [K2011.A[u], K2011.B[u], K2011.C[u], K2011.D[u]]);

/**
 * Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders × 15 units
 * with missing data. Published: nominal α = 0.691, interval α = 0.811.
 */
const WIKI = {
  A: [_, _, _, _, _, 3, 4, 1, 2, 1, 1, 3, 3, _, 3],
  B: [1, _, 2, 1, 3, 3, 4, 3, _, _, _, _, _, _, _],
  C: [_, _, 2, 1, 3, 4, 4, _, 2, 1, 1, 3, 3, _, 4],
};
const wikiUnits = WIKI.A.map((__, u) => [WIKI.A[u], WIKI.B[u], WIKI.C[u]]);

describe("Krippendorff's alpha on published examples", () => {
  it("reproduces Krippendorff (2011): nominal 0.743, ordinal 0.815, interval 0.849", () => {
    const nominal = krippendorffAlpha(k2011Units, { level: "nominal" });
    const ordinal = krippendorffAlpha(k2011Units, { level: "ordinal" });
    const interval = krippendorffAlpha(k2011Units, { level: "interval" });
    expect(nominal.alpha!.toFixed(3)).toBe("0.743");
    expect(ordinal.alpha!.toFixed(3)).toBe("0.815");
    expect(interval.alpha!.toFixed(3)).toBe("0.849");
    // The paper's intermediate figures: 11 pairable units, n = 40 pairable values,
    // nominal disagreement 8 of 40 (D_o = 0.2), α = 0.7434.
    expect(nominal.units).toBe(11);
    expect(nominal.values).toBe(40);
    expect(nominal.observedDisagreement).toBeCloseTo(0.2, 12);
    expect(nominal.alpha).toBeCloseTo(0.743421, 6);
  });

  it("reproduces Wikipedia's computational example: nominal 0.691, interval 0.811", () => {
    expect(krippendorffAlpha(wikiUnits, { level: "nominal" }).alpha!.toFixed(3)).toBe("0.691");
    expect(krippendorffAlpha(wikiUnits, { level: "interval" }).alpha!.toFixed(3)).toBe("0.811");
  });

  it("gives the same value from per-unit counts as from the raw values", () => {
    const records = k2011Units.flatMap((values, u) => values.map((v) => ({ u, v })));
    const counts = countByUnit(
      records,
      (r) => r.u,
      (r) => r.v,
      [1, 2, 3, 4, 5],
    );
    for (const level of ["nominal", "ordinal", "interval"] as const) {
      expect(krippendorffAlphaFromCounts(counts, level).alpha).toBeCloseTo(krippendorffAlpha(k2011Units, { level }).alpha!, 12);
    }
  });

  it("is unaffected by declared but unused categories (ordinal metric over the declared scale)", () => {
    for (const level of ["nominal", "ordinal", "interval"] as const) {
      const declared = krippendorffAlpha(k2011Units, { level, categories: [0, 1, 2, 3, 4, 5, 6, 7] });
      expect(declared.alpha).toBeCloseTo(krippendorffAlpha(k2011Units, { level }).alpha!, 12);
    }
  });

  it("rejects values outside the declared categories", () => {
    expect(() => krippendorffAlpha([[1, 9]], { level: "ordinal", categories: [1, 2, 3] })).toThrow(/9/);
  });

  it("skips units with fewer than two values and is undefined without variation", () => {
    expect(krippendorffAlpha([[1], [2], [_, 3]], { level: "nominal" })).toMatchObject({ alpha: null, units: 0 });
    expect(
      krippendorffAlpha(
        [
          [2, 2],
          [2, 2, 2],
        ],
        { level: "interval" },
      ).alpha,
    ).toBeNull();
    expect(
      krippendorffAlpha(
        [
          [1, 1],
          [2, 2],
        ],
        { level: "nominal" },
      ).alpha,
    ).toBe(1);
  });

  it("computes interval alpha for data with very many distinct values (moment form)", () => {
    // 600 units of two continuous ratings: more distinct values than the matrix path takes.
    const units: number[][] = [];
    for (let u = 0; u < 600; u++) {
      const truth = Math.sin(u * 1.7) * 10;
      units.push([truth + Math.cos(u * 3.1), truth + Math.sin(u * 5.3) * 2]);
    }
    units.push([1.5, 2.5, 3.25]);
    expect(krippendorffAlpha(units, { level: "interval" }).alpha).toBeCloseTo(naiveIntervalAlpha(units), 10);
  });

  it("computes nominal / ordinal / interval alpha of judgments on the strength scale", () => {
    const judgments = [
      { task: "t1", strength: -3 },
      { task: "t1", strength: -2 },
      { task: "t1", strength: -3 },
      { task: "t2", strength: 0 },
      { task: "t2", strength: 1 },
      { task: "t3", strength: 2 },
      { task: "t3", strength: 3 },
      { task: "t4", strength: -1 }, // single judgment: not pairable
    ];
    const res = strengthAlpha(judgments, 7);
    const units = valuesByUnit(
      judgments,
      (j) => j.task,
      (j) => j.strength,
    );
    expect(res.ordinal.alpha).toBeCloseTo(krippendorffAlpha(units, { level: "ordinal", categories: [-3, -2, -1, 0, 1, 2, 3] }).alpha!, 12);
    expect(res.interval.alpha).toBeCloseTo(krippendorffAlpha(units, { level: "interval" }).alpha!, 12);
    const directions = units.map((u) => u.map(Math.sign));
    expect(res.nominal.alpha).toBeCloseTo(krippendorffAlpha(directions, { level: "nominal" }).alpha!, 12);
    expect(res.ordinal.units).toBe(3);
    expect(() => strengthAlpha([{ task: 1, strength: 4 }], 7)).toThrow();
  });
});

describe("Krippendorff's alpha of a rating dimension", () => {
  it("treats each (task, candidate) as a unit", () => {
    // Krippendorff (2011) again, as if units were candidates of tasks: units 0–5 are
    // candidates 0 and 1 of tasks 0–2 (flattened), with the same published values.
    const ratings = k2011Units.flatMap((values, u) => values.map((value) => ({ task: Math.floor(u / 2), candidate: u % 2, value })));
    const r = dimensionAlpha(ratings);
    expect(r.ordinal.alpha!.toFixed(3)).toBe("0.815");
    expect(r.interval.alpha!.toFixed(3)).toBe("0.849");
    expect(r.ordinal.units).toBe(11);
  });
});

describe("Krippendorff's alpha: relations to pi and kappa (properties)", () => {
  const twoRaters = twoRaterLabels({ minLength: 2, maxLength: 60 });

  it("two raters, no missing data: α = 1 − (1 − π)·(2N − 1)/(2N) (Krippendorff 2004)", () => {
    fc.assert(
      fc.property(twoRaters, (pairs) => {
        const alpha = krippendorffAlpha(pairs, { level: "nominal" }).alpha;
        const pi = scottPi(contingencyTable(pairs)).kappa;
        if (pi === null) return alpha === null;
        const n = 2 * pairs.length;
        return Math.abs(alpha! - (1 - ((1 - pi) * (n - 1)) / n)) < 1e-9;
      }),
    );
  });

  it("m raters, no missing data: α = 1 − (1 − κ_Fleiss)·(nm − 1)/(nm)", () => {
    const data = fc.integer({ min: 2, max: 6 }).chain((m) =>
      fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: m, maxLength: m }), {
        minLength: 1,
        maxLength: 40,
      }),
    );
    fc.assert(
      fc.property(data, (units) => {
        const alpha = krippendorffAlpha(units, { level: "nominal" }).alpha;
        const table = units.map((u) => [0, 1, 2, 3].map((c) => u.filter((v) => v === c).length));
        const kappa = fleissKappa(table).kappa;
        if (kappa === null) return alpha === null;
        const n = units.length * units[0]!.length;
        return Math.abs(alpha! - (1 - ((1 - kappa) * (n - 1)) / n)) < 1e-9;
      }),
    );
  });

  it("tends to Scott's pi as the number of units grows", () => {
    const pairs: [number, number][] = [];
    for (let u = 0; u < 20000; u++) pairs.push([u % 3, u % 7 < 5 ? u % 3 : (u + 1) % 3]);
    const table = [0, 1, 2].map((a) => [0, 1, 2].map((b) => pairs.filter(([x, y]) => x === a && y === b).length));
    const alpha = krippendorffAlpha(pairs, { level: "nominal" }).alpha!;
    expect(Math.abs(alpha - scottPi(table).kappa!)).toBeLessThan(1e-4);
  });

  it("ordinal and interval alpha are invariant to the order units and coders are given in", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }), { minLength: 3, maxLength: 3 }), {
          minLength: 2,
          maxLength: 30,
        }),
        (units) => {
          const reversed = units.map((u) => [...u].reverse()).reverse();
          for (const level of ["nominal", "ordinal", "interval"] as const) {
            const a = krippendorffAlpha(units, { level }).alpha;
            const b = krippendorffAlpha(reversed, { level }).alpha;
            if (a === null || b === null ? a !== b : Math.abs(a - b) > 1e-9) return false;
          }
          return true;
        },
      ),
    );
  });
});

/** Direct definition: all pairs within units vs all pairs of pairable values. */
function naiveIntervalAlpha(units: number[][]): number {
  let observed = 0;
  const all: number[] = [];
  for (const u of units) {
    if (u.length < 2) continue;
    for (let i = 0; i < u.length; i++) {
      for (let j = 0; j < u.length; j++) if (i !== j) observed += (u[i]! - u[j]!) ** 2 / (u.length - 1);
    }
    all.push(...u);
  }
  const n = all.length;
  let expected = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expected += (all[i]! - all[j]!) ** 2;
  return 1 - observed / n / (expected / (n * (n - 1)));
}
