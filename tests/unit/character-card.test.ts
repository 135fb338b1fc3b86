import { describe, expect, it } from "vitest";
import {
  activeLorebookEntries,
  CARD_META_KEY,
  CardFileError,
  cardToCharacter,
  readCardFile,
  substituteMacros,
} from "@/lib/domain/character-card";
import { buildPrompt, type ExportItem } from "@/lib/domain/export";
import { crc32, onePixelPng, readPngTextChunks, withPngTextChunks } from "@/lib/domain/png-text";
import { AppError } from "@/lib/errors";
import { parseCharacterCard } from "@/lib/validation/character-card";
import { CardCharacterInput } from "@/lib/validation/characters";
import { jsonBytes, pngCard, v2Card, v3Card } from "../factories/character-cards";

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError || error instanceof CardFileError)
      return error instanceof CardFileError ? `${error.field}: ${error.message}` : error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("PNG text chunks", () => {
  it("computes the CRC-32 PNG uses (check value of '123456789')", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });

  it("writes and reads tEXt chunks, replacing a chunk of the same keyword", () => {
    const once = withPngTextChunks(onePixelPng(), [{ keyword: "chara", text: "AAAA" }]);
    const twice = withPngTextChunks(once, [
      { keyword: "chara", text: "QUJD" },
      { keyword: "ccv3", text: "e30=" },
    ]);
    expect(readPngTextChunks(twice)).toEqual([
      { keyword: "chara", text: "QUJD" },
      { keyword: "ccv3", text: "e30=" },
    ]);
  });

  it("refuses a damaged or truncated PNG", () => {
    const png = withPngTextChunks(onePixelPng(), [{ keyword: "chara", text: "AAAA" }]);
    const damaged = Uint8Array.from(png);
    const at = damaged.length - 20;
    damaged[at] = damaged[at]! ^ 0xff;
    expect(() => readPngTextChunks(damaged)).toThrow(/CRC/);
    expect(() => readPngTextChunks(png.subarray(0, png.length - 6))).toThrow(/truncated/);
  });
});

describe("reading card files", () => {
  it("reads JSON (with a BOM) and PNG cards, preferring the ccv3 chunk", () => {
    const v2 = v2Card();
    expect(readCardFile(new Uint8Array([0xef, 0xbb, 0xbf, ...jsonBytes(v2)]))).toEqual({ json: v2, container: { kind: "json" } });
    expect(readCardFile(pngCard(v2))).toEqual({ json: v2, container: { kind: "png", chunk: "chara" } });
    const v3 = v3Card();
    const read = readCardFile(pngCard(v3, { chara: v2 }));
    expect(read.container).toEqual({ kind: "png", chunk: "ccv3" });
    expect((read.json as { spec: string }).spec).toBe("chara_card_v3");
  });

  it("names what is wrong with a file that holds no card", () => {
    expect(refusal(() => readCardFile(onePixelPng()))).toMatch(/^png: has no character card/);
    expect(refusal(() => readCardFile(withPngTextChunks(onePixelPng(), [{ keyword: "chara", text: "not base64!" }])))).toBe(
      "chara: is not base64 text",
    );
    expect(refusal(() => readCardFile(new TextEncoder().encode("{ name: ")))).toMatch(/^file: is not valid JSON/);
    expect(refusal(() => readCardFile(new Uint8Array([0xff, 0xfe, 0x00])))).toMatch(/^file: is neither a PNG/);
  });
});

describe("card validation", () => {
  it("accepts V2, V3 and V1 cards", () => {
    expect(parseCharacterCard(v2Card()).spec).toBe("chara_card_v2");
    expect(parseCharacterCard(v3Card()).specVersion).toBe("3.0");
    const v1 = parseCharacterCard({ name: "Old Tom", description: "A TavernAI card.", first_mes: "Hello.", avatar: "none" });
    expect(v1).toMatchObject({ spec: "chara_card_v1", data: { name: "Old Tom" }, extra: { avatar: "none" } });
  });

  it("refuses a malformed card, naming the field", () => {
    expect(refusal(() => parseCharacterCard({ ...v2Card(), spec: "chara_card_v9" }))).toBe(
      'spec: must be "chara_card_v2" or "chara_card_v3"',
    );
    expect(refusal(() => parseCharacterCard(v2Card({ name: "  " })))).toBe("data.name: must not be empty");
    expect(refusal(() => parseCharacterCard(v2Card({ alternate_greetings: ["hi", 3] })))).toBe(
      "data.alternate_greetings.1: must be a string (got number)",
    );
    expect(refusal(() => parseCharacterCard(v2Card({ character_book: { entries: [{ keys: "Kestrel", content: "x" }] } })))).toBe(
      "data.character_book.entries.0.keys: must be a list of strings (got string)",
    );
    expect(refusal(() => parseCharacterCard({ spec: "chara_card_v2" }))).toBe("data: is required");
    expect(refusal(() => parseCharacterCard([1, 2]))).toMatch(/^\(root\): must be an object/);
  });
});

