import { describe, expect, it } from "vitest";
import { aggregateTask, marginFor, resolvePolicy, strengthLevel, type ExportJudgment, type ExportTask } from "@/lib/domain/export";
import { judgmentBuilders, pairwiseTask } from "./export-fixtures";

let nextAnnotator = 0;
const { vote, rank } = judgmentBuilders(() => `a${nextAnnotator++}`);
function pairTask(judgments: ExportJudgment[], extra: Partial<ExportTask> = {}): ExportTask {
  return pairwiseTask(judgments, {
    candidates: [
      { id: "a", model: "m-a", content: "A 回复" },
      { id: "b", model: "m-b", content: "B 回复" },
    ],
    item: { externalId: "x1", character: { name: "佟湘玉", profile: {} }, context: [{ role: "user", content: "掌柜的？" }] },
    ...extra,
  });
}
function rankTask(k: number, judgments: ExportJudgment[]): ExportTask {
  return {
    ...pairTask(judgments),
    kind: "ranking",
    candidates: Array.from({ length: k }, (_, i) => ({ id: `c${i}`, model: `m${i}`, content: `reply ${i}` })),
  };
}
const defaults = resolvePolicy();

describe("pairwise aggregation", () => {
  it("takes the majority direction, the mean strength of the majority side and its share as agreement", () => {
    const agg = aggregateTask(pairTask([vote(-3), vote(-2), vote(1)]), defaults);
    expect(agg.nAnnotators).toBe(3);
    expect(agg.result).toEqual({
      ok: true,
      ties: null,
      consensus: { kind: "pairwise", outcome: "A", strength: 2.5, agreement: 2 / 3 },
    });
  });

  it("has documented defaults: at least 2 judgments and agreement ≥ 2/3", () => {
    expect(defaults.minJudgments).toBe(2);
    expect(defaults.minAgreement).toBeCloseTo(2 / 3, 12);
    expect(aggregateTask(pairTask([vote(2)]), defaults).result).toEqual({ ok: false, reason: "too_few_judgments" });
    expect(aggregateTask(pairTask([vote(2)]), resolvePolicy({ minJudgments: 1 })).result.ok).toBe(true);
    // 3 of 5 = 0.6 < 2/3
    const five = [vote(2), vote(1), vote(3), vote(-1), vote(-2)];
    expect(aggregateTask(pairTask(five), defaults).result).toEqual({ ok: false, reason: "low_agreement" });
    expect(aggregateTask(pairTask(five), resolvePolicy({ minAgreement: 0.6 })).result.ok).toBe(true);
  });

  it("reports no majority when two answers are level at the top", () => {
    expect(aggregateTask(pairTask([vote(-1), vote(1)]), defaults).result).toEqual({ ok: false, reason: "no_majority" });
    expect(aggregateTask(pairTask([vote(-1), vote(0), vote(2)]), resolvePolicy({ minAgreement: 0 })).result).toEqual({
      ok: false,
      reason: "no_majority",
    });
  });

  it("never counts rejected, superseded or excluded judgments, nor answers off the scale", () => {
    const agg = aggregateTask(
      pairTask([
        vote(3),
        vote(2),
        vote(-3, { state: "rejected" }),
        vote(-3, { state: "superseded" }),
        vote(-3, { excluded: true }),
        vote(-4),
        vote(0.5),
      ]),
      defaults,
    );
    expect(agg.tally).toEqual({ total: 7, counted: 2, rejected: 1, superseded: 1, excluded: 1, invalid: 2 });
    expect(agg.result).toMatchObject({ ok: true, consensus: { outcome: "B", strength: 2.5, agreement: 1 } });
  });

  it("changes its result when an annotator is excluded", () => {
    const judgments = [vote(-2, { annotatorKey: "spammer" }), vote(-1, { annotatorKey: "spam2" }), vote(2), vote(3)];
    expect(aggregateTask(pairTask(judgments), defaults).result).toEqual({ ok: false, reason: "no_majority" });
    const excluded = judgments.map((j) => (j.annotatorKey.startsWith("spam") ? { ...j, excluded: true } : j));
    expect(aggregateTask(pairTask(excluded), defaults).result).toMatchObject({ ok: true, consensus: { outcome: "B", strength: 2.5 } });
  });

  it("routes a tie and a 'both unacceptable' majority to ties", () => {
    expect(aggregateTask(pairTask([vote(0), vote(0), vote(1)]), defaults).result).toMatchObject({ ok: true, ties: "tie" });
    const bu = aggregateTask(pairTask([vote(0, { bothUnacceptable: true }), vote(-2, { bothUnacceptable: true }), vote(1)]), defaults);
    expect(bu.result).toMatchObject({ ok: true, ties: "both_unacceptable", consensus: { outcome: "both_unacceptable", strength: 0 } });
  });

  it("lets an adjudicated label override the vote and the thresholds", () => {
    const agg = aggregateTask(pairTask([vote(-2), vote(-3), vote(1)], { adjudicated: { strength: 2 } }), defaults);
    expect(agg.adjudicated).toBe(true);
    expect(agg.result).toMatchObject({ ok: true, consensus: { outcome: "B", strength: 2, agreement: 1 / 3 } });
    const alone = aggregateTask(pairTask([], { adjudicated: { strength: -1 } }), defaults);
    expect(alone.result).toMatchObject({ ok: true, consensus: { outcome: "A", strength: 1, agreement: 1 } });
  });

  it("finds the unsafe consensus by a strict majority of counted judgments, with the most frequent category", () => {
    const agg = aggregateTask(
      pairTask([
        vote(-2, { unsafe: { 0: "violence" } }),
        vote(-2, { unsafe: { 0: "hate", 1: "other" } }),
        vote(-1, { unsafe: { 0: "hate" } }),
        vote(-1, { unsafe: { 0: "sexual" }, state: "rejected" }),
      ]),
      defaults,
    );
    expect(agg.unsafe).toEqual(["hate", null]);
    expect(agg.unsafeShare).toEqual([1, 1 / 3]);
    const half = aggregateTask(pairTask([vote(-2, { unsafe: { 0: "violence" } }), vote(-2)]), defaults);
    expect(half.unsafe).toEqual([null, null]);
    // keys arriving as strings from JSON work too
    const fromJson = aggregateTask(
      pairTask([vote(1, { unsafe: JSON.parse('{"1":"privacy"}') }), vote(1, { unsafe: JSON.parse('{"1":"privacy"}') })]),
      defaults,
    );
    expect(fromJson.unsafe).toEqual([null, "privacy"]);
  });
});

