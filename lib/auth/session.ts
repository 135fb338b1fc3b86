/**
 * Who is asking, re-read from the database on every request: a token's role goes stale
 * and a deactivated user must be locked out at their next request, not at expiry.
 */
import { getServerSession } from "next-auth";
import { forbidden as forbiddenPage, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import { AppError, forbidden, unauthenticated } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { authOptions } from "./options";
import { can, type Permission } from "./permissions";

type SessionShape = { user?: { id?: number; sv?: number } } | null;

/** The signed-in, active user of this request, or null. Cached per request. */
export const getSessionUser = cache(async (): Promise<Actor | null> => {
  const session = (await getServerSession(authOptions)) as SessionShape;
  const id = session?.user?.id;
  if (typeof id !== "number") return null;
  const user = await getUserById(getDb(), id);
  if (!user || !user.active) return null;
  if ((session?.user?.sv ?? 0) !== user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
});

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

/** For route handlers and actions: the user, or an AppError (401 / 403). */
export async function actorFor(permission?: Permission): Promise<Actor> {
  const user = await getSessionUser();
  if (!user) throw unauthenticated();
  if (permission && !can(user.role, permission)) throw forbidden();
  return user;
}

export { AppError };
