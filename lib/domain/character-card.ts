/**
 * Character cards (V1/V2/V3, JSON or PNG) → our character: a name and a profile.
 *
 * Mapping: every card field lands under a readable profile key (see {@link CARD_PROFILE_KEYS}),
 * in the order a reader wants them (persona first, authoring metadata last). Fields we do not
 * know, the card's `extensions`, its specification and dates go under
 * {@link CARD_META_KEY}, so nothing is dropped. JSON `null` (which a profile cannot hold)
 * means "absent" in cards and is left out, as are empty strings and empty lists.
 *
 * `{{char}}` and `{{user}}` (any case, and the V1-era `<BOT>` / `<USER>`) are replaced in
 * every persona text by the character's name and the user's name, so that the profile,
 * the side panel and the export's system prompt read as the model would see them. The
 * metadata under {@link CARD_META_KEY} keeps the card's own text.
 */
import type { CardData, CardLorebook, ParsedCard } from "@/lib/validation/character-card";
import { PngError, isPng, readPngTextChunks } from "./png-text";

/** Profile key of the card's metadata and unknown fields (shown last, left out of prompts). */
export const CARD_META_KEY = "Character card";

/** Profile key of each mapped card field, in profile order. */
export const CARD_PROFILE_KEYS = {
  nickname: "Nickname",
  description: "Description",
  personality: "Personality",
  scenario: "Scenario",
  first_mes: "First message",
  alternate_greetings: "Alternate greetings",
  group_only_greetings: "Group-only greetings",
  mes_example: "Example dialogues",
  system_prompt: "System prompt",
  post_history_instructions: "Post-history instructions",
  character_book: "Lorebook",
  creator_notes: "Creator notes",
  creator_notes_multilingual: "Creator notes by language",
  tags: "Tags",
  creator: "Creator",
  character_version: "Character version",
  source: "Source",
} as const satisfies Partial<Record<keyof CardData, string>>;

/**
 * Profile keys of a card-made profile that an export's system prompt leaves out: notes
 * for people (creator notes, tags, authorship), greetings (the dialogue itself carries the
 * opening turn), the lorebook (its entries are added only when the dialogue triggers them,
 * see {@link activeLorebookEntries}) and the card metadata.
 */
export const CARD_KEYS_NOT_IN_PROMPT: ReadonlySet<string> = new Set([
  CARD_PROFILE_KEYS.first_mes,
  CARD_PROFILE_KEYS.alternate_greetings,
  CARD_PROFILE_KEYS.group_only_greetings,
  CARD_PROFILE_KEYS.post_history_instructions,
  CARD_PROFILE_KEYS.character_book,
  CARD_PROFILE_KEYS.creator_notes,
  CARD_PROFILE_KEYS.creator_notes_multilingual,
  CARD_PROFILE_KEYS.tags,
  CARD_PROFILE_KEYS.creator,
  CARD_PROFILE_KEYS.character_version,
  CARD_PROFILE_KEYS.source,
  CARD_META_KEY,
]);

/** A profile value (the profile format: no nulls). */
type Value = string | number | boolean | Value[] | { [key: string]: Value };

/** Where a card was found in a file. */
export type CardContainer = { kind: "json" } | { kind: "png"; chunk: "chara" | "ccv3" };

/** A card file that cannot be read; `field` names what is wrong ("file", "png", "chara"…). */
export class CardFileError extends Error {
  override name = "CardFileError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJsonText(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CardFileError(field, `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The card JSON inside a file: a PNG's `ccv3` chunk (preferred, as the V3 specification
 * says) or `chara` chunk, base64 of UTF-8 JSON; otherwise the file as UTF-8 JSON (a BOM
 * is allowed).
 */
export function readCardFile(bytes: Uint8Array): { json: unknown; container: CardContainer } {
  if (isPng(bytes)) {
    let chunks: ReturnType<typeof readPngTextChunks>;
    try {
      chunks = readPngTextChunks(bytes);
    } catch (error) {
      if (error instanceof PngError) throw new CardFileError("png", error.message);
      throw error;
    }
    for (const keyword of ["ccv3", "chara"] as const) {
      const found = chunks.find((c) => c.keyword === keyword);
      if (!found) continue;
      const b64 = found.text.trim();
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
        throw new CardFileError(keyword, "is not base64 text");
      }
      let text: string;
      try {
        text = utf8.decode(Buffer.from(b64, "base64"));
      } catch {
        throw new CardFileError(keyword, "does not decode to UTF-8 text");
      }
      return { json: parseJsonText(text, keyword), container: { kind: "png", chunk: keyword } };
    }
    throw new CardFileError("png", 'has no character card (no "chara" or "ccv3" text chunk)');
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new CardFileError("file", "is neither a PNG image nor UTF-8 JSON text");
  }
  return { json: parseJsonText(text.replace(/^\uFEFF/, ""), "file"), container: { kind: "json" } };
}

/** The user's name put for `{{user}}`: "用户" for a Chinese card, "User" otherwise (the export's labels). */
export function defaultUserName(data: Pick<CardData, "description" | "first_mes" | "personality">): string {
  const sample = `${data.description ?? ""}${data.first_mes ?? ""}${data.personality ?? ""}`;
  return /[\u3400-\u4dbf\u4e00-\u9fff]/.test(sample) && !/[\u3040-\u30ff]/.test(sample) ? "用户" : "User";
}

const CHAR_MACRO = /\{\{\s*char\s*\}\}|<BOT>/gi;
const USER_MACRO = /\{\{\s*user\s*\}\}|<USER>/gi;

