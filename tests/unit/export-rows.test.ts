import { describe, expect, it } from "vitest";
import {
  buildTaskRows,
  resolvePolicy,
  type DpoRow,
  type ExportJudgment,
  type ExportPolicyInput,
  type ExportTask,
  type KtoRow,
  type RmRow,
} from "@/lib/domain/export";
import { judgmentBuilders, pairwiseTask } from "./export-fixtures";

let n = 0;
const { vote, rank } = judgmentBuilders(() => `a${n++}`);
const item = {
  externalId: "rb-0001",
  character: { name: "孙悟空", profile: { 性别: "男", 口头禅: ["俺老孙来也！"] } },
  context: [{ role: "user" as const, content: "大圣，你今天去哪儿了？" }],
};
function pairTask(judgments: ExportJudgment[], extra: Partial<ExportTask> = {}): ExportTask {
  return pairwiseTask(judgments, {
    candidates: [
      { id: "ca", model: "index-1.9b-dpo", content: "俺老孙去天宫喝了杯御酒，嘿嘿！" },
      { id: "cb", model: "baseline", content: "作为一个AI，我没有去任何地方。" },
    ],
    item,
    ...extra,
  });
}
function rankTask(k: number, judgments: ExportJudgment[], extra: Partial<ExportTask> = {}): ExportTask {
  return {
    ...pairTask(judgments),
    taskId: "k1",
    kind: "ranking",
    candidates: Array.from({ length: k }, (_, i) => ({ id: `c${i}`, model: `m${i}`, content: `回复 ${i}` })),
    ...extra,
  };
}
const build = (task: ExportTask, policy: ExportPolicyInput = {}) => buildTaskRows(task, resolvePolicy(policy));

const META: Record<string, string> = {
  id: "string",
  prompt_id: "string",
  item_id: "string",
  character: "string",
  strength: "number",
  strength_level: "string",
  n_annotators: "number",
  agreement: "number",
  pair_source: "string",
  language: "string",
};
const FORBIDDEN = ["label", "completion", "messages", "text", "images", "image", "tools", "conversations"];

function expectCleanColumns(row: object, allowed: string[] = []): void {
  const r = row as Record<string, unknown>;
  for (const [k, type] of Object.entries(META)) expect(typeof r[k], k).toBe(type);
  for (const [k, v] of Object.entries(r)) {
    expect(v, k).not.toBeNull();
    expect(v, k).not.toBeUndefined();
    if (allowed.includes(k)) continue;
    expect(FORBIDDEN, k).not.toContain(k);
    expect(k.endsWith("_ids"), k).toBe(false);
    expect(k.startsWith("ref_"), k).toBe(false);
  }
}

