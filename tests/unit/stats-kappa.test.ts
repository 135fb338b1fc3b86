import fc from "fast-check";
import { contingencyTable, twoRaterLabels } from "./rating-arbitraries";
import { describe, expect, it } from "vitest";
import {
  cohenKappa,
  cohenKappaFromRatings,
  countDirectionsByTask,
  fleissKappa,
  fleissKappaFromCounts,
  fleissKappaOnDirection,
  pairwiseCohenKappa,
  scottPi,
  type StrengthJudgment,
} from "@/lib/domain/stats";

/** Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories. */
const WIKI_FLEISS = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/**
 * Fleiss (1971), table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (depression,
 * personality disorder, schizophrenia, neurosis, other). Published κ = 0.430; R irr's
 * kappam.fleiss(diagnoses) prints 0.4302445. One row per patient: the 6 diagnoses.
 */
const FLEISS_1971 = [
  [4, 4, 4, 4, 4, 4],
  [2, 2, 2, 5, 5, 5],
  [2, 3, 3, 3, 3, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3],
  [3, 3, 3, 3, 5, 5],
  [1, 1, 3, 3, 3, 4],
  [1, 1, 4, 4, 4, 4],
  [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4],
  [1, 2, 4, 4, 4, 4],
  [2, 2, 2, 3, 3, 3],
  [1, 4, 4, 4, 4, 4],
  [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5],
  [1, 1, 1, 4, 5, 5],
  [1, 1, 1, 1, 1, 2],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5],
  [2, 4, 4, 4, 4, 4],
  [2, 2, 4, 5, 5, 5],
  [1, 1, 4, 4, 4, 4],
  [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4],
  [1, 1, 1, 1, 5, 5],
  [2, 2, 4, 4, 4, 4],
  [1, 3, 3, 3, 3, 3],
  [5, 5, 5, 5, 5, 5],
];

/**
 * R irr's `anxiety` data (20 subjects, 3 raters, scores 1–6); raters 2 and 3 use levels
 * 1, 2, 3, 4, 6. irr::kappa2(anxiety[, 2:3]) prints −0.006289308 (unweighted),
 * 0.1459075 ("equal" = linear weights) and 0.2520325 ("squared" = quadratic).
 */
const ANXIETY_R2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
const ANXIETY_R3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];

describe("Fleiss' kappa on published examples", () => {
  it("reproduces Wikipedia's worked example: P̄ = 0.378, P̄e = 0.213, κ = 0.210", () => {
    const r = fleissKappa(WIKI_FLEISS);
    expect(r.observedAgreement.toFixed(3)).toBe("0.378");
    expect(r.expectedAgreement.toFixed(3)).toBe("0.213");
    expect(r.kappa!.toFixed(3)).toBe("0.210");
    expect(r).toMatchObject({ subjects: 10, raters: 14 });
  });

  it("reproduces Fleiss (1971): κ = 0.430 (irr: 0.4302445)", () => {
    const table = FLEISS_1971.map((row) => [1, 2, 3, 4, 5].map((c) => row.filter((v) => v === c).length));
    const r = fleissKappa(table);
    expect(r.kappa!.toFixed(3)).toBe("0.430");
    expect(r.kappa).toBeCloseTo(0.4302445, 7);
  });

  it("rejects rows with different rater counts", () => {
    expect(() =>
      fleissKappa([
        [1, 1],
        [2, 1],
      ]),
    ).toThrow();
  });
});

describe("Cohen's kappa on published examples", () => {
  it("reproduces Wikipedia's examples: 0.4, 0.1304, 0.2593", () => {
    expect(
      cohenKappa([
        [20, 5],
        [10, 15],
      ]).kappa,
    ).toBeCloseTo(0.4, 12);
    expect(
      cohenKappa([
        [45, 15],
        [25, 15],
      ]).kappa!.toFixed(4),
    ).toBe("0.1304");
    expect(
      cohenKappa([
        [25, 35],
        [5, 35],
      ]).kappa!.toFixed(4),
    ).toBe("0.2593");
  });

  it("reproduces the SAS PROC FREQ agreement example: simple κ = 0.4842, weighted (Cicchetti–Allison) 0.4701", () => {
    const table = [
      [0, 4, 1],
      [0, 8, 0],
      [0, 1, 5],
    ];
    expect(cohenKappa(table).kappa!.toFixed(4)).toBe("0.4842");
    expect(cohenKappa(table, "linear").kappa!.toFixed(4)).toBe("0.4701");
  });

  it("reproduces R irr::kappa2 on the anxiety data (unweighted, linear, quadratic)", () => {
    const levels = [1, 2, 3, 4, 6];
    expect(cohenKappaFromRatings(ANXIETY_R2, ANXIETY_R3, levels).kappa).toBeCloseTo(-0.006289308, 8);
    expect(cohenKappaFromRatings(ANXIETY_R2, ANXIETY_R3, levels, "linear").kappa).toBeCloseTo(0.1459075, 7);
    expect(cohenKappaFromRatings(ANXIETY_R2, ANXIETY_R3, levels, "quadratic").kappa).toBeCloseTo(0.2520325, 7);
  });

  it("is undefined when chance agreement is 1", () => {
    expect(
      cohenKappa([
        [5, 0],
        [0, 0],
      ]).kappa,
    ).toBeNull();
    expect(
      cohenKappa([
        [0, 0],
        [0, 0],
      ]).kappa,
    ).toBeNull();
  });
});

