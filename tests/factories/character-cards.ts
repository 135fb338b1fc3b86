/**
 * Character cards built by the tests themselves (no third-party card files): V2 and V3 JSON,
 * and PNG images carrying them in `chara` / `ccv3` chunks.
 */
import { onePixelPng, withPngTextChunks } from "@/lib/domain/png-text";

export function v2Card(overrides: Record<string, unknown> = {}) {
  return {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: {
      name: "Captain Mara Voss",
      description: "{{char}} commands the airship Kestrel. She distrusts {{user}} at first.",
      personality: "dry, loyal, reckless in a storm",
      scenario: "{{user}} has stowed away aboard the Kestrel.",
      first_mes: "*{{char}} levels a flintlock at {{user}}.* Who let you on my ship?",
      mes_example: "<START>\n{{user}}: Where are we going?\n{{char}}: Wherever the wind pays best.",
      creator_notes: "Works best with long replies.",
      system_prompt: "",
      post_history_instructions: "Stay in character as {{char}}.",
      alternate_greetings: ["*{{char}} laughs.* A stowaway? Bold.", "Out of my chair, {{user}}."],
      character_book: {
        name: "Kestrel lore",
        scan_depth: 4,
        extensions: {},
        entries: [
          {
            keys: ["Kestrel"],
            content: "The Kestrel is a brass-hulled airship with a cracked keel.",
            extensions: {},
            enabled: true,
            insertion_order: 10,
            constant: false,
            position: "before_char",
            id: 1,
          },
          { keys: ["storm"], content: "{{char}} lost her brother in a storm.", extensions: {}, enabled: true, insertion_order: 5, id: 2 },
          { keys: [], content: "Sky pirates fly black sails.", extensions: {}, enabled: true, insertion_order: 1, constant: true, id: 3 },
          { keys: ["Kestrel"], content: "Disabled note.", extensions: {}, enabled: false, insertion_order: 0, id: 4, comment: null },
        ],
      },
      tags: ["adventure", "airship"],
      creator: "test-suite",
      character_version: "1.2",
      extensions: { talkativeness: "0.5", fav: false, depth_prompt: { prompt: "Be terse.", depth: 4 } },
      mood_engine: { default: "wary" },
      ...overrides,
    },
  };
}

export function v3Card(overrides: Record<string, unknown> = {}) {
  const v2 = v2Card().data;
  return {
    spec: "chara_card_v3",
    spec_version: "3.0",
    data: {
      ...v2,
      name: "林晚",
      description: "{{char}}是一家旧书店的店主，说话温和，常常引用诗句。{{user}}是常来的客人。",
      personality: "温和、敏锐、有点固执",
      scenario: "雨夜，{{user}}走进书店避雨。",
      first_mes: "“欢迎光临，{{user}}。今天想找什么书？”",
      alternate_greetings: [],
      nickname: "晚晚",
      group_only_greetings: ["“大家都来了？”"],
      source: ["https://example.test/cards/lin-wan"],
      creation_date: 1735689600,
      modification_date: 1735776000,
      creator_notes_multilingual: { en: "A quiet bookseller.", zh: "安静的书店店主。" },
      assets: [{ type: "icon", uri: "ccdefault:", name: "main", ext: "png" }],
      character_book: undefined,
      ...overrides,
    },
  };
}

const b64 = (json: unknown) => Buffer.from(JSON.stringify(json), "utf8").toString("base64");

/** A PNG card: the card JSON in a `chara` chunk, and for V3 also in `ccv3` (as card tools write both). */
export function pngCard(card: { spec?: string }, options: { chara?: unknown } = {}): Uint8Array {
  const chunks = [{ keyword: "chara", text: b64(options.chara ?? card) }];
  if (card.spec === "chara_card_v3") chunks.push({ keyword: "ccv3", text: b64(card) });
  return withPngTextChunks(onePixelPng(), chunks);
}

export const jsonBytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value, null, 2), "utf8"));
