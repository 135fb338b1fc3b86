/**
 * Deterministic serialisation: fixed key order, UTF-8 text kept as is (no \u
 * escapes for non-ASCII), one row per line, "\n" line ends, a final newline.
 */
import { compareCodePoints } from "@/lib/domain/export/prompt";
import type { ExportTask } from "@/lib/domain/export/types";

/**
 * Column order of every row kind: the training columns first, then the metadata.
 * Keys not listed (there should be none) follow in code-point order.
 */
export const COLUMN_ORDER: readonly string[] = [
  "prompt",
  "chosen",
  "rejected",
  "completion",
  "label",
  "responses",
  "models",
  "outcome",
  "margin",
  "id",
  "prompt_id",
  "item_id",
  "character",
  "chosen_model",
  "rejected_model",
  "model",
  "strength",
  "strength_level",
  "n_annotators",
  "agreement",
  "pair_source",
  "language",
];

const COLUMN_RANK = new Map(COLUMN_ORDER.map((k, i) => [k, i]));

function orderValue(value: unknown, path: string): unknown {
  if (value === null || value === undefined) throw new Error(`export row: ${path} is ${String(value)}`);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`export row: ${path} is not a finite number`);
    return value;
  }
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((v, i) => orderValue(v, `${path}[${i}]`));
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    // Chat messages: role before content.
    const nested = keys.sort((a, b) => (a === "role" ? -1 : b === "role" ? 1 : compareCodePoints(a, b)));
    const out: Record<string, unknown> = {};
    for (const k of nested) out[k] = orderValue(obj[k], `${path}.${k}`);
    return out;
  }
  throw new Error(`export row: ${path} has unsupported type ${typeof value}`);
}

/**
 * Serialises one row as a JSON line (without the newline): columns in
 * {@link COLUMN_ORDER}, message objects as `{"role", "content"}`, non-ASCII text
 * written raw. Throws on null/undefined or non-finite numbers anywhere in the row,
 * so a file can never hold a null column.
 */
export function toJsonLine(row: object): string {
  const obj = row as Record<string, unknown>;
  const keys = Object.keys(obj).sort((a, b) => {
    const ra = COLUMN_RANK.get(a) ?? COLUMN_ORDER.length;
    const rb = COLUMN_RANK.get(b) ?? COLUMN_ORDER.length;
    return ra - rb || compareCodePoints(a, b);
  });
  const ordered: Record<string, unknown> = {};
  for (const k of keys) ordered[k] = orderValue(obj[k], k);
  return JSON.stringify(ordered);
}

/** The bytes of a JSONL file: one {@link toJsonLine} per row, each ended by "\n" ("" for no rows). */
export function renderJsonl(rows: readonly object[]): string {
  let out = "";
  for (const row of rows) out += `${toJsonLine(row)}\n`;
  return out;
}

/** Hex sha256 of a string's UTF-8 bytes (one implementation for the whole app). */
export { sha256Hex } from "@/lib/domain/canonical";

/**
 * The stable order of tasks in an export: item external id, then task id, both by
 * code point (PostgreSQL: `ORDER BY external_id COLLATE "C", task_id::text COLLATE "C"`).
 * Rows of one task follow in the fixed order the row builder emits them, so sorting
 * tasks with this comparator gives the row order of every file.
 */
export function compareTasks(
  a: Pick<ExportTask, "taskId" | "item">,
  b: Pick<ExportTask, "taskId" | "item">,
): number {
  return compareCodePoints(a.item.externalId, b.item.externalId) || compareCodePoints(a.taskId, b.taskId);
}
