import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "../helpers/run-script";
import { validated } from "./raw-judgments";
import {
  llmfaoHeader,
  llmfaoPairLengths,
  llmfaoRowToRaw,
  llmfaoStrength,
  parseCsvLine,
  type LlmfaoColumns,
} from "@/lib/domain/convert/llmfao";
import { computeStatsReport } from "@/lib/domain/stats";
import type { RawJudgmentInput } from "@/lib/validation/raw-judgment";

const root = join(import.meta.dirname, "../..");
const fixtureDir = join(root, "tests/fixtures/llmfao");
const realDir = join(root, "../shared/data/llmfao_crowd");

function lengthsOf(text: string): Map<string, [number, number]> {
  const map = new Map<string, [number, number]>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const r = llmfaoPairLengths(JSON.parse(line));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    map.set(r.id, r.lengths);
  }
  return map;
}

function convert(csv: string, lengths?: Map<string, [number, number]>): RawJudgmentInput[] {
  const rows = csv.split("\n").filter((l) => l.trim() !== "");
  const header = llmfaoHeader(parseCsvLine(rows[0]!)!);
  if (!header.ok) throw new Error(JSON.stringify(header.issues));
  return rows.slice(1).map((row, i) => {
    const r = llmfaoRowToRaw(parseCsvLine(row)!, header.columns, { lengths });
    if (!r.ok) throw new Error(`row ${i + 2}: ${JSON.stringify(r.issues)}`);
    return r.line;
  });
}

describe("parseCsvLine", () => {
  it("splits plain and quoted fields", () => {
    expect(parseCsvLine("a,b,,d")).toEqual(["a", "b", "", "d"]);
    expect(parseCsvLine('1,"Model, Two","say ""hi""",x\r')).toEqual(["1", "Model, Two", 'say "hi"', "x"]);
    expect(parseCsvLine('"",x')).toEqual(["", "x"]);
    expect(parseCsvLine('a,"open')).toBeNull();
  });
});

describe("LLMFAO mapping", () => {
  const csv = readFileSync(join(fixtureDir, "crowd-comparisons.csv"), "utf8");
  const lengths = lengthsOf(readFileSync(join(fixtureDir, "pairs-crowd.jsonl"), "utf8"));

  it("maps winners to canonical strength: left (model_x = A) → −1, tie → 0, right → +1", () => {
    expect([llmfaoStrength("left"), llmfaoStrength("tie"), llmfaoStrength("right")]).toEqual([-1, 0, 1]);
  });

  it("gives one raw line per row, with models, display order and reply lengths", () => {
    const lines = convert(csv, lengths);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toEqual({
      judgment_id: "llmfao-0/worker-10",
      task_id: "llmfao-0",
      item_id: "llmfao-prompt-8",
      annotator: "llmfao-worker-10",
      kind: "pairwise",
      scale_points: 3,
      candidates: ["llmfao-0/x", "llmfao-0/y"],
      models: ["Model One", "Model, Two"],
      strength: -1,
      both_unacceptable: false,
      display_order: [0, 1],
      candidate_lengths: [6, 19],
      state: "valid",
    });
    expect(lines.map((l) => l.strength)).toEqual([-1, 0, 1, 1, 1, -1]);
    expect(lines[3]!.candidate_lengths).toEqual([3, 6]);
    expect(lines[5]!.candidate_lengths).toBeUndefined(); // pair 2 is not in the pairs file
    expect(lines[5]!.item_id).toBe("llmfao-prompt-5");
    expect(convert(csv)[0]!.candidate_lengths).toBeUndefined();
  });

  it("feeds the statistics: agreement, position and length bias, leaderboard", () => {
    const report = computeStatsReport(validated(convert(csv, lengths)), { bootstrapRounds: 0 });
    expect(report).toMatchObject({ tasks: 3, judgments: 6, annotators: 3 });
    // Pair 0: left, tie, right → 0 of 3 pairs agree; pair 1: right, right → 1 of 1.
    expect(report.percent_agreement).toMatchObject({ with_ties: 0.25, pairs_with_ties: 4, without_ties: 0.5 });
    // Non-tie votes: 2 for the left reply (rows 1 and 6), 3 for the right one.
    expect(report.all_annotators.left_share).toMatchObject({ successes: 2, n: 5 });
    // With lengths (pairs 0 and 1, all with a longer y): 3 of 4 non-tie votes for y.
    expect(report.all_annotators.longer_share).toMatchObject({ successes: 3, n: 4 });
    expect(report.bradley_terry!.map((r) => r.model).sort()).toEqual(["Model One", "Model Three", "Model, Two"]);
  });

  it("uses model ids when the name columns are absent", () => {
    const lines = convert("worker,winner,id,prompt,model_x,model_y\n7,tie,3,1,11,12\n");
    expect(lines[0]).toMatchObject({ task_id: "llmfao-3", annotator: "llmfao-worker-7", models: ["model-11", "model-12"], strength: 0 });
  });

  it("names missing columns and bad fields", () => {
    const header = llmfaoHeader(["id", "prompt", "model_x", "worker", "winner"]);
    expect(!header.ok && header.issues).toEqual([
      { field: "model_y", message: "column is missing from the header (found: id, prompt, model_x, worker, winner)" },
    ]);
    const columns = (llmfaoHeader(parseCsvLine("id,prompt,model_x,model_y,worker,winner")!) as { columns: LlmfaoColumns }).columns;
    const row = (line: string) => llmfaoRowToRaw(parseCsvLine(line)!, columns);
    expect(row("0,8,1,2,10,both")).toEqual({
      ok: false,
      issues: [{ field: "winner", message: 'must be left, right or tie (got "both")' }],
    });
    expect(row("0,8,1,2,,tie")).toEqual({ ok: false, issues: [{ field: "worker", message: "must not be empty" }] });
    expect(row("0,8,1,1,4,tie")).toMatchObject({ ok: false, issues: [{ field: "model_y" }] });
    expect(row("0,8,1")).toMatchObject({ ok: false, issues: [{ field: "(line)", message: expect.stringMatching(/3 fields/) }] });
    expect(llmfaoPairLengths({ id: 1, result_x: "a" })).toEqual({ ok: false, issues: [{ field: "result_y", message: "is required" }] });
  });
});

