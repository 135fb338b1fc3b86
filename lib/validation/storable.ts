/**
 * What PostgreSQL can store exactly, checked once for every boundary input before zod:
 *
 * - U+0000 is refused by `text` ("invalid byte sequence") and by `jsonb` ("unsupported
 *   Unicode escape sequence"): without this check a NUL anywhere — a rationale, a slug in
 *   a path, an audit detail — surfaces as a 500 from the database, after earlier writes
 *   of the same request may have run.
 * - An unpaired UTF-16 surrogate is turned into U+FFFD by the driver's UTF-8 encoding
 *   (text) or refused (jsonb escapes): either way it would not be stored as given.
 * - Nesting deeper than {@link MAX_INPUT_DEPTH} is refused before any recursive code
 *   (zod, JSON.stringify, the jsonb encoder) can run out of stack on it.
 *
 * Every other code point (other control characters, RTL marks, emoji, CJK) is storable
 * and kept exactly. The walk is iterative and stops at the first few problems, so its
 * cost is one pass over the input's strings: microseconds for an annotation body.
 */
import { textProblem } from "./import";

export { textProblem };

/** Deepest nesting any boundary accepts (the top-level value is depth 0). */
export const MAX_INPUT_DEPTH = 32;
const MAX_REPORTED = 10;

export type StorableIssue = { path: (string | number)[]; message: string };

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Problems that would stop `value` from being stored exactly, each with its path (empty when none). */
export function storableProblems(value: unknown, maxDepth = MAX_INPUT_DEPTH): StorableIssue[] {
  const issues: StorableIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && issues.length < MAX_REPORTED) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      const p = textProblem(v);
      if (p) issues.push({ path, message: p });
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    // Dates, FormData, Files…: not JSON; zod judges them.
    const isArray = Array.isArray(v);
    if (!isArray && !isPlainObject(v)) continue;
    if (path.length >= maxDepth) {
      issues.push({ path, message: `is nested deeper than ${maxDepth} levels` });
      continue;
    }
    if (isArray) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const p = textProblem(k);
      if (p) issues.push({ path: [...path, k], message: `key ${p}` });
      else stack.push({ value: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  return issues;
}
