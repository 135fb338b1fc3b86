/**
 * How a character profile is shown on the character card: well-known attributes first,
 * in a fixed order, recognised under their English and Chinese key names; then every
 * other attribute in the profile's own order. Nothing is dropped or rewritten: each
 * entry keeps its original key (the card may add the localised name of a well-known
 * attribute) and its value as a display-ready tree.
 *
 * The Chinese key names come from real role-play data: CharacterEval's 78 profiles
 * (e.g. 姓名, 性别, 年龄, 身高, 昵称, 人物性格, 人物经历, 口头禅/经典台词, 人物关系) and the
 * keys the product's import format names (docs/import-format.md).
 */

/** The well-known attributes, in display order. */
export const WELL_KNOWN_ATTRIBUTES = [
  "name",
  "gender",
  "age",
  "height",
  "nickname",
  "personality",
  "background",
  "speaking_style",
  "catchphrases",
  "relationships",
  "source_work",
  "language",
] as const;
/** Identifier of a well-known attribute. */
export type WellKnownAttribute = (typeof WELL_KNOWN_ATTRIBUTES)[number];

/** Display names of the well-known attributes in English and Simplified Chinese. */
export const WELL_KNOWN_LABELS: Record<WellKnownAttribute, { en: string; zh: string }> = {
  name: { en: "Name", zh: "姓名" },
  gender: { en: "Gender", zh: "性别" },
  age: { en: "Age", zh: "年龄" },
  height: { en: "Height", zh: "身高" },
  nickname: { en: "Nickname", zh: "昵称" },
  personality: { en: "Personality", zh: "性格" },
  background: { en: "Background", zh: "背景" },
  speaking_style: { en: "Speaking style", zh: "说话风格" },
  catchphrases: { en: "Catchphrases", zh: "口头禅" },
  relationships: { en: "Relationships", zh: "人际关系" },
  source_work: { en: "Source work", zh: "出处" },
  language: { en: "Language", zh: "语言" },
};

/**
 * Key names recognised for each well-known attribute. English keys are matched
 * case-insensitively ignoring spaces, `_` and `-` (so `Speaking Style`, `speaking_style`
 * and `speakingStyle` are one key); Chinese keys exactly (after trimming).
 */
export const WELL_KNOWN_KEYS: Record<WellKnownAttribute, readonly string[]> = {
  name: ["name", "full name", "character name", "姓名", "名字", "名称", "角色名", "角色名称", "全名"],
  gender: ["gender", "sex", "性别", "角色性别"],
  age: ["age", "年龄", "岁数"],
  height: ["height", "身高"],
  nickname: [
    "nickname",
    "nicknames",
    "alias",
    "aliases",
    "also known as",
    "昵称",
    "外号",
    "绰号",
    "别名",
    "别称",
    "小名",
    "称号",
    "江湖绰号",
  ],
  personality: ["personality", "personality traits", "traits", "temperament", "性格", "人物性格", "性格特点", "性格特征", "个性"],
  background: [
    "background",
    "backstory",
    "biography",
    "history",
    "life experience",
    "experience",
    "背景",
    "经历",
    "人物经历",
    "人物背景",
    "角色背景",
    "角色经历",
    "主要经历",
    "出身背景",
    "身世",
    "生平",
    "历史",
    "人物经历补充",
  ],
  speaking_style: [
    "speaking style",
    "speech style",
    "speech",
    "manner of speaking",
    "tone",
    "说话风格",
    "语言风格",
    "语言特点",
    "说话方式",
    "说话特点",
    "语气",
  ],
  catchphrases: [
    "catchphrase",
    "catchphrases",
    "quotes",
    "famous quotes",
    "signature lines",
    "口头禅",
    "经典台词",
    "台词",
    "名言",
    "经典语录",
    "重要语录",
    "语录",
  ],
  relationships: [
    "relationships",
    "relationship",
    "relations",
    "family",
    "人际关系",
    "人物关系",
    "关系",
    "关系信息",
    "亲属关系",
    "家庭成员",
    "家庭关系",
    "亲人",
  ],
  source_work: [
    "source",
    "source work",
    "series",
    "franchise",
    "出处",
    "出自",
    "作品",
    "出场作品",
    "登场作品",
    "所属作品",
    "所属游戏",
    "来源",
  ],
  language: ["language", "languages", "spoken language", "语言", "母语", "使用语言"],
};

function normaliseKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
}

const KEY_INDEX: ReadonlyMap<string, WellKnownAttribute> = (() => {
  const m = new Map<string, WellKnownAttribute>();
  for (const attr of WELL_KNOWN_ATTRIBUTES) {
    for (const k of WELL_KNOWN_KEYS[attr]) {
      const nk = normaliseKey(k);
      if (m.has(nk)) throw new Error(`profile key "${k}" is listed twice`);
      m.set(nk, attr);
    }
  }
  return m;
})();

/** The well-known attribute a profile key stands for, or null. */
export function wellKnownAttributeOf(key: string): WellKnownAttribute | null {
  return KEY_INDEX.get(normaliseKey(key)) ?? null;
}

/** A profile value ready to render: text, a list, or labelled fields (nested objects). */
export type DisplayValue =
  | { kind: "text"; text: string }
  | { kind: "list"; items: DisplayValue[] }
  | { kind: "fields"; fields: DisplayField[] };

/** One labelled value inside a nested object. */
export interface DisplayField {
  label: string;
  value: DisplayValue;
}

/** One attribute of the character card. */
export interface ProfileEntry {
  /** The key as written in the profile (shown as the label unless the card localises a well-known one). */
  key: string;
  /** The well-known attribute this key stands for, or null for any other attribute. */
  attribute: WellKnownAttribute | null;
  value: DisplayValue;
}

/**
 * Turns any JSON-like value into a {@link DisplayValue}: strings as they are, numbers and
 * booleans as text, `null`/`undefined` as empty text, arrays as lists, objects as
 * labelled fields in their own order.
 */
export function toDisplayValue(value: unknown): DisplayValue {
  if (typeof value === "string") return { kind: "text", text: value };
  if (value === null || value === undefined) return { kind: "text", text: "" };
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return { kind: "text", text: String(value) };
  if (Array.isArray(value)) return { kind: "list", items: value.map(toDisplayValue) };
  if (typeof value === "object")
    return {
      kind: "fields",
      fields: Object.entries(value as Record<string, unknown>).map(([label, v]) => ({
        label,
        value: toDisplayValue(v),
      })),
    };
  return { kind: "text", text: String(value) };
}

/**
 * The entries of a character card: first the well-known attributes in
 * {@link WELL_KNOWN_ATTRIBUTES} order (several keys for one attribute, e.g. 昵称 and
 * 外号, keep their profile order among themselves), then every other attribute in the
 * profile's order. Every key of the profile appears exactly once.
 */
export function profileEntries(profile: Readonly<Record<string, unknown>>): ProfileEntry[] {
  const known: ProfileEntry[][] = WELL_KNOWN_ATTRIBUTES.map(() => []);
  const others: ProfileEntry[] = [];
  for (const [key, value] of Object.entries(profile)) {
    const attribute = wellKnownAttributeOf(key);
    const entry: ProfileEntry = { key, attribute, value: toDisplayValue(value) };
    if (attribute === null) others.push(entry);
    else known[WELL_KNOWN_ATTRIBUTES.indexOf(attribute)]?.push(entry);
  }
  return [...known.flat(), ...others];
}

/**
 * Plain text of a display value (for search, tooltips, copy): lists joined with
 * `、` (Chinese enumeration comma) when `lang` is "zh" and `, ` otherwise; fields as
 * `label: value` joined with `; ` (or `label：value` joined with `；` in Chinese).
 */
export function displayText(value: DisplayValue, lang: "en" | "zh" = "zh"): string {
  switch (value.kind) {
    case "text":
      return value.text;
    case "list":
      return value.items.map((v) => displayText(v, lang)).join(lang === "zh" ? "、" : ", ");
    case "fields":
      return value.fields
        .map((f) => `${f.label}${lang === "zh" ? "：" : ": "}${displayText(f.value, lang)}`)
        .join(lang === "zh" ? "；" : "; ");
  }
}
