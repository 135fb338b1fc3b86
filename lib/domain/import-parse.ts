/**
 * Streaming parsing and validation of import files (JSONL, and CSV for the simple
 * one-prompt-two-replies case). Pure: the caller supplies the bytes or text as an
 * `AsyncIterable` (a `fs.createReadStream`, a request body, an array in tests); nothing
 * here touches the file system or the database.
 *
 * Memory stays bounded by the longest line: the input is split line by line as it
 * arrives and is never held whole. A line longer than the cap is not buffered; it is
 * counted and reported as oversize.
 */
import { isUtf8 } from "node:buffer";
import { canonicalJson, sha256Hex } from "@/lib/domain/canonical";
import { IMPORT_LIMITS, characterName, validateImportLine, type FieldIssue, type ImportLine } from "@/lib/validation/import";

/** A chunk of input: text, or raw UTF-8 bytes (e.g. a `Buffer` from a read stream). */
export type ImportChunk = string | Uint8Array;

/** One problem in an import file. `line` is 1-based (0 for problems with the whole file). */
export interface ImportProblem {
  line: number;
  field: string;
  message: string;
}

const n = (x: number) => x.toLocaleString("en-US");

// ---------------------------------------------------------------------------
// Line splitting

/** One physical line of the input. */
export interface SourceLine {
  /** 1-based line number. */
  line: number;
  /** The text without its terminator (`\n` or `\r\n`) and, on line 1, without a UTF-8 BOM; null if unusable. */
  text: string | null;
  /** Size of the line in UTF-8 bytes, terminator excluded. */
  bytes: number;
  /** Why `text` is null. */
  problem?: "oversize" | "invalid_utf8";
  /** Bytes of input consumed so far, through this line's terminator (for progress bars). */
  offset: number;
}

const encoder = new TextEncoder();
const NEWLINE = 0x0a;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/**
 * Splits a stream of chunks into lines, whatever the chunk boundaries (a chunk may hold
 * many lines or part of one; a multi-byte character may be split across byte chunks).
 * Handles `\n` and `\r\n`, strips a UTF-8 BOM at the start, and never buffers more than
 * `maxLineBytes` (+1) of a line: longer lines come out with `problem: "oversize"`.
 * Byte input is decoded per line, so invalid UTF-8 is attributed to its line. Blank
 * lines are yielded (as `""`); callers decide to skip them.
 */
export async function* splitLines(
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<SourceLine> {
  const max = opts.maxLineBytes ?? IMPORT_LIMITS.maxLineBytes;
  let parts: ImportChunk[] = [];
  let pendingBytes = 0; // bytes of the current line so far (terminator excluded)
  let oversize = false;
  let endsWithCR = false; // the last character pushed was a CR
  let lineNo = 0;
  let offset = 0;

  const push = (part: ImportChunk, bytes: number) => {
    pendingBytes += bytes;
    endsWithCR = typeof part === "string" ? part.endsWith("\r") : part[part.length - 1] === 0x0d;
    if (oversize) return;
    // +1: a trailing CR may still be stripped
    if (pendingBytes > max + 1) {
      oversize = true;
      parts = [];
      return;
    }
    parts.push(part);
  };

  const finish = (terminatorBytes: number): SourceLine => {
    lineNo += 1;
    offset += pendingBytes + terminatorBytes;
    const line = lineNo;
    const taken = parts;
    let bytes = pendingBytes;
    parts = [];
    pendingBytes = 0;
    const hadCR = endsWithCR;
    endsWithCR = false;
    if (oversize) {
      oversize = false;
      return { line, text: null, bytes: hadCR ? bytes - 1 : bytes, problem: "oversize", offset };
    }
    let text: string;
    if (taken.every((p) => typeof p === "string")) {
      text = (taken as string[]).join("");
    } else {
      const only = taken.length === 1 ? taken[0] : undefined;
      const joined =
        only instanceof Uint8Array
          ? Buffer.from(only.buffer, only.byteOffset, only.byteLength)
          : Buffer.concat(taken.map((p) => (typeof p === "string" ? encoder.encode(p) : p)));
      if (!isUtf8(joined)) return { line, text: null, bytes, problem: "invalid_utf8", offset };
      text = joined.toString("utf8"); // keeps a BOM (U+FEFF) as a character
    }
    if (text.endsWith("\r")) {
      text = text.slice(0, -1);
      bytes -= 1;
    }
    if (line === 1 && text.startsWith("\uFEFF")) {
      text = text.slice(1);
      bytes -= 3;
    }
    if (bytes > max) return { line, text: null, bytes, problem: "oversize", offset };
    return { line, text, bytes, offset };
  };

  for await (const chunk of source) {
    if (typeof chunk === "string") {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf("\n", pos);
        if (nl < 0) {
          if (pos < chunk.length) {
            const rest = chunk.slice(pos);
            push(rest, utf8Length(rest));
          }
          break;
        }
        const piece = chunk.slice(pos, nl);
        if (piece.length > 0) push(piece, utf8Length(piece));
        yield finish(1);
        pos = nl + 1;
      }
    } else {
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, pos);
        if (nl < 0) {
          if (pos < chunk.length) push(chunk.subarray(pos), chunk.length - pos);
          break;
        }
        if (nl > pos) push(chunk.subarray(pos, nl), nl - pos);
        yield finish(1);
        pos = nl + 1;
      }
    }
  }
  if (pendingBytes > 0 || oversize) yield finish(0);
}

