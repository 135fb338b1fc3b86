import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DIMENSIONS,
  DIMENSION_GROUPS,
  DIMENSION_KEYS,
  DIMENSION_SCALE,
  dimensionForCharacterEvalMetric,
  dimensionName,
  dimensionRubric,
  dimensionsInGroup,
  getDimension,
  inLocale,
  isDimensionKey,
} from "@/lib/domain/dimensions";

describe("rating-dimension catalogue", () => {
  it("has CharacterEval's 12 dimensions in three groups, in order", () => {
    expect(DIMENSION_KEYS).toEqual([
      "fluency",
      "coherence",
      "consistency",
      "knowledge_exposure",
      "knowledge_accuracy",
      "knowledge_hallucination",
      "persona_behavior",
      "persona_utterance",
      "human_likeness",
      "communication_skills",
      "expression_diversity",
      "empathy",
    ]);
    expect(DIMENSION_GROUPS.map((g) => g.key)).toEqual(["conversational_ability", "character_consistency", "roleplay_attractiveness"]);
    expect(DIMENSION_GROUPS.map((g) => dimensionsInGroup(g.key).length)).toEqual([3, 5, 4]);
    expect(DIMENSION_SCALE).toEqual({ min: 1, max: 5 });
  });

  it("gives every dimension a stable key, names and a one-line rubric in English and Chinese", () => {
    for (const d of DIMENSIONS) {
      expect(d.key).toMatch(/^[a-z]+(_[a-z]+)*$/);
      for (const text of [d.name.en, d.name.zh, d.rubric.en, d.rubric.zh]) {
        expect(text.trim()).not.toBe("");
        expect(text).not.toMatch(/\n/);
      }
      expect(d.name.zh).toMatch(/\p{Script=Han}/u);
      expect(d.rubric.zh).toMatch(/\p{Script=Han}/u);
      expect(d.rubric.en.length).toBeLessThan(200);
    }
    expect(new Set(DIMENSION_KEYS).size).toBe(12);
  });

  it("looks dimensions up by key and by CharacterEval metric name", () => {
    expect(isDimensionKey("empathy")).toBe(true);
    expect(isDimensionKey("Empathy")).toBe(false);
    expect(getDimension("persona_utterance")?.name.zh).toBe("言语一致性");
    expect(getDimension("nope")).toBeUndefined();
    expect(dimensionForCharacterEvalMetric("Communication_skills")).toBe("communication_skills");
    expect(dimensionForCharacterEvalMetric("humanlikeness")).toBe("human_likeness");
    expect(dimensionForCharacterEvalMetric("知识幻觉性")).toBe("knowledge_hallucination");
    expect(dimensionForCharacterEvalMetric("MBTI")).toBeUndefined();
  });
});

const DIMS = "/work/shared/data/charactereval/dimensions.json";
const ID2METRIC = "/work/shared/data/charactereval/id2metric.jsonl";

describe.skipIf(!existsSync(DIMS))("against CharacterEval's published metric names", () => {
  it("maps every per-response metric of dimensions.json, in its group", () => {
    type Metric = { metric_en: string; metric_zh: string | null };
    type Group = { group_zh: string; metrics?: Metric[]; subgroups?: { metrics: Metric[] }[] };
    const doc = JSON.parse(readFileSync(DIMS, "utf8")) as { groups: Group[] };
    const groups = doc.groups.filter((g) => g.group_zh !== "人格回测");
    expect(groups).toHaveLength(3);
    groups.forEach((g, i) => {
      const metrics = [...(g.metrics ?? []), ...(g.subgroups ?? []).flatMap((s) => s.metrics)];
      const keys = metrics.map((m) => dimensionForCharacterEvalMetric(m.metric_en));
      expect(keys).toEqual(metrics.map((m) => dimensionForCharacterEvalMetric(m.metric_zh ?? "")));
      expect(keys.map((k) => getDimension(k ?? "")?.group)).toEqual(metrics.map(() => DIMENSION_GROUPS[i]?.key));
      expect(DIMENSION_GROUPS[i]?.name.zh).toBe(g.group_zh);
    });
  });

  it.skipIf(!existsSync(ID2METRIC))("knows every metric used in id2metric.jsonl", () => {
    const m = JSON.parse(readFileSync(ID2METRIC, "utf8")) as Record<string, [string, string][]>;
    const names = new Set(Object.values(m).flatMap((pairs) => pairs.flat()));
    for (const name of names) expect(dimensionForCharacterEvalMetric(name), name).toBeDefined();
  });
});

describe("dimension names in a UI locale", () => {
  it("names a dimension in English or Simplified Chinese, and an unknown key as itself", () => {
    const d = DIMENSIONS[0]!;
    expect(dimensionName(d.key, "en")).toBe(d.name.en);
    expect(dimensionName(d.key, "zh-CN")).toBe(d.name.zh);
    expect(dimensionRubric(d.key, "zh-CN")).toBe(d.rubric.zh);
    expect(dimensionName("no_such_dimension", "zh-CN")).toBe("no_such_dimension");
    expect(dimensionRubric("no_such_dimension", "en")).toBe("");
    expect(inLocale({ en: "a", zh: "甲" }, "zh-CN")).toBe("甲");
  });
});
