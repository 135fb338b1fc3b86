import { cookies, headers } from "next/headers";
import { getSessionUser } from "@/lib/auth/session";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, translator, type Locale } from ".";

/** The request's locale: the signed-in user's choice, else the cookie, else Accept-Language. */
export async function getLocale(): Promise<Locale> {
  const user = await getSessionUser().catch(() => null);
  if (user && isLocale(user.locale)) return user.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage((await headers()).get("accept-language")) ?? DEFAULT_LOCALE;
}

export async function getTranslator() {
  const locale = await getLocale();
  return { locale, t: translator(locale) };
}
