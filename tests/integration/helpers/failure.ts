import { expect } from "vitest";
import { AppError } from "@/lib/errors";

/** The AppError a call fails with; any other error is rethrown, and success fails the test. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** The AppError a synchronous call throws; any other error is rethrown, and success fails the test. */
export function thrownBy(call: () => unknown): AppError {
  try {
    call();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the call to throw");
}

/** The AppError a call (or a thunk's call) fails with, or null when it succeeds; any other error is rethrown. */
async function appErrorOf(p: Promise<unknown> | (() => Promise<unknown>)): Promise<AppError | null> {
  try {
    await (typeof p === "function" ? p() : p);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

/** "OK" when the call succeeds, else the code of the AppError it fails with. */
export async function codeOf(p: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  return (await appErrorOf(p))?.code ?? "OK";
}

/** "OK" when the call succeeds, else "CODE: message" of the AppError it fails with. */
export async function codeAndMessageOf(p: Promise<unknown>): Promise<string> {
  const error = await appErrorOf(p);
  return error ? `${error.code}: ${error.message}` : "OK";
}

/** Expects the call to fail with an AppError of this code, and returns that error. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** The PostgreSQL error (code, constraint, message) a write fails with; success fails the test. */
export async function pgError(write: () => Promise<unknown>): Promise<{ code?: string; constraint?: string; message: string }> {
  try {
    await write();
  } catch (error) {
    // drizzle wraps the driver's error in `cause`; a pool query throws it bare.
    const e = error as {
      code?: string;
      constraint?: string;
      message: string;
      cause?: { code?: string; constraint?: string; message: string };
    };
    const cause = e.cause ?? e;
    return { code: cause.code, constraint: cause.constraint, message: cause.message };
  }
  throw new Error("expected the database to refuse this write");
}