describe("pairwise rows", () => {
  it("builds a conversational DPO row: one assistant message each side, flat metadata, Chinese kept exactly", () => {
    const t = build(pairTask([vote(-3), vote(-2), vote(1)]));
    expect(t.taskDrop).toBeNull();
    expect(t.rows).toHaveLength(1);
    const row = t.rows[0] as DpoRow;
    expect(row.chosen).toEqual([{ role: "assistant", content: "俺老孙去天宫喝了杯御酒，嘿嘿！" }]);
    expect(row.rejected).toEqual([{ role: "assistant", content: "作为一个AI，我没有去任何地方。" }]);
    expect(Array.isArray(row.prompt) && row.prompt.at(-1)).toEqual({ role: "user", content: "大圣，你今天去哪儿了？" });
    expect(row).toMatchObject({
      id: "t1/ca>cb",
      item_id: "rb-0001",
      character: "孙悟空",
      chosen_model: "index-1.9b-dpo",
      rejected_model: "baseline",
      strength: 2.5,
      strength_level: "much_better",
      n_annotators: 3,
      agreement: 0.6667,
      pair_source: "pairwise",
      language: "zh",
    });
    expect("margin" in row).toBe(false);
    expectCleanColumns(row);
  });

  it("adds the margin for the reward model (small by default, large on request)", () => {
    const small = build(pairTask([vote(2), vote(2), vote(2)]), { kind: "rm" }).rows[0] as RmRow;
    expect(small).toMatchObject({ id: "t1/cb>ca", margin: 0.667, strength: 2, strength_level: "better" });
    const large = build(pairTask([vote(2), vote(2), vote(2)]), { kind: "rm", marginScale: "large" }).rows[0] as RmRow;
    expect(large.margin).toBe(2);
    const five = build(pairTask([vote(1), vote(1)], { scalePoints: 5 }), { kind: "rm" }).rows[0] as RmRow;
    expect(five).toMatchObject({ margin: 0.5, strength_level: "better" });
    expectCleanColumns(small);
  });

  it("gives plain strings in the standard format", () => {
    const row = build(pairTask([vote(-1), vote(-1)]), { format: "standard" }).rows[0] as DpoRow;
    expect(typeof row.prompt).toBe("string");
    expect(row.prompt).toContain("用户：大圣，你今天去哪儿了？\n孙悟空：");
    expect(row.chosen).toBe("俺老孙去天宫喝了杯御酒，嘿嘿！");
    expect(row.rejected).toBe("作为一个AI，我没有去任何地方。");
  });

  it("keeps 'slightly better' pairs by default and drops them on request", () => {
    const task = pairTask([vote(-1), vote(-1), vote(-2)]);
    expect(build(task).rows[0]).toMatchObject({ strength_level: "slightly_better" });
    const dropped = build(task, { dropSlightlyBetter: true });
    expect(dropped.rows).toHaveLength(0);
    expect(dropped.pairDrops).toEqual({ slightly_better: 1 });
  });

  it("routes ties and 'both unacceptable' to ties rows only", () => {
    const tie = build(pairTask([vote(0), vote(0), vote(2)]));
    expect(tie.rows).toHaveLength(0);
    expect(tie.taskDrop).toBe("tie");
    expect(tie.ties).toHaveLength(1);
    expect(tie.ties[0]).toMatchObject({
      id: "t1/ca=cb",
      outcome: "tie",
      models: ["index-1.9b-dpo", "baseline"],
      strength: 0,
      strength_level: "tie",
      agreement: 0.6667,
    });
    expectCleanColumns(tie.ties[0] as object);
    const bu = build(pairTask([vote(0, { bothUnacceptable: true }), vote(0, { bothUnacceptable: true })]), { kind: "rm" });
    expect(bu.rows).toHaveLength(0);
    expect(bu.taskDrop).toBe("both_unacceptable");
    expect(bu.ties[0]).toMatchObject({ id: "t1/unacceptable", outcome: "both_unacceptable", strength_level: "both_unacceptable" });
  });

  it("leaves out gold tasks, tasks with too few judgments and bad prompts, with a reason", () => {
    expect(build(pairTask([vote(-2), vote(-2)], { isGold: true })).taskDrop).toBe("gold");
    expect(build(pairTask([vote(-2)])).taskDrop).toBe("too_few_judgments");
    const bad = build(pairTask([vote(-2), vote(-2)], { item: { ...item, context: [{ role: "assistant", content: "hi" }] } }));
    expect(bad.taskDrop).toBe("invalid_prompt");
    expect(bad.rows).toHaveLength(0);
  });

  it("changes the rows when an annotator is excluded", () => {
    const judgments = [vote(-3, { annotatorKey: "fast" }), vote(-3, { annotatorKey: "fast2" }), vote(2), vote(1)];
    expect(build(pairTask(judgments)).taskDrop).toBe("no_majority");
    const excluded = judgments.map((j) => (j.annotatorKey.startsWith("fast") ? { ...j, excluded: true } : j));
    const rows = build(pairTask(excluded)).rows;
    expect(rows[0]).toMatchObject({ id: "t1/cb>ca", n_annotators: 2, agreement: 1, strength: 1.5 });
  });

  it("drops a pair of identical replies", () => {
    const t = pairTask([vote(-2), vote(-2)]);
    const same = build({ ...t, candidates: [t.candidates[0]!, { ...t.candidates[0]!, id: "cc", model: "other" }] });
    expect(same.rows).toHaveLength(0);
    expect(same.pairDrops).toEqual({ identical_replies: 1 });
  });
});

describe("role-play flag rule", () => {
  const flaggedWinner = () =>
    pairTask([
      vote(-3, { roleplayFlags: { 0: ["reveals_ai"] } }),
      vote(-2, { roleplayFlags: { 0: ["out_of_character", "reveals_ai"] } }),
      vote(-2),
    ]);

  it("never makes a reply that most counted judgments flag the chosen one", () => {
    const t = build(flaggedWinner());
    expect(t.rows).toHaveLength(0);
    expect(t.pairDrops).toEqual({ roleplay_flagged_chosen: 1 });
  });

  it("keeps the pair when only a minority flags it, or when the project allows flagged replies", () => {
    expect(build(pairTask([vote(-3, { roleplayFlags: { 0: ["speaks_for_user"] } }), vote(-2), vote(-2)])).rows).toHaveLength(1);
    expect(build(flaggedWinner(), { allowRoleplayFlaggedChosen: true }).rows).toHaveLength(1);
  });

  it("keeps a pair whose flagged reply is the rejected one", () => {
    expect(
      build(pairTask([vote(-3, { roleplayFlags: { 1: ["reveals_ai"] } }), vote(-2, { roleplayFlags: { 1: ["reveals_ai"] } })])).rows,
    ).toHaveLength(1);
  });
});

