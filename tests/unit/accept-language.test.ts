import { describe, expect, it } from "vitest";
import { localeFromAcceptLanguage } from "@/lib/i18n";

describe("locale from Accept-Language", () => {
  it.each([
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-Hans-CN", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en-US,en;q=0.9", "en"],
    ["en;q=0.5, zh-CN", "zh-CN"],
    ["fr-FR, de;q=0.9, zh;q=0.4, en;q=0.3", "zh-CN"],
    ["zh;q=0, en", "en"],
    ["fr, de", "en"],
    ["zhx, en-GB", "en"],
    ["", "en"],
    [null, "en"],
  ])("%s → %s", (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});
