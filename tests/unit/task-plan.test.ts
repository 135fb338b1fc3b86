import { describe, expect, it } from "vitest";
import { planTasks } from "@/lib/domain/task-plan";

const pairwise = { mode: "pairwise" as const, pairing: "all_pairs" as const };

describe("planTasks", () => {
  it("turns a two-candidate item into one pairwise task in either mode", () => {
    expect(planTasks(["a", "b"], pairwise)).toEqual([{ kind: "pairwise", candidates: [0, 1] }]);
    expect(planTasks(["a", "b"], { ...pairwise, mode: "ranking" })).toEqual([{ kind: "pairwise", candidates: [0, 1] }]);
  });

  it("ranks K candidates at once in ranking mode", () => {
    expect(planTasks(["a", "b", "c", "d"], { ...pairwise, mode: "ranking" })).toEqual([{ kind: "ranking", candidates: [0, 1, 2, 3] }]);
  });

  it("expands K candidates to every pair, in canonical order", () => {
    expect(planTasks(["a", "b", "c"], pairwise).map((p) => p.candidates)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it("pairs each candidate with the baseline, baseline as A", () => {
    expect(planTasks(["x", "base", "y"], { mode: "pairwise", pairing: "baseline", baselineModel: "base" })).toEqual([
      { kind: "pairwise", candidates: [1, 0] },
      { kind: "pairwise", candidates: [1, 2] },
    ]);
    expect(planTasks(["x", "y", "z"], { mode: "pairwise", pairing: "baseline", baselineModel: "base" })).toEqual([]);
  });

  it("plans nothing for fewer than two candidates", () => {
    expect(planTasks(["a"], pairwise)).toEqual([]);
  });
});
