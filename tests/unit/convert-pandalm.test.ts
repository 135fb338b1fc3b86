import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "../helpers/run-script";
import { validated } from "./raw-judgments";
import { JsonRecordSplitter, JsonRecordsError, type JsonRecordText } from "@/lib/domain/convert/json-records";
import { pandalmStrength, pandalmToRaw, parsePandalmRecord } from "@/lib/domain/convert/pandalm";
import { textLength } from "@/lib/domain/convert/common";
import { computeStatsReport } from "@/lib/domain/stats";
import type { RawJudgmentInput } from "@/lib/validation/raw-judgment";

const root = join(import.meta.dirname, "../..");
const fixtureDir = join(root, "tests/fixtures/pandalm");
const realFile = join(root, "../shared/data/pandalm_testset/testset-v1.json");

function splitAll(text: string, chunk = text.length): JsonRecordText[] {
  const s = new JsonRecordSplitter();
  const out: JsonRecordText[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  s.end();
  return out;
}

function convert(text: string): RawJudgmentInput[] {
  const lines: RawJudgmentInput[] = [];
  for (const rec of splitAll(text, 4096)) {
    const parsed = parsePandalmRecord(JSON.parse(rec.text));
    if (!parsed.ok) throw new Error(`line ${rec.line}: ${JSON.stringify(parsed.issues)}`);
    lines.push(...pandalmToRaw(parsed.item));
  }
  return lines;
}

describe("JsonRecordSplitter", () => {
  const text = readFileSync(join(fixtureDir, "testset-v1.json"), "utf8");

  it("splits a JSON array into its objects with their start lines, whatever the chunking", () => {
    const whole = splitAll(text);
    expect(whole.map((r) => r.line)).toEqual([2, 14, 26, 38]);
    expect(whole.map((r) => (JSON.parse(r.text) as { idx: number }).idx)).toEqual([0, 1, 2, 3]);
    for (const size of [1, 2, 7, 64]) expect(splitAll(text, size)).toEqual(whole);
  });

  it("reads JSON Lines and concatenated objects too", () => {
    const out = splitAll('{"a": 1}\n{"a": "}{"}\n\n{"a": [1, {"b": 2}]}\n');
    expect(out.map((r) => JSON.parse(r.text))).toEqual([{ a: 1 }, { a: "}{" }, { a: [1, { b: 2 }] }]);
    expect(out.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(splitAll("[]")).toEqual([]);
    expect(splitAll('\uFEFF[{"a": "\\"}"}]').map((r) => JSON.parse(r.text))).toEqual([{ a: '"}' }]);
  });

  it("rejects what is not an array of objects, naming the line", () => {
    const error = (t: string) => {
      try {
        splitAll(t);
      } catch (e) {
        expect(e).toBeInstanceOf(JsonRecordsError);
        return (e as Error).message;
      }
      return "no error";
    };
    expect(error('[{"a": 1},\n]')).toBe('line 2: unexpected "]" after ","');
    expect(error('[{"a": 1} {"a": 2}]')).toMatch(/expected "," or "\]"/);
    expect(error("[1, 2]")).toMatch(/expected a JSON object/);
    expect(error('"text"')).toMatch(/expected "\[" or "\{" at the start/);
    expect(error('[{"a": 1}')).toMatch(/ends before the closing/);
    expect(error('[{"a": \n1')).toBe("line 1: the input ends inside a record");
    expect(error('[{"a": 1}] {"b": 2}')).toMatch(/after the closing/);
  });
});

describe("PandaLM mapping", () => {
  it("maps labels to canonical strength: 1 → −1 (response1 = A better), 0 → 0, 2 → +1", () => {
    expect([pandalmStrength(1), pandalmStrength(0), pandalmStrength(2)]).toEqual([-1, 0, 1]);
  });

  it("gives one raw line per labelled annotator", () => {
    const lines = convert(readFileSync(join(fixtureDir, "testset-v1.json"), "utf8"));
    expect(lines).toHaveLength(11); // 3 + 3 + 3 + 2 (a null label gives no line)
    expect(lines[0]).toEqual({
      judgment_id: "pandalm-0/annotator1",
      task_id: "pandalm-0",
      item_id: "pandalm-0",
      annotator: "pandalm-annotator1",
      kind: "pairwise",
      scale_points: 3,
      candidates: ["pandalm-0/1", "pandalm-0/2"],
      models: ["model-a", "model-b"],
      strength: -1,
      both_unacceptable: false,
      candidate_lengths: [6, 17],
      state: "valid",
    });
    expect(lines.filter((l) => l.task_id === "pandalm-1").map((l) => l.strength)).toEqual([1, 1, 0]);
    expect(lines[3]!.candidate_lengths).toEqual([3, 5]); // "] }", "你好，世界" in code points
    expect(lines[6]!.candidate_lengths).toEqual([4, 8]); // the boolean true counts as "true"
    expect(lines.filter((l) => l.task_id === "pandalm-3").map((l) => [l.annotator, l.strength])).toEqual([
      ["pandalm-annotator1", 1],
      ["pandalm-annotator2", -1],
    ]);
    const valid = validated(lines);
    const report = computeStatsReport(valid, { bootstrapRounds: 0 });
    expect(report).toMatchObject({ tasks: 4, judgments: 11, annotators: 3 });
    // Pairs: task 0: 3/3, task 1: 1/3, task 2: 3/3, task 3: 0/1 → 7/10.
    expect(report.percent_agreement).toMatchObject({ with_ties: 0.7, pairs_with_ties: 10 });
  });

  it("honours an id prefix", () => {
    const parsed = parsePandalmRecord({ idx: 5, cmp_key: "x_y", response1: "a", response2: "b", annotator1: 0 });
    expect(parsed.ok && pandalmToRaw(parsed.item, { prefix: "p/" })[0]).toMatchObject({ task_id: "p/5", annotator: "p/annotator1" });
  });

  it("names the field of a bad record", () => {
    const bad = parsePandalmRecord({ idx: 0, cmp_key: "a_b", response1: "x", response2: "y", annotator1: 1, annotator2: 3 });
    expect(!bad.ok && bad.issues).toEqual([
      { field: "annotator2", message: "must be 0 (tie), 1 (response1 better) or 2 (response2 better), got 3" },
    ]);
    const key = parsePandalmRecord({ idx: 0, cmp_key: "ab", response1: "x", response2: "y", annotator1: 1 });
    expect(!key.ok && key.issues[0]!.field).toBe("cmp_key");
    const none = parsePandalmRecord({ idx: 0, cmp_key: "a_b", response1: "x", response2: "y" });
    expect(!none.ok && none.issues[0]!.field).toBe("annotator1");
    const missing = parsePandalmRecord({ cmp_key: "a_b", response1: "x", annotator1: 1 });
    expect(!missing.ok && missing.issues.map((i) => i.field)).toEqual(["idx", "response2"]);
  });

  it("textLength counts code points", () => {
    expect(textLength("a😀b")).toBe(3);
  });
});

describe.skipIf(!existsSync(realFile))("PandaLM real test set (shared/data)", () => {
  it("converts all 999 records × 3 annotators and matches the README's counts", () => {
    const lines = validated(convert(readFileSync(realFile, "utf8")));
    expect(lines).toHaveLength(2997);
    const byTask = new Map<string, number[]>();
    for (const l of lines) byTask.set(String(l.task_id), [...(byTask.get(String(l.task_id)) ?? []), l.strength!]);
    expect(byTask.size).toBe(999);
    let unanimous = 0;
    const majority = { "-1": 0, "0": 0, "1": 0 } as Record<string, number>;
    for (const s of byTask.values()) {
      if (new Set(s).size === 1) unanimous++;
      const top = [-1, 0, 1].find((v) => s.filter((x) => x === v).length >= 2)!;
      majority[String(top)]!++;
    }
    expect(unanimous).toBe(879);
    // README: majority label 0 (tie) → 105, 1 (response1) → 422, 2 (response2) → 472.
    expect(majority).toEqual({ "0": 105, "-1": 422, "1": 472 });
    expect(new Set(lines.flatMap((l) => l.models ?? [])).size).toBe(5);
  });
});

describe("scripts/convert-pandalm.ts", () => {
  const tmp = mkdtempSync(join(tmpdir(), "pandalm-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("converts a folder to a file that the stats command reads", async () => {
    const out = join(tmp, "pandalm.jsonl");
    const r = await runScript("scripts/convert-pandalm.ts", [fixtureDir, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/4 records → 11 raw judgments/);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(11);
    const stats = await runScript("scripts/stats.ts", [out, "--rounds", "0"]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ tasks: 4, judgments: 11, annotators: 3 });
  });

  it("names the line and field of bad input, exits 1 and writes nothing", async () => {
    const out = join(tmp, "bad.jsonl");
    const r = await runScript("scripts/convert-pandalm.ts", [join(fixtureDir, "bad.json"), "--out", out]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^line 2: annotator2: must be 0 \(tie\)/);
    expect(lines[1]).toMatch(/^line 3: cmp_key: /);
    expect(lines[2]).toMatch(/^line 4: \(json\): the input ends before the closing "\]"/);
    expect(existsSync(out)).toBe(false);
    const help = await runScript("scripts/convert-pandalm.ts", ["--help"]);
    expect(help.code).toBe(0);
    expect((await runScript("scripts/convert-pandalm.ts", [])).code).toBe(2);
  });
});
