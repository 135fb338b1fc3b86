/**
 * The export copies reply texts into its files as PostgreSQL wrote them —
 * `to_json(content)::text`, read as bytes by a binary COPY (db/copy-out.ts) — instead of
 * `JSON.stringify` in Node. That is only right if the two agree byte for byte on every
 * text PostgreSQL can store (valid UTF-8 without NUL): quotes, backslashes, every control
 * character, DEL, U+2028/U+2029, non-BMP characters, hostile payloads, long texts.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinaryCopyReader, textArrayElements } from "@/db/copy-out";
import { JsonText } from "@/lib/domain/export";
import { hostileString } from "../../unit/hostile-arbitraries";
import { useTestDatabase, type TestDatabase } from "../helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});
afterAll(() => undefined);

/** What PostgreSQL can hold in a text column: well-formed UTF-16 (no lone surrogates), no NUL. */
const storable = (s: string) => s.replaceAll("\u0000", "").replace(/[\ud800-\udfff]/gu, "\ufffd");

/** Each text through `to_json(x)::text` and a binary COPY: the bytes of every literal, in order (one row, one text[]). */
async function pgJsonBytes(texts: readonly string[]): Promise<Buffer[]> {
  const client = await t.pool.connect();
  try {
    const array = `array[${texts.map((s) => client.escapeLiteral(s)).join(",")}]::text[]`;
    return await t.db.transaction(async (tx) => {
      const reader = BinaryCopyReader.start(
        tx,
        `copy (select array_agg(to_json(x)::text order by n) from unnest(${array}) with ordinality u(x, n)) to stdout (format binary)`,
        (fields) => (fields[0] == null ? [] : textArrayElements(fields[0])),
      );
      const rows: Buffer[][] = [];
      for (let row = await reader.next(); row !== undefined; row = await reader.next()) rows.push(row);
      await reader.settle();
      expect(rows).toHaveLength(1);
      return rows[0]!;
    });
  } finally {
    client.release();
  }
}

const FIXED = [
  "",
  '"',
  "\\",
  '\\"',
  "/",
  "\b\f\n\r\t",
  Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c))
    .join("")
    .slice(1),
  "\u007f\u0080\u009f\u00a0\u00ff",
  "\u2028\u2029",
  "\u200b\u200d\ufeff\ufffe\uffff",
  "😀𠮷🐒\u{10ffff}",
  "孙悟空：“罢了罢了”",
  "</script><!--",
  "字".repeat(70_000),
];

describe("to_json(text)::text is JSON.stringify(text) as UTF-8", () => {
  it("on fixed hard cases (control characters, U+2028/9, non-BMP, long)", async () => {
    const texts = FIXED.map(storable);
    const bytes = await pgJsonBytes(texts);
    texts.forEach((s, i) => {
      expect(bytes[i]!.equals(Buffer.from(JSON.stringify(s), "utf8")), JSON.stringify(s).slice(0, 60)).toBe(true);
      expect(new JsonText(bytes[i]!).text).toBe(s);
    });
  });

  it("on random and hostile texts (property-based)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString.map(storable), { minLength: 1, maxLength: 20 }), async (texts) => {
        const bytes = await pgJsonBytes(texts);
        expect(bytes).toHaveLength(texts.length);
        texts.forEach((s, i) => expect(bytes[i]!.equals(Buffer.from(JSON.stringify(s), "utf8"))).toBe(true));
      }),
      { numRuns: 60 },
    );
  });

  it("a COPY error reaches the reader and leaves the connection usable", async () => {
    await t.db
      .transaction(async (tx) => {
        const reader = BinaryCopyReader.start(tx, "copy (select 1/0) to stdout (format binary)", (f) => f);
        await expect(reader.next()).rejects.toThrow(/division by zero/);
        await reader.settle();
      })
      .catch((e: Error) => expect(e.message).toMatch(/division by zero|aborted/));
    const { rows } = await t.db.execute(sql`select 1 as one`);
    expect(rows[0]).toEqual({ one: 1 });
  });
});
