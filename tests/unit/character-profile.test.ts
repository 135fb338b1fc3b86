import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  WELL_KNOWN_ATTRIBUTES,
  WELL_KNOWN_KEYS,
  WELL_KNOWN_LABELS,
  displayText,
  profileEntries,
  toDisplayValue,
  wellKnownAttributeOf,
} from "@/lib/domain/character-profile";

describe("wellKnownAttributeOf", () => {
  it("recognises English keys whatever their case and separators", () => {
    expect(wellKnownAttributeOf("Speaking Style")).toBe("speaking_style");
    expect(wellKnownAttributeOf("speaking_style")).toBe("speaking_style");
    expect(wellKnownAttributeOf("speakingStyle")).toBe("speaking_style");
    expect(wellKnownAttributeOf(" GENDER ")).toBe("gender");
    expect(wellKnownAttributeOf("life_experience")).toBe("background");
    expect(wellKnownAttributeOf("Catchphrases")).toBe("catchphrases");
  });

  it("recognises the Chinese keys of real role-play profiles", () => {
    const cases: Record<string, string> = {
      姓名: "name",
      性别: "gender",
      年龄: "age",
      身高: "height",
      昵称: "nickname",
      外号: "nickname",
      绰号: "nickname",
      性格: "personality",
      人物性格: "personality",
      性格特点: "personality",
      背景: "background",
      经历: "background",
      人物经历: "background",
      说话风格: "speaking_style",
      语言风格: "speaking_style",
      语言特点: "speaking_style",
      口头禅: "catchphrases",
      经典台词: "catchphrases",
      人际关系: "relationships",
      人物关系: "relationships",
      出处: "source_work",
      出场作品: "source_work",
      语言: "language",
    };
    for (const [key, attr] of Object.entries(cases)) expect(wellKnownAttributeOf(key), key).toBe(attr);
  });

  it("leaves other keys alone", () => {
    for (const key of ["物种", "工作", "爱好", "智商", "origin", "ship", "原著", "语言能力"])
      expect(wellKnownAttributeOf(key), key).toBeNull();
  });

  it("has a label in both languages for every attribute and no key listed twice", () => {
    for (const a of WELL_KNOWN_ATTRIBUTES) {
      expect(WELL_KNOWN_LABELS[a].en).not.toBe("");
      expect(WELL_KNOWN_LABELS[a].zh).not.toBe("");
      for (const k of WELL_KNOWN_KEYS[a]) expect(wellKnownAttributeOf(k)).toBe(a);
    }
  });
});

describe("profileEntries", () => {
  it("puts well-known attributes first in the fixed order, then the rest in profile order", () => {
    const profile = {
      爱好: "数铜板",
      口头禅: ["亏本的买卖我可不做！"],
      物种: "人类",
      外号: "算盘精",
      性别: "女",
      姓名: "白小芸",
      昵称: "小芸",
      人物关系: { 舅舅: "白掌柜", 朋友: ["阿木", "周先生"] },
      其他: "怕黑",
      年龄: 19,
    };
    const entries = profileEntries(profile);
    expect(entries.map((e) => e.key)).toEqual(["姓名", "性别", "年龄", "外号", "昵称", "口头禅", "人物关系", "爱好", "物种", "其他"]);
    expect(entries.map((e) => e.attribute)).toEqual([
      "name",
      "gender",
      "age",
      "nickname",
      "nickname",
      "catchphrases",
      "relationships",
      null,
      null,
      null,
    ]);
    expect(entries.find((e) => e.key === "年龄")?.value).toEqual({ kind: "text", text: "19" });
    expect(entries.find((e) => e.key === "人物关系")?.value).toEqual({
      kind: "fields",
      fields: [
        { label: "舅舅", value: { kind: "text", text: "白掌柜" } },
        {
          label: "朋友",
          value: {
            kind: "list",
            items: [
              { kind: "text", text: "阿木" },
              { kind: "text", text: "周先生" },
            ],
          },
        },
      ],
    });
  });

  it("handles English keys and lists of objects", () => {
    const entries = profileEntries({
      ship: { name: "Northern Wren" },
      personality: "Calm",
      name: "Mira",
      skills: [{ 名称: "回生照", 描述: "复活" }],
    });
    expect(entries.map((e) => e.key)).toEqual(["name", "personality", "ship", "skills"]);
    expect(entries[3]?.value).toEqual({
      kind: "list",
      items: [
        {
          kind: "fields",
          fields: [
            { label: "名称", value: { kind: "text", text: "回生照" } },
            { label: "描述", value: { kind: "text", text: "复活" } },
          ],
        },
      ],
    });
  });

  it("returns nothing for an empty profile", () => {
    expect(profileEntries({})).toEqual([]);
  });
});

describe("displayText", () => {
  it("renders nested values as plain text in either language", () => {
    const v = toDisplayValue({ 朋友: ["阿木", "周先生"], 舅舅: "白掌柜", ok: true, none: null });
    expect(displayText(v)).toBe("朋友：阿木、周先生；舅舅：白掌柜；ok：true；none：");
    expect(displayText(toDisplayValue(["a", "b"]), "en")).toBe("a, b");
  });
});

const REAL = "/work/shared/data/charactereval/character_profiles.json";

describe.skipIf(!existsSync(REAL))("on CharacterEval's real profiles", () => {
  const profiles = JSON.parse(readFileSync(REAL, "utf8")) as Record<string, Record<string, unknown>>;

  it("shows every attribute exactly once, well-known ones first, and finds the common ones", () => {
    const seen = new Map<string, number>();
    for (const profile of Object.values(profiles)) {
      const entries = profileEntries(profile);
      expect(entries.map((e) => e.key).sort()).toEqual(Object.keys(profile).sort());
      const firstOther = entries.findIndex((e) => e.attribute === null);
      if (firstOther >= 0) expect(entries.slice(firstOther).every((e) => e.attribute === null)).toBe(true);
      for (const e of entries) if (e.attribute) seen.set(e.attribute, (seen.get(e.attribute) ?? 0) + 1);
    }
    // 姓名 in all 78, 性别 70 (+角色性别), 人物经历 73, 人物性格 61, 昵称 57, 人物关系 62 …
    expect(seen.get("name")).toBe(78);
    expect(seen.get("gender")).toBeGreaterThanOrEqual(71);
    expect(seen.get("background")).toBeGreaterThanOrEqual(73);
    expect(seen.get("personality")).toBeGreaterThanOrEqual(61);
    expect(seen.get("nickname")).toBeGreaterThanOrEqual(57);
    expect(seen.get("relationships")).toBeGreaterThanOrEqual(62);
    expect(seen.get("catchphrases")).toBeGreaterThanOrEqual(44);
    expect(seen.get("height")).toBe(25);
    expect(seen.get("age")).toBe(47);
  });
});