describe("ranking aggregation", () => {
  it("aggregates by mean rank", () => {
    const agg = aggregateTask(rankTask(3, [rank([1, 2, 3]), rank([2, 1, 3]), rank([1, 3, 2])]), defaults);
    expect(agg.result).toMatchObject({ ok: true, ties: null, consensus: { kind: "ranking", meanRanks: [4 / 3, 2, 8 / 3] } });
    expect(agg.rankings).toHaveLength(3);
  });

  it("ignores malformed rankings and routes 'all unacceptable' majorities and full ties", () => {
    const agg = aggregateTask(rankTask(3, [rank([1, 2]), rank([1, 2, 4]), rank([1, 2, 3]), rank([3, 2, 1])]), defaults);
    expect(agg.tally.invalid).toBe(2);
    expect(agg.result).toMatchObject({ ok: true, ties: "tie" });
    const bu = aggregateTask(
      rankTask(3, [rank([1, 2, 3], { bothUnacceptable: true }), rank([], { bothUnacceptable: true }), rank([1, 2, 3])]),
      defaults,
    );
    expect(bu.result).toMatchObject({ ok: true, ties: "both_unacceptable" });
  });
});

describe("strength levels and margins", () => {
  it("maps the 7-point scale to Llama 2's small margins and to 3/2/1 with the large scale", () => {
    expect([3, 2, 1].map((s) => marginFor(s, 3, "small"))).toEqual([1, 0.667, 0.333]);
    expect([3, 2, 1].map((s) => marginFor(s, 3, "large"))).toEqual([3, 2, 1]);
    expect([3, 2, 1, 0].map((s) => strengthLevel(s, 3))).toEqual(["much_better", "better", "slightly_better", "tie"]);
  });

  it("generalises proportionally to 5-, 3- and 2-point scales", () => {
    expect([2, 1].map((s) => marginFor(s, 2, "small"))).toEqual([1, 0.5]);
    expect([2, 1].map((s) => marginFor(s, 2, "large"))).toEqual([3, 1.5]);
    expect([2, 1].map((s) => strengthLevel(s, 2))).toEqual(["much_better", "better"]);
    expect(marginFor(1, 1, "small")).toBe(1);
    expect(marginFor(1, 1, "large")).toBe(3);
    expect(strengthLevel(1, 1)).toBe("better");
  });

  it("handles mean strengths between levels", () => {
    expect(strengthLevel(2.5, 3)).toBe("much_better");
    expect(strengthLevel(1.5, 3)).toBe("better");
    expect(strengthLevel(4 / 3, 3)).toBe("slightly_better");
    expect(marginFor(2.5, 3, "small")).toBe(0.833);
  });
});