describe("safety rule", () => {
  const unsafeWinner = () => pairTask([vote(-3, { unsafe: { 0: "violence" } }), vote(-2, { unsafe: { 0: "violence" } }), vote(-2)]);

  it("never makes a consensus-unsafe reply chosen: the pair is dropped by default", () => {
    const t = build(unsafeWinner());
    expect(t.rows).toHaveLength(0);
    expect(t.pairDrops).toEqual({ unsafe_chosen: 1 });
  });

  it("flips the pair into a safety pair with unsafeRule 'flip'", () => {
    const t = build(unsafeWinner(), { unsafeRule: "flip", kind: "rm" });
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]).toMatchObject({
      id: "t1/cb>ca",
      chosen_model: "baseline",
      pair_source: "safety",
      strength: 3,
      strength_level: "safety",
      margin: 1,
      agreement: 0.6667,
    });
  });

  it("drops a pair of two unsafe replies whatever the rule", () => {
    const both = pairTask([vote(-3, { unsafe: { 0: "violence", 1: "hate" } }), vote(-2, { unsafe: { 0: "violence", 1: "hate" } })]);
    expect(build(both, { unsafeRule: "flip", safetyPairs: true }).rows).toHaveLength(0);
  });

  it("adds optional safety pairs, without duplicating a preference pair", () => {
    const safeWins = pairTask([vote(-3, { unsafe: { 1: "self_harm" } }), vote(-2, { unsafe: { 1: "self_harm" } })]);
    const t = build(safeWins, { safetyPairs: true });
    expect(t.rows.map((r) => [r.id, r.pair_source])).toEqual([["t1/ca>cb", "pairwise"]]);
    const tie = pairTask([vote(0, { unsafe: { 1: "illegal" } }), vote(0, { unsafe: { 1: "illegal" } })]);
    const fromTie = build(tie, { safetyPairs: true });
    expect(fromTie.taskDrop).toBe("tie");
    expect(fromTie.ties).toHaveLength(1);
    expect(fromTie.rows.map((r) => [r.id, r.pair_source])).toEqual([["t1/ca>cb", "safety"]]);
    expect(build(tie).rows).toHaveLength(0);
  });
});

