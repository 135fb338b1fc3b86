/**
 * Prompt construction: character profile → system message, dialogue → TRL
 * conversational messages (or readable plain text for the standard format).
 */
import { activeLorebookEntries, CARD_KEYS_NOT_IN_PROMPT, CARD_PROFILE_KEYS, isCardProfile } from "@/lib/domain/character-card";
import { sha256OfText } from "@/lib/domain/export/hash";
import type { ChatMessage, ExportItem } from "@/lib/domain/export/types";

/**
 * Well-known profile attributes, rendered first and in this order. Each entry lists
 * the keys (English or Chinese; matched case-insensitively, with `_`, `-` and runs of
 * spaces treated alike) that name the attribute. Any other key follows, sorted by
 * code point, so the output never depends on the order the database returns keys in.
 */
export const PROFILE_KEY_ORDER: readonly (readonly string[])[] = [
  ["name", "full name", "姓名", "名字", "全名"],
  ["nickname", "nicknames", "alias", "aliases", "昵称", "绰号", "外号", "别名"],
  ["gender", "sex", "性别"],
  ["age", "年龄"],
  ["height", "身高"],
  ["birthday", "生日"],
  ["species", "物种"],
  ["identity", "occupation", "job", "profession", "身份", "职业", "工作"],
  ["description", "描述"],
  ["personality", "性格", "人物性格"],
  ["background", "backstory", "history", "biography", "背景", "人物背景", "人物经历", "经历", "历史"],
  ["scenario", "情景"],
  ["speaking style", "speech style", "说话风格", "语言风格", "说话方式"],
  ["catchphrases", "catchphrase", "口头禅"],
  ["relationships", "relationship", "人物关系", "关系"],
  ["source work", "source", "work", "出处", "作品", "来源"],
  ["language", "语言"],
  ["example dialogues", "对话示例"],
  ["system prompt"],
  ["notes", "note", "备注", "其他"],
];

const MAX_DEPTH = 6;

function normaliseKey(key: string): string {
  return key
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();
}

const KEY_RANK = new Map<string, number>();
PROFILE_KEY_ORDER.forEach((aliases, rank) => {
  for (const alias of aliases) KEY_RANK.set(normaliseKey(alias), rank);
});

/** Compares strings by Unicode code point (the order of UTF-8 bytes and PostgreSQL's "C" collation). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * Orders profile keys: well-known attributes first (in {@link PROFILE_KEY_ORDER}
 * order), then the rest by code point. Ties between aliases of one attribute are
 * broken by code point too.
 */
export function orderProfileKeys(keys: readonly string[]): string[] {
  const rank = (k: string) => KEY_RANK.get(normaliseKey(k)) ?? PROFILE_KEY_ORDER.length;
  return [...keys].sort((a, b) => rank(a) - rank(b) || compareCodePoints(a, b));
}

/** Whether a language code names Chinese (labels are then written in Chinese). */
function isChinese(language: string): boolean {
  return /^zh\b/i.test(language);
}

function listSeparator(language: string): string {
  return isChinese(language) ? "、" : "; ";
}

