import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "@/lib/domain/canonical";
import {
  contentHash,
  importFormatOf,
  parseCsv,
  parseImport,
  parseImportCsv,
  parseImportJsonl,
  splitLines,
  validateImport,
  type ImportChunk,
  type ParsedLine,
} from "@/lib/domain/import-parse";
import { IMPORT_LIMITS, ImportLine } from "@/lib/validation/import";

const enc = new TextEncoder();

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Cuts a string into pieces at the given fractions, as strings or as bytes (which may split a character). */
function chunked(text: string, cuts: number[], asBytes: boolean): ImportChunk[] {
  const whole: string | Uint8Array = asBytes ? enc.encode(text) : text;
  const len = whole.length;
  const points = [...new Set(cuts.map((c) => Math.floor(c * len)))].filter((p) => p > 0 && p < len).sort((a, b) => a - b);
  const out: ImportChunk[] = [];
  let prev = 0;
  for (const p of [...points, len]) {
    out.push(typeof whole === "string" ? whole.slice(prev, p) : whole.subarray(prev, p));
    prev = p;
  }
  return out;
}

const line = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    external_id: id,
    character: { name: "林黛玉", profile: { 性别: "女", 性格: "多愁善感，才思敏捷。" } },
    context: [{ role: "user", content: "妹妹今日可好？" }],
    candidates: [
      { model: "m1", content: "（轻咳）劳你挂心，还是老样子罢了。" },
      { model: "m2", content: "好得很！😊" },
    ],
    ...extra,
  });

describe("splitLines", () => {
  it("splits on LF and CRLF, strips a BOM, keeps blank lines and a last line without newline", async () => {
    const lines = await collect(splitLines(["\uFEFFa\r\nb", "\n\n  \nc"]));
    expect(lines.map((l) => l.text)).toEqual(["a", "b", "", "  ", "c"]);
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.at(-1)?.offset).toBe(enc.encode("\uFEFFa\r\nb\n\n  \nc").length);
  });

  it("decodes bytes per line: characters split across chunks survive, a BOM is dropped", async () => {
    const bytes = enc.encode("\uFEFF你好，世界🌏\n第二行");
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b)); // one byte at a time
    const lines = await collect(splitLines(chunks));
    expect(lines.map((l) => l.text)).toEqual(["你好，世界🌏", "第二行"]);
    expect(lines[0]?.bytes).toBe(enc.encode("你好，世界🌏").length);
  });

  it("attributes invalid UTF-8 to its line", async () => {
    const lines = await collect(splitLines([enc.encode("ok\n"), Uint8Array.of(0x61, 0xff, 0x0a), enc.encode("fine")]));
    expect(lines.map((l) => [l.line, l.text, l.problem])).toEqual([
      [1, "ok", undefined],
      [2, null, "invalid_utf8"],
      [3, "fine", undefined],
    ]);
  });

  it("does not buffer an oversize line but still counts it", async () => {
    const big = "x".repeat(1000);
    async function* source() {
      yield "short\n";
      for (let i = 0; i < 50; i++) yield big;
      yield "\nafter";
    }
    const lines = await collect(splitLines(source(), { maxLineBytes: 4096 }));
    expect(lines.map((l) => [l.line, l.text, l.problem])).toEqual([
      [1, "short", undefined],
      [2, null, "oversize"],
      [3, "after", undefined],
    ]);
    expect(lines[1]?.bytes).toBe(50_000);
  });

  it("applies the cap to the line without its CR", async () => {
    const lines = await collect(splitLines(["abcd\r\nabcde\r\n"], { maxLineBytes: 4 }));
    expect(lines.map((l) => l.problem ?? l.text)).toEqual(["abcd", "oversize"]);
  });

  it("is streaming: the first line comes out before the source ends", async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield `${line(`id-${pulled}`)}\n`;
      }
    }
    for await (const r of parseImportJsonl(endless())) {
      expect(r.ok).toBe(true);
      break;
    }
    expect(pulled).toBeLessThan(3);
  });

  it("property: any chunking, as text or bytes, gives the same lines", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replace(/[\r\n\uFEFF]/g, "")),
          {
            maxLength: 8,
          },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, cuts, asBytes, crlf) => {
          const text = rows.join(crlf ? "\r\n" : "\n");
          const lines = await collect(splitLines(chunked(text, cuts, asBytes)));
          // A final empty row is just a trailing line break: no line after it.
          const expected = rows.at(-1) === "" ? rows.slice(0, -1) : rows;
          expect(lines.map((l) => l.text)).toEqual(expected);
        },
      ),
    );
  });
});

