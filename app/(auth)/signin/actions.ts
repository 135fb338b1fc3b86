"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { authOptions } from "@/lib/auth/options";
import { safeCallback } from "@/lib/auth/redirect";
import { sessionCookieFor } from "@/lib/auth/session-cookie";
import { clientAddress, verifyCredentials } from "@/lib/auth/sign-in";

export type SignInState = { error?: "invalid" | "throttled"; email?: string };

/**
 * Email + password sign-in as a server action: the form posts (method="post") with or
 * without client script, so the password never travels in a URL, a history entry or a
 * log line. On success the session cookie is set and the browser goes to the callback
 * (same-origin only); on failure the form comes back with the usual message and the email.
 */
export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  const result = await verifyCredentials(
    getDb(),
    { email, password: String(form.get("password") ?? "") },
    { address: clientAddress(await headers()) },
  );
  if (!result.ok) return { error: result.reason, email: email.slice(0, 320) };
  const cookie = await sessionCookieFor(result.user, authOptions.session?.maxAge ?? 12 * 60 * 60);
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
  redirect(safeCallback(String(form.get("callbackUrl") ?? "/"), process.env.NEXTAUTH_URL));
}