/** Replaces `{{char}}` / `{{user}}` (any case; `<BOT>` / `<USER>` as well) in one text. */
export function substituteMacros(text: string, names: { char: string; user: string }): string {
  return text.replace(CHAR_MACRO, () => names.char).replace(USER_MACRO, () => names.user);
}

/** A JSON value as a profile value: nulls left out of objects and lists; undefined for "nothing". */
function toProfileValue(value: unknown, substitute: ((s: string) => string) | null): Value | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return substitute ? substitute(value) : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const out: Value[] = [];
    for (const v of value) {
      const pv = toProfileValue(v, substitute);
      if (pv !== undefined) out.push(pv);
    }
    return out;
  }
  if (typeof value === "object") {
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const pv = toProfileValue(v, substitute);
      if (pv !== undefined) out[k] = pv;
    }
    return out;
  }
  return String(value);
}

function isEmpty(value: Value | undefined): boolean {
  if (value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** The character a card describes: its name and profile. */
export interface CardCharacter {
  name: string;
  profile: { [key: string]: Value };
}

/**
 * Maps a checked card onto a character (see the module comment). `userName` replaces
 * `{{user}}`; by default {@link defaultUserName}.
 */
export function cardToCharacter(card: ParsedCard, options: { userName?: string } = {}): CardCharacter {
  const data = card.data;
  const name = data.name.trim();
  const names = { char: name, user: options.userName?.trim() || defaultUserName(data) };
  const substitute = (s: string) => substituteMacros(s, names);
  const profile: { [key: string]: Value } = {};
  const known = new Set<string>(["name", ...Object.keys(CARD_PROFILE_KEYS), "extensions", "creation_date", "modification_date", "assets"]);
  for (const [field, key] of Object.entries(CARD_PROFILE_KEYS)) {
    const raw = (data as Record<string, unknown>)[field];
    const value = toProfileValue(field === "character_version" && typeof raw === "number" ? String(raw) : raw, substitute);
    if (!isEmpty(value)) profile[key] = value!;
  }
  const meta: { [key: string]: Value } = { spec: card.spec };
  if (card.specVersion !== null) meta.spec_version = card.specVersion;
  for (const field of ["creation_date", "modification_date", "assets", "extensions"] as const) {
    const value = toProfileValue(data[field], null);
    if (!isEmpty(value)) meta[field] = value!;
  }
  for (const [field, raw] of Object.entries(data)) {
    if (known.has(field)) continue;
    const value = toProfileValue(raw, null);
    if (!isEmpty(value)) meta[field] = value!;
  }
  for (const [field, raw] of Object.entries(card.extra)) {
    const value = toProfileValue(raw, null);
    if (!isEmpty(value)) meta[field in meta ? `card.${field}` : field] = value!;
  }
  profile[CARD_META_KEY] = meta;
  return { name, profile };
}

/** Whether a profile was made from a character card (it carries the card metadata). */
export function isCardProfile(profile: Readonly<Record<string, unknown>>): boolean {
  const meta = profile[CARD_META_KEY];
  return typeof meta === "object" && meta !== null && typeof (meta as Record<string, unknown>).spec === "string";
}

function asString(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function keyMatches(key: string, haystack: string, caseSensitive: boolean, regex: boolean): boolean {
  if (key.trim() === "") return false;
  if (regex) {
    // V3 writes regex keys as /pattern/flags; a bare pattern is accepted too.
    const m = /^\/(.*)\/([a-z]*)$/s.exec(key);
    try {
      const re = m ? new RegExp(m[1]!, m[2]!.replace(/[gy]/g, "")) : new RegExp(key, caseSensitive ? "" : "i");
      return re.test(haystack);
    } catch {
      return false;
    }
  }
  return caseSensitive ? haystack.includes(key) : haystack.toLowerCase().includes(key.toLowerCase());
}

/**
 * The lorebook entries a dialogue brings into the prompt, as SillyTavern inserts world
 * info: enabled entries that are constant, or one of whose keys occurs in the last
 * `scan_depth` messages (all messages when unset); a selective entry also needs one of its
 * secondary keys. Ordered by `insertion_order` (then book order); returns their contents.
 */
export function activeLorebookEntries(lorebook: unknown, dialogue: readonly { content: string }[]): string[] {
  if (typeof lorebook !== "object" || lorebook === null) return [];
  const book = lorebook as Partial<CardLorebook> & { entries?: unknown };
  if (!Array.isArray(book.entries)) return [];
  const depth = typeof book.scan_depth === "number" && book.scan_depth > 0 ? Math.floor(book.scan_depth) : dialogue.length;
  const haystack = dialogue
    .slice(-depth)
    .map((m) => m.content)
    .join("\n");
  const chosen: { order: number; index: number; content: string }[] = [];
  book.entries.forEach((raw: unknown, index: number) => {
    if (typeof raw !== "object" || raw === null) return;
    const e = raw as Record<string, unknown>;
    const content = asString(e.content);
    if (!content || content.trim() === "" || e.enabled === false) return;
    const caseSensitive = e.case_sensitive === true;
    const regex = e.use_regex === true;
    const keys = Array.isArray(e.keys) ? e.keys.filter((k): k is string => typeof k === "string") : [];
    const secondary = Array.isArray(e.secondary_keys) ? e.secondary_keys.filter((k): k is string => typeof k === "string") : [];
    const hit = (list: string[]) => list.some((k) => keyMatches(k, haystack, caseSensitive, regex));
    const active = e.constant === true || (hit(keys) && (e.selective !== true || secondary.length === 0 || hit(secondary)));
    if (active) chosen.push({ order: typeof e.insertion_order === "number" ? e.insertion_order : 0, index, content });
  });
  return chosen.sort((a, b) => a.order - b.order || a.index - b.index).map((c) => c.content);
}