describe("parseImportJsonl", () => {
  it("validates each line, skips blank lines, reports bad JSON and oversize lines by line number", async () => {
    const file = [line("a"), "", "{not json", "   ", line("b", { scene: 5 }), "x".repeat(3000), line("c")].join("\r\n");
    const results = await collect(parseImportJsonl([file], { maxLineBytes: 2999 }));
    expect(results.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [3, false],
      [5, false],
      [6, false],
      [7, true],
    ]);
    const bad = results.filter((r): r is Extract<ParsedLine, { ok: false }> => !r.ok);
    expect(bad[0]?.issues[0]?.field).toBe("(line)");
    expect(bad[0]?.issues[0]?.message).toMatch(/^is not valid JSON/);
    expect(bad[1]?.issues).toEqual([{ field: "scene", message: "must be a string (got number)" }]);
    expect(bad[2]?.issues[0]?.message).toBe("is 3,000 bytes long; the limit is 2,999 bytes");
  });

  it("keeps Unicode exactly through bytes, chunking and parsing", async () => {
    const content = "「你好」——全角，标点！😀👨‍👩‍👧 ｱｲｳ";
    const text = `${line("u", { metadata: { note: content } })}\n`;
    const results = await collect(parseImportJsonl(chunked(text, [0.13, 0.5, 0.77], true)));
    expect(results[0]?.ok && results[0].value.metadata).toEqual({ note: content });
  });

  it("gives each line a content hash", async () => {
    const [r] = await collect(parseImportJsonl([line("h")]));
    expect(r?.ok && r.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("canonicalJson and contentHash", () => {
  it("sorts keys recursively, drops undefined members, keeps arrays in order", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: "长", c: null }], e: undefined })).toBe('{"a":[3,{"c":null,"d":"长"}],"b":1}');
  });

  it("is the same for the same content written differently", () => {
    const a = ImportLine.parse(JSON.parse(line("x", { metadata: { p: 1, q: "二" } })));
    const reordered = JSON.parse(line("x", { metadata: { q: "二", p: 1 } }));
    const b = ImportLine.parse({ ...reordered, external_id: "  x " });
    expect(contentHash(a)).toBe(contentHash(b));
    const c = ImportLine.parse(JSON.parse(line("x", { metadata: { p: 1, q: "三" } })));
    expect(contentHash(c)).not.toBe(contentHash(a));
  });

  it("property: invariant under key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe("validateImport", () => {
  const run = async (lines: string[], opts = {}) => validateImport(parseImportJsonl([lines.join("\n")]), opts);

  it("passes a good file and hands over every item in order", async () => {
    const seen: string[] = [];
    const report = await run([line("a"), line("b"), line("c", { character: "贾宝玉" })], {
      onItem: (i: { value: ImportLine }) => void seen.push(i.value.external_id),
    });
    expect(report).toMatchObject({ ok: true, items: 3, problems: [], problemCount: 0, truncated: false });
    expect(report.referencedCharacters).toEqual(["贾宝玉"]);
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("refuses a file with one broken line in the middle, naming the line and field", async () => {
    const broken = line("b").replace('"model":"m2"', '"model":""');
    const report = await run([line("a"), broken, line("c")]);
    expect(report.ok).toBe(false);
    expect(report.items).toBe(2);
    expect(report.problems).toEqual([{ line: 2, field: "candidates[1].model", message: "must not be empty" }]);
  });

  it("reports a repeated external_id and a character defined twice differently", async () => {
    const other = JSON.parse(line("c"));
    other.character.profile.性格 = "豁达";
    const report = await run([line("a"), line("a"), JSON.stringify(other), line("d", { character: "林黛玉" })]);
    expect(report.problems).toEqual([
      { line: 2, field: "external_id", message: '"a" is already used on line 1' },
      { line: 3, field: "character.profile", message: 'differs from the profile given for "林黛玉" on line 1' },
    ]);
    // 林黛玉 is defined inline in the file, so it need not exist in the project.
    expect(report.referencedCharacters).toEqual([]);
  });

  it("caps the problem list but counts every problem", async () => {
    const lines = Array.from({ length: 250 }, () => "{}");
    const report = await run(lines);
    expect(report.problems).toHaveLength(IMPORT_LIMITS.maxReportedErrors);
    expect(report.problemCount).toBe(250 * 3); // external_id, character, context (candidates may wait for generation)
    expect(report.truncated).toBe(true);
    const small = await run(lines, { maxProblems: 3 });
    expect(small.problems.map((p) => p.line)).toEqual([1, 1, 1]);
  });

  it("says an empty file has no items", async () => {
    const report = await validateImport(parseImportJsonl(["\n\n"]));
    expect(report).toMatchObject({ ok: false, items: 0, problems: [{ line: 0, field: "(file)" }] });
  });

  it("reports progress", async () => {
    const progress: number[] = [];
    await run([line("a"), line("b")], { onProgress: (p: { lines: number }) => progress.push(p.lines) });
    expect(progress).toEqual([1, 2]);
  });
});

// ---------------------------------------------------------------------------
// CSV

function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s;
}

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields with commas, quotes and line breaks", async () => {
    const text = 'a,b,c\r\n"x, y","say ""hi""","line1\nline2\r\nline3"\n,,\nlast,"",end';
    const recs = await collect(parseCsv([text]));
    expect(recs.map((r) => r.fields)).toEqual([
      ["a", "b", "c"],
      ["x, y", 'say "hi"', "line1\nline2\r\nline3"],
      ["", "", ""],
      ["last", "", "end"],
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5, 6]);
  });

  it("drops a BOM and blank lines, accepts a missing final newline or a final CRLF", async () => {
    expect((await collect(parseCsv(["\uFEFFh1,h2\r\n\r\n1,2\r\n"]))).map((r) => r.fields)).toEqual([
      ["h1", "h2"],
      ["1", "2"],
    ]);
    expect((await collect(parseCsv(["a,b"]))).map((r) => r.fields)).toEqual([["a", "b"]]);
  });

  it("reports broken quoting and resumes on the next line", async () => {
    const recs = await collect(parseCsv(['a,b"c\n"x"y,z\nok,1\n"never closed,2\n3']));
    expect(recs.map((r) => [r.line, r.error ? "error" : r.fields])).toEqual([
      [1, "error"],
      [2, "error"],
      [3, ["ok", "1"]],
      [4, "error"],
    ]);
    expect(recs[0]?.error).toMatch(/quote inside an unquoted field/);
    expect(recs[1]?.error).toMatch(/closing quote/);
    expect(recs[3]?.error).toMatch(/never closed/);
  });

  it("refuses an oversize record without losing the next one", async () => {
    const recs = await collect(parseCsv([`a,"${"长".repeat(100)}\n${"x".repeat(50)}"\nb,c\n`], { maxRecordBytes: 64 }));
    expect(recs.map((r) => r.error ?? r.fields)).toEqual(["is longer than 64 bytes", ["b", "c"]]);
  });

  it("property: any table survives writing, chunking and reading", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.array(fc.array(fc.string({ unit: "grapheme", maxLength: 10 }), { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: 6,
          }),
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (rows, cuts, asBytes, crlf) => {
          const text = rows.map((r) => r.map(csvField).join(",")).join(crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n");
          const recs = await collect(parseCsv(chunked(text, cuts, asBytes)));
          // (A one-column row holding "" is written quoted, so it is a record, not a blank line.)
          expect(recs.map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
});

describe("parseImportCsv", () => {
  const header = "external_id,character,prompt,candidate_a,model_a,candidate_b,model_b,scene";

  it("maps rows to import lines, keeping text exactly", async () => {
    const csv = [
      header,
      'ce-1,孙悟空,"大圣，你今天去哪儿了？","俺老孙去了趟天宫，顺手摘了几个桃子！🍑",index-dpo,"去天宫了。\n（挠头）",baseline,',
      'ce-2,猪八戒,"二师兄,吃了吗?","吃了，吃了！""一大盆""呢",m1,还没呢,m2,高老庄',
    ].join("\r\n");
    const results = await collect(parseImportCsv([csv]));
    expect(results.every((r) => r.ok)).toBe(true);
    const [a, b] = results.map((r) => (r.ok ? r.value : null));
    expect(a).toEqual({
      external_id: "ce-1",
      character: "孙悟空",
      context: [{ role: "user", content: "大圣，你今天去哪儿了？" }],
      candidates: [
        { model: "index-dpo", content: "俺老孙去了趟天宫，顺手摘了几个桃子！🍑" },
        { model: "baseline", content: "去天宫了。\n（挠头）" },
      ],
    });
    expect(b?.scene).toBe("高老庄");
    expect(b?.context[0]?.content).toBe("二师兄,吃了吗?");
    expect(b?.candidates[0]?.content).toBe('吃了，吃了！"一大盆"呢');
    expect(results.map((r) => r.line)).toEqual([2, 4]);
  });

  it("accepts user instead of prompt, an inline profile, gold, versions, extra candidates and metadata columns", async () => {
    const csv = [
      "External_ID,Character,profile,user,candidate_a,model_a,version_a,candidate_b,model_b,candidate_c,model_c,gold_strength,gold_accept,metadata.source",
      'x1,林黛玉,"{""性别"":""女"",""口头禅"":[""罢了""]}",妹妹好,好,m1,v1,不好,m2,,,-1,-1;-2,demo',
      "x2,林黛玉,,妹妹好,好,m1,,不好,m2,一般,m3,,,",
    ].join("\n");
    const results = await collect(parseImportCsv([csv]));
    const [a, b] = results.map((r) => (r.ok ? r.value : r));
    expect(a).toMatchObject({
      character: { name: "林黛玉", profile: { 性别: "女", 口头禅: ["罢了"] } },
      candidates: [
        { model: "m1", content: "好", version: "v1" },
        { model: "m2", content: "不好" },
      ],
      gold: { strength: -1, accept: [-2, -1] },
      metadata: { source: "demo" },
    });
    expect(b).toMatchObject({ character: "林黛玉", candidates: [{ model: "m1" }, { model: "m2" }, { model: "m3" }] });
  });

  it("names the CSV column in problems", async () => {
    const csv = [header, "ce-1,孙悟空,问题,,m1,回答,m2,", "ce-2,孙悟空,问题,回答,m1,回答,m2", 'ce-3,孙悟空,"问题",a,m1,b,,x'].join("\n");
    const results = await collect(parseImportCsv([csv]));
    expect(results.map((r) => (r.ok ? "ok" : r.issues))).toEqual([
      [{ field: "candidate_a", message: "must not be empty or only whitespace" }],
      [{ field: "(record)", message: "has 7 fields; the header has 8" }],
      [{ field: "model_b", message: "must not be empty" }],
    ]);
  });

  it("refuses a bad header once, with every problem", async () => {
    const results = await collect(parseImportCsv(["id,character,prompt,prompt,candidate_a,model_a,colour\n1,2,3,4,5,6,7\n"]));
    expect(results).toHaveLength(1);
    expect(results[0]?.line).toBe(1);
    const fields = results[0]?.ok === false ? results[0].issues.map((i) => i.field) : [];
    expect(fields).toEqual(["id", "prompt", "colour", "external_id", "candidate_b", "model_b"]);
  });

  it("refuses an empty file", async () => {
    const results = await collect(parseImportCsv([""]));
    expect(results[0]).toMatchObject({ ok: false, line: 1 });
  });

  it("goes through the same whole-file report as JSONL", async () => {
    const csv = `${header}\na,孙悟空,问,答一,m1,答二,m2,\na,孙悟空,问,答一,m1,答二,m2,\n`;
    const report = await validateImport(parseImport([enc.encode(csv)], "csv"));
    expect(report.problems).toEqual([{ line: 3, field: "external_id", message: '"a" is already used on line 2' }]);
  });
});

describe("importFormatOf", () => {
  it("knows the formats by extension", () => {
    expect(importFormatOf("items.JSONL")).toBe("jsonl");
    expect(importFormatOf("items.csv")).toBe("csv");
    expect(importFormatOf("items.txt")).toBeNull();
  });
});
