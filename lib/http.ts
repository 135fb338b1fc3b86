/**
 * One mapping from errors to HTTP answers for every route handler:
 * AppError → its status with { error: { code, message, fields? } }; a database outage →
 * 503; anything else → 500 with a generic message (the cause is logged, never sent).
 */
import { NextResponse } from "next/server";
import { unstable_rethrow } from "next/navigation";
import { AppError, HTTP_STATUS, isDatabaseUnavailable } from "./errors";

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } },
      { status: HTTP_STATUS[error.code] },
    );
  }
  if (isDatabaseUnavailable(error)) {
    return NextResponse.json(
      { error: { code: "UNAVAILABLE", message: "The database is unavailable. Try again shortly." } },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
  console.error("[api] unexpected error:", error);
  return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong." } }, { status: 500 });
}

/** Wraps a route handler body so that every failure is answered by errorResponse. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      unstable_rethrow(error);
      return errorResponse(error);
    }
  };
}

/** Largest JSON body the annotation API reads (judgments are small; rationales ≤ 10,000 chars). */
export const DEFAULT_JSON_BODY_LIMIT = 64 * 1024;

/**
 * Reads a JSON request body of at most `maxBytes`, streaming, so that an oversize body is
 * refused (413) without being buffered whole. An empty body reads as `{}`; anything that
 * is not JSON is a VALIDATION error.
 */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_JSON_BODY_LIMIT): Promise<unknown> {
  const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return {};
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
  const text = Buffer.concat(chunks).toString("utf8").trim();
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
