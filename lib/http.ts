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