// ---------------------------------------------------------------------------
// Canonical JSON and content hash

/**
 * The content hash of a parsed line: sha256 (hex) of its canonical JSON. Covers every
 * field, `external_id` included; identical content re-imported gives the same hash, so
 * a re-import can be recognised as "no change". (Key order inside a profile does not
 * change the hash.)
 */
export function contentHash(line: ImportLine): string {
  return sha256Hex(canonicalJson(line));
}

// ---------------------------------------------------------------------------
// JSONL

/** The outcome for one non-blank line. */
export type ParsedLine =
  | { ok: true; line: number; value: ImportLine; hash: string; offset: number }
  | { ok: false; line: number; issues: FieldIssue[]; offset: number };

function lineProblem(src: SourceLine, max: number): FieldIssue | null {
  if (src.problem === "oversize") return { field: "(line)", message: `is ${n(src.bytes)} bytes long; the limit is ${n(max)} bytes` };
  if (src.problem === "invalid_utf8") return { field: "(line)", message: "is not valid UTF-8" };
  return null;
}

/**
 * Parses and validates a JSONL import file line by line. Blank (whitespace-only) lines
 * are skipped; every other line yields one {@link ParsedLine}, in order.
 */
export async function* parseImportJsonl(
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<ParsedLine> {
  const max = opts.maxLineBytes ?? IMPORT_LIMITS.maxLineBytes;
  for await (const src of splitLines(source, { maxLineBytes: max })) {
    const problem = lineProblem(src, max);
    if (problem) {
      yield { ok: false, line: src.line, issues: [problem], offset: src.offset };
      continue;
    }
    const text = src.text as string;
    if (text.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      yield {
        ok: false,
        line: src.line,
        issues: [{ field: "(line)", message: `is not valid JSON: ${(err as Error).message}` }],
        offset: src.offset,
      };
      continue;
    }
    const r = validateImportLine(json);
    if (r.ok) yield { ok: true, line: src.line, value: r.value, hash: contentHash(r.value), offset: src.offset };
    else yield { ok: false, line: src.line, issues: r.issues, offset: src.offset };
  }
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)

/** One CSV record, or a record that could not be read. */
export type CsvRecord =
  | { line: number; fields: string[]; offset: number; error?: undefined }
  | { line: number; fields?: undefined; offset: number; error: string };

// Reader states.
const FIELD_START = 0; // at the start of a field
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const QUOTE_IN_QUOTED = 3; // just after a quote inside a quoted field: `""` or the closing quote
const SKIP = 4; // after a syntax error: skipping to the end of the line

/** UTF-8 size of s[from, to) (a surrogate pair counts 2 + 2). */
function utf8Bytes(s: string, from: number, to: number): number {
  let b = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return b;
}

/**
 * A streaming RFC 4180 CSV reader: fields separated by `delimiter` (default `,`),
 * records by `\r\n` or `\n`; fields may be quoted with `"`, and a quoted field may hold
 * delimiters, `""` (one quote) and line breaks (kept exactly, `\r\n` included). A UTF-8
 * BOM at the start is dropped and empty lines are skipped (a line holding only `""` is a
 * record of one empty field). A record with broken quoting
 * comes out with an `error` and reading resumes at the next line; a record longer than
 * `maxRecordBytes` comes out with an `error` without being held in memory. `line` is
 * the physical line where the record starts.
 */
export async function* parseCsv(
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>,
  opts: { delimiter?: string; maxRecordBytes?: number } = {},
): AsyncGenerator<CsvRecord> {
  const delim = opts.delimiter ?? ",";
  if (delim.length !== 1 || delim === '"' || delim === "\n" || delim === "\r")
    throw new Error("the CSV delimiter must be one character other than a quote or a line break");
  const max = opts.maxRecordBytes ?? IMPORT_LIMITS.maxLineBytes;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  let state = FIELD_START;
  let fields: string[] = [];
  let field = "";
  let recordBytes = 0;
  let tooLong = false; // over the cap: keep parsing, stop keeping text
  let quoted = false; // the record has a quoted field (so `""` alone is a record, not a blank line)
  let error: string | null = null;
  let recordLine = 1;
  let line = 1;
  let offset = 0;
  let pendingCR = false; // a CR outside quotes; a line break if an LF follows
  let first = true;
  const out: CsvRecord[] = [];

  const append = (s: string) => {
    recordBytes += utf8Bytes(s, 0, s.length);
    if (recordBytes > max) {
      tooLong = true;
      field = "";
      fields = [];
    }
    if (!tooLong) field += s;
  };
  const fail = (message: string) => {
    error ??= message;
    state = SKIP;
  };
  const endField = () => {
    if (!tooLong) fields.push(field);
    field = "";
  };
  const endRecord = () => {
    if (error !== null) out.push({ line: recordLine, offset, error });
    else if (tooLong) out.push({ line: recordLine, offset, error: `is longer than ${n(max)} bytes` });
    else if (quoted || !(fields.length === 1 && fields[0] === "")) out.push({ line: recordLine, fields, offset });
    fields = [];
    field = "";
    error = null;
    tooLong = false;
    quoted = false;
    recordBytes = 0;
    state = FIELD_START;
    recordLine = line;
  };
  const lineBreak = () => {
    line += 1;
    if (state !== SKIP) endField();
    endRecord();
  };
  /** A CR outside quotes turned out not to start a CRLF: it is data (or an error after a closing quote). */
  const loneCR = () => {
    if (state === QUOTE_IN_QUOTED) fail("a closing quote must be followed by the delimiter or the end of the line");
    else if (state !== SKIP) {
      append("\r");
      state = UNQUOTED;
    }
  };

  const feed = (text: string) => {
    let i = 0;
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) {
        i = 1;
        offset += 3;
      }
    }
    const len = text.length;
    while (i < len) {
      if (state === QUOTED) {
        // Fast path: everything up to the next quote is field text.
        const q = text.indexOf('"', i);
        const end = q < 0 ? len : q;
        if (end > i) {
          const piece = text.slice(i, end);
          for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line += 1;
          offset += utf8Bytes(text, i, end);
          append(piece);
        }
        if (q < 0) return;
        offset += 1;
        state = QUOTE_IN_QUOTED;
        i = q + 1;
        continue;
      }
      const ch = text[i] as string;
      offset += utf8Bytes(text, i, i + 1);
      i += 1;
      if (pendingCR) {
        pendingCR = false;
        if (ch === "\n") {
          lineBreak();
          continue;
        }
        loneCR();
      }
      if (ch === "\r") {
        pendingCR = true;
        continue;
      }
      if (ch === "\n") {
        lineBreak();
        continue;
      }
      switch (state) {
        case SKIP:
          break;
        case QUOTE_IN_QUOTED:
          if (ch === '"') {
            append('"');
            state = QUOTED;
          } else if (ch === delim) {
            endField();
            state = FIELD_START;
          } else fail("a closing quote must be followed by the delimiter or the end of the line");
          break;
        case FIELD_START:
          if (ch === '"') {
            state = QUOTED;
            quoted = true;
          } else if (ch === delim) endField();
          else {
            append(ch);
            state = UNQUOTED;
          }
          break;
        default: // UNQUOTED
          if (ch === delim) {
            endField();
            state = FIELD_START;
          } else if (ch === '"') fail('a quote inside an unquoted field: quote the whole field and write inner quotes as ""');
          else append(ch);
      }
    }
  };

  const decodeFailed = () => {
    out.push({ line, offset, error: "is not valid UTF-8 (reading stopped here)" });
  };
  for await (const chunk of source) {
    let text: string;
    if (typeof chunk === "string") text = chunk;
    else {
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        decodeFailed();
        yield* out.splice(0);
        return;
      }
    }
    feed(text);
    if (out.length > 0) yield* out.splice(0);
  }
  try {
    feed(decoder.decode());
  } catch {
    decodeFailed();
    yield* out.splice(0);
    return;
  }
  pendingCR = false; // a final CR is a line terminator
  if (state === QUOTED) {
    error ??= "has a quoted field that is never closed (the file ends inside it)";
    endRecord();
  } else if (state !== FIELD_START || fields.length > 0 || error !== null || tooLong) {
    if (state !== SKIP) endField();
    endRecord();
  }
  yield* out.splice(0);
}

