import { describe, expect, it } from "vitest";
import {
  computeStatsReport,
  fleissKappaOnDirection,
  krippendorffAlpha,
  percentAgreement,
  exact,
  type StatsJudgmentInput,
} from "@/lib/domain/stats";
import { loadRawFixture } from "./raw-judgments";

const pw = (task: string, annotator: string, strength: number, extra: Partial<StatsJudgmentInput> = {}): StatsJudgmentInput => ({
  task_id: task,
  annotator,
  scale_points: 3,
  strength,
  ...extra,
});

describe("computeStatsReport on the hand-worked fixture", () => {
  // A validated RawJudgment is accepted as StatsJudgmentInput (compile-time check).
  const report = computeStatsReport(loadRawFixture(), { seed: 7, bootstrapRounds: 100 });

  it("counts tasks, judgments, annotators and skipped lines", () => {
    expect(report.tasks).toBe(6); // t1–t4, k1, k2
    expect(report.judgments).toBe(13); // 9 pairwise + 4 rankings
    expect(report.pairwise_judgments).toBe(9);
    expect(report.ranking_judgments).toBe(4);
    expect(report.annotators).toBe(4); // a, b, c, e (d only rejected / both unacceptable)
    expect(report.skipped).toEqual({ not_valid: 1, both_unacceptable: 1, duplicate: 1 });
    expect(report.scale_points).toBe(3);
    expect(report.warnings).toEqual([]);
  });

  it("percent agreement: 4 of 7 pairs with ties, 4 of 5 without", () => {
    // t1 = A A tie: 1 of 3 pairs agree with ties; without ties only the A–A pair, 1 of 1;
    // t2 = B B B: 3 of 3; t3 = A B: 0 of 1; t4 has one judgment.
    const pa = report.percent_agreement;
    expect(pa.with_ties).toBeCloseTo(4 / 7, 12);
    expect(pa.without_ties).toBe(0.8);
    expect(pa.pairs_with_ties).toBe(7);
    expect(pa.pairs_without_ties).toBe(5);
    expect(pa.tasks).toBe(3);
    expect(pa.with_ties_ci).not.toBeNull();
    const [lo, hi] = pa.with_ties_ci!;
    expect(lo).toBeLessThanOrEqual(hi);
  });

  it("Krippendorff's alpha by hand: nominal 5/19, interval 4/11, ordinal 0.39375", () => {
    // Coincidences: AA 1, A–tie 1+1, BB 3, A–B 1+1; n_A 3, n_tie 1, n_B 4, n 8.
    // nominal: D_o = 4/8, D_e = 2(3·1 + 3·4 + 1·4)/56 → α = 1 − 0.5/(38/56) = 5/19.
    expect(report.krippendorff_alpha.nominal).toBeCloseTo(5 / 19, 10);
    // interval: D_o = (2·1 + 2·4)/8 = 1.25, D_e = 2(3 + 48 + 4)/56 = 110/56 → α = 4/11.
    expect(report.krippendorff_alpha.interval).toBeCloseTo(4 / 11, 10);
    // ordinal: δ²(A,tie) = 2² = 4, δ²(tie,B) = 2.5² = 6.25, δ²(A,B) = 4.5² = 20.25;
    // D_o = (8 + 40.5)/8 = 6.0625, D_e = 2(12 + 243 + 25)/56 = 10 → α = 0.39375.
    expect(report.krippendorff_alpha.ordinal).toBeCloseTo(0.39375, 4);
    expect(report.krippendorff_alpha.units).toBe(3);
    expect(report.krippendorff_alpha.values).toBe(8);
    // Ratings: both annotators gave A 4 and B 2 on t1 → perfect agreement.
    expect(report.krippendorff_alpha.dimensions).toEqual({ fluency: { ordinal: 1, interval: 1, units: 2, values: 4 } });
  });

  it("Fleiss' kappa on the two tasks with three judgments: 5/11", () => {
    // P_t1 = (2² + 1² − 3)/6 = 1/3, P_t2 = 1 → P̄ = 2/3; p = (2, 1, 3)/6 → P̄e = 14/36.
    expect(report.fleiss_kappa).toMatchObject({ value: expect.closeTo(5 / 11, 10), tasks: 2, raters: 3 });
  });

  it("no annotator pair shares 10 tasks, so no Cohen's kappa", () => {
    expect(report.cohen_kappa).toEqual([]);
  });

  it("Kendall's W: k1 agrees fully (1), k2 is reversed (0); chance 1/2", () => {
    expect(report.kendall_w).toMatchObject({ value: 0.5, tasks: 2, chance: 0.5 });
  });

  it("per-annotator figures", () => {
    expect(report.per_annotator.map((r) => r.annotator)).toEqual(["a", "b", "c", "e"]);
    const a = report.per_annotator[0]!;
    expect(a).toMatchObject({
      judgments: 4,
      rankings: 2,
      majority_agreement: 0.5, // t1 ½ (A and tie tie for the others' majority), t2 1, t3 0
      majority_judgments: 3,
      tie_rate: 0.25,
      ties: 1,
      median_seconds: 20, // 10, 20 (the later t2 line), 30
      scale_use: [
        { strength: -1, count: 2 },
        { strength: 0, count: 1 },
        { strength: 1, count: 1 },
      ],
      longest_run: { length: 2, answer: 1 }, // t1 and t2 were both "right" on screen
    });
    expect(a.gold_accuracy).toMatchObject({ value: 1, low: expect.closeTo(0.2065, 4), high: 1, successes: 1, n: 1 });
    expect(a.left_share).toMatchObject({ value: expect.closeTo(1 / 3, 12), successes: 1, n: 3 });
    expect(a.longer_share).toMatchObject({ value: 0.5, successes: 1, n: 2 });
    const b = report.per_annotator[1]!;
    expect(b).toMatchObject({ judgments: 3, majority_agreement: 0.5, longest_run: { length: 2, answer: -1 } });
    expect(b.left_share).toMatchObject({ successes: 2, n: 3 });
    expect(report.per_annotator[2]).toMatchObject({ annotator: "c", majority_agreement: 0.5, tie_rate: 0.5 });
    expect(report.per_annotator[3]).toMatchObject({
      annotator: "e",
      judgments: 0,
      rankings: 1,
      majority_agreement: null,
      gold_accuracy: null,
      left_share: null,
      median_seconds: null,
    });
    expect(report.all_annotators).toMatchObject({ annotator: "*", judgments: 9, rankings: 4, majority_agreement: 0.5 });
  });

  it("Bradley–Terry over pairwise judgments and expanded rankings", () => {
    expect(report.bradley_terry!.map((r) => r.model).sort()).toEqual(["x", "y", "z"]);
    for (const row of report.bradley_terry!) {
      expect(row.excluded).toBeNull();
      expect(row.ci_low!).toBeLessThanOrEqual(row.rating!);
      expect(row.ci_high!).toBeGreaterThanOrEqual(row.rating!);
    }
    const mean = report.bradley_terry!.reduce((s, r) => s + r.rating!, 0) / 3;
    expect(mean).toBeCloseTo(1000, 0);
    expect(report.bradley_terry_fit).toMatchObject({ comparisons: 9 + 4 * 3, items: 6, judgments_without_models: 0 });
  });

  it("is reproducible for a seed and changes its intervals with the seed", () => {
    const again = computeStatsReport(loadRawFixture(), { seed: 7, bootstrapRounds: 100 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
    const other = computeStatsReport(loadRawFixture(), { seed: 8, bootstrapRounds: 100 });
    expect(other.percent_agreement.with_ties).toBe(report.percent_agreement.with_ties);
    expect(JSON.stringify(other.bradley_terry)).not.toBe(JSON.stringify(report.bradley_terry));
  });

  it("snake_case keys only, and no NaN or Infinity anywhere", () => {
    const walk = (v: unknown): void => {
      if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (!(k in (report.krippendorff_alpha.dimensions as object))) expect(k).toMatch(/^[a-z0-9_]+$/);
          walk(x);
        }
      }
    };
    walk(report);
  });
});

