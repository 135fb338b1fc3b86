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
