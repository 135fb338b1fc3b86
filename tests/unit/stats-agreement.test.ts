import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { directionOf } from "@/lib/domain/preference";
import { bootstrapInterval, countByUnit, countDirectionsByTask, percentAgreement, percentAgreementFromCounts } from "@/lib/domain/stats";

describe("percent agreement on direction", () => {
  it("pools every unordered pair of judgments of the same task, with and without ties", () => {
    const judgments = [
      // t1: A, A, B → 3 pairs, 1 agreeing; without ties the same 3 pairs.
      { task: "t1", strength: -2 },
      { task: "t1", strength: -1 },
      { task: "t1", strength: 3 },
      // t2: tie, tie, A → 3 pairs, 1 agreeing (tie–tie); without ties no pair (one non-tie).
      { task: "t2", strength: 0 },
      { task: "t2", strength: 0 },
      { task: "t2", strength: -1 },
      // t3: B, B → 1 pair, agreeing.
      { task: "t3", strength: 1 },
      { task: "t3", strength: 2 },
      // t4: a single judgment gives no pair.
      { task: "t4", strength: -3 },
    ];
    const r = percentAgreement(judgments);
    expect(r.pairsWithTies).toBe(7);
    expect(r.withTies).toBeCloseTo(3 / 7, 12);
    expect(r.pairsWithoutTies).toBe(4);
    expect(r.withoutTies).toBeCloseTo(2 / 4, 12);
    expect(r.tasks).toBe(3);
  });

  it("is null when there is no pair", () => {
    expect(percentAgreement([{ task: 1, strength: 1 }])).toMatchObject({ withTies: null, withoutTies: null });
    expect(
      percentAgreement([
        { task: 1, strength: 0 },
        { task: 1, strength: 1 },
      ]).withoutTies,
    ).toBeNull();
  });

  it("matches brute-force pair enumeration, from judgments or from strength counts", () => {
    const judgment = fc.record({ task: fc.integer({ min: 0, max: 8 }), strength: fc.integer({ min: -3, max: 3 }) });
    fc.assert(
      fc.property(fc.array(judgment, { maxLength: 60 }), (judgments) => {
        let agree = 0;
        let pairs = 0;
        let agreeNt = 0;
        let pairsNt = 0;
        for (let i = 0; i < judgments.length; i++) {
          for (let j = i + 1; j < judgments.length; j++) {
            const a = judgments[i]!;
            const b = judgments[j]!;
            if (a.task !== b.task) continue;
            const same = directionOf(a.strength) === directionOf(b.strength);
            pairs++;
            if (same) agree++;
            if (a.strength !== 0 && b.strength !== 0) {
              pairsNt++;
              if (same) agreeNt++;
            }
          }
        }
        const r = percentAgreement(judgments);
        const fromStrengths = percentAgreementFromCounts(
          countByUnit(
            judgments,
            (j) => j.task,
            (j) => j.strength,
            [-3, -2, -1, 0, 1, 2, 3],
          ),
        );
        const expected = {
          withTies: pairs ? agree / pairs : null,
          withoutTies: pairsNt ? agreeNt / pairsNt : null,
          pairsWithTies: pairs,
          pairsWithoutTies: pairsNt,
        };
        expect(r).toMatchObject(expected);
        expect(fromStrengths).toMatchObject(expected);
      }),
    );
  });

  it("has a reproducible bootstrap interval over tasks", () => {
    const judgments = [];
    for (let t = 0; t < 200; t++) {
      for (let a = 0; a < 3; a++) judgments.push({ task: t, strength: (t * 7 + a * (t % 3)) % 5 === 0 ? 1 : -1 });
    }
    const counts = countDirectionsByTask(judgments);
    const stat = (w: Int32Array) => percentAgreementFromCounts(counts, w).withTies;
    const first = bootstrapInterval(counts.units, stat, { rounds: 100, seed: 42 })!;
    const again = bootstrapInterval(counts.units, stat, { rounds: 100, seed: 42 })!;
    const other = bootstrapInterval(counts.units, stat, { rounds: 100, seed: 43 })!;
    expect(again).toEqual(first);
    expect(other.low === first.low && other.high === first.high).toBe(false);
    const point = percentAgreement(judgments).withTies!;
    expect(first.low).toBeLessThanOrEqual(point);
    expect(first.high).toBeGreaterThanOrEqual(point);
    expect(first.replicates).toBe(100);
  });
});
