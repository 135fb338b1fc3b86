import { describe, expect, it } from "vitest";
import { contestScore, goldAnswerProblems, strongThreshold, type ContestSignals } from "@/lib/domain/review";

const base: ContestSignals = {
  votes: 3,
  topVotes: 3,
  strongOpposite: false,
  spread: 0,
  scalePoints: 7,
  unsafeMajority: false,
  goldMisses: 0,
  goldGraded: 0,
};

describe("contestScore", () => {
  it("is 0 for a unanimous task and for a single vote", () => {
    expect(contestScore(base)).toBe(0);
    expect(contestScore({ ...base, votes: 1, topVotes: 1 })).toBe(0);
  });

  it("adds dissent, strong opposition, spread, an unsafe majority and gold misses with the documented weights", () => {
    // -3, 0, +3 on 7 points: dissent 2/3 → 2, strong opposite → 2, spread 6/6 → 1.
    expect(contestScore({ ...base, topVotes: 1, strongOpposite: true, spread: 6 })).toBe(5);
    // -1, -1, +1: dissent 1/3 → 1, spread 2/6.
    expect(contestScore({ ...base, topVotes: 2, spread: 2 })).toBeCloseTo(1.3333, 4);
    expect(contestScore({ ...base, unsafeMajority: true })).toBe(1.5);
    expect(contestScore({ ...base, votes: 1, topVotes: 1, goldMisses: 1, goldGraded: 2 })).toBe(1);
  });

  it("orders a genuine split above a lone dissent", () => {
    const split = contestScore({ ...base, votes: 2, topVotes: 1, spread: 2 });
    const lone = contestScore({ ...base, votes: 4, topVotes: 3, spread: 2 });
    expect(split).toBeGreaterThan(lone);
  });
});

describe("strongThreshold and gold answers", () => {
  it("counts 2 as strong on 5- and 7-point scales, any preference on smaller ones", () => {
    expect([7, 5, 3, 2].map(strongThreshold)).toEqual([2, 2, 1, 1]);
  });

  it("checks a gold answer against the scale", () => {
    const seven = [-3, -2, -1, 0, 1, 2, 3];
    expect(goldAnswerProblems({ strength: -2, accept: [-3, -2, -1] }, seven)).toEqual([]);
    expect(goldAnswerProblems({ strength: -4, accept: [-4] }, seven).map((p) => p.field)).toEqual(["strength", "accept"]);
    expect(goldAnswerProblems({ strength: -2, accept: [-1] }, seven)).toEqual([
      { field: "accept", message: "must include the answer itself" },
    ]);
    expect(goldAnswerProblems({ strength: 0, accept: [] }, [-1, 1]).map((p) => p.field)).toEqual(["strength", "accept"]);
  });
});
