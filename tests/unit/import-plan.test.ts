import { describe, expect, it } from "vitest";
import { planItemTasks, type ItemPlanRules } from "@/lib/domain/import-plan";
import { ImportLine, type ImportLineInput } from "@/lib/validation/import";

const line = (models: string[], gold?: ImportLineInput["gold"]) =>
  ImportLine.parse({
    external_id: "x",
    character: "孙悟空",
    context: [{ role: "user", content: "你好" }],
    candidates: models.map((model, i) => ({ model, content: `回复${i}` })),
    ...(gold ? { gold } : {}),
  });

const pairwise: ItemPlanRules = { mode: "pairwise", pairing: "all_pairs", scalePoints: 7, allowRankingTies: false };
const ranking: ItemPlanRules = { ...pairwise, mode: "ranking" };

describe("planItemTasks", () => {
  it("puts pairwise gold on the one task of a 2-candidate item, in either mode", () => {
    for (const rules of [pairwise, ranking]) {
      expect(planItemTasks(line(["a", "b"], { strength: -2 }), rules)).toEqual({
        tasks: [{ kind: "pairwise", candidates: [0, 1], gold: { strength: -2, accept: [-2] } }],
        issues: [],
      });
    }
  });

  it("puts ranking gold on the ranking task of a K-candidate item", () => {
    expect(planItemTasks(line(["a", "b", "c"], { ranks: [2, 1, 3] }), ranking).tasks).toEqual([
      { kind: "ranking", candidates: [0, 1, 2], gold: { ranks: [2, 1, 3] } },
    ]);
  });

  it("refuses gold that no task can carry, or that is off the scale", () => {
    expect(planItemTasks(line(["a", "b", "c"], { ranks: [1, 2, 3] }), pairwise).issues).toEqual([
      { field: "gold.ranks", message: expect.stringMatching(/ranking project/) },
    ]);
    expect(planItemTasks(line(["a", "b"], { ranks: [1, 2] }), ranking).issues).toEqual([
      { field: "gold.ranks", message: expect.stringMatching(/judged as a pair/) },
    ]);
    expect(planItemTasks(line(["a", "b"], { strength: 0 }), { ...pairwise, scalePoints: 2 }).issues[0]).toMatchObject({
      field: "gold.strength",
    });
    expect(planItemTasks(line(["a", "b", "c"], { ranks: [1, 1, 2] }), ranking).issues[0]).toMatchObject({ field: "gold.ranks" });
    expect(planItemTasks(line(["a", "b", "c"], { ranks: [1, 1, 2] }), { ...ranking, allowRankingTies: true }).issues).toEqual([]);
  });

  it("pairs K candidates with the baseline model, and reports an item without it", () => {
    const rules: ItemPlanRules = { ...pairwise, pairing: "baseline", baselineModel: "b" };
    expect(planItemTasks(line(["a", "b", "c"]), rules).tasks.map((t) => t.candidates)).toEqual([
      [1, 0],
      [1, 2],
    ]);
    expect(planItemTasks(line(["a", "c", "d"]), rules)).toEqual({
      tasks: [],
      issues: [{ field: "candidates", message: expect.stringMatching(/baseline model "b"/) }],
    });
    // Two candidates are one pair whatever the pairing.
    expect(planItemTasks(line(["a", "c"]), rules).tasks).toHaveLength(1);
  });
});