describe("K-wise rankings", () => {
  const four = () => rankTask(4, [rank([1, 2, 3, 4]), rank([1, 2, 3, 4]), rank([1, 3, 2, 4])]);

  it("expands to all C(K,2) pairs for the reward model, sharing one prompt_id", () => {
    const t = build(four(), { kind: "rm" });
    expect(t.rows).toHaveLength(6);
    expect(new Set(t.rows.map((r) => r.prompt_id)).size).toBe(1);
    expect(new Set(t.rows.map((r) => r.id)).size).toBe(6);
    for (const r of t.rows) {
      expect(r.pair_source).toBe("kwise");
      expect(r.strength_level).toBe("ranked_higher");
      expectCleanColumns(r);
    }
    const top = t.rows.find((r) => r.id === "k1/c0>c3") as RmRow;
    expect(top).toMatchObject({ strength: 3, margin: 1, agreement: 1 });
    const close = t.rows.find((r) => r.id === "k1/c1>c2") as RmRow;
    expect(close).toMatchObject({ agreement: 0.6667, strength: 0.3333, margin: 0.111 });
  });

  it("gives best-versus-each-other (K−1 pairs) for DPO", () => {
    const t = build(four(), { kind: "dpo" });
    expect(t.rows.map((r) => r.id)).toEqual(["k1/c0>c1", "k1/c0>c2", "k1/c0>c3"]);
  });

  it("counts C(K,2) pairs for K = 2..6", () => {
    for (let k = 2; k <= 6; k++) {
      const ranks = Array.from({ length: k }, (_, i) => i + 1);
      const t = rankTask(k, [rank(ranks), rank(ranks)]);
      expect(build(t, { kind: "rm" }).rows).toHaveLength((k * (k - 1)) / 2);
      expect(build(t, { kind: "dpo" }).rows).toHaveLength(k - 1);
    }
  });

  it("sends tied mean ranks to ties and skips their pair", () => {
    const t = build(rankTask(3, [rank([1, 2, 3]), rank([1, 3, 2])]), { kind: "rm", minAgreement: 0 });
    expect(t.rows.map((r) => r.id)).toEqual(["k1/c0>c1", "k1/c0>c2"]);
    expect(t.pairDrops).toEqual({ tied_ranks: 1 });
    expect(t.ties).toHaveLength(1);
    expect(t.ties[0]).toMatchObject({ id: "k1/c1=c2", outcome: "tie", pair_source: "kwise", agreement: 0 });
  });

  it("applies the agreement threshold per pair", () => {
    const t = build(rankTask(3, [rank([1, 2, 3]), rank([1, 2, 3]), rank([1, 3, 2])]), { kind: "rm" });
    expect(t.rows.map((r) => r.id)).toEqual(["k1/c0>c1", "k1/c0>c2", "k1/c1>c2"]);
    const strict = build(rankTask(3, [rank([1, 2, 3]), rank([1, 2, 3]), rank([1, 3, 2])]), { kind: "rm", minAgreement: 0.9 });
    expect(strict.rows.map((r) => r.id)).toEqual(["k1/c0>c1", "k1/c0>c2"]);
    expect(strict.pairDrops).toEqual({ low_agreement: 1 });
  });

  it("does not let an unsafe best reply be chosen", () => {
    const unsafe = { 0: "sexual" as const };
    const t = rankTask(3, [rank([1, 2, 3], { unsafe }), rank([1, 2, 3], { unsafe }), rank([1, 3, 2])]);
    const dpo = build(t, { kind: "dpo" });
    expect(dpo.rows).toHaveLength(0);
    expect(dpo.pairDrops).toEqual({ unsafe_chosen: 2 });
    const flip = build(t, { kind: "dpo", unsafeRule: "flip" });
    expect(flip.rows.map((r) => [r.id, r.pair_source, r.strength])).toEqual([
      ["k1/c1>c0", "safety", 2],
      ["k1/c2>c0", "safety", 2],
    ]);
    const rm = build(t, { kind: "rm", safetyPairs: true });
    expect(rm.rows.map((r) => [r.id, r.pair_source])).toEqual([
      ["k1/c1>c2", "kwise"],
      ["k1/c1>c0", "safety"],
      ["k1/c2>c0", "safety"],
    ]);
  });
});

describe("KTO rows", () => {
  it("labels consensus winners true and losers false, with completion/label columns", () => {
    const t = build(pairTask([vote(-3), vote(-2), vote(1)]), { kind: "kto" });
    const rows = t.rows as KtoRow[];
    expect(rows.map((r) => [r.id, r.label, r.model])).toEqual([
      ["t1/ca", true, "index-1.9b-dpo"],
      ["t1/cb", false, "baseline"],
    ]);
    expect(rows[0]?.completion).toEqual([{ role: "assistant", content: "俺老孙去天宫喝了杯御酒，嘿嘿！" }]);
    for (const r of rows) expectCleanColumns(r, ["completion", "label"]);
  });

  it("labels every 'both unacceptable' reply false and gives ties nothing", () => {
    const bu = build(pairTask([vote(0, { bothUnacceptable: true }), vote(0, { bothUnacceptable: true })]), { kind: "kto" });
    expect((bu.rows as KtoRow[]).map((r) => r.label)).toEqual([false, false]);
    expect(bu.rows[0]).toMatchObject({ strength_level: "both_unacceptable", pair_source: "pairwise" });
    expect(build(pairTask([vote(0), vote(0)]), { kind: "kto" }).rows).toHaveLength(0);
  });

  it("labels an unsafe winner false, never true", () => {
    const t = build(pairTask([vote(-3, { unsafe: { 0: "hate" } }), vote(-2, { unsafe: { 0: "hate" } })]), { kind: "kto" });
    expect((t.rows as KtoRow[]).map((r) => [r.id, r.label])).toEqual([["t1/ca", false]]);
  });

  it("labels the best of a ranking true and the others false", () => {
    const t = build(rankTask(3, [rank([2, 1, 3]), rank([2, 1, 3])]), { kind: "kto" });
    expect((t.rows as KtoRow[]).map((r) => [r.id, r.label])).toEqual([
      ["k1/c0", false],
      ["k1/c1", true],
      ["k1/c2", false],
    ]);
  });
});