/** Candidate slots the CSV form accepts: `candidate_a`/`model_a` … `candidate_h`/`model_h`. */
const CSV_SLOTS = ["a", "b", "c", "d", "e", "f", "g", "h"] as const;

/** The columns of the CSV form (header names are matched case-insensitively). */
export const CSV_COLUMNS = {
  required: ["external_id", "character", "user", "candidate_a", "model_a", "candidate_b", "model_b"],
  optional: [
    "scene",
    "profile",
    "gold_strength",
    "gold_accept",
    ...CSV_SLOTS.flatMap((s) => [`version_${s}`]),
    ...CSV_SLOTS.slice(2).flatMap((s) => [`candidate_${s}`, `model_${s}`]),
  ],
  /** `prompt` may be used instead of `user`. */
  aliases: { prompt: "user" } as Record<string, string>,
  /** Columns named `metadata.<key>` become `metadata.<key>` (a string) of the item. */
  metadataPrefix: "metadata.",
} as const;

interface CsvHeader {
  index: Map<string, number>;
  /** The header's own spelling of each canonical column. */
  names: Map<string, string>;
  metadata: { key: string; index: number }[];
  width: number;
}

function readHeader(fields: string[]): { header: CsvHeader } | { problems: FieldIssue[] } {
  const problems: FieldIssue[] = [];
  const index = new Map<string, number>();
  const names = new Map<string, string>();
  const metadata: { key: string; index: number }[] = [];
  const known = new Set<string>([...CSV_COLUMNS.required, ...CSV_COLUMNS.optional]);
  fields.forEach((raw, i) => {
    const name = raw.trim();
    const lower = name.toLowerCase();
    if (lower.startsWith(CSV_COLUMNS.metadataPrefix)) {
      const key = name.slice(CSV_COLUMNS.metadataPrefix.length);
      if (key === "") problems.push({ field: `column ${i + 1}`, message: 'metadata column needs a key after "metadata."' });
      else if (metadata.some((m) => m.key === key)) problems.push({ field: name, message: "column appears twice" });
      else metadata.push({ key, index: i });
      return;
    }
    const canonical = CSV_COLUMNS.aliases[lower] ?? lower;
    if (!known.has(canonical)) {
      problems.push({
        field: name === "" ? `column ${i + 1}` : name,
        message:
          name === ""
            ? "column has no name"
            : `unknown column (known: ${[...CSV_COLUMNS.required, ...CSV_COLUMNS.optional].join(", ")}, metadata.<key>)`,
      });
      return;
    }
    if (index.has(canonical)) problems.push({ field: name, message: "column appears twice" });
    index.set(canonical, i);
    names.set(canonical, name);
  });
  for (const col of CSV_COLUMNS.required) {
    if (!index.has(col))
      problems.push({
        field: col,
        message: col === "user" ? 'required column is missing ("user" or "prompt")' : "required column is missing",
      });
  }
  for (const s of CSV_SLOTS.slice(2)) {
    if (index.has(`candidate_${s}`) !== index.has(`model_${s}`))
      problems.push({ field: `candidate_${s}`, message: `candidate_${s} and model_${s} go together` });
  }
  for (const s of CSV_SLOTS) {
    if (index.has(`version_${s}`) && !index.has(`candidate_${s}`))
      problems.push({ field: `version_${s}`, message: `needs the column candidate_${s}` });
  }
  if (problems.length > 0) return { problems };
  return { header: { index, names, metadata, width: fields.length } };
}

