import { describe, expect, it } from "vitest";
import { renderJsonl, resolvePolicy, type DpoRow, type KtoRow, type RmRow } from "@/lib/domain/export";
import { buildLiveSessionRows, oaTreeLine, sessionSplit, sessionToOaTree, slotRanks, type LiveTree } from "@/lib/domain/live";
import { sampleSession, sampleTree } from "./live-fixtures";

const dpo = resolvePolicy({ kind: "dpo", minJudgments: 1 });

function byTurn(rows: ReturnType<typeof buildLiveSessionRows>, turnId: string) {
  const found = rows.find((r) => r.taskId === `live-${turnId}`);
  if (!found) throw new Error(`no rows for turn ${turnId}`);
  return found;
}

describe("live session → training rows", () => {
  it("gives each judged turn the conversation as it was, the persona, scene and user role in the system message", () => {
    const rows = buildLiveSessionRows(sampleSession(), dpo);
    const t2 = byTurn(rows, "102").rows[0] as DpoRow;
    const prompt = t2.prompt as { role: string; content: string }[];
    expect(prompt[0]!.role).toBe("system");
    expect(prompt[0]!.content).toContain("Character: Mira");
    expect(prompt[0]!.content).toContain("A storm night on the northern cape.");
    expect(prompt[0]!.content).toContain("The user plays: a lost sailor");
    expect(prompt[0]!.content).toContain("Welcome to the lighthouse, traveller."); // greeting folded
    expect(prompt.slice(1)).toEqual([
      { role: "user", content: "Is the lamp still lit?" },
      { role: "assistant", content: "Always, traveller. I trim the wick at dusk." },
      { role: "user", content: "Can I climb up?" },
    ]);
    expect(t2.chosen).toEqual([{ role: "assistant", content: "Mind the ninth step; it creaks." }]);
    expect(t2.rejected).toEqual([{ role: "assistant", content: "The stairs are closed." }]);
    expect(t2.chosen_model).toBe("keeper-13b");
    expect(t2.pair_source).toBe("pairwise");
    expect(t2.strength_level).toBe("slightly_better");
    expect(t2.item_id).toBe("s55/t102");
  });

  it("turns a swipe into a rejected sibling and an edit into an SFT row plus a flagged pair", () => {
    const t1 = byTurn(buildLiveSessionRows(sampleSession(), dpo), "101");
    const rows = t1.rows as DpoRow[];
    expect(rows.map((r) => [r.pair_source, r.id])).toEqual([
      ["pairwise", "live-101/3>5"],
      ["swipe", "live-101/3>4"],
      ["edit", "live-101/6>3"],
    ]);
    expect(rows[1]!.rejected).toEqual([{ role: "assistant", content: "No." }]);
    expect(rows[1]!.strength_level).toBe("swiped");
    expect(rows[2]!.chosen).toEqual([{ role: "assistant", content: "Always, traveller. I trim the wick at dusk." }]);
    expect(rows[2]!.chosen_model).toBe("human");
    expect(t1.sft).toHaveLength(1);
    const messages = t1.sft[0]!.messages!;
    expect(messages.at(-1)).toEqual({ role: "assistant", content: "Always, traveller. I trim the wick at dusk." });
    expect(messages.at(-2)).toEqual({ role: "user", content: "Is the lamp still lit?" });
  });

  it("leaves edit pairs out on request but keeps the SFT rows", () => {
    const t1 = byTurn(buildLiveSessionRows(sampleSession(), dpo, { editPairs: false, swipePairs: false }), "101");
    expect((t1.rows as DpoRow[]).map((r) => r.pair_source)).toEqual(["pairwise"]);
    expect(t1.sft).toHaveLength(1);
  });

  it("routes 'both unacceptable' to ties and pairs the written reply over each one shown", () => {
    const t3 = byTurn(buildLiveSessionRows(sampleSession(), dpo), "103");
    expect(t3.taskDrop).toBe("both_unacceptable");
    expect(t3.ties).toHaveLength(1);
    expect((t3.rows as DpoRow[]).map((r) => r.id)).toEqual(["live-103/13>11", "live-103/13>12"]);
    expect(t3.sft[0]!.messages!.slice(1)).toEqual([
      { role: "user", content: "Who are you?" },
      { role: "assistant", content: "I am Mira, keeper of this light." },
    ]);
  });

  it("keeps a whole session, branches included, in one split", () => {
    for (let salt = 0; salt < 30; salt++) {
      const policy = resolvePolicy({ minJudgments: 1, salt: String(salt), testPercent: 50 });
      const splits = new Set(buildLiveSessionRows(sampleSession(), policy).map((r) => r.split));
      expect(splits.size).toBe(1);
      expect([...splits][0]).toBe(sessionSplit(sampleSession(), policy));
    }
  });

  it("gives swipe and edit pairs the smallest reward-model margin", () => {
    const rm = resolvePolicy({ kind: "rm", minJudgments: 1 });
    const rows = byTurn(buildLiveSessionRows(sampleSession(), rm), "101").rows as RmRow[];
    expect(rows.map((r) => r.margin)).toEqual([0.667, 0.333, 0.333]);
  });

  it("labels swiped replies undesirable and edits desirable for KTO", () => {
    const kto = resolvePolicy({ kind: "kto", minJudgments: 1 });
    const rows = byTurn(buildLiveSessionRows(sampleSession(), kto), "101").rows as KtoRow[];
    expect(rows.map((r) => [r.id, r.label])).toEqual([
      ["live-101/3", true],
      ["live-101/5", false],
      ["live-101/4", false],
      ["live-101/6", true],
    ]);
  });

  it("expands a ranking turn by the project's pair policy", () => {
    const tree = sampleTree();
    const ranked: LiveTree = {
      ...tree,
      nodes: [
        ...tree.nodes,
        {
          id: "14",
          parentId: "7",
          kind: "candidate",
          role: "assistant",
          text: "Yes, if you carry the lamp oil.",
          turnId: "102",
          author: { kind: "endpoint", endpoint: "e3", model: "keeper-70b" },
        },
      ],
      turns: tree.turns.map((t) =>
        t.id === "102"
          ? {
              ...t,
              slots: [...t.slots, { label: "C", nodeId: "14", swipedNodeIds: [] }],
              judgment: {
                ranks: [3, 1, 2],
                bothUnacceptable: false,
                unsafe: {},
                chosenNodeId: "9",
                editNodeId: null,
                annotatorKey: "ann-1",
              },
            }
          : t,
      ),
    };
    const dpoRows = byTurn(buildLiveSessionRows(sampleSession(ranked), dpo), "102").rows as DpoRow[];
    expect(dpoRows.map((r) => r.id)).toEqual(["live-102/9>8", "live-102/9>14"]);
    const rmRows = byTurn(buildLiveSessionRows(sampleSession(ranked), resolvePolicy({ kind: "rm", minJudgments: 1 })), "102")
      .rows as DpoRow[];
    expect(rmRows).toHaveLength(3);
  });

  it("never makes an unsafe winner chosen, not even over a swiped reply", () => {
    const tree = sampleTree();
    const flagged: LiveTree = {
      ...tree,
      turns: tree.turns.map((t) => (t.id === "101" ? { ...t, judgment: { ...t.judgment!, unsafe: { 0: "violence" } } } : t)),
    };
    const rows = byTurn(buildLiveSessionRows(sampleSession(flagged), dpo), "101").rows as DpoRow[];
    expect(rows.map((r) => r.pair_source)).toEqual(["edit"]);
  });

  it("gives the same bytes for the same session", () => {
    const render = () => renderJsonl(buildLiveSessionRows(sampleSession(), dpo).flatMap((r) => r.rows));
    expect(render()).toBe(render());
  });
});

