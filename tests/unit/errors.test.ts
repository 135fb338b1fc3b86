import { describe, expect, it } from "vitest";
import {
  AppError,
  conflictError,
  describeError,
  HTTP_STATUS,
  isDatabaseUnavailable,
  isUnstorableInput,
  notFoundError,
  postgresErrorOf,
  validationError,
} from "@/lib/errors";

/** Builds an error like the driver's: a message and a SQLSTATE or socket code. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
/** drizzle wraps the driver's error: the code is on `cause`, the message names the query. */
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: select 1\nparams: "), { cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["terminated by pg_terminate_backend", pgError("terminating connection due to administrator command", "57P01")],
    ["server starting up", pgError("the database system is starting up", "57P03")],
    ["out of connection slots", pgError("sorry, too many clients already", "53300")],
    ["connection refused", pgError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["socket reset", pgError("read ECONNRESET", "ECONNRESET")],
    ["connection closed mid-query", pgError("Connection terminated unexpectedly")],
    ["no pooled connection in time", pgError("timeout exceeded when trying to connect")],
    ["a dead client reused", pgError("Client has encountered a connection error and is not queryable")],
    ["database closed to connections", pgError('database "x" is not currently accepting connections', "55000")],
  ])("%s → unavailable, bare or wrapped by drizzle", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(true);
  });

  it.each([
    ["a unique violation", pgError("duplicate key value violates unique constraint", "23505")],
    ["a deadlock", pgError("deadlock detected", "40P01")],
    ["a statement timeout", pgError("canceling statement due to statement timeout", "57014")],
    ["a lock not available", pgError("could not obtain lock", "55P03")],
    ["a plain error", new Error("boom")],
    ["not an error", "Connection terminated"],
    ["nothing", null],
  ])("%s → not unavailable", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(false);
  });
});

describe("postgresErrorOf and isUnstorableInput", () => {
  const unique = Object.assign(pgError("duplicate key value violates unique constraint", "23505"), {
    constraint: "judgments_live_per_assignment_key",
  });

  it("finds the driver's error bare, wrapped once or twice, and nothing where no SQLSTATE is", () => {
    expect(postgresErrorOf(unique)).toBe(unique);
    expect(postgresErrorOf(wrapped(unique))).toBe(unique);
    expect(postgresErrorOf(wrapped(wrapped(unique)))?.constraint).toBe("judgments_live_per_assignment_key");
    expect(postgresErrorOf(new Error("boom"))).toBeUndefined();
    expect(postgresErrorOf(wrapped(new Error("boom")))).toBeUndefined();
    expect(postgresErrorOf(null)).toBeUndefined();
    expect(postgresErrorOf("23505")).toBeUndefined();
  });

  it("calls text the database cannot store unstorable, wrapped or not, and nothing else", () => {
    const nul = pgError('invalid byte sequence for encoding "UTF8": 0x00', "22021");
    const jsonbNul = pgError("unsupported Unicode escape sequence", "22P05");
    const deep = pgError("stack depth limit exceeded", "54001");
    const jsonbEscape = pgError("invalid input syntax for type json: \\u0000 cannot be converted to text", "22P02");
    for (const e of [nul, jsonbNul, deep, jsonbEscape]) {
      expect(isUnstorableInput(e)).toBe(true);
      expect(isUnstorableInput(wrapped(e))).toBe(true);
    }
    expect(isUnstorableInput(pgError('invalid input syntax for type bigint: "x"', "22P02"))).toBe(false);
    expect(isUnstorableInput(wrapped(unique))).toBe(false);
    expect(isUnstorableInput(new Error("boom"))).toBe(false);
  });
});

describe("describeError: the one mapping for routes, actions and streamed answers", () => {
  it("answers an AppError with its code's status, message and fields", () => {
    const e = validationError([{ path: ["policy", "minAgreement"], message: "must be at most 1" }]);
    expect(describeError(e)).toEqual({
      status: 400,
      code: "VALIDATION",
      message: "policy.minAgreement: must be at most 1",
      fields: { "policy.minAgreement": ["must be at most 1"] },
      unexpected: false,
    });
    expect(describeError(notFoundError("The project"))).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      message: "The project was not found.",
    });
    expect(describeError(conflictError("no"))).not.toHaveProperty("fields");
    for (const code of Object.keys(HTTP_STATUS) as (keyof typeof HTTP_STATUS)[]) {
      expect(describeError(new AppError(code, "x")).status).toBe(HTTP_STATUS[code]);
    }
  });

  it("answers a database outage 503 with a retry hint, and unstorable text 400 worded for its subject", () => {
    expect(describeError(wrapped(pgError("terminating connection", "57P01")))).toMatchObject({
      status: 503,
      code: "UNAVAILABLE",
      retryAfter: 5,
      unexpected: false,
    });
    const nul = wrapped(pgError('invalid byte sequence for encoding "UTF8": 0x00', "22021"));
    expect(describeError(nul)).toMatchObject({ status: 400, code: "VALIDATION", message: expect.stringMatching(/^The request/) });
    expect(describeError(nul, { subject: "form" }).message).toMatch(/^The form/);
  });

  it("answers anything else 500 with a generic message, never the cause", () => {
    const answer = describeError(new Error("password=hunter2 at db.internal"));
    expect(answer).toEqual({ status: 500, code: "INTERNAL", message: "Something went wrong.", unexpected: true });
    expect(describeError(new Error("x"), { fallback: "The export failed." }).message).toBe("The export failed.");
  });
});