const INT = /^[+-]?\d+$/;

/** Maps a JSON field path of the built line back to the CSV column the user wrote. */
function csvField(field: string, header: CsvHeader): string {
  const col = (c: string) => header.names.get(c) ?? c;
  let m: RegExpMatchArray | null;
  if (field === "external_id" || field === "scene") return col(field);
  if (field === "character" || field === "character.name") return col("character");
  if (field.startsWith("character.profile")) return col("profile") + field.slice("character.profile".length);
  if ((m = field.match(/^context\[0\]\.content$/))) return col("user");
  if (field.startsWith("context")) return col("user");
  if ((m = field.match(/^candidates\[(\d+)\]\.(content|model|version)(.*)$/))) {
    const slot = CSV_SLOTS[Number(m[1])] ?? m[1];
    const kind = m[2] === "content" ? "candidate" : (m[2] as string);
    return col(`${kind}_${slot}`) + (m[3] ?? "");
  }
  if (field === "gold.strength" || field === "gold") return col("gold_strength");
  if (field.startsWith("gold.accept")) return col("gold_accept");
  if (field.startsWith("metadata")) {
    const rest = field.slice("metadata".length);
    const key = rest.startsWith(".") ? rest.slice(1) : rest;
    return `metadata.${key}`;
  }
  return field;
}