describe("Open-Assistant-style tree", () => {
  const meta = {
    sessionId: "55",
    project: "lighthouse",
    character: "Mira",
    scene: null,
    userRole: "a lost sailor",
    language: "en",
    state: "ended" as const,
    rating: 4,
  };

  it("nests replies under the greeting with ranks, labels, swipes, edits and authors", () => {
    const tree = sessionToOaTree(meta, sampleTree()) as any;
    expect(tree.tree_state).toBe("ready_for_export");
    const root = tree.prompt;
    expect(root.kind).toBe("greeting");
    expect(root.replies.map((r: any) => r.message_id)).toEqual(["2", "10"]);
    const turn1 = root.replies[0];
    expect(turn1.role).toBe("prompter");
    expect(turn1.judgment).toEqual({ strength: -2, ranking: null, both_unacceptable: false, winner: "A", unsafe: {} });
    const replies = turn1.replies.map((r: any) => [r.message_id, r.label, r.rank, r.swiped, r.chosen, r.edit_of]);
    expect(replies).toEqual([
      ["3", "A", 0, false, false, null],
      ["4", "B", null, true, false, null],
      ["5", "B", 1, false, false, null],
      ["6", null, null, false, true, "3"],
    ]);
    expect(turn1.replies[0].author).toEqual({
      kind: "endpoint",
      endpoint: "e1",
      model: "keeper-7b",
      params: { temperature: 0.8 },
      seed: 11,
    });
    expect(turn1.replies[3].replies[0].text).toBe("Can I climb up?");
    expect(turn1.author).toEqual({ kind: "user", user: "ann-1" });
  });

  it("ranks ties together, competition style", () => {
    const t = sampleTree().turns[0]!;
    expect(slotRanks({ ...t, judgment: { ...t.judgment!, strength: 0 } })).toEqual([0, 0]);
    const three = { ...t, slots: [...t.slots, { label: "C", nodeId: "x", swipedNodeIds: [] }] };
    expect(slotRanks({ ...three, judgment: { ...t.judgment!, strength: null, ranks: [2, 1, 2] } })).toEqual([1, 0, 1]);
  });

  it("is one deterministic line", () => {
    const line = oaTreeLine(meta, sampleTree());
    expect(line).not.toContain("\n");
    expect(line).toBe(oaTreeLine(meta, sampleTree()));
  });
});
