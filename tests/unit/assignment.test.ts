import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseDisplayOrder, editableUntil, isEditable, leaseExpiry, shouldInjectGold, taskHasRoom } from "@/lib/domain/assignment";
import { isDisplayOrder } from "@/lib/domain/answer";
import { createRng } from "@/lib/domain/stats/rng";

const seeded = (seed: number) => {
  const rng = createRng(seed);
  return () => rng.next();
};

describe("display order", () => {
  it("gives a pair the less used side, and a coin flip when both are used equally", () => {
    expect(chooseDisplayOrder(2, [[0, 1]], seeded(1))).toEqual([1, 0]);
    expect(chooseDisplayOrder(2, [[1, 0]], seeded(1))).toEqual([0, 1]);
    expect(
      chooseDisplayOrder(
        2,
        [
          [1, 0],
          [1, 0],
          [0, 1],
        ],
        seeded(1),
      ),
    ).toEqual([0, 1]);
    const firsts = new Set(Array.from({ length: 40 }, (_, i) => chooseDisplayOrder(2, [], seeded(i))[0]));
    expect(firsts).toEqual(new Set([0, 1]));
  });

  it("balances a pair over a task's annotators: never more than one apart", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer(), (overlap, seed) => {
        const random = seeded(seed);
        const used: number[][] = [];
        for (let i = 0; i < overlap; i++) used.push(chooseDisplayOrder(2, used, random));
        const left0 = used.filter((o) => o[0] === 0).length;
        return Math.abs(left0 - (overlap - left0)) <= 1;
      }),
    );
  });

  it("K-wise: a permutation whose first candidate is one shown first least often", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 8 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (k, n, seed) => {
        const random = seeded(seed);
        const used: number[][] = [];
        for (let i = 0; i < n; i++) {
          const order = chooseDisplayOrder(k, used, random);
          if (!isDisplayOrder(order, k)) return false;
          used.push(order);
        }
        const firsts = new Array<number>(k).fill(0);
        for (const o of used) firsts[o[0]!]! += 1;
        return Math.max(...firsts) - Math.min(...firsts) <= 1;
      }),
    );
  });

  it("shuffles the rest of a K-wise order", () => {
    const rests = new Set(
      Array.from({ length: 60 }, (_, i) =>
        chooseDisplayOrder(
          4,
          [
            [1, 0, 2, 3],
            [2, 0, 1, 3],
            [3, 0, 1, 2],
          ],
          seeded(i),
        ).join(""),
      ),
    );
    expect([...rests].every((r) => r.startsWith("0"))).toBe(true);
    expect(rests.size).toBe(6);
  });

  it("refuses fewer than two candidates", () => {
    expect(() => chooseDisplayOrder(1, [], Math.random)).toThrow(RangeError);
  });
});

describe("gold injection", () => {
  it("never injects at ratio 0", () => {
    expect(shouldInjectGold({ goldRatio: 0, goldSoFar: 0, totalSoFar: 100 }, () => 0)).toBe(false);
  });

  it("is forced a whole task behind and impossible a whole task ahead", () => {
    // 0.1 × 21 = 2.1: with 1 gold so far, 1 + u < 2.1 for every u < 1.
    expect(shouldInjectGold({ goldRatio: 0.1, goldSoFar: 1, totalSoFar: 20 }, () => 0.999)).toBe(true);
    // 3 gold after 20: 3 + u ≥ 2.1 always.
    expect(shouldInjectGold({ goldRatio: 0.1, goldSoFar: 3, totalSoFar: 20 }, () => 0)).toBe(false);
    // In between, the random draw decides.
    expect(shouldInjectGold({ goldRatio: 0.1, goldSoFar: 2, totalSoFar: 20 }, () => 0.05)).toBe(true);
    expect(shouldInjectGold({ goldRatio: 0.1, goldSoFar: 2, totalSoFar: 20 }, () => 0.5)).toBe(false);
  });

  it("keeps an annotator's gold count within one task of the ratio at every step", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.5, noNaN: true }), fc.integer(), (ratio, seed) => {
        const random = seeded(seed);
        let gold = 0;
        for (let n = 0; n < 300; n++) {
          if (shouldInjectGold({ goldRatio: ratio, goldSoFar: gold, totalSoFar: n }, random)) gold++;
          if (Math.abs(gold - ratio * (n + 1)) > 1 + 1e-9) return false;
        }
        return true;
      }),
    );
  });
});

describe("leases and edit windows", () => {
  it("counts room as valid judgments plus live leases below the overlap", () => {
    expect(taskHasRoom({ validJudgments: 1, overlap: 3 }, 1)).toBe(true);
    expect(taskHasRoom({ validJudgments: 1, overlap: 3 }, 2)).toBe(false);
    expect(taskHasRoom({ validJudgments: 3, overlap: 3 }, 0)).toBe(false);
  });

  it("expires a lease after the project's lease length", () => {
    expect(leaseExpiry(new Date("2025-01-01T00:00:00Z"), 20).toISOString()).toBe("2025-01-01T00:20:00.000Z");
  });

  it("closes the edit window the given minutes after the first submission", () => {
    const first = new Date("2025-01-01T10:00:00Z");
    expect(editableUntil(first, 30).toISOString()).toBe("2025-01-01T10:30:00.000Z");
    expect(isEditable(first, 30, new Date("2025-01-01T10:30:00Z"))).toBe(true);
    expect(isEditable(first, 30, new Date("2025-01-01T10:30:01Z"))).toBe(false);
    expect(isEditable(first, 0, new Date("2025-01-01T10:00:01Z"))).toBe(false);
  });
});
