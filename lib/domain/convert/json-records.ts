/**
 * Incremental splitter for files of JSON records: a JSON array of objects (`[{...},
 * {...}]`, as PandaLM ships its test set) or JSON Lines / concatenated objects. Text is
 * pushed in chunks of any size; every complete top-level record comes out as its own
 * text with the line it starts on, so a converter can parse and map one record at a
 * time in constant memory (besides the record itself).
 *
 * It only finds record boundaries (tracking strings, escapes and nesting); `JSON.parse`
 * of each record does the real validation.
 */

/** One complete record: its JSON text and the 1-based line it starts on. */
export interface JsonRecordText {
  readonly text: string;
  readonly line: number;
}

/** Thrown on text that cannot be a JSON array of objects or a sequence of objects. */
export class JsonRecordsError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Splits pushed text into top-level JSON object records. */
export class JsonRecordSplitter {
  private mode: "start" | "array" | "lines" | "done" = "start";
  /** Nesting depth inside the current record (0 = between records). */
  private depth = 0;
  private inString = false;
  private escape = false;
  private line = 1;
  private recordLine = 0;
  private buffer = "";
  /** In array mode: whether a comma (or the opening bracket) came since the last record. */
  private expectRecord = true;
  private first = true;
  /** Line of the last character seen between records (for the end-of-input error). */
  private lastLine = 1;
  /** Records returned by earlier pushes. */
  private recordsBefore = 0;

  /** Feeds the next chunk; returns the records completed in it. */
  push(chunk: string): JsonRecordText[] {
    const out: JsonRecordText[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      if (this.first) {
        this.first = false;
        if (ch === "\uFEFF") continue;
      }
      if (this.depth > 0) {
        if (ch === "\n") this.line++;
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (ch === "\\") this.escape = true;
          else if (ch === '"') this.inString = false;
          continue;
        }
        if (ch === '"') this.inString = true;
        else if (ch === "{" || ch === "[") this.depth++;
        else if (ch === "}" || ch === "]") {
          this.depth--;
          if (this.depth === 0) {
            this.buffer += chunk.slice(start, i + 1);
            out.push({ text: this.buffer, line: this.recordLine });
            this.buffer = "";
            this.lastLine = this.line;
            start = -1;
            this.expectRecord = false;
          }
        }
        continue;
      }
      // Between records.
      if (ch === "\n") {
        this.line++;
        continue;
      }
      if (ch === " " || ch === "\t" || ch === "\r") continue;
      this.lastLine = this.line;
      if (this.mode === "start") {
        if (ch === "[") {
          this.mode = "array";
          this.expectRecord = true;
          continue;
        }
        if (ch !== "{") throw new JsonRecordsError(`expected "[" or "{" at the start, found ${JSON.stringify(ch)}`, this.line);
        this.mode = "lines";
      }
      if (this.mode === "done") throw new JsonRecordsError(`unexpected ${JSON.stringify(ch)} after the closing "]"`, this.line);
      if (this.mode === "array") {
        if (ch === ",") {
          if (this.expectRecord) throw new JsonRecordsError('unexpected ","', this.line);
          this.expectRecord = true;
          continue;
        }
        if (ch === "]") {
          if (this.expectRecord && out.length + this.recordsBefore > 0) throw new JsonRecordsError('unexpected "]" after ","', this.line);
          this.mode = "done";
          continue;
        }
        if (!this.expectRecord) throw new JsonRecordsError(`expected "," or "]", found ${JSON.stringify(ch)}`, this.line);
      }
      if (ch !== "{") throw new JsonRecordsError(`expected a JSON object, found ${JSON.stringify(ch)}`, this.line);
      this.depth = 1;
      this.recordLine = this.line;
      start = i;
    }
    if (this.depth > 0 && start >= 0) this.buffer += chunk.slice(start);
    this.recordsBefore += out.length;
    return out;
  }

  /** Checks that the input ended cleanly (no half record, the array closed). */
  end(): void {
    if (this.depth > 0) throw new JsonRecordsError("the input ends inside a record", this.recordLine);
    if (this.mode === "array") throw new JsonRecordsError('the input ends before the closing "]"', this.lastLine);
  }
}
