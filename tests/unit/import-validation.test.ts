import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  IMPORT_LIMITS,
  ImportLine,
  checkGoldAgainstScale,
  characterName,
  formatFieldPath,
  textProblem,
  validateImportLine,
  type FieldIssue,
} from "@/lib/validation/import";

const base = {
  external_id: "rb-0001",
  character: {
    name: "孙悟空",
    profile: { 性别: "男", 性格: "桀骜不驯，重情重义。", 口头禅: ["俺老孙来也！"], 人物关系: { 师父: "唐三藏", 师弟: ["猪八戒", "沙僧"] } },
  },
  scene: "花果山水帘洞，傍晚。",
  context: [
    { role: "user", content: "大圣，你今天去哪儿了？" },
    { role: "assistant", content: "（挠头）去天宫转了一圈。" },
    { role: "user", content: "又去闹事了？" },
  ],
  candidates: [
    { model: "index-1.9b-dpo", content: "闹事？俺老孙那叫替天行道！🐒" },
    { model: "baseline", content: "我只是去看看老朋友。", version: "2024-06", metadata: { temperature: 0.7 } },
  ],
  gold: { strength: -2, accept: [-3, -2, -1] },
  metadata: { source: "unit-test", tags: ["zh", "多轮"] },
};

type Line = typeof base;
const withLine = (patch: (l: Record<string, unknown>) => void): unknown => {
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  patch(copy);
  return copy;
};
const issuesOf = (v: unknown): FieldIssue[] => {
  const r = validateImportLine(v);
  return r.ok ? [] : r.issues;
};
const fields = (v: unknown) => issuesOf(v).map((i) => i.field);

