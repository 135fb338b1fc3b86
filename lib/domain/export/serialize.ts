/**
 * Deterministic serialisation: fixed key order, UTF-8 text kept as is (no \u
 * escapes for non-ASCII), one row per line, "\n" line ends, a final newline.
 */
import { JsonText } from "@/lib/domain/export/json-text";
import { compareCodePoints } from "@/lib/domain/export/prompt";
import type { ExportTask } from "@/lib/domain/export/types";

/**
 * Column order of every row kind: the training columns first, then the metadata.
 * Keys not listed (there should be none) follow in code-point order.
 */
export const COLUMN_ORDER: readonly string[] = [
  "messages",
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
  if (value instanceof JsonText) return value.text;
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
 * so a file can never hold a null column. A {@link JsonText} is written as its text.
 *
 * Rows are written by concatenating the JSON of their values in the cached column order
 * of their shape, which gives exactly the bytes of {@link referenceJsonLine} (the plain
 * definition: an ordered copy through `JSON.stringify`) for the values rows are made of —
 * strings, finite numbers, booleans, arrays of them, `{role, content}` messages and
 * JsonText. Any other value, an error, or a key JSON.stringify would move (an array
 * index, `__proto__`) sends the row to the reference path, which decides.
 */
export function toJsonLine(row: object): string {
  return lineText(jsonLinePieces(row));
}

/** A line given as text or as pieces (see {@link jsonLinePieces}) as one string: the pieces' bytes decoded. */
export function lineText(line: string | readonly (string | Uint8Array)[]): string {
  if (typeof line === "string") return line;
  if (line.length === 1 && typeof line[0] === "string") return line[0];
  let out = "";
  for (const piece of line) out += typeof piece === "string" ? piece : new JsonText(piece).literal();
  return out;
}

/**
 * One row's line as pieces to write one after another: strings (to be encoded as UTF-8)
 * and byte runs (the JSON of a {@link JsonText}, to be copied as they are). Their
 * concatenation is {@link toJsonLine}'s line, byte for byte; a row without JsonText
 * values is one string. The array is the caller's.
 */
export function jsonLinePieces(row: object): (string | Uint8Array)[] {
  const obj = row as Record<string, unknown>;
  const shape = shapeOf(Object.keys(obj));
  if (shape !== null) {
    pieces = [];
    text = "{";
    for (let i = 0; i < shape.keys.length; i++) {
      text += shape.prefixes[i]!;
      if (!putValue(obj[shape.keys[i]!])) return [referenceJsonLine(row)];
    }
    text += "}";
    if (pieces.length === 0) return [text];
    pieces.push(text);
    return pieces;
  }
  return [referenceJsonLine(row)];
}

/** The plain definition of {@link toJsonLine}: keys ordered, values checked and copied, then `JSON.stringify`. */
export function referenceJsonLine(row: object): string {
  const obj = row as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareColumns);
  const ordered: Record<string, unknown> = {};
  for (const k of keys) ordered[k] = orderValue(obj[k], k);
  return JSON.stringify(ordered);
}

function compareColumns(a: string, b: string): number {
  const ra = COLUMN_RANK.get(a) ?? COLUMN_ORDER.length;
  const rb = COLUMN_RANK.get(b) ?? COLUMN_ORDER.length;
  return ra - rb || compareCodePoints(a, b);
}

/** A row shape: its keys in output order, each with the text that precedes its value (`{` or `,`, then `"key":`). */
interface RowShape {
  readonly source: readonly string[];
  readonly keys: readonly string[];
  readonly prefixes: readonly string[];
}

/** The last few shapes seen (an export writes one or two: its rows and its ties). */
const SHAPES: RowShape[] = [];
const MAX_SHAPES = 8;

/** JSON.stringify writes array-index keys first, in numeric order, whatever the insertion order. */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

function shapeOf(keys: readonly string[]): RowShape | null {
  for (const shape of SHAPES) {
    const source = shape.source;
    if (source.length !== keys.length) continue;
    let same = true;
    for (let i = 0; i < keys.length; i++) {
      if (source[i] !== keys[i]) {
        same = false;
        break;
      }
    }
    if (same) return shape.keys.length === 0 && keys.length > 0 ? null : shape;
  }
  const unusual = keys.some((k) => k === "__proto__" || (ARRAY_INDEX.test(k) && Number(k) < 4294967295));
  const ordered = unusual ? [] : [...keys].sort(compareColumns);
  // An unusual shape is remembered with no keys, which sends its rows to the reference path.
  const shape: RowShape = { source: [...keys], keys: ordered, prefixes: ordered.map((k) => `,${JSON.stringify(k)}:`) };
  if (ordered.length > 0) (shape.prefixes as string[])[0] = `${JSON.stringify(ordered[0])}:`;
  if (SHAPES.length >= MAX_SHAPES) SHAPES.pop();
  SHAPES.unshift(shape);
  return unusual ? null : shape;
}

/** The line being written by {@link jsonLinePieces}: the pieces so far, and the text after the last byte run. */
let pieces: (string | Uint8Array)[] = [];
let text = "";

/**
 * Appends the JSON of a row value as `JSON.stringify(orderValue(value))` would write it
 * (a JsonText's bytes as a piece of their own); false, with the line left unfinished,
 * for anything outside the fast path (null, undefined, a non-finite number, an object
 * that is not exactly a `{role, content}` message, …).
 */
function putValue(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      text += JSON.stringify(value);
      return true;
    case "number":
      if (!Number.isFinite(value)) return false;
      text += JSON.stringify(value);
      return true;
    case "boolean":
      text += value ? "true" : "false";
      return true;
    case "object": {
      if (value === null) return false;
      if (value instanceof JsonText) {
        pieces.push(text, value.json);
        text = "";
        return true;
      }
      if (Array.isArray(value)) {
        text += "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) text += ",";
          if (!putValue(value[i])) return false;
        }
        text += "]";
        return true;
      }
      const message = value as { role?: unknown; content?: unknown };
      if (typeof message.role !== "string" || (typeof message.content !== "string" && !(message.content instanceof JsonText))) return false;
      const keys = Object.keys(message);
      if (keys.length !== 2 || (keys[0] !== "role" && keys[0] !== "content") || (keys[1] !== "role" && keys[1] !== "content")) {
        return false;
      }
      text += `{"role":${JSON.stringify(message.role)},"content":`;
      if (!putValue(message.content)) return false;
      text += "}";
      return true;
    }
    default:
      return false;
  }
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
export function compareTasks(a: Pick<ExportTask, "taskId" | "item">, b: Pick<ExportTask, "taskId" | "item">): number {
  return compareCodePoints(a.item.externalId, b.item.externalId) || compareCodePoints(a.taskId, b.taskId);
}
