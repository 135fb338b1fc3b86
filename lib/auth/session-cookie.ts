/**
 * Starts a next-auth session from our own sign-in handler: the same encrypted JWT, under
 * the same cookie name and options, that next-auth's credentials callback would set — so
 * getSessionUser, next-auth's sign-out and everything else read it unchanged.
 */
import { encode } from "next-auth/jwt";
import type { Role } from "./permissions";

/** next-auth's cookie name: `__Secure-` on https (NEXTAUTH_URL), as session.ts reads it. */
export function sessionCookieName(): string {
  const secure = process.env.NEXTAUTH_URL?.startsWith("https://") ?? Boolean(process.env.VERCEL);
  return secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** The cookie (name, value, options) of a new session for `user`. */
export async function sessionCookieFor(
  user: { id: number; email: string; name: string; role: Role; sessionVersion: number },
  maxAgeSeconds: number,
): Promise<{ name: string; value: string; options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; maxAge: number } }> {
  const secret = process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set");
  const value = await encode({
    token: { name: user.name, email: user.email, sub: String(user.id), uid: user.id, role: user.role, sv: user.sessionVersion },
    secret,
    maxAge: maxAgeSeconds,
  });
  const name = sessionCookieName();
  return {
    name,
    value,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure: name.startsWith("__Secure-"), maxAge: maxAgeSeconds },
  };
}
