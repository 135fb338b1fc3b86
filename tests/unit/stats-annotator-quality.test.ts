import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { annotatorQuality, isGoldCorrect, wilsonInterval, type QualityJudgment } from "@/lib/domain/stats";

const AB: readonly number[] = [0, 1]; // A shown on the left
const BA: readonly number[] = [1, 0]; // B shown on the left

describe("per-annotator quality", () => {
  const judgments: QualityJudgment[] = [
    // t1: A, A, B
    { task: "t1", annotator: "ann", strength: -2, displayOrder: AB, seconds: 30, order: 1, candidateLengths: [200, 100] },
    { task: "t1", annotator: "bob", strength: -1, displayOrder: BA, seconds: 12, order: 1, candidateLengths: [200, 100] },
    { task: "t1", annotator: "cat", strength: 1, displayOrder: AB, seconds: 5, order: 1, candidateLengths: [200, 100] },
    // t2: tie, tie
    { task: "t2", annotator: "ann", strength: 0, displayOrder: BA, seconds: 40, order: 2 },
    { task: "t2", annotator: "bob", strength: 0, displayOrder: AB, seconds: 14, order: 2 },
    // t3: ann alone, gold task (A or A-slightly accepted)
    { task: "t3", annotator: "ann", strength: -1, displayOrder: BA, seconds: 50, order: 3, gold: { strength: -2, accept: [-3, -2, -1] } },
    // t4: gold without an accept list: same direction counts
    { task: "t4", annotator: "ann", strength: 1, displayOrder: AB, order: 4, gold: { strength: -1 }, candidateLengths: [50, 50] },
    // t5: a 2-point judgment cannot tie; it does not count toward the tie rate
    { task: "t5", annotator: "ann", strength: 1, scalePoints: 2, displayOrder: AB, order: 5 },
  ];
  const report = annotatorQuality(judgments);
  const row = (name: string) => report.annotators.find((a) => a.annotator === name)!;

  it("agrees with the leave-one-out majority, splitting credit when the others are split", () => {
    // ann: t1 others A,B → ½; t2 others tie → 1; t3–t5 alone → not counted.
    expect(row("ann").majorityAgreement).toEqual({ value: 0.75, judgments: 2 });
    expect(row("bob").majorityAgreement).toEqual({ value: 0.75, judgments: 2 });
    // cat (B) vs others A, A → 0.
    expect(row("cat").majorityAgreement).toEqual({ value: 0, judgments: 1 });
    expect(report.overall.majorityAgreement.value).toBeCloseTo(3 / 5, 12);
  });

  it("scores gold answers with the accept list or by direction, with a Wilson interval", () => {
    expect(row("ann").goldAccuracy).toEqual(wilsonInterval(1, 2));
    expect(row("bob").goldAccuracy).toBeNull();
    expect(isGoldCorrect(0, { strength: -2, accept: [-3, -2, -1, 0] })).toBe(true);
    expect(isGoldCorrect(-3, { strength: -1 })).toBe(true);
    expect(isGoldCorrect(0, { strength: -1 })).toBe(false);
  });

  it("computes the tie rate over judgments whose scale allows a tie", () => {
    expect(row("ann").tieRate).toEqual({ value: 0.25, ties: 1, judgments: 4 });
    expect(row("bob").tieRate).toEqual({ value: 0.5, ties: 1, judgments: 2 });
  });

  it("measures position bias on the displayed side, ties left out", () => {
    // ann non-ties: t1 −2 with A left → left; t3 −1 with B left → right; t4 +1 with A left → right;
    // t5 +1 with A left → right.
    expect(row("ann").leftShare).toEqual(wilsonInterval(1, 4));
    // bob: t1 −1 (A better) with B on the left → right.
    expect(row("bob").leftShare).toEqual(wilsonInterval(0, 1));
  });

  it("measures length bias over non-tie votes between replies of different length", () => {
    // t1: A is longer. ann and bob chose A (longer), cat chose B (shorter); t4 has equal lengths.
    expect(row("ann").longerShare).toEqual(wilsonInterval(1, 1));
    expect(row("cat").longerShare).toEqual(wilsonInterval(0, 1));
    expect(report.overall.longerShare).toEqual(wilsonInterval(2, 3));
  });

  it("reports median seconds, scale use and judgment counts", () => {
    expect(row("ann").medianSeconds).toBe(40);
    expect(row("bob").medianSeconds).toBe(13);
    expect(row("ann").scaleUse).toEqual([
      { strength: -2, count: 1 },
      { strength: -1, count: 1 },
      { strength: 0, count: 1 },
      { strength: 1, count: 2 },
    ]);
    expect(row("ann").judgments).toBe(5);
    expect(report.overall.judgments).toBe(8);
    expect(report.annotators.map((a) => a.annotator)).toEqual(["ann", "bob", "cat"]);
  });

  it("finds the longest run of the same displayed answer in submission order", () => {
    const same = (order: number, strength: number, displayOrder: readonly number[]): QualityJudgment => ({
      task: `s${order}`,
      annotator: "dan",
      strength,
      displayOrder,
      order,
    });
    // Always "left is better" (display −1): canonical strengths alternate with the display order.
    const r = annotatorQuality([
      same(5, 1, BA),
      same(1, -1, AB),
      same(2, 1, BA),
      same(3, -1, AB),
      same(4, 1, BA),
      same(6, 2, AB),
      same(7, 2, AB),
    ]).annotators[0]!;
    expect(r.longestRun).toEqual({ length: 5, answer: -1 });
  });

  it("never credits more than one unit per judgment and stays within [0, 1]", () => {
    const judgment = fc.record({
      task: fc.integer({ min: 0, max: 5 }),
      annotator: fc.constantFrom("a", "b", "c", "d"),
      strength: fc.integer({ min: -2, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(judgment, { maxLength: 40 }), (js) => {
        const rep = annotatorQuality(js);
        return rep.annotators.every((a) => {
          const v = a.majorityAgreement.value;
          return v === null || (v >= 0 && v <= 1 && a.majorityAgreement.judgments <= a.judgments);
        });
      }),
    );
  });
});
