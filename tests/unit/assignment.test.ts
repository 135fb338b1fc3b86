import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  answerToCanonical,
  answerToDisplay,
  chooseDisplayOrder,
  editableUntil,
  isDisplayOrder,
  isEditable,
  leaseExpiry,
  shouldInjectGold,
  shuffled,
  taskHasRoom,
} from "@/lib/domain/assignment";
import { createRng } from "@/lib/domain/stats/rng";

const seeded = (seed: number) => {
  const rng = createRng(seed);
  return () => rng.next();
};

describe("display order", () => {
  it("gives a pair the less used side, and a coin flip when both are used equally", () => {
    expect(chooseDisplayOrder(2, [[0, 1]], seeded(1))).toEqual([1, 0]);
    expect(chooseDisplayOrder(2, [[1, 0]], seeded(1))).toEqual([0, 1]);
    expect(chooseDisplayOrder(2, [[1, 0], [1, 0], [0, 1]], seeded(1))).toEqual([0, 1]);
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
    const rests = new Set(Array.from({ length: 60 }, (_, i) => chooseDisplayOrder(4, [[1, 0, 2, 3], [2, 0, 1, 3], [3, 0, 1, 2]], seeded(i)).join("")));
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

describe("display → canonical", () => {
  it("flips the strength's sign when B was shown on the left", () => {
    // "Left much better" with B on the left is "B much better" canonically.
    expect(answerToCanonical({ strength: -3 }, [1, 0]).strength).toBe(3);
    expect(answerToCanonical({ strength: -3 }, [0, 1]).strength).toBe(-3);
    expect(answerToCanonical({ strength: 0 }, [1, 0]).strength).toBe(0);
  });

  it("moves rankings, ratings and safety flags from display slots to candidate indexes", () => {
    const c = answerToCanonical(
      {
        ranking: [1, 3, 2],
        ratings: { "0": { fluency: 5 }, "2": { fluency: 2 } },
        unsafe: { "1": "violence" },
        rationale: "  the first shown stays in character  ",
        seconds: 12.5,
      },
      [2, 0, 1],
    );
    // Slot 0 showed candidate 2, slot 1 candidate 0, slot 2 candidate 1.
    expect(c.ranks).toEqual([3, 2, 1]);
    expect(c.ratings).toEqual({ "2": { fluency: 5 }, "1": { fluency: 2 } });
    expect(c.unsafe).toEqual({ "0": "violence" });
    expect(c.rationale).toBe("the first shown stays in character");
    expect(c.seconds).toBe(12.5);
    expect(c.strength).toBeNull();
  });

  it("stores 'both unacceptable' with no strength or ranking and an empty rationale as null", () => {
    expect(answerToCanonical({ bothUnacceptable: true, rationale: "  " }, [1, 0])).toEqual({
      strength: null,
      ranks: null,
      bothUnacceptable: true,
      ratings: {},
      unsafe: {},
      roleplayFlags: {},
      rationale: null,
      seconds: null,
    });
  });

  it("moves role-play flags to canonical order, in the fixed flag order, and back", () => {
    const canonical = answerToCanonical({ strength: 1, roleplayFlags: { "0": ["reveals_ai", "out_of_character"], "1": [] } }, [1, 0]);
    expect(canonical.roleplayFlags).toEqual({ "1": ["out_of_character", "reveals_ai"] });
    expect(answerToDisplay(canonical, [1, 0]).roleplayFlags).toEqual({ "0": ["out_of_character", "reveals_ai"] });
  });

  it("round-trips through answerToDisplay for every display order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer(), (k, seed) => {
        const random = seeded(seed);
        const order = shuffled(Array.from({ length: k }, (_, i) => i), random);
        const ranking = shuffled(Array.from({ length: k }, (_, i) => i + 1), random);
        const ratings = { [String(Math.floor(random() * k))]: { empathy: 1 + Math.floor(random() * 5) } };
        const display = k === 2 ? { strength: Math.floor(random() * 7) - 3, ratings } : { ranking, ratings };
        const back = answerToDisplay(answerToCanonical(display, order), order);
        return JSON.stringify({ s: back.strength, r: back.ranking, ra: back.ratings }) === JSON.stringify({ s: (display as { strength?: number }).strength, r: (display as { ranking?: number[] }).ranking, ra: ratings });
      }),
    );
  });

  it("refuses an order that is not a permutation", () => {
    expect(() => answerToCanonical({ strength: 1 }, [0, 0])).toThrow(RangeError);
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
