import { describe, expect, it } from "vitest";
import { DEMO_CHARACTERS, DEMO_ITEMS, DEMO_MODELS, type DemoItem, type DemoProfileValue } from "@/db/seed/demo-content";

const ZH_KEYS = ["性别", "年龄", "身高", "昵称", "性格", "背景", "说话风格", "口头禅", "人际关系", "出处", "语言"];
const EN_KEYS = [
  "gender",
  "age",
  "height",
  "nickname",
  "personality",
  "background",
  "speaking style",
  "catchphrases",
  "relationships",
  "source work",
  "language",
];
const LIST_KEYS = new Set(["口头禅", "catchphrases"]);
const OBJECT_KEYS = new Set(["人际关系", "relationships"]);

const allText = (item: DemoItem): string[] => [
  ...(item.scene === undefined ? [] : [item.scene]),
  ...item.context.map((m) => m.content),
  ...item.candidates.map((c) => c.content),
];

function isFilled(value: DemoProfileValue | undefined): boolean {
  if (value === undefined) return false;
  if (typeof value === "string") return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => v.trim().length > 0);
  const entries = Object.values(value);
  return entries.length > 0 && entries.every(isFilled);
}

describe("demo characters", () => {
  it("has at least 6 characters with unique keys and names, at least 4 Chinese and 2 English", () => {
    expect(DEMO_CHARACTERS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(DEMO_CHARACTERS.map((c) => c.key)).size).toBe(DEMO_CHARACTERS.length);
    expect(new Set(DEMO_CHARACTERS.map((c) => c.name)).size).toBe(DEMO_CHARACTERS.length);
    expect(DEMO_CHARACTERS.filter((c) => c.language === "zh").length).toBeGreaterThanOrEqual(4);
    expect(DEMO_CHARACTERS.filter((c) => c.language === "en").length).toBeGreaterThanOrEqual(2);
  });

  it("fills every profile attribute in the character's language", () => {
    for (const c of DEMO_CHARACTERS) {
      const keys = c.language === "zh" ? ZH_KEYS : EN_KEYS;
      for (const key of keys) {
        const value = c.profile[key];
        expect(isFilled(value), `${c.key}.${key}`).toBe(true);
        if (LIST_KEYS.has(key)) expect(Array.isArray(value), `${c.key}.${key} is a list`).toBe(true);
        if (OBJECT_KEYS.has(key)) {
          expect(typeof value === "object" && !Array.isArray(value), `${c.key}.${key} is an object`).toBe(true);
        }
      }
    }
  });
});

