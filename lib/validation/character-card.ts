/**
 * Character Card V2 / V3 (the SillyTavern and card-site formats), as we accept them.
 *
 * The shapes follow the public specifications (malfoyslastname/character-card-spec-v2,
 * kwaroran/character-card-spec-v3); the schema is ours. Only the character's name is
 * required: real cards often omit empty fields, and refusing them would help nobody. A
 * field that is present must have its specified type, and a refusal names it
 * (`data.alternate_greetings.2: must be a string (got number)`). Every object is loose:
 * fields we do not know are kept, never dropped. `null` stands for "absent" wherever a
 * field is optional, as card editors write it.
 */
import { z } from "zod";
import { parseInput } from "./parse";

function typeName(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  return typeof input;
}

const mustBe = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? "is required" : `must be ${what} (got ${typeName(iss.input)})`;

const str = z.string({ error: mustBe("a string") });
const strList = z.array(str, { error: mustBe("a list of strings") });
const num = z.number({ error: mustBe("a number") }).finite();
const bool = z.boolean({ error: mustBe("true or false") });
const record = z.record(z.string(), z.unknown(), { error: mustBe("an object") });
const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Longest character name we store (as for inline characters in imports). */
export const CARD_NAME_MAX = 200;

/** One lorebook (character book / world info) entry. */
export const CardLorebookEntry = z.looseObject(
  {
    keys: strList,
    content: str,
    extensions: opt(record),
    enabled: opt(bool),
    insertion_order: opt(num),
    case_sensitive: opt(bool),
    use_regex: opt(bool),
    constant: opt(bool),
    name: opt(str),
    priority: opt(num),
    id: opt(z.union([num, str], { error: mustBe("a number or a string") })),
    comment: opt(str),
    selective: opt(bool),
    secondary_keys: opt(strList),
    position: opt(z.union([str, num], { error: mustBe("a string or a number") })),
  },
  { error: mustBe("an object") },
);
export type CardLorebookEntry = z.infer<typeof CardLorebookEntry>;

/** The character book (lorebook) embedded in a card. */
export const CardLorebook = z.looseObject(
  {
    name: opt(str),
    description: opt(str),
    scan_depth: opt(num),
    token_budget: opt(num),
    recursive_scanning: opt(bool),
    extensions: opt(record),
    entries: z.array(CardLorebookEntry, { error: mustBe("a list of entries") }),
  },
  { error: mustBe("an object") },
);
export type CardLorebook = z.infer<typeof CardLorebook>;

/** An asset of a V3 card (icon, background, emotion…); `uri` may be an embedded data URI. */
export const CardAsset = z.looseObject({ type: str, uri: str, name: opt(str), ext: opt(str) }, { error: mustBe("an object") });

/** The `data` object of a V2 or V3 card (V3 adds fields; V2 cards simply lack them). */
export const CardData = z.looseObject(
  {
    name: str.trim().superRefine((s, ctx) => {
      if (s.length === 0) ctx.addIssue({ code: "custom", message: "must not be empty" });
      else if (s.length > CARD_NAME_MAX)
        ctx.addIssue({ code: "custom", message: `must be at most ${CARD_NAME_MAX} characters (got ${s.length})` });
    }),
    description: opt(str),
    personality: opt(str),
    scenario: opt(str),
    first_mes: opt(str),
    mes_example: opt(str),
    creator_notes: opt(str),
    system_prompt: opt(str),
    post_history_instructions: opt(str),
    alternate_greetings: opt(strList),
    character_book: opt(CardLorebook),
    tags: opt(strList),
    creator: opt(str),
    character_version: opt(z.union([str, num], { error: mustBe("a string") })),
    extensions: opt(record),
    // V3
    nickname: opt(str),
    creator_notes_multilingual: opt(z.record(z.string(), str, { error: mustBe("an object of language → text") })),
    source: opt(strList),
    group_only_greetings: opt(strList),
    creation_date: opt(num),
    modification_date: opt(num),
    assets: opt(z.array(CardAsset, { error: mustBe("a list of assets") })),
  },
  { error: mustBe("an object") },
);
export type CardData = z.infer<typeof CardData>;

/** The card specifications we read. */
export const CARD_SPECS = ["chara_card_v2", "chara_card_v3"] as const;
export type CardSpec = (typeof CARD_SPECS)[number] | "chara_card_v1";

/** A V2 or V3 card: `{spec, spec_version, data}`, unknown top-level fields kept. */
export const CharacterCard = z.looseObject(
  {
    spec: z.enum(CARD_SPECS, { error: (iss) => (iss.input === undefined ? "is required" : 'must be "chara_card_v2" or "chara_card_v3"') }),
    spec_version: opt(z.union([str, num], { error: mustBe("a string") })),
    data: CardData,
  },
  { error: mustBe("an object") },
);
export type CharacterCard = z.infer<typeof CharacterCard>;

/**
 * A TavernAI V1 card: the V2 data fields at the top level, with no `spec`. Still common
 * in older collections, so read as a V2 card without a lorebook.
 */
export const CharacterCardV1 = z.looseObject(
  {
    name: CardData.shape.name,
    description: opt(str),
    personality: opt(str),
    scenario: opt(str),
    first_mes: opt(str),
    mes_example: opt(str),
  },
  { error: mustBe("an object") },
);

/** A card read and checked: its specification, version, data and unknown top-level fields. */
export interface ParsedCard {
  spec: CardSpec;
  specVersion: string | null;
  data: CardData;
  /** Top-level fields besides spec, spec_version and data (kept, never dropped). */
  extra: Record<string, unknown>;
}

/**
 * Checks a card's JSON. V2/V3 by their `spec`; an object without `spec` but with a
 * top-level `name` is read as V1. Throws a VALIDATION AppError naming the first bad field
 * (`data.tags.0`, `spec`…).
 */
export function parseCharacterCard(json: unknown): ParsedCard {
  const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
  if (isObject && !("spec" in json) && "name" in json) {
    const data = parseInput(CharacterCardV1, json);
    const { name, description, personality, scenario, first_mes, mes_example, ...extra } = data;
    return { spec: "chara_card_v1", specVersion: null, data: { name, description, personality, scenario, first_mes, mes_example }, extra };
  }
  const card = parseInput(CharacterCard, json);
  const { spec, spec_version, data, ...extra } = card;
  return { spec, specVersion: spec_version == null ? null : String(spec_version), data, extra };
}
