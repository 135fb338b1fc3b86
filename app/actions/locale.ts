"use server";

import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { getSessionUser } from "@/lib/auth/session";
import { LOCALE_COOKIE } from "@/lib/i18n";
import { setOwnLocale } from "@/lib/services/users";
import { SetLocaleInput } from "@/lib/validation/users";
import { parseInput } from "@/lib/validation/parse";

/** Sets the UI language: on the user when signed in, and in a cookie either way. */
export async function setLocaleAction(locale: unknown) {
  return runAction(async () => {
    const input = parseInput(SetLocaleInput, { locale });
    const user = await getSessionUser();
    if (user) await setOwnLocale({ db: getDb(), actor: user }, input);
    (await cookies()).set(LOCALE_COOKIE, input.locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });
    return input.locale;
  });
}