function rowToLine(fields: string[], header: CsvHeader): { value: Record<string, unknown> } | { problems: FieldIssue[] } {
  const problems: FieldIssue[] = [];
  const cell = (c: string): string | undefined => {
    const i = header.index.get(c);
    return i === undefined ? undefined : fields[i];
  };
  const present = (c: string) => {
    const v = cell(c);
    return v !== undefined && v.trim() !== "" ? v : undefined;
  };

  let character: unknown = cell("character");
  const profileText = present("profile");
  if (profileText !== undefined) {
    try {
      character = { name: cell("character"), profile: JSON.parse(profileText) };
    } catch (err) {
      problems.push({ field: header.names.get("profile") ?? "profile", message: `is not valid JSON: ${(err as Error).message}` });
    }
  }

  const candidates: Record<string, unknown>[] = [];
  for (const s of CSV_SLOTS) {
    if (!header.index.has(`candidate_${s}`)) continue;
    const content = cell(`candidate_${s}`);
    const model = cell(`model_${s}`);
    const version = present(`version_${s}`);
    const optionalSlot = s !== "a" && s !== "b";
    if (optionalSlot && (content ?? "").trim() === "" && (model ?? "").trim() === "") continue;
    candidates.push({ model, content, ...(version !== undefined ? { version } : {}) });
  }

  let gold: Record<string, unknown> | undefined;
  const gs = present("gold_strength");
  const ga = present("gold_accept");
  if (gs !== undefined || ga !== undefined) {
    gold = {};
    if (gs !== undefined) {
      if (INT.test(gs.trim())) gold.strength = Number(gs.trim());
      else problems.push({ field: header.names.get("gold_strength") ?? "gold_strength", message: "must be an integer" });
    }
    if (ga !== undefined) {
      const parts = ga.trim().split(/[\s,;|]+/);
      if (parts.every((p) => INT.test(p))) gold.accept = parts.map(Number);
      else
        problems.push({
          field: header.names.get("gold_accept") ?? "gold_accept",
          message: "must be integers separated by spaces, commas or semicolons",
        });
    }
  }

  let metadata: Record<string, string> | undefined;
  for (const m of header.metadata) {
    const v = fields[m.index];
    if (v !== undefined && v !== "") (metadata ??= {})[m.key] = v;
  }

  if (problems.length > 0) return { problems };
  const scene = present("scene") !== undefined ? cell("scene") : undefined;
  return {
    value: {
      external_id: cell("external_id"),
      character,
      ...(scene !== undefined ? { scene } : {}),
      context: [{ role: "user", content: cell("user") }],
      candidates,
      ...(gold !== undefined ? { gold } : {}),
      ...(metadata !== undefined ? { metadata } : {}),
    },
  };
}

