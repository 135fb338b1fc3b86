import { en, type MessageKey } from "./en";
import { zhCN } from "./zh-CN";
import { fill } from "./fill";

export { fill };

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "arbiter-locale";
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };
export type { MessageKey };

/** A whole UI catalogue: what client components receive as `messages`. */
export type Messages = Record<MessageKey, string>;

const CATALOGUES: Record<Locale, Messages> = { en, "zh-CN": zhCN };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported locale for an Accept-Language header (RFC 9110 §12.5.4): languages by
 * descending q (ties in header order; q=0 means "not this one"); zh, zh-CN, zh-Hans, zh-SG
 * → zh-CN, en-* → en. The default when nothing matches.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  const ranked = (header ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";").map((p) => p.trim());
      const q = params.map((p) => /^q=([01](?:\.\d{0,3})?)$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag !== "" && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return DEFAULT_LOCALE;
}

export type Translator = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A lookup function for one locale; `{name}` placeholders are filled from `vars`. */
export function translator(locale: Locale): Translator {
  const catalogue = CATALOGUES[locale];
  return (key, vars) => {
    const template = catalogue[key] ?? en[key] ?? key;
    return vars ? fill(template, vars) : template;
  };
}

/** The whole catalogue, for client components that need several strings. */
export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}
