import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/domain/stats/rng";
import {
  comparesDifferentModels,
  contextForTurn,
  continuationSlot,
  indexNodes,
  isContinuation,
  isFirstTurnOfBranch,
  labelOf,
  pathTo,
  planSlots,
  selectUniform,
  slotOf,
  winningSlot,
  liveLeaderboardInput,
} from "@/lib/domain/live";
import { sampleTree } from "./live-fixtures";

describe("live conversation tree", () => {
  const tree = sampleTree();
  const byId = indexNodes(tree.nodes);

  it("walks from the greeting to a node", () => {
    expect(pathTo(byId, "7").map((n) => n.id)).toEqual(["1", "2", "6", "7"]);
    expect(() => pathTo(byId, "99")).toThrow(/not in the tree/);
  });

  it("refuses a dangling parent or a cycle", () => {
    const broken = indexNodes([
      { id: "1", parentId: "2", kind: "user", role: "user", text: "x", turnId: null, author: { kind: "character" } },
    ]);
    expect(() => pathTo(broken, "1")).toThrow(/outside the tree/);
    const cycle = indexNodes([
      { id: "1", parentId: "2", kind: "user", role: "user", text: "x", turnId: null, author: { kind: "character" } },
      { id: "2", parentId: "1", kind: "user", role: "user", text: "y", turnId: null, author: { kind: "character" } },
    ]);
    expect(() => pathTo(cycle, "1")).toThrow(/own ancestor/);
  });

  it("builds the context of a new turn from a continuation: the edit, not the original", () => {
    const { messages, index } = contextForTurn(tree, "6", "Can I climb up?");
    expect(index).toBe(2);
    expect(messages).toEqual([
      { role: "assistant", content: "Welcome to the lighthouse, traveller." },
      { role: "user", content: "Is the lamp still lit?" },
      { role: "assistant", content: "Always, traveller. I trim the wick at dusk." },
      { role: "user", content: "Can I climb up?" },
    ]);
  });

  it("branches from the greeting or a chosen reply only", () => {
    expect(contextForTurn(tree, "1", "Who are you?").index).toBe(1);
    expect(() => contextForTurn(tree, "4", "x")).toThrow(/not a chosen reply/);
    expect(() => contextForTurn(tree, "3", "x")).toThrow(/not a chosen reply/); // edited: the edit continues
    expect(isContinuation(byId.get("9")!, tree.turns)).toBe(true);
    expect(isContinuation(byId.get("8")!, tree.turns)).toBe(false);
  });

  it("knows the first turn of each branch", () => {
    expect(tree.turns.map((t) => isFirstTurnOfBranch(byId, t))).toEqual([true, false, true]);
  });

  it("finds the winner and the continuation", () => {
    expect(winningSlot({ strength: -2, bothUnacceptable: false }, 2)).toBe(0);
    expect(winningSlot({ strength: 1, bothUnacceptable: false }, 2)).toBe(1);
    expect(winningSlot({ strength: 0, bothUnacceptable: false }, 2)).toBeNull();
    expect(continuationSlot({ strength: 0, bothUnacceptable: false }, 2)).toBe(0);
    expect(winningSlot({ ranks: [2, 1, 3], bothUnacceptable: false }, 3)).toBe(1);
    expect(winningSlot({ ranks: [1, 1, 3], bothUnacceptable: false }, 3)).toBeNull();
    expect(continuationSlot({ ranks: [2, 1, 1], bothUnacceptable: false }, 3)).toBe(1);
    expect(continuationSlot({ bothUnacceptable: true }, 3)).toBeNull();
  });

  it("labels slots A to D", () => {
    expect([0, 1, 2, 3].map(labelOf)).toEqual(["A", "B", "C", "D"]);
    expect(() => labelOf(4)).toThrow(RangeError);
    expect(slotOf("c")).toBe(2);
    expect(slotOf("E")).toBe(-1);
  });
});

describe("endpoint selection and blind labels", () => {
  it("draws distinct endpoints when the pool is large enough, and repeats otherwise", () => {
    const rng = createRng(7);
    for (let i = 0; i < 50; i++) {
      const picked = selectUniform(["a", "b", "c", "d"], 3, () => rng.next());
      expect(new Set(picked).size).toBe(3);
    }
    const small = selectUniform(["a", "b"], 3, () => rng.next());
    expect(small).toHaveLength(3);
    expect(new Set(small)).toEqual(new Set(["a", "b"]));
    expect(() => selectUniform([], 2, Math.random)).toThrow(/empty/);
  });

  it("is reproducible for a seed and spreads endpoints over labels", () => {
    const plan = (seed: number) => {
      const rng = createRng(seed);
      return planSlots(["e1", "e2"], 2, "uniform", () => rng.next());
    };
    expect(plan(42)).toEqual(plan(42));
    expect(plan(42).map((s) => s.label)).toEqual(["A", "B"]);
    const firstIsE1 = Array.from({ length: 400 }, (_, seed) => plan(seed)[0]!.endpoint === "e1").filter(Boolean).length;
    expect(firstIsE1).toBeGreaterThan(150);
    expect(firstIsE1).toBeLessThan(250);
    expect(() => planSlots(["e1"], 5, "uniform", Math.random)).toThrow(RangeError);
    expect(() => planSlots(["e1"], 1, "uniform", Math.random)).toThrow(RangeError);
  });

  it("says whether a comparison pits different models", () => {
    expect(comparesDifferentModels(["m1", "m2"])).toBe(true);
    expect(comparesDifferentModels(["m1", "m1"])).toBe(false);
  });
});

describe("live comparisons for the leaderboard", () => {
  const turns = [
    { models: ["m1", "m2"], strength: -2, ranks: null, bothUnacceptable: false, firstOfBranch: true },
    { models: ["m2", "m1"], strength: 1, ranks: null, bothUnacceptable: false, firstOfBranch: false },
    { models: ["m1", "m1"], strength: 0, ranks: null, bothUnacceptable: false, firstOfBranch: true },
    { models: ["m1", "m2", "m3"], strength: null, ranks: [2, 1, 3], bothUnacceptable: false, firstOfBranch: true },
    { models: ["m3", "m2"], strength: null, ranks: null, bothUnacceptable: true, firstOfBranch: true },
  ];

  it("takes first turns of each branch by default, and says what it left out", () => {
    const input = liveLeaderboardInput(turns);
    expect(input.basis).toBe("first_turn_of_branch");
    expect(input.entries).toEqual([
      [["m1", "m2"], -2, 1],
      [["m1", "m1"], 0, 1],
      [["m1", "m2", "m3"], [2, 1, 3], 1],
    ]);
    expect(input).toMatchObject({ comparisons: 4, sameModel: 1, differentModels: 3, laterTurnsLeftOut: 1, noPreference: 1 });
  });

  it("takes every turn on request", () => {
    const input = liveLeaderboardInput(turns, "all_turns");
    expect(input.entries).toHaveLength(4);
    expect(input.laterTurnsLeftOut).toBe(0);
  });
});
