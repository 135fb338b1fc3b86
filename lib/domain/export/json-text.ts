/**
 * Text carried as the UTF-8 bytes of its JSON string literal (quotes and escapes
 * included): exactly `JSON.stringify(text)` encoded as UTF-8. The export loader reads
 * reply texts this way from PostgreSQL (`to_json(text)::text` gives those bytes for any
 * text PostgreSQL can store), so that the serializer copies them into the output as
 * they are instead of decoding, parsing, re-escaping and re-encoding them: replies are
 * about 40 % of a DPO file's bytes. The text itself is decoded only when something asks
 * for it (the dataset card's length statistics, the plain-string serializer).
 */
const decoder = new TextDecoder("utf-8", { fatal: true });

export class JsonText {
  private decoded: string | undefined;

  /** `json`: the literal's UTF-8 bytes; not copied, so the caller must not reuse them. */
  constructor(readonly json: Uint8Array) {}

  /** From a string (tests, and loaders that have the text rather than its bytes). */
  static of(text: string): JsonText {
    const value = new JsonText(new TextEncoder().encode(JSON.stringify(text)));
    value.decoded = text;
    return value;
  }

  /** The JSON literal as a string (what `JSON.stringify(text)` returns). */
  literal(): string {
    return decoder.decode(this.json);
  }

  /** The text. */
  get text(): string {
    if (this.decoded === undefined) {
      const value: unknown = JSON.parse(this.literal());
      if (typeof value !== "string") throw new Error("JsonText: the bytes are not a JSON string literal");
      this.decoded = value;
    }
    return this.decoded;
  }

  /** Same text: a JSON literal is a function of its text, so equal bytes mean equal texts and back. */
  equals(other: JsonText): boolean {
    const a = this.json;
    const b = other.json;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** JSON.stringify of a row holding a JsonText writes the text, as it would for the string. */
  toJSON(): string {
    return this.text;
  }
}