/**
 * Parses and validates a CSV import file: a header row naming the columns
 * ({@link CSV_COLUMNS}), then one item per record. Each record becomes the same
 * {@link ImportLine} as a JSONL line (context = one user message, candidates from the
 * `candidate_x`/`model_x` pairs, `profile` cell = JSON profile for an inline character).
 * Problems name the CSV column. A bad header yields one failed result for line 1 and stops.
 */
export async function* parseImportCsv(
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>,
  opts: { delimiter?: string; maxRecordBytes?: number } = {},
): AsyncGenerator<ParsedLine> {
  let header: CsvHeader | null = null;
  for await (const rec of parseCsv(source, opts)) {
    if (rec.error !== undefined) {
      yield { ok: false, line: rec.line, issues: [{ field: "(record)", message: rec.error }], offset: rec.offset };
      if (header === null) return;
      continue;
    }
    if (header === null) {
      const h = readHeader(rec.fields);
      if ("problems" in h) {
        yield { ok: false, line: rec.line, issues: h.problems, offset: rec.offset };
        return;
      }
      header = h.header;
      continue;
    }
    if (rec.fields.length !== header.width) {
      yield {
        ok: false,
        line: rec.line,
        issues: [{ field: "(record)", message: `has ${rec.fields.length} fields; the header has ${header.width}` }],
        offset: rec.offset,
      };
      continue;
    }
    const built = rowToLine(rec.fields, header);
    if ("problems" in built) {
      yield { ok: false, line: rec.line, issues: built.problems, offset: rec.offset };
      continue;
    }
    const r = validateImportLine(built.value);
    if (r.ok) yield { ok: true, line: rec.line, value: r.value, hash: contentHash(r.value), offset: rec.offset };
    else {
      const h = header;
      yield {
        ok: false,
        line: rec.line,
        issues: r.issues.map((i) => ({ field: csvField(i.field, h), message: i.message })),
        offset: rec.offset,
      };
    }
  }
  if (header === null)
    yield { ok: false, line: 1, issues: [{ field: "(header)", message: "the file is empty: a header row is required" }], offset: 0 };
}

// ---------------------------------------------------------------------------
// Whole-file validation

/** Import file formats. */
export type ImportFormat = "jsonl" | "csv";

/** The format implied by a file name (`.jsonl`/`.ndjson`/`.json` → jsonl, `.csv` → csv), or null. */
export function importFormatOf(filename: string): ImportFormat | null {
  const lower = filename.toLowerCase();
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) return "jsonl";
  if (lower.endsWith(".csv")) return "csv";
  return null;
}

/** Parses an import file of either format. */
export function parseImport(
  source: AsyncIterable<ImportChunk> | Iterable<ImportChunk>,
  format: ImportFormat,
  opts: { maxLineBytes?: number } = {},
): AsyncGenerator<ParsedLine> {
  return format === "csv" ? parseImportCsv(source, { maxRecordBytes: opts.maxLineBytes }) : parseImportJsonl(source, opts);
}