describe("kappa properties", () => {
  const ratings = twoRaterLabels({ minLength: 1, maxLength: 80 });

  it("Fleiss' kappa with two raters equals Scott's pi", () => {
    fc.assert(
      fc.property(ratings, (pairs) => {
        const k = 1 + Math.max(...pairs.flat());
        const rows = pairs.map(([a, b]) => Array.from({ length: k }, (_, c) => (a === c ? 1 : 0) + (b === c ? 1 : 0)));
        const f = fleissKappa(rows).kappa;
        const pi = scottPi(contingencyTable(pairs)).kappa;
        return f === null || pi === null ? f === pi : Math.abs(f - pi) < 1e-12;
      }),
    );
  });

  it("weighted kappa with two categories equals unweighted kappa; all three are symmetric in the raters", () => {
    fc.assert(
      fc.property(ratings, (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const cats = [0, 1, 2, 3, 4];
        for (const w of ["none", "linear", "quadratic"] as const) {
          const x = cohenKappaFromRatings(a, b, cats, w).kappa;
          const y = cohenKappaFromRatings(b, a, cats, w).kappa;
          if (x === null || y === null ? x !== y : Math.abs(x - y) > 1e-12) return false;
        }
        const a2 = a.map((v) => v % 2);
        const b2 = b.map((v) => v % 2);
        const u = cohenKappaFromRatings(a2, b2, [0, 1]).kappa;
        const l = cohenKappaFromRatings(a2, b2, [0, 1], "linear").kappa;
        const q = cohenKappaFromRatings(a2, b2, [0, 1], "quadratic").kappa;
        return u === null ? l === null && q === null : Math.abs(u - l!) < 1e-12 && Math.abs(u - q!) < 1e-12;
      }),
    );
  });
});

describe("kappa on judgments", () => {
  it("Fleiss on direction uses the tasks with the most common judgment count", () => {
    const judgments: { task: string; strength: number }[] = [];
    const threes = [
      [-2, -1, -3],
      [-1, 0, 1],
      [2, 3, 1],
      [0, 0, -1],
    ];
    threes.forEach((s, t) => s.forEach((strength) => judgments.push({ task: `t${t}`, strength })));
    judgments.push({ task: "pair", strength: -1 }, { task: "pair", strength: 1 });
    judgments.push({ task: "single", strength: 2 });
    const r = fleissKappaOnDirection(judgments);
    expect(r.tasks).toBe(4);
    expect(r.raters).toBe(3);
    const rows = threes.map((s) => [-1, 0, 1].map((d) => s.filter((x) => Math.sign(x) === d).length));
    expect(r.value).toBeCloseTo(fleissKappa(rows).kappa!, 12);
    // The same from counts, and with unit weights doubling every task (κ unchanged by duplication).
    const counts = countDirectionsByTask(judgments.filter((j) => j.task.startsWith("t")));
    expect(fleissKappaFromCounts(counts, new Int32Array(counts.units).fill(2)).kappa).toBeCloseTo(r.value!, 12);
  });

  it("Cohen's kappa for each pair of annotators with enough shared tasks", () => {
    const judgments: StrengthJudgment[] = [];
    const ann = [-3, -2, -1, 0, 1, 2, 3, -1, 1, 0, 2, -2];
    const bob = [-2, -2, 0, 0, 1, 3, 2, -1, -1, 0, 3, -3];
    ann.forEach((s, t) => judgments.push({ task: t, annotator: "ann", strength: s }));
    bob.forEach((s, t) => judgments.push({ task: t, annotator: "bob", strength: s }));
    // cat shares only 3 tasks with each: left out at the default minimum of 10.
    for (let t = 0; t < 3; t++) judgments.push({ task: t, annotator: "cat", strength: -1 });
    const pairs = pairwiseCohenKappa(judgments, { scalePoints: 7 });
    expect(pairs.map((p) => `${p.a}-${p.b}`)).toEqual(["ann-bob"]);
    const scale = [-3, -2, -1, 0, 1, 2, 3];
    expect(pairs[0]!.n).toBe(12);
    expect(pairs[0]!.kappa).toBeCloseTo(cohenKappaFromRatings(ann.map(Math.sign), bob.map(Math.sign), [-1, 0, 1]).kappa!, 12);
    expect(pairs[0]!.linearWeighted).toBeCloseTo(cohenKappaFromRatings(ann, bob, scale, "linear").kappa!, 12);
    expect(pairs[0]!.quadraticWeighted).toBeCloseTo(cohenKappaFromRatings(ann, bob, scale, "quadratic").kappa!, 12);
    expect(pairwiseCohenKappa(judgments, { scalePoints: 7, minShared: 3 })).toHaveLength(3);
    // A repeated judgment of the same task: the last one given counts.
    const redo = [...judgments, { task: 0, annotator: "ann", strength: -2 }];
    const again = pairwiseCohenKappa(redo, { scalePoints: 7 })[0]!;
    const ann2 = [-2, ...ann.slice(1)];
    expect(again.n).toBe(12);
    expect(again.linearWeighted).toBeCloseTo(cohenKappaFromRatings(ann2, bob, scale, "linear").kappa!, 12);
    // Annotator names order each pair, whatever order they first appear in.
    const swapped = pairwiseCohenKappa(judgments.map((j) => ({ ...j, annotator: j.annotator === "ann" ? "zed" : j.annotator })));
    expect(swapped.map((p) => [p.a, p.b])).toEqual([["bob", "zed"]]);
    expect(swapped[0]!.linearWeighted).not.toBeNull();
  });
});
