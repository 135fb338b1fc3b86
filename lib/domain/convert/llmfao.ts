/**
 * LLMFAO crowd comparisons (dustalov/llmfao `crowd-comparisons.csv`; see
 * `shared/data/llmfao_crowd/README.md`) → raw-judgment lines.
 *
 * The CSV has the header `id,prompt,model_x,model_y,worker,winner,left,right`: one row per
 * crowd judgment of pair `id` (the responses of models `model_x` and `model_y` to prompt
 * `prompt`), `winner` ∈ left / right / tie, `left` / `right` the names of model_x / model_y
 * (the README checked that `left` is always model_x's name).
 *
 * Mapping (one line per row):
 * - task id `<prefix><id>` (the pair), item id `<prefix>prompt-<prompt>` (the prompt, so
 *   the leaderboard bootstrap resamples prompts); candidates `<prefix><id>/x`, `/y` in
 *   canonical order (model_x = A);
 * - annotator `<prefix>worker-<worker>`;
 * - 3-point scale: left → −1 (A better), tie → 0, right → +1;
 * - models: the `left` / `right` names (else `model-<id>`);
 * - display order `[0, 1]`: model_x was shown on the left;
 * - `candidate_lengths` when the pairs file (`pairs-crowd.jsonl`) gives the two responses;
 * - state `valid`; no gold, no times.
 */
import type { FieldIssue } from "@/lib/validation/import";
import type { RawJudgmentInput } from "@/lib/validation/raw-judgment";
import { textLength } from "./common";

/** Columns the converter needs. `left` / `right` (model names) are optional. */
export const LLMFAO_REQUIRED_COLUMNS = ["id", "prompt", "model_x", "model_y", "worker", "winner"] as const;

type Column = (typeof LLMFAO_REQUIRED_COLUMNS)[number] | "left" | "right";

/** Column positions of a header row. */
export type LlmfaoColumns = Readonly<Partial<Record<Column, number>>> & Readonly<Record<(typeof LLMFAO_REQUIRED_COLUMNS)[number], number>>;

/** The canonical strength (3-point scale) of a winner: left (model_x) → −1, tie → 0, right → +1. */
export function llmfaoStrength(winner: "left" | "right" | "tie"): -1 | 0 | 1 {
  return winner === "left" ? -1 : winner === "right" ? 1 : 0;
}

/**
 * Splits one CSV record (RFC 4180: comma-separated, fields optionally in double quotes
 * with `""` for a quote). Returns null when a quoted field is not closed on the line
 * (records spanning lines are not supported).
 */
export function parseCsvLine(line: string): string[] | null {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) return null;
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += ch;
        i++;
      }
      // Anything between the closing quote and the comma is kept, as most readers do.
      const comma = text.indexOf(",", i);
      value += comma < 0 ? text.slice(i) : text.slice(i, comma);
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = text.indexOf(",", i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return fields;
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** Finds the needed columns in the header row. */
export function llmfaoHeader(fields: readonly string[]): { ok: true; columns: LlmfaoColumns } | { ok: false; issues: FieldIssue[] } {
  const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, "") : f).trim());
  const columns: Partial<Record<Column, number>> = {};
  for (const name of [...LLMFAO_REQUIRED_COLUMNS, "left", "right"] as Column[]) {
    const at = names.indexOf(name);
    if (at >= 0) columns[name] = at;
  }
  const missing = LLMFAO_REQUIRED_COLUMNS.filter((c) => columns[c] === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      issues: missing.map((c) => ({ field: c, message: `column is missing from the header (found: ${names.join(", ")})` })),
    };
  }
  return { ok: true, columns: columns as LlmfaoColumns };
}

/** Reply lengths of a pair, from one `pairs-crowd.jsonl` record. */
export function llmfaoPairLengths(
  record: unknown,
): { ok: true; id: string; lengths: [number, number] } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return { ok: false, issues: [{ field: "(line)", message: "must be a JSON object" }] };
  }
  const r = record as Record<string, unknown>;
  const id = r.id;
  if (!(typeof id === "number" && Number.isInteger(id)) && !(typeof id === "string" && id.trim() !== "")) {
    issues.push({ field: "id", message: id === undefined ? "is required" : "must be an integer or a non-empty string" });
  }
  for (const key of ["result_x", "result_y"]) {
    if (typeof r[key] !== "string") issues.push({ field: key, message: r[key] === undefined ? "is required" : "must be a string" });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, id: String(id).trim(), lengths: [textLength(r.result_x as string), textLength(r.result_y as string)] };
}

/** Options of {@link llmfaoRowToRaw}. */
export interface LlmfaoOptions {
  /** Prefix of task, item, candidate and annotator ids (default "llmfao-"). */
  readonly prefix?: string;
  /** Reply lengths per pair id (from `pairs-crowd.jsonl`). */
  readonly lengths?: ReadonlyMap<string, readonly [number, number]>;
}

/** Maps one CSV row (already split) to a raw-judgment line. */
export function llmfaoRowToRaw(
  fields: readonly string[],
  columns: LlmfaoColumns,
  options: LlmfaoOptions = {},
): { ok: true; line: RawJudgmentInput } | { ok: false; issues: FieldIssue[] } {
  const prefix = options.prefix ?? "llmfao-";
  const issues: FieldIssue[] = [];
  const width = Math.max(...Object.values(columns)) + 1;
  if (fields.length < width) {
    return { ok: false, issues: [{ field: "(line)", message: `has ${fields.length} fields, the header needs at least ${width}` }] };
  }
  const get = (c: Column) => (columns[c] === undefined ? undefined : fields[columns[c]!]!.trim());
  for (const c of ["id", "prompt", "model_x", "model_y", "worker"] as const) {
    if (get(c) === "") issues.push({ field: c, message: "must not be empty" });
  }
  const winner = get("winner")!;
  if (winner !== "left" && winner !== "right" && winner !== "tie") {
    issues.push({ field: "winner", message: `must be left, right or tie (got ${JSON.stringify(winner)})` });
  }
  if (get("model_x") !== "" && get("model_x") === get("model_y")) {
    issues.push({ field: "model_y", message: `is the same model as model_x (${get("model_x")})` });
  }
  if (issues.length > 0) return { ok: false, issues };
  const id = get("id")!;
  const task = `${prefix}${id}`;
  const nameX = get("left") || `model-${get("model_x")}`;
  const nameY = get("right") || `model-${get("model_y")}`;
  const worker = get("worker")!;
  const lengths = options.lengths?.get(id);
  const line: RawJudgmentInput = {
    judgment_id: `${task}/worker-${worker}`,
    task_id: task,
    item_id: `${prefix}prompt-${get("prompt")}`,
    annotator: `${prefix}worker-${worker}`,
    kind: "pairwise",
    scale_points: 3,
    candidates: [`${task}/x`, `${task}/y`],
    models: [nameX, nameY],
    strength: llmfaoStrength(winner as "left" | "right" | "tie"),
    both_unacceptable: false,
    display_order: [0, 1],
    ...(lengths ? { candidate_lengths: [lengths[0], lengths[1]] } : {}),
    state: "valid",
  };
  return { ok: true, line };
}
