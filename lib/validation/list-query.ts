/**
 * Fields shared by the list inputs (queues, browsers, tables), whose values may arrive as
 * URL query strings: paging, and yes/no flags.
 */
import { z } from "zod";

/** A 1-based page number (default 1). */
export const pageNumber = (max = 1_000_000) => z.coerce.number().int().min(1).max(max).default(1);

/** Rows per page, at most 200. */
export const pageSize = (fallback: number) => z.coerce.number().int().min(1).max(200).default(fallback);

/** A yes/no flag: a boolean, or "true" / "false" / "1" / "0" from a query string. */
export const queryFlag = (fallback: boolean) =>
  z
    .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
    .transform((v) => v === true || v === "true" || v === "1")
    .default(fallback);
