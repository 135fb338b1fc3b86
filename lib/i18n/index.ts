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

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The best supported locale for an Accept-Language header (zh, zh-CN, zh-Hans → zh-CN). */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  for (const part of (header ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
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
export function messagesFor(locale: Locale): Record<MessageKey, string> {
  return CATALOGUES[locale];
}