describe("computeStatsReport conventions", () => {
  it("agrees with the library functions on random data", () => {
    const js: StatsJudgmentInput[] = [];
    let s = 12345;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 60; t++) {
      const m = 1 + Math.floor(rand() * 4);
      for (let a = 0; a < m; a++) js.push({ ...pw(`t${t}`, `a${a}`, Math.floor(rand() * 7) - 3), scale_points: 7 });
    }
    const r = computeStatsReport(js, { bootstrapRounds: 0 });
    const simple = js.map((j) => ({ task: String(j.task_id), strength: j.strength! }));
    const pa = percentAgreement(simple);
    expect(r.percent_agreement.with_ties).toBeCloseTo(pa.withTies as number, 12);
    expect(r.percent_agreement.without_ties).toBeCloseTo(pa.withoutTies as number, 12);
    expect(r.percent_agreement.pairs_with_ties).toBe(pa.pairsWithTies);
    const units = new Map<string, number[]>();
    for (const j of simple) units.set(j.task, [...(units.get(j.task) ?? []), j.strength]);
    const scale = [-3, -2, -1, 0, 1, 2, 3];
    expect(r.krippendorff_alpha.ordinal).toBeCloseTo(
      krippendorffAlpha(units.values(), { level: "ordinal", categories: scale }).alpha as number,
      12,
    );
    expect(r.krippendorff_alpha.interval).toBeCloseTo(
      krippendorffAlpha(units.values(), { level: "interval", categories: scale }).alpha as number,
      12,
    );
    const dir = [...units.values()].map((v) => v.map(Math.sign));
    expect(r.krippendorff_alpha.nominal).toBeCloseTo(krippendorffAlpha(dir, { level: "nominal" }).alpha as number, 12);
    const f = fleissKappaOnDirection(simple);
    expect(r.fleiss_kappa).toEqual({ value: expect.closeTo(f.value as number, 12), tasks: f.tasks, raters: f.raters, ci: null });
    // rounds = 0: every interval null.
    expect(r.percent_agreement.with_ties_ci).toBeNull();
    expect(r.krippendorff_alpha.nominal_ci).toBeNull();
  });

  it("null where undefined: no data at all", () => {
    const r = computeStatsReport([], {});
    expect(r).toMatchObject({
      tasks: 0,
      judgments: 0,
      annotators: 0,
      percent_agreement: { with_ties: null, without_ties: null, pairs_with_ties: 0, with_ties_ci: null },
      krippendorff_alpha: { nominal: null, ordinal: null, interval: null, nominal_ci: null },
      fleiss_kappa: { value: null, tasks: 0, ci: null },
      cohen_kappa: [],
      kendall_w: null,
      per_annotator: [],
      bradley_terry: null,
      scale_points: null,
    });
  });

  it("reports Cohen's kappa for a pair with 10 shared tasks", () => {
    const js: StatsJudgmentInput[] = [];
    const a = [-1, -1, -1, 0, 1, 1, 1, -1, 0, 1];
    const b = [-1, -1, 0, 0, 1, 1, -1, -1, 0, 1];
    a.forEach((v, i) => js.push(pw(`t${i}`, "ann-a", v), pw(`t${i}`, "ann-b", b[i]!)));
    const r = computeStatsReport(js, { bootstrapRounds: 0 });
    // Table (rows a, cols b; A, tie, B): A: 3 1 0 / tie: 0 2 0 / B: 1 0 3 → p_o 0.8,
    // p_e = (4·4 + 2·3 + 4·3)/100 = 0.34 → κ = 0.46/0.66.
    expect(r.cohen_kappa).toHaveLength(1);
    expect(r.cohen_kappa[0]).toMatchObject({ a: "ann-a", b: "ann-b", n: 10, kappa: expect.closeTo(0.46 / 0.66, 10) });
    expect(r.cohen_kappa[0]!.linear_weighted).not.toBeNull();
  });

  it("reports a model that never loses instead of an infinite rating", () => {
    const js: StatsJudgmentInput[] = [];
    for (let t = 0; t < 6; t++) {
      js.push(pw(`w${t}`, "a", -1, { models: ["champ", t % 2 ? "m1" : "m2"] }));
      js.push(pw(`p${t}`, "a", t % 3 === 0 ? 1 : -1, { models: ["m1", "m2"] }));
    }
    const r = computeStatsReport(js, { bootstrapRounds: 50 });
    const champ = r.bradley_terry!.find((x) => x.model === "champ")!;
    expect(champ).toMatchObject({ rating: null, ci_low: null, ci_high: null, rank: null, excluded: "never-loses", wins: 6, losses: 0 });
    expect(r.bradley_terry!.filter((x) => x.rating !== null)).toHaveLength(2);
    expect(r.warnings.join(" ")).toMatch(/champ \(never-loses\)/);
  });

  it("leaves judgments without models out of the leaderboard and says so", () => {
    const r = computeStatsReport([pw("t1", "a", -1, { models: ["x", "y"] }), pw("t2", "a", 1, { models: ["x", "y"] }), pw("t3", "a", 1)], {
      bootstrapRounds: 0,
    });
    expect(r.bradley_terry_fit!.judgments_without_models).toBe(1);
    expect(r.warnings.join(" ")).toMatch(/1 judgments without models/);
  });

  it("mixed scales: direction figures only, with a warning", () => {
    const r = computeStatsReport(
      [pw("t1", "a", -1), pw("t1", "b", -1), { ...pw("t2", "a", 3), scale_points: 7 }, { ...pw("t2", "b", 2), scale_points: 7 }],
      { bootstrapRounds: 0 },
    );
    expect(r.scale_points).toBeNull();
    expect(r.krippendorff_alpha.ordinal).toBeNull();
    expect(r.percent_agreement.with_ties).toBe(1);
    expect(r.warnings[0]).toMatch(/mix the 3, 7-point scales/);
  });

  it("takes the last line of a repeated (task, annotator) and ignores non-valid states", () => {
    const r = computeStatsReport([pw("t1", "a", -1), pw("t1", "b", 1), pw("t1", "a", 1), { ...pw("t1", "c", -1), state: "superseded" }], {
      bootstrapRounds: 0,
    });
    expect(r.judgments).toBe(2);
    expect(r.percent_agreement.with_ties).toBe(1);
    expect(r.skipped).toEqual({ not_valid: 1, both_unacceptable: 0, duplicate: 1 });
  });

  it("exact keeps the value, folds −0 and maps non-finite to null", () => {
    expect(exact(0.123456789)).toBe(0.123456789);
    expect(Object.is(exact(-0), 0)).toBe(true);
    expect(exact(Infinity)).toBeNull();
    expect(exact(null)).toBeNull();
  });
});
