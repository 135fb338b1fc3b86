/**
 * Pages' side of the error mapping: a service's AppError becomes Next.js's 404 or 403 page
 * (lib/http.ts answers route handlers, lib/actions.ts server actions).
 */
import { forbidden, notFound } from "next/navigation";
import { getDb } from "@/db/client";
import type { Permission } from "./auth/permissions";
import { requirePermission } from "./auth/session";
import { AppError, type ErrorCode } from "./errors";
import { messagesFor } from "./i18n";
import { getTranslator } from "./i18n/server";
import type { ServiceContext } from "./services/context";
import { listProjectChoicesFor } from "./services/project-access";

/** What Next.js gives a page: its path parameters and its query, both awaited. */
export type PageProps<P extends Record<string, string> = Record<string, never>> = {
  params: Promise<P>;
  searchParams: Promise<Record<string, string | undefined>>;
};

/**
 * What every staff page starts with: the signed-in user holding `permission` (else the
 * sign-in page or 403, before anything is read), the service context, and the UI language
 * with its translator and the catalogue client components take.
 */
export async function staffPage(permission: Permission) {
  const actor = await requirePermission(permission);
  const { locale, t } = await getTranslator();
  return { actor, ctx: { db: getDb(), actor }, locale, t, messages: messagesFor(locale) };
}

/**
 * Awaits the data a page renders. An AppError whose code is in `notFound` (default:
 * NOT_FOUND) renders the 404 page, one in `forbidden` (default: none) the 403 page;
 * anything else propagates to the error boundary.
 */
export async function pageData<T>(
  work: Promise<T>,
  codes: { notFound?: readonly ErrorCode[]; forbidden?: readonly ErrorCode[] } = {},
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) {
      if ((codes.notFound ?? ["NOT_FOUND"]).includes(error.code)) notFound();
      if (codes.forbidden?.includes(error.code)) forbidden();
    }
    throw error;
  }
}

/**
 * The query parameters a list filters on, by name. An emptied box in a GET form still
 * sends `?model=`, which means "any": such a parameter is left out, not passed as "".
 */
export function queryFilters<K extends string>(query: Record<string, string | undefined>, names: readonly K[]): Partial<Record<K, string>> {
  return Object.fromEntries(names.flatMap((k) => (query[k] ? [[k, query[k]]] : []))) as Partial<Record<K, string>>;
}

/** A lead page's project picker: the projects the actor may pick, and the one shown (?project=, else the first). */
export async function projectChoice(ctx: ServiceContext, requested: string | undefined) {
  const projects = await listProjectChoicesFor(ctx);
  return { projects, slug: requested || projects[0]?.slug };
}
