/**
 * Who is asking, re-read from the database on every request: a token's role goes stale
 * and a deactivated user must be locked out at their next request, not at expiry.
 */
import { getServerSession } from "next-auth";
import { decode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { forbidden as forbiddenPage, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getSessionUserRow } from "@/db/queries/users";
import { AppError, forbiddenError, unauthenticatedError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { authenticateApiToken } from "@/lib/services/tokens";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";

type SessionShape = { user?: { id?: number; sv?: number } } | null;

/**
 * The signed-in, active user of this request, or null. Cached per request.
 *
 * The session cookie is decrypted once per distinct token and process (see
 * {@link sessionClaims}); the user row is read on every request (one primary-key lookup),
 * so a deactivated user or a bumped session version locks the session out at once.
 */
export const getSessionUser = cache(async (): Promise<Actor | null> => {
  const claims = await sessionClaims();
  const id = claims?.id;
  if (typeof id !== "number") return null;
  const user = await getSessionUserRow(getDb(), id);
  if (!user?.active) return null;
  if ((claims?.sv ?? 0) !== user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
});

type Claims = { id?: number; sv?: number };

/** Decrypted session tokens by their exact text, with their expiry (ms). */
const decoded = new Map<string, { claims: Claims; expiresAt: number }>();
const DECODED_MAX = 10_000;
/** jose's clock tolerance in next-auth's decode. */
const CLOCK_TOLERANCE_MS = 15_000;

/**
 * The user id and session version of this request's session token.
 *
 * What getServerSession(authOptions) answered, without its cost: called this way (no
 * request/response pair) next-auth runs its whole session endpoint — derive the key,
 * decrypt, run the callbacks, re-encrypt a refreshed token — and then throws the new
 * cookie away, on every request. Here the token is decrypted with next-auth's own `decode`
 * and the claims are kept per exact token text until the token expires: the same text can
 * only decrypt to the same claims, so the cache cannot be fooled, and a token that no
 * longer decrypts or has expired gives no user. Chunked cookies (tokens over 4 KB) and a
 * missing secret take the original path.
 */
async function sessionClaims(): Promise<Claims | null> {
  const secret = authOptions.secret ?? process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  const jar = await cookies();
  const secure = process.env.NEXTAUTH_URL?.startsWith("https://") ?? Boolean(process.env.VERCEL);
  const name = secure ? "__Secure-next-auth.session-token" : "next-auth.session-token";
  const token = jar.get(name)?.value;
  if (!secret || (!token && jar.has(`${name}.0`))) {
    const session = (await getServerSession(authOptions)) as SessionShape;
    return session?.user ? { id: session.user.id, sv: session.user.sv } : null;
  }
  if (!token) return null;
  const now = Date.now();
  const hit = decoded.get(token);
  if (hit) return hit.expiresAt + CLOCK_TOLERANCE_MS > now ? hit.claims : null;
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret });
  } catch {
    return null;
  }
  if (!payload) return null;
  const claims: Claims = {
    id: typeof payload.uid === "number" ? payload.uid : undefined,
    sv: typeof payload.sv === "number" ? payload.sv : undefined,
  };
  const expiresAt = typeof payload.exp === "number" ? payload.exp * 1000 : now;
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(token, { claims, expiresAt });
  return claims;
}

/** For pages: the user, or a redirect to sign-in. */
export async function requireUser(): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  return user;
}

/** For pages: the user if allowed, otherwise a 403 page (never a redirect loop, never data). */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const user = await requireUser();
  if (!can(user.role, permission)) forbiddenPage();
  return user;
}

/**
 * For route handlers and actions: the signed-in user, or an AppError (401 / 403).
 * Cookie only: server actions must never accept API tokens (see {@link apiActorFor}).
 */
export async function actorFor(permission?: Permission): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw unauthenticatedError();
  if (permission && !can(user.role, permission)) throw forbiddenError();
  return user;
}

export { AppError };

/**
 * For the route handlers of the token-enabled API (import, export, statistics,
 * annotation): an `Authorization: Bearer arb_…` header when present, else the session
 * cookie. With a header, the cookie is never consulted — a bad, revoked or expired token
 * is a 401 and a token without the scope (or for another project) a 403, so a script
 * never silently runs as whoever is signed in in the same browser.
 */
export async function apiActorFor(
  permission: Permission,
  options: { projectSlug?: string | (() => Promise<string | undefined>) } = {},
): Promise<Actor> {
  const authorization = (await headers()).get("authorization");
  if (authorization === null) return actorFor(permission);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AppError("UNAUTHENTICATED", 'Use an Authorization header of the form "Bearer <token>".');
  // The project matters only to a token (its project scope): a route that must read it to
  // know it passes a function, which a cookie request never calls.
  const projectSlug = typeof options.projectSlug === "function" ? await options.projectSlug() : options.projectSlug;
  return authenticateApiToken(getDb(), { token: match[1]!, permission, projectSlug });
}
