/**
 * Pages' side of the error mapping: a service's AppError becomes Next.js's 404 or 403 page
 * (lib/http.ts answers route handlers, lib/actions.ts server actions).
 */
import { forbidden, notFound } from "next/navigation";
import { AppError, type ErrorCode } from "./errors";

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
