/**
 * Route handlers' side of the one error mapping (describeError in lib/errors.ts): every
 * failure answers { error: { code, message, fields? } } with its status; the cause of an
 * unexpected one is logged, never sent.
 */
import { type NextRequest, NextResponse } from "next/server";
import { unstable_rethrow } from "next/navigation";
import { getDb } from "@/db/client";
import type { Permission } from "./auth/permissions";
import { apiActorFor } from "./auth/session";
import { AppError, describeError, validationError } from "./errors";
import type { ServiceContext } from "./services/context";
import { crossSiteRefusal } from "./security/csrf";
import { storableProblems } from "./validation/storable";

export function errorResponse(error: unknown): NextResponse {
  const answer = describeError(error, { subject: "request" });
  if (answer.unexpected) console.error("[api] unexpected error:", error);
  return NextResponse.json(
    { error: { code: answer.code, message: answer.message, ...(answer.fields ? { fields: answer.fields } : {}) } },
    { status: answer.status, ...(answer.retryAfter ? { headers: { "Retry-After": String(answer.retryAfter) } } : {}) },
  );
}

/**
 * Wraps a route handler body so that every failure is answered by errorResponse, and
 * refuses first, without a database round trip: cross-site cookie-authenticated writes
 * (lib/security/csrf.ts) and path parameters PostgreSQL cannot store (U+0000, lone
 * surrogates), by name.
 */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    const request = args[0];
    const refusal = request instanceof Request ? crossSiteRefusal(request) : null;
    if (refusal) return errorResponse(new AppError("FORBIDDEN", refusal));
    try {
      // Path parameters reach queries as they are: a NUL in a slug is refused here, by name.
      const params = await (args[1] as { params?: Promise<unknown> } | undefined)?.params;
      const problems = params ? storableProblems(params) : [];
      if (problems.length > 0) throw validationError(problems);
      return await handler(...args);
    } catch (error) {
      unstable_rethrow(error);
      return errorResponse(error);
    }
  };
}

/** What an API handler works with: the request, its awaited path parameters, the caller's service context. */
export type ApiCall<P> = { request: NextRequest; params: P; ctx: ServiceContext };

/**
 * A route of the token-enabled API (docs/api.md): {@link route}'s refusals and error
 * answers, then the caller (session or API token) must hold `permission`.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  permission: Permission,
  handler: (call: ApiCall<P>) => Promise<Response>,
) {
  return guardedRoute(permission, () => ({}), handler);
}

/** An {@link apiRoute} under /api/projects/{slug}: `permission` must reach that project (a token's project scope). */
export function projectRoute<P extends { slug: string } = { slug: string }>(
  permission: Permission,
  handler: (call: ApiCall<P>) => Promise<Response>,
) {
  return guardedRoute(permission, (params: P) => ({ projectSlug: params.slug }), handler);
}

function guardedRoute<P>(
  permission: Permission,
  scope: (params: P) => { projectSlug?: string },
  handler: (call: ApiCall<P>) => Promise<Response>,
) {
  return route(async (request: NextRequest, context: { params: Promise<P> }) => {
    const params = ((await context?.params) ?? {}) as P;
    const actor = await apiActorFor(permission, scope(params));
    return handler({ request, params, ctx: { db: getDb(), actor } });
  });
}

/** A JSON answer that no cache keeps (every API answer that reads live data). */
export function noStoreJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): NextResponse {
  return NextResponse.json(body, { status: init.status, headers: { "Cache-Control": "no-store", ...init.headers } });
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Largest JSON body the annotation API reads (judgments are small; rationales ≤ 10,000 chars). */
export const DEFAULT_JSON_BODY_LIMIT = 64 * 1024;

/**
 * Reads a request body of at most `maxBytes`, streaming, so that an oversize body is
 * refused (413 PAYLOAD_TOO_LARGE, saying the limit) without being buffered whole.
 * Null when there is no body.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Buffer | null> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a JSON request body of at most `maxBytes` (see {@link readBodyBytes}). An empty
 * body reads as `{}`; anything that is not UTF-8 JSON is a VALIDATION error.
 */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_JSON_BODY_LIMIT): Promise<unknown> {
  const bytes = await readBodyBytes(request, maxBytes);
  if (!bytes) return {};
  let text: string;
  try {
    // fatal: invalid UTF-8 is refused, never silently turned into U+FFFD and stored.
    text = utf8.decode(bytes).trim();
  } catch {
    throw new AppError("VALIDATION", "The request body is not valid UTF-8.", { "(root)": ["must be UTF-8 text"] });
  }
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("VALIDATION", "The request body is not valid JSON.", { "(root)": ["must be a JSON object"] });
  }
}

/**
 * Headers of the annotator loop's JSON answers (next task, submit, skip): never cached, and
 * sent as they are rather than gzipped by `next start`, whose compression honours
 * `no-transform`. A lease is a few kilobytes that an annotator's browser needs at once;
 * setting up a gzip stream for it cost more server CPU than any other single step of the
 * loop (scripts/bench/annotate.ts). A reverse proxy in front may still compress; pages
 * and static assets are compressed as before.
 */
export const ANNOTATION_API_HEADERS = { "Cache-Control": "no-store, no-transform" } as const;