describe("ImportLine", () => {
  it("accepts the documented example and keeps all text exactly", () => {
    const r = ImportLine.parse(base);
    expect(r.character).toEqual(base.character);
    expect(r.context).toEqual(base.context);
    expect(r.candidates[0]?.content).toBe("闹事？俺老孙那叫替天行道！🐒");
    expect(r.scene).toBe("花果山水帘洞，傍晚。");
    expect(r.gold).toEqual({ strength: -2, accept: [-3, -2, -1] });
    expect(r.metadata).toEqual({ source: "unit-test", tags: ["zh", "多轮"] });
  });

  it("trims identifiers but never content", () => {
    const r = ImportLine.parse(
      withLine((l) => {
        l.external_id = "  rb-0001\t";
        (l.candidates as Line["candidates"])[0]!.model = " m1 ";
        (l.candidates as Line["candidates"])[0]!.content = "  前后有空格，全角标点！  \n";
        (l.context as Line["context"])[2]!.content = "\u3000全角空格开头";
      }),
    );
    expect(r.external_id).toBe("rb-0001");
    expect(r.candidates[0]?.model).toBe("m1");
    expect(r.candidates[0]?.content).toBe("  前后有空格，全角标点！  \n");
    expect(r.context[2]?.content).toBe("\u3000全角空格开头");
  });

  it("accepts a character given by name, and optional fields omitted or null", () => {
    const r = ImportLine.parse(
      withLine((l) => {
        l.character = " 孙悟空 ";
        delete l.scene;
        l.gold = null;
        l.metadata = null;
      }),
    );
    expect(r.character).toBe("孙悟空");
    expect(characterName(r.character)).toBe("孙悟空");
    expect(r.gold).toBeUndefined();
    expect(r.metadata).toBeUndefined();
    expect(r.scene).toBeUndefined();
  });

  it("accepts profile values that are strings, lists, nested objects, lists of objects, numbers", () => {
    const profile = {
      姓名: "雪见",
      age: 17,
      能力设定: { 特技技能: [{ 名称: "回生照", 描述: "复活我方单体。" }] },
      "Speaking Style": "blunt",
      tags: [],
    };
    const r = ImportLine.parse(withLine((l) => (l.character = { name: "雪见", profile })));
    expect(r.character).toEqual({ name: "雪见", profile });
    // Key order is kept (it is the display order of the other attributes).
    expect(Object.keys((r.character as { profile: object }).profile)).toEqual(Object.keys(profile));
  });

  it("names the field of every problem", () => {
    expect(issuesOf(withLine((l) => delete l.external_id))).toEqual([{ field: "external_id", message: "is required" }]);
    expect(fields(withLine((l) => (l.external_id = "   ")))).toEqual(["external_id"]);
    expect(fields(withLine((l) => (l.character = { name: "x" })))).toEqual(["character.profile"]);
    expect(fields(withLine((l) => (l.character = 42)))).toEqual(["character"]);
    expect(fields(withLine((l) => (l.character = { name: "x", profile: { 性格: null } })))).toEqual(["character.profile.性格"]);
    expect(fields(withLine((l) => (l.character = { name: "x", profile: { "a b": [1, { c: undefined }] } })))).toEqual([
      'character.profile["a b"][1].c',
    ]);
    expect(fields(withLine((l) => ((l.context as Line["context"])[1]!.role = "system")))).toEqual(["context[1].role"]);
    expect(fields(withLine((l) => ((l.candidates as Line["candidates"])[1]!.content = " \n ")))).toEqual(["candidates[1].content"]);
    expect(fields(withLine((l) => (l.candidate = [])))).toEqual(["candidate"]);
    expect(issuesOf(withLine((l) => ((l.candidates as Record<string, unknown>[])[0]!.modle = "x")))).toEqual([
      { field: "candidates[0].modle", message: "unknown field" },
    ]);
    expect(fields(null)).toEqual(["(line)"]);
    expect(fields([base])).toEqual(["(line)"]);
  });

  it("requires the dialogue to end with a user turn", () => {
    const issues = issuesOf(withLine((l) => (l.context as Line["context"]).push({ role: "assistant", content: "（沉默）" })));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.field).toBe("context[3].role");
    expect(issues[0]?.message).toMatch(/end with a "user" message/);
    expect(fields(withLine((l) => (l.context = [])))).toEqual(["context"]);
  });

  it("a dialogue may open with the character speaking", () => {
    const ok = validateImportLine(withLine((l) => (l.context as Line["context"]).unshift({ role: "assistant", content: "俺老孙来也！" })));
    expect(ok.ok).toBe(true);
  });

  it("takes 0..maxCandidates candidates (fewer than 2 wait for generation) and refuses identical replies", () => {
    const cands = (k: number) => Array.from({ length: k }, (_, i) => ({ model: `m${i}`, content: `回复 ${i}` }));
    for (const k of [0, 1]) {
      const r = validateImportLine(
        withLine((l) => {
          l.candidates = cands(k);
          delete l.gold;
        }),
      );
      expect(r.ok && r.value.candidates.length).toBe(k);
    }
    const omitted = validateImportLine(
      withLine((l) => {
        delete l.candidates;
        delete l.gold;
      }),
    );
    expect(omitted.ok && omitted.value.candidates).toEqual([]);
    expect(
      fields(
        withLine((l) => {
          l.candidates = [];
        }),
      ),
    ).toEqual(["gold.strength"]);
    expect(
      validateImportLine(
        withLine((l) => {
          l.candidates = cands(IMPORT_LIMITS.maxCandidates);
          delete l.gold;
        }),
      ).ok,
    ).toBe(true);
    expect(
      issuesOf(
        withLine((l) => {
          l.candidates = cands(IMPORT_LIMITS.maxCandidates + 1);
          delete l.gold;
        }),
      )[0]?.message,
    ).toMatch(/at most 8 candidates/);
    const dup = issuesOf(
      withLine((l) => {
        l.candidates = [
          { model: "a", content: "一样的回复" },
          { model: "b", content: "一样的回复\n" },
        ];
      }),
    );
    expect(dup).toEqual([{ field: "candidates[1].content", message: expect.stringMatching(/same text as candidates\[0\]/) }]);
    // Two samples of one model are fine when they differ.
    expect(
      validateImportLine(
        withLine((l) => {
          l.candidates = [
            { model: "a", content: "一" },
            { model: "a", content: "二" },
          ];
        }),
      ).ok,
    ).toBe(true);
  });

  it("caps lengths with the limit in the message", () => {
    const long = "长".repeat(IMPORT_LIMITS.maxCandidateLength + 1);
    const issues = issuesOf(withLine((l) => ((l.candidates as Line["candidates"])[0]!.content = long)));
    expect(issues).toEqual([{ field: "candidates[0].content", message: "must be at most 20,000 characters (got 20,001)" }]);
    expect(fields(withLine((l) => (l.external_id = "x".repeat(IMPORT_LIMITS.maxExternalIdLength + 1))))).toEqual(["external_id"]);
    const many = Array.from({ length: IMPORT_LIMITS.maxMessages + 1 }, (_, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `${i}`,
    }));
    many[many.length - 1]!.role = "user";
    expect(fields(withLine((l) => (l.context = many)))).toEqual(["context"]);
    const bigProfile = { 经历: "字".repeat(IMPORT_LIMITS.maxProfileChars) };
    expect(issuesOf(withLine((l) => (l.character = { name: "x", profile: bigProfile })))[0]?.message).toMatch(
      /at most 50,000 characters as JSON/,
    );
    let deep: Record<string, unknown> = { v: "底" };
    for (let i = 0; i < IMPORT_LIMITS.maxDepth + 2; i++) deep = { d: deep };
    expect(issuesOf(withLine((l) => (l.metadata = deep)))[0]?.message).toMatch(/nested deeper/);
  });

  it("refuses text PostgreSQL cannot store exactly", () => {
    expect(textProblem("ok 😀")).toBeNull();
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    expect(textProblem("\ud83d")).toMatch(/surrogate/);
    expect(textProblem("x\ude00")).toMatch(/surrogate/);
    expect(fields(withLine((l) => ((l.context as Line["context"])[0]!.content = "坏\u0000字")))).toEqual(["context[0].content"]);
    expect(issuesOf(withLine((l) => (l.metadata = { "k\ud800": 1 })))).toEqual([
      { field: `metadata[${JSON.stringify("k\ud800")}]`, message: expect.stringMatching(/^key contains an unpaired/) },
    ]);
  });

  it("validates gold shape and its fit to the candidates", () => {
    expect(ImportLine.parse(withLine((l) => (l.gold = { strength: 1 }))).gold).toEqual({ strength: 1, accept: [1] });
    expect(fields(withLine((l) => (l.gold = { strength: 4 })))).toEqual(["gold.strength"]);
    expect(fields(withLine((l) => (l.gold = { strength: 1.5 })))).toEqual(["gold.strength"]);
    expect(fields(withLine((l) => (l.gold = { strength: -1, accept: [0, 1] })))).toEqual(["gold.accept"]);
    expect(fields(withLine((l) => (l.gold = { strength: -1, accept: [-1, -1] })))).toEqual(["gold.accept[1]"]);
    expect(fields(withLine((l) => (l.gold = { accept: [-1] })))).toEqual(["gold.strength"]);
    expect(fields(withLine((l) => (l.gold = { strength: 1, ranks: [1, 2] })))).toEqual(["gold"]);
    expect(ImportLine.parse(withLine((l) => (l.gold = { ranks: [2, 1] }))).gold).toEqual({ ranks: [2, 1] });
    expect(fields(withLine((l) => (l.gold = { ranks: [1, 2, 3] })))).toEqual(["gold.ranks", "gold.ranks[2]"]);
    expect(fields(withLine((l) => (l.gold = { ranks: [2, 2] })))).toEqual(["gold.ranks"]);
    const three = withLine((l) => {
      (l.candidates as Line["candidates"]).push({ model: "c", content: "第三个回复" } as Line["candidates"][0]);
    });
    expect(fields(three)).toEqual(["gold.strength"]);
    expect(ImportLine.parse({ ...(three as object), gold: { ranks: [1, 1, 3] } }).gold).toEqual({ ranks: [1, 1, 3] });
  });
});