describe("demo items", () => {
  const characterKeys = new Set(DEMO_CHARACTERS.map((c) => c.key));
  const languageOf = new Map(DEMO_CHARACTERS.map((c) => [c.key, c.language]));

  it("has at least 64 items with unique external ids, each for a known character", () => {
    expect(DEMO_ITEMS.length).toBeGreaterThanOrEqual(64);
    const ids = DEMO_ITEMS.map((i) => i.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of DEMO_ITEMS) {
      expect(item.externalId).toMatch(/^demo-\d{4}$/);
      expect(characterKeys.has(item.characterKey), item.externalId).toBe(true);
    }
  });

  it("spreads the items over every character, about two thirds of them Chinese", () => {
    for (const c of DEMO_CHARACTERS) {
      expect(DEMO_ITEMS.filter((i) => i.characterKey === c.key).length, c.key).toBeGreaterThanOrEqual(8);
    }
    const zhShare = DEMO_ITEMS.filter((i) => languageOf.get(i.characterKey) === "zh").length / DEMO_ITEMS.length;
    expect(zhShare).toBeGreaterThanOrEqual(0.6);
    expect(zhShare).toBeLessThanOrEqual(0.75);
  });

  it("has contexts of 1 to 5 alternating turns that end with the user", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.context.length, item.externalId).toBeGreaterThanOrEqual(1);
      expect(item.context.length, item.externalId).toBeLessThanOrEqual(5);
      expect(item.context.at(-1)?.role, item.externalId).toBe("user");
      item.context.forEach((m, i) => {
        expect(m.content.trim().length, item.externalId).toBeGreaterThan(0);
        const previous = item.context[i - 1];
        if (previous) expect(m.role, `${item.externalId} turn ${i}`).not.toBe(previous.role);
      });
    }
    expect(DEMO_ITEMS.some((i) => i.context[0]?.role === "assistant")).toBe(true);
    expect(DEMO_ITEMS.some((i) => i.context.length >= 4)).toBe(true);
  });

  it("has 2 to 4 distinct candidates per item, at least 12 items with 3 or 4", () => {
    for (const item of DEMO_ITEMS) {
      expect(item.candidates.length, item.externalId).toBeGreaterThanOrEqual(2);
      expect(item.candidates.length, item.externalId).toBeLessThanOrEqual(4);
      const contents = item.candidates.map((c) => c.content);
      expect(new Set(contents).size, item.externalId).toBe(contents.length);
      expect(new Set(item.candidates.map((c) => c.model)).size, item.externalId).toBe(item.candidates.length);
      for (const c of contents) expect(c.trim().length, item.externalId).toBeGreaterThan(0);
    }
    expect(DEMO_ITEMS.filter((i) => i.candidates.length >= 3).length).toBeGreaterThanOrEqual(12);
    expect(DEMO_ITEMS.some((i) => i.candidates.length === 4)).toBe(true);
  });

  it("uses exactly the models in DEMO_MODELS, three or four of them", () => {
    expect(new Set(DEMO_MODELS).size).toBe(DEMO_MODELS.length);
    expect(DEMO_MODELS.length).toBeGreaterThanOrEqual(3);
    expect(DEMO_MODELS.length).toBeLessThanOrEqual(4);
    const used = new Set(DEMO_ITEMS.flatMap((i) => i.candidates.map((c) => c.model)));
    expect([...used].sort()).toEqual([...DEMO_MODELS].sort());
  });

  it("puts gold answers only on pairwise items, inside the 7-point scale and their own accept list", () => {
    const goldItems = DEMO_ITEMS.filter((i) => i.gold);
    expect(goldItems.length).toBeGreaterThanOrEqual(8);
    for (const item of goldItems) {
      const gold = item.gold!;
      expect(item.candidates.length, item.externalId).toBe(2);
      expect(Number.isInteger(gold.strength), item.externalId).toBe(true);
      expect(gold.strength, item.externalId).not.toBe(0);
      expect(Math.abs(gold.strength), item.externalId).toBeLessThanOrEqual(3);
      expect(gold.accept, item.externalId).toContain(gold.strength);
      expect(new Set(gold.accept).size, item.externalId).toBe(gold.accept.length);
      for (const a of gold.accept) {
        expect(Number.isInteger(a) && Math.abs(a) <= 3, item.externalId).toBe(true);
        // Unambiguous: every accepted answer prefers the same side.
        expect(Math.sign(a), item.externalId).toBe(Math.sign(gold.strength));
      }
    }
    // Both positions win some gold items.
    expect(goldItems.some((i) => i.gold!.strength < 0)).toBe(true);
    expect(goldItems.some((i) => i.gold!.strength > 0)).toBe(true);
  });

  it("has HTML only in the one item that tests inert rendering, and only in a candidate", () => {
    const withScript = DEMO_ITEMS.filter((i) => allText(i).some((t) => t.includes('<script>alert("x")</script>')));
    expect(withScript.map((i) => i.externalId)).toHaveLength(1);
    const xss = withScript[0]!;
    const bad = xss.candidates.filter((c) => c.content.includes("<script>"));
    expect(bad).toHaveLength(1);
    expect(bad[0]!.content).toContain("[click](javascript:alert(1))");
    expect([...xss.context.map((m) => m.content), xss.scene ?? ""].join("\n")).not.toMatch(/<[a-z/!]/i);
    for (const item of DEMO_ITEMS) {
      if (item === xss) continue;
      for (const text of allText(item)) {
        expect(text, item.externalId).not.toMatch(/<[a-z/!]/i);
        expect(text, item.externalId).not.toMatch(/javascript:/i);
      }
    }
  });

  it("writes Chinese items in Chinese, with some emoji and full-width punctuation", () => {
    const zhItems = DEMO_ITEMS.filter((i) => languageOf.get(i.characterKey) === "zh");
    for (const item of zhItems) {
      expect(item.context.at(-1)?.content, item.externalId).toMatch(/\p{Script=Han}/u);
    }
    const zhText = zhItems.flatMap(allText).join("\n");
    expect(zhText).toMatch(/\p{Extended_Pictographic}/u);
    expect(zhText).toMatch(/[，。！？：；（）“”]/);
  });
});