describe.skipIf(!existsSync(join(realDir, "crowd-comparisons.csv")))("LLMFAO real crowd data (shared/data)", () => {
  it("converts all 8,931 judgments and matches the README's counts", () => {
    const pairsFile = join(realDir, "pairs-crowd.jsonl");
    const lengths = existsSync(pairsFile) ? lengthsOf(readFileSync(pairsFile, "utf8")) : undefined;
    const lines = validated(convert(readFileSync(join(realDir, "crowd-comparisons.csv"), "utf8"), lengths));
    expect(lines).toHaveLength(8931);
    expect(new Set(lines.map((l) => l.annotator)).size).toBe(124);
    expect(new Set(lines.map((l) => l.task_id)).size).toBe(2139);
    expect(new Set(lines.map((l) => l.item_id)).size).toBe(13);
    const winners = { left: 0, tie: 0, right: 0 };
    for (const l of lines) winners[l.strength === -1 ? "left" : l.strength === 1 ? "right" : "tie"]++;
    expect(winners).toEqual({ left: 2911, right: 2549, tie: 3471 });
    // Judgments per pair: 5 → 998 pairs, 4 → 658, 3 → 358, 2 → 110, 1 → 15.
    const perTask = new Map<string, number>();
    for (const l of lines) perTask.set(String(l.task_id), (perTask.get(String(l.task_id)) ?? 0) + 1);
    const hist: Record<number, number> = {};
    for (const n of perTask.values()) hist[n] = (hist[n] ?? 0) + 1;
    expect(hist).toEqual({ 1: 15, 2: 110, 3: 358, 4: 658, 5: 998 });
    if (lengths) expect(lines.every((l) => l.candidate_lengths !== undefined)).toBe(true);
  });
});

describe("scripts/convert-llmfao.ts", () => {
  const tmp = mkdtempSync(join(tmpdir(), "llmfao-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (args: string[]) => runScript("scripts/convert-llmfao.ts", args);

  it("converts a folder (reading the pairs file beside the CSV) to standard output", async () => {
    const r = await run([fixtureDir]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as RawJudgmentInput);
    expect(lines).toHaveLength(6);
    expect(lines[0]!.candidate_lengths).toEqual([6, 19]);
    expect(r.stderr).toMatch(/6 rows → 6 raw judgments \(1 without reply lengths/);
  });

  it("names the line and field of bad input, exits 1 and writes nothing", async () => {
    const out = join(tmp, "bad.jsonl");
    const r = await run([join(fixtureDir, "bad.csv"), "--out", out]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/bad\.csv: line 3: winner: must be left, right or tie \(got "both"\)$/);
    expect(lines[1]).toMatch(/bad\.csv: line 4: worker: must not be empty$/);
    expect(lines[2]).toMatch(/bad\.csv: line 5: \(line\): has 4 fields/);
    expect(lines[3]).toMatch(/bad\.csv: line 6: \(line\): a quoted field is not closed/);
    expect(lines[4]).toMatch(/4 problems; nothing written/);
    expect(existsSync(out)).toBe(false);
    expect((await run(["--help"])).code).toBe(0);
    expect((await run(["--nope", fixtureDir])).code).toBe(2);
  });
});