describe("card → character", () => {
  it("maps every field onto the profile, substitutes {{char}}/{{user}} and keeps unknown fields", () => {
    const { name, profile } = cardToCharacter(parseCharacterCard(v2Card()));
    expect(name).toBe("Captain Mara Voss");
    expect(profile.Description).toBe("Captain Mara Voss commands the airship Kestrel. She distrusts User at first.");
    expect(profile.Personality).toBe("dry, loyal, reckless in a storm");
    expect(profile.Scenario).toBe("User has stowed away aboard the Kestrel.");
    expect(profile["First message"]).toBe("*Captain Mara Voss levels a flintlock at User.* Who let you on my ship?");
    expect(profile["Alternate greetings"]).toEqual(["*Captain Mara Voss laughs.* A stowaway? Bold.", "Out of my chair, User."]);
    expect(profile["Example dialogues"]).toContain("Captain Mara Voss: Wherever the wind pays best.");
    expect(profile["Creator notes"]).toBe("Works best with long replies.");
    expect(profile.Tags).toEqual(["adventure", "airship"]);
    expect(profile["System prompt"]).toBeUndefined(); // empty in the card
    expect((profile.Lorebook as { entries: unknown[] }).entries).toHaveLength(4);
    expect((profile.Lorebook as { entries: { content: string }[] }).entries[1]!.content).toBe(
      "Captain Mara Voss lost her brother in a storm.",
    );
    // null "comment" is absent in the profile (which cannot hold null)
    expect((profile.Lorebook as { entries: Record<string, unknown>[] }).entries[3]).not.toHaveProperty("comment");
    expect(profile[CARD_META_KEY]).toEqual({
      spec: "chara_card_v2",
      spec_version: "2.0",
      extensions: { talkativeness: "0.5", fav: false, depth_prompt: { prompt: "Be terse.", depth: 4 } },
      mood_engine: { default: "wary" },
    });
    expect(Object.keys(profile)).toEqual([
      "Description",
      "Personality",
      "Scenario",
      "First message",
      "Alternate greetings",
      "Example dialogues",
      "Post-history instructions",
      "Lorebook",
      "Creator notes",
      "Tags",
      "Creator",
      "Character version",
      CARD_META_KEY,
    ]);
    expect(CardCharacterInput.safeParse({ name, profile }).success).toBe(true);
  });

  it("maps V3 fields, and {{user}} of a Chinese card becomes 用户 unless named", () => {
    const { profile } = cardToCharacter(parseCharacterCard(v3Card()));
    expect(profile.Nickname).toBe("晚晚");
    expect(profile.Description).toBe("林晚是一家旧书店的店主，说话温和，常常引用诗句。用户是常来的客人。");
    expect(profile["Group-only greetings"]).toEqual(["“大家都来了？”"]);
    expect(profile.Source).toEqual(["https://example.test/cards/lin-wan"]);
    expect(profile["Creator notes by language"]).toEqual({ en: "A quiet bookseller.", zh: "安静的书店店主。" });
    expect(profile).not.toHaveProperty("Alternate greetings");
    expect(profile[CARD_META_KEY]).toMatchObject({
      spec: "chara_card_v3",
      creation_date: 1735689600,
      assets: [{ type: "icon", uri: "ccdefault:" }],
    });
    const named = cardToCharacter(parseCharacterCard(v3Card()), { userName: "阿青" });
    expect(named.profile.Scenario).toBe("雨夜，阿青走进书店避雨。");
  });

  it("substitutes macros in any case and the V1 forms", () => {
    expect(substituteMacros("{{Char}} greets {{USER}}; <BOT> and <USER>; {{ char }}", { char: "Ann", user: "Bo" })).toBe(
      "Ann greets Bo; Ann and Bo; Ann",
    );
  });
});

describe("card characters in the export prompt", () => {
  const character = cardToCharacter(parseCharacterCard(v2Card()));
  const item = (content: string): ExportItem => ({
    externalId: "c-1",
    character,
    scene: null,
    context: [{ role: "user", content }],
    language: "en",
  });

  it("writes the persona, leaves people's notes out, and adds the lorebook entries the dialogue triggers", () => {
    const result = buildPrompt(item("Is the Kestrel safe in a storm?"), "en");
    if (!result.ok) throw new Error("prompt refused");
    const system = result.messages[0]!.content;
    expect(system).toContain("Character: Captain Mara Voss");
    expect(system).toContain("Description: Captain Mara Voss commands the airship Kestrel.");
    expect(system).toContain("Scenario: User has stowed away aboard the Kestrel.");
    expect(system).toContain("Example dialogues:");
    for (const left of ["Creator notes", "Tags", "First message", "talkativeness", "Character card", "Disabled note"])
      expect(system).not.toContain(left);
    // constant entry (order 1), then "storm" (5), then "Kestrel" (10)
    expect(system).toContain(
      "World info:\nSky pirates fly black sails.\nCaptain Mara Voss lost her brother in a storm.\nThe Kestrel is a brass-hulled airship with a cracked keel.",
    );
  });

  it("adds only constant entries when no key is mentioned", () => {
    expect(activeLorebookEntries(character.profile.Lorebook, [{ content: "Hello there." }])).toEqual(["Sky pirates fly black sails."]);
  });

  it("honours case sensitivity, selective secondary keys, regex keys and the scan depth", () => {
    const book = {
      scan_depth: 1,
      entries: [
        { keys: ["Moon"], content: "case", case_sensitive: true },
        { keys: ["sword"], secondary_keys: ["silver"], selective: true, content: "selective" },
        { keys: ["/drag(on|ons)\\b/i"], use_regex: true, content: "regex" },
        { keys: ["old"], content: "too far back" },
      ],
    };
    const dialogue = [{ content: "an old tale" }, { content: "The moon, a silver sword and DRAGONS" }];
    expect(activeLorebookEntries(book, dialogue)).toEqual(["selective", "regex"]);
  });
});