/** "key: value" separator: full-width "：" for Chinese, ": " otherwise. */
function colonFor(language: string): string {
  return isChinese(language) ? "：" : ": ";
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (typeof value === "object") return Object.values(value as object).every(isEmptyValue);
  return false;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function renderEntry(key: string, value: unknown, depth: number, language: string, out: string[]): void {
  if (isEmptyValue(value)) return;
  const indent = "  ".repeat(depth);
  const colon = colonFor(language);
  const open = colon.trimEnd();
  if (isScalar(value)) {
    out.push(`${indent}${key}${colon}${String(value)}`);
    return;
  }
  if (Array.isArray(value)) {
    const items = value.filter((v) => !isEmptyValue(v));
    if (items.every(isScalar)) {
      out.push(`${indent}${key}${colon}${items.map(String).join(listSeparator(language))}`);
      return;
    }
    out.push(`${indent}${key}${open}`);
    items.forEach((v, i) => renderEntry(`${i + 1}`, v, depth + 1, language, out));
    return;
  }
  if (typeof value === "object" && value !== null) {
    if (depth >= MAX_DEPTH) {
      out.push(`${indent}${key}${colon}${JSON.stringify(value)}`);
      return;
    }
    out.push(`${indent}${key}${open}`);
    const obj = value as Record<string, unknown>;
    for (const k of orderProfileKeys(Object.keys(obj))) renderEntry(k, obj[k], depth + 1, language, out);
    return;
  }
  // bigint, symbol, function: not JSON; render their string form.
  out.push(`${indent}${key}${colon}${String(value)}`);
}

/**
 * Renders a character profile as readable `key: value` lines (`key：value` for
 * Chinese) in a stable order
 * (see {@link orderProfileKeys}). String lists are joined ("、" for Chinese, "; "
 * otherwise); nested objects are indented by two spaces per level; empty values are
 * left out. A `name`/`姓名` entry equal to `characterName` is not repeated.
 */
export function renderProfile(profile: Readonly<Record<string, unknown>>, language: string, characterName?: string): string {
  // Memoised per profile object: an export renders one character's profile for each of
  // its tasks (hundreds of thousands of times), and the loader hands every task of a
  // character the same object. Profiles are read-only, so a cached rendering stays right.
  const key = `${language}\u0000${characterName ?? ""}`;
  let cached = RENDERED_PROFILES.get(profile);
  const hit = cached?.get(key);
  if (hit !== undefined) return hit;
  const rendered = renderProfileUncached(profile, language, characterName);
  if (!cached) RENDERED_PROFILES.set(profile, (cached = new Map()));
  cached.set(key, rendered);
  return rendered;
}

const RENDERED_PROFILES = new WeakMap<object, Map<string, string>>();

function renderProfileUncached(profile: Readonly<Record<string, unknown>>, language: string, characterName?: string): string {
  const out: string[] = [];
  // A profile made from a character card keeps notes for people (creator notes, tags,
  // greetings, card metadata) that are no part of the persona the model plays.
  const fromCard = isCardProfile(profile);
  for (const key of orderProfileKeys(Object.keys(profile))) {
    if (fromCard && CARD_KEYS_NOT_IN_PROMPT.has(key)) continue;
    const value = profile[key];
    if (KEY_RANK.get(normaliseKey(key)) === 0 && typeof value === "string" && value.trim() === characterName?.trim()) {
      continue;
    }
    renderEntry(key, value, 0, language, out);
  }
  return out.join("\n");
}

/** Labels used in the system message and the standard-format transcript. */
interface Labels {
  character: string;
  scene: string;
  lorebook: string;
  greeting: (name: string) => string;
  user: string;
}

/** The two label sets, made once (this runs for every task of an export). */
const ZH_LABELS: Labels = { character: "角色", scene: "场景", lorebook: "世界设定", greeting: (n) => `${n}的开场白`, user: "用户" };
const EN_LABELS: Labels = {
  character: "Character",
  scene: "Scene",
  lorebook: "World info",
  greeting: (n) => `${n} opened the conversation with`,
  user: "User",
};

function labelsFor(language: string): Labels {
  return isChinese(language) ? ZH_LABELS : EN_LABELS;
}

/** Result of {@link buildPrompt}. */
export type PromptResult =
  | {
      ok: true;
      /** System message first, then alternating user/assistant turns, ending with a user turn. */
      messages: ChatMessage[];
      /** True when an opening assistant turn (a greeting) was folded into the system message. */
      greetingFolded: boolean;
      /** Content of the first user turn (after merging); used for the split key. */
      firstUserTurn: string;
    }
  | { ok: false; reason: "empty_context" | "ends_with_assistant" };

/**
 * Builds the TRL conversational prompt of an item:
 * 1. one `system` message: `Character: <name>` (`角色：` for Chinese items), the
 *    rendered profile, the lorebook entries the dialogue triggers (`World info:`, for a
 *    profile made from a character card), then `Scene:` and the scene when there is one;
 * 2. the dialogue, consecutive turns of one role merged with "\n";
 * 3. opening assistant turns (the character speaking first) are folded into the
 *    system message under "<name> opened the conversation with:" (`greetingFolded`);
 * 4. the dialogue must end with the user turn the candidates answer, otherwise
 *    `{ok: false}` is returned.
 * Message content is never altered besides the merging.
 */
export function buildPrompt(item: ExportItem, language: string): PromptResult {
  const merged: { role: "user" | "assistant"; content: string }[] = [];
  for (const turn of item.context) {
    const last = merged[merged.length - 1];
    if (last && last.role === turn.role) last.content = `${last.content}\n${turn.content}`;
    else merged.push({ role: turn.role, content: turn.content });
  }
  let greeting: string | null = null;
  if (merged[0]?.role === "assistant") {
    greeting = merged[0].content;
    merged.shift();
  }
  if (merged.length === 0) return { ok: false, reason: "empty_context" };
  if (merged[merged.length - 1]?.role !== "user") return { ok: false, reason: "ends_with_assistant" };

  const labels = labelsFor(language);
  const colon = colonFor(language);
  const name = item.character.name;
  const sections: string[] = [];
  const profile = renderProfile(item.character.profile, language, name);
  sections.push(profile ? `${labels.character}${colon}${name}\n${profile}` : `${labels.character}${colon}${name}`);
  if (isCardProfile(item.character.profile)) {
    const lore = activeLorebookEntries(item.character.profile[CARD_PROFILE_KEYS.character_book], item.context);
    if (lore.length > 0) sections.push(`${labels.lorebook}${colon.trimEnd()}\n${lore.join("\n")}`);
  }
  if (item.scene && item.scene.trim() !== "") sections.push(`${labels.scene}${colon.trimEnd()}\n${item.scene}`);
  if (greeting !== null) sections.push(`${labels.greeting(name)}${colon.trimEnd()}\n${greeting}`);

  const messages: ChatMessage[] = [{ role: "system", content: sections.join("\n\n") }];
  for (const turn of merged) messages.push({ role: turn.role, content: turn.content });
  return { ok: true, messages, greetingFolded: greeting !== null, firstUserTurn: merged[0]?.content ?? "" };
}

/**
 * Renders conversational prompt messages as readable plain text (the `standard`
 * format): the system text, a blank line, then one `User: …` / `<name>: …` block per
 * turn (`用户：…` for Chinese), ending with `<name>:` so that the reply follows
 * directly (no trailing space; the reply text is kept exactly as it is).
 */
export function renderPromptText(messages: readonly ChatMessage[], characterName: string, language: string): string {
  const labels = labelsFor(language);
  const colon = colonFor(language);
  const parts: string[] = [];
  for (const m of messages) {
    if (m.role === "system") parts.push(m.content, "");
    else parts.push(`${m.role === "user" ? labels.user : characterName}${colon}${m.content}`);
  }
  parts.push(`${characterName}${colon.trimEnd()}`);
  return parts.join("\n");
}

/** Stable id of a prompt: the first 16 hex digits of sha256 over its canonical JSON. */
export function promptId(messages: readonly ChatMessage[]): string {
  const canonical = JSON.stringify(messages.map((m) => [m.role, m.content]));
  return sha256OfText(canonical).slice(0, 16);
}

/**
 * The language an item's prompt is written for: its recorded language, else the policy's
 * default, else a guess from the character's name and the dialogue. Exports and
 * generation both use it, so a model is asked exactly what the trainer later sees.
 */
export function itemLanguage(item: ExportItem, defaultLanguage?: string | null): string {
  if (item.language && item.language.trim() !== "") return item.language.trim();
  if (defaultLanguage) return defaultLanguage;
  return detectLanguage([item.character.name, ...item.context.map((t) => t.content)].join("\n"));
}

/**
 * Guesses an item's language from its text when none is recorded: any kana → "ja",
 * more Hangul than Han → "ko", any Han → "zh", otherwise "en".
 */
export function detectLanguage(text: string): string {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff)) kana++;
    else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff)) hangul++;
    else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) han++;
  }
  if (kana > 0) return "ja";
  if (hangul > han) return "ko";
  if (han > 0) return "zh";
  return "en";
}