/** A valid item, as handed to {@link ImportReportOptions.onItem}. */
export type ParsedItem = Extract<ParsedLine, { ok: true }>;

/** Options of {@link validateImport}. */
export interface ImportReportOptions {
  /** Problems kept in the report (default {@link IMPORT_LIMITS.maxReportedErrors}); all are counted. */
  maxProblems?: number;
  /** Called for every valid item, in order (e.g. to stage it); awaited. */
  onItem?: (item: ParsedItem) => void | Promise<void>;
  /** Called after each line with the bytes consumed and items seen so far. */
  onProgress?: (progress: { offset: number; lines: number; items: number; problems: number }) => void;
}

/** The outcome of reading a whole import file. */
export interface ImportReport {
  /** True when the file has items and no problem at all: it may be imported. */
  ok: boolean;
  /** Valid items (lines that passed every check of their own). */
  items: number;
  /** The first `maxProblems` problems, in file order. */
  problems: ImportProblem[];
  /** Every problem counted, including those not listed. */
  problemCount: number;
  /** Whether `problems` was cut short. */
  truncated: boolean;
  /** Character names given as a plain string and not defined inline in this file: they must exist in the project. */
  referencedCharacters: string[];
  /** Bytes read. */
  bytes: number;
}

/** Collects problems up to a cap while counting all of them. */
export class ProblemCollector {
  readonly problems: ImportProblem[] = [];
  count = 0;
  constructor(readonly max: number = IMPORT_LIMITS.maxReportedErrors) {}
  /** Records one problem. */
  add(problem: ImportProblem): void {
    this.count += 1;
    if (this.problems.length < this.max) this.problems.push(problem);
  }
  /** Whether some problems were counted but not kept. */
  get truncated(): boolean {
    return this.count > this.problems.length;
  }
}

/**
 * Reads a whole parsed file and reports on it, adding the checks that span lines:
 * an `external_id` used twice, and one character name defined inline with two different
 * profiles. The file is consumed once, in constant memory apart from one small entry per
 * item and per character name.
 */
export async function validateImport(lines: AsyncIterable<ParsedLine>, opts: ImportReportOptions = {}): Promise<ImportReport> {
  const problems = new ProblemCollector(opts.maxProblems);
  const ids = new Map<string, number>();
  const inline = new Map<string, { line: number; hash: string }>();
  const referenced = new Map<string, number>();
  let items = 0;
  let bytes = 0;
  let lineCount = 0;
  for await (const r of lines) {
    bytes = r.offset;
    lineCount += 1;
    if (!r.ok) {
      for (const i of r.issues) problems.add({ line: r.line, field: i.field, message: i.message });
    } else {
      const v = r.value;
      let good = true;
      const first = ids.get(v.external_id);
      if (first !== undefined) {
        problems.add({ line: r.line, field: "external_id", message: `"${v.external_id}" is already used on line ${first}` });
        good = false;
      } else ids.set(v.external_id, r.line);
      const name = characterName(v.character);
      if (typeof v.character === "string") {
        if (!referenced.has(name)) referenced.set(name, r.line);
      } else {
        const h = sha256Hex(canonicalJson(v.character.profile));
        const seen = inline.get(name);
        if (seen === undefined) inline.set(name, { line: r.line, hash: h });
        else if (seen.hash !== h) {
          problems.add({
            line: r.line,
            field: "character.profile",
            message: `differs from the profile given for "${name}" on line ${seen.line}`,
          });
          good = false;
        }
      }
      if (good) {
        items += 1;
        if (opts.onItem) await opts.onItem(r);
      }
    }
    opts.onProgress?.({ offset: bytes, lines: lineCount, items, problems: problems.count });
  }
  if (items === 0 && problems.count === 0) problems.add({ line: 0, field: "(file)", message: "contains no items" });
  return {
    ok: problems.count === 0,
    items,
    problems: problems.problems,
    problemCount: problems.count,
    truncated: problems.truncated,
    referencedCharacters: [...referenced.keys()].filter((name) => !inline.has(name)),
    bytes,
  };
}
