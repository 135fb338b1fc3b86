/**
 * Typed errors thrown by services; one mapping turns them into HTTP statuses and
 * action results. Expected outcomes (duplicate submit, paused project, expired lease)
 * are codes, not 500s.
 */
export type ErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  /** Something broke inside; the message is safe to show and carries an id for operators. */
  | "INTERNAL";

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field path → messages, for forms and API clients. */
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

// Factories, to be thrown (`throw notFoundError("The project")`). Named *Error so that they
// never pass for Next.js's notFound() / forbidden(), which throw by themselves.
export const notFoundError = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbiddenError = (message = "You do not have permission to do this.") => new AppError("FORBIDDEN", message);
export const unauthenticatedError = () => new AppError("UNAUTHENTICATED", "Sign in first.");
export const conflictError = (message: string) => new AppError("CONFLICT", message);

/** Field errors of a zod failure, keyed by dotted path ("candidates.1.content"). */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  // A Map, not {}: a field named "__proto__" or "constructor" must not hit Object.prototype.
  const fields = new Map<string, string[]>();
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "(root)";
    const list = fields.get(key);
    if (list) list.push(issue.message);
    else fields.set(key, [issue.message]);
  }
  return Object.fromEntries(fields);
}

/** A VALIDATION error whose message names the first offending field. */
export function validationError(issues: readonly { path: readonly PropertyKey[]; message: string }[]): AppError {
  const fields = fieldErrorsOf(issues);
  const [first] = Object.entries(fields);
  const message = first ? `${first[0]}: ${first[1][0]}` : "Invalid input.";
  return new AppError("VALIDATION", message, fields);
}

const UNAVAILABLE_CODES = new Set([
  // socket level
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // 57P01 admin_shutdown (pg_terminate_backend, fast shutdown), 57P02 crash_shutdown,
  // 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections,
  // class 08: connection exceptions
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|is not queryable|not currently accepting connections/i;

/**
 * Errors that mean "the database is unreachable right now" (answered 503, worth a retry):
 * refused or dropped connections, a server shutting down, restarting or out of
 * connection slots, a connection terminated by an administrator, no free pooled
 * connection in time. drizzle wraps the driver's error (DrizzleQueryError), so the
 * whole `cause` chain is searched.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return true;
  }
  return false;
}

/**
 * PostgreSQL errors caused by the input's text, not by the server: U+0000 in text or a
 * jsonb \u0000 escape (22021, 22P05, 22P02 on jsonb), or nesting beyond the server's
 * stack (54001). Boundaries refuse these by field first; this is the net behind them.
 */
export function isUnstorableInput(error: unknown): boolean {
  const e = postgresErrorOf(error);
  if (!e?.code) return false;
  if (e.code === "22021" || e.code === "22P05" || e.code === "54001") return true;
  return e.code === "22P02" && /unicode|\\u0000/i.test(e.message ?? "");
}

/**
 * The PostgreSQL error behind `error`, if any: the first error with a SQLSTATE `code` in
 * its `cause` chain (drizzle wraps the driver's error in a DrizzleQueryError).
 */
export function postgresErrorOf(error: unknown): { code?: string; constraint?: string; message?: string } | undefined {
  let e = error as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++, e = e.cause as typeof e) {
    if (typeof e.code === "string") return e as { code: string; constraint?: string; message?: string };
  }
  return undefined;
}

/** What a client is told about a failure: the status, the body's code and message, the fields. */
export type ErrorAnswer = {
  status: number;
  code: ErrorCode | "INTERNAL";
  message: string;
  fields?: Record<string, string[]>;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  retryAfter?: number;
  /** Not an expected outcome: the caller logs the error with its cause (never sends it). */
  unexpected: boolean;
};

/**
 * The one mapping from anything thrown to what a client is told, shared by route handlers
 * (lib/http.ts), server actions (lib/actions.ts) and streamed answers: an AppError as its
 * code and status; a database outage 503 (retry shortly); text the database cannot store
 * 400; anything else 500 with a generic message. `subject` words the messages for an API
 * request or a form; `fallback` replaces the generic message of a 500.
 */
export function describeError(error: unknown, options: { subject?: "request" | "form"; fallback?: string } = {}): ErrorAnswer {
  if (error instanceof AppError) {
    return {
      status: HTTP_STATUS[error.code],
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
      unexpected: false,
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: "UNAVAILABLE",
      message: "The database is unavailable. Try again shortly.",
      retryAfter: 5,
      unexpected: false,
    };
  }
  if (isUnstorableInput(error)) {
    // Safety net only: boundaries refuse such text by field before it reaches a query.
    const what = options.subject === "form" ? "The form" : "The request";
    return {
      status: 400,
      code: "VALIDATION",
      message: `${what} contains text the database cannot store (for example U+0000).`,
      unexpected: false,
    };
  }
  return { status: 500, code: "INTERNAL", message: options.fallback ?? "Something went wrong.", unexpected: true };
}
