import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseImportCsv, parseImportJsonl, validateImport } from "@/lib/domain/import-parse";
import { ImportLine, checkGoldAgainstScale } from "@/lib/validation/import";

/** Every example in docs/import-format.md must be valid: the doc is the contract. */
const doc = readFileSync(join(import.meta.dirname, "../../docs/import-format.md"), "utf8");
const blocks = (lang: string) => [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1] as string);

describe("docs/import-format.md examples", () => {
  it("the pretty-printed item is a valid import line whose gold fits a 7-point scale", () => {
    const item = blocks("json").find((b) => b.includes('"external_id"'));
    expect(item).toBeDefined();
    const line = ImportLine.parse(JSON.parse(item as string));
    expect(line.candidates[0]?.content).toContain("🐒");
    expect(checkGoldAgainstScale(line.gold!, 7)).toEqual([]);
  });

  it("the JSONL file imports cleanly", async () => {
    const files = blocks("jsonl");
    expect(files).toHaveLength(1);
    const report = await validateImport(parseImportJsonl([files[0] as string]));
    expect(report).toMatchObject({ ok: true, items: 3, problemCount: 0, referencedCharacters: [] });
  });

  it("the CSV files import cleanly", async () => {
    const files = blocks("csv");
    expect(files).toHaveLength(2);
    const lines = [];
    for (const f of files) {
      for await (const r of parseImportCsv([f])) {
        expect(r.ok, JSON.stringify(r)).toBe(true);
        if (r.ok) lines.push(r.value);
      }
    }
    expect(lines.map((l) => l.external_id)).toEqual(["csv-0001", "csv-0002", "csv-0101"]);
    expect(lines[1]?.candidates[0]?.content).toBe('（跳起来）什么？"又"被抓了？\n八戒看好行李，俺老孙去去就回！');
    expect(lines[2]).toMatchObject({
      character: { name: "林黛玉", profile: { 口头禅: ["罢了"] } },
      gold: { strength: -2, accept: [-3, -2, -1] },
      metadata: { source: "demo" },
    });
  });
});