describe("checkGoldAgainstScale", () => {
  const gold = (g: unknown) => ImportLine.parse(withLine((l) => (l.gold = g))).gold!;

  it("accepts gold that fits the scale", () => {
    expect(checkGoldAgainstScale(gold({ strength: -2, accept: [-3, -2, -1] }), 7)).toEqual([]);
    expect(checkGoldAgainstScale(gold({ strength: 1 }), 2)).toEqual([]);
  });

  it("reports strengths that are not on the scale, naming the legal ones", () => {
    expect(checkGoldAgainstScale(gold({ strength: -2, accept: [-3, -2, -1] }), 5)).toEqual([
      { field: "gold.accept", message: "-3 is not on the scale (allowed on the 5-point scale: -2, -1, 0, 1, 2)" },
    ]);
    const tie = checkGoldAgainstScale(gold({ strength: 0, accept: [-1, 0, 1] }), 2);
    expect(tie.map((i) => i.field)).toEqual(["gold.strength", "gold.accept"]);
    expect(checkGoldAgainstScale(gold({ strength: 2 }), 3)).toHaveLength(2);
  });

  it("refuses tied gold ranks when the project disallows ties", () => {
    const g = ImportLine.parse({
      ...base,
      candidates: [...base.candidates, { model: "c", content: "第三个" }],
      gold: { ranks: [1, 1, 3] },
    }).gold!;
    expect(checkGoldAgainstScale(g, 7)).toEqual([]);
    expect(checkGoldAgainstScale(g, 7, { allowTies: false })[0]?.field).toBe("gold.ranks");
  });
});

describe("formatFieldPath", () => {
  it("formats paths as written in JSON", () => {
    expect(formatFieldPath([])).toBe("(line)");
    expect(formatFieldPath(["candidates", 1, "content"])).toBe("candidates[1].content");
    expect(formatFieldPath(["character", "profile", "口头禅", 0])).toBe("character.profile.口头禅[0]");
    expect(formatFieldPath(["metadata", "a.b"])).toBe('metadata["a.b"]');
  });
});

describe("property: any Unicode text round-trips unchanged", () => {
  it("keeps arbitrary well-formed strings exactly", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "" && !s.includes("\u0000")),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "" && !s.includes("\u0000")),
        (a, b) => {
          fc.pre(a.trim() !== b.trim());
          const line = {
            ...base,
            candidates: [
              { model: "a", content: a },
              { model: "b", content: b },
            ],
          };
          const parsed = ImportLine.parse(JSON.parse(JSON.stringify(line)));
          expect(parsed.candidates.map((c) => c.content)).toEqual([a, b]);
        },
      ),
    );
  });
});
