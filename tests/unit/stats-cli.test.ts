import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "../helpers/run-script";

const root = join(import.meta.dirname, "../..");
const fixtures = join(root, "tests/fixtures/raw");
const tmp = mkdtempSync(join(tmpdir(), "stats-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[]) => runScript("scripts/stats.ts", args);

describe("npm run stats", () => {
  it("prints one JSON object with the issue's fields for a valid file", async () => {
    const r = await run([join(fixtures, "small.jsonl"), "--seed", "3", "--rounds", "50"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of [
      "tasks",
      "judgments",
      "annotators",
      "percent_agreement",
      "krippendorff_alpha",
      "fleiss_kappa",
      "cohen_kappa",
      "kendall_w",
      "per_annotator",
      "bradley_terry",
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report).toMatchObject({
      tasks: 6,
      judgments: 13,
      annotators: 4,
      percent_agreement: { with_ties: expect.closeTo(4 / 7, 12), without_ties: 0.8, pairs_with_ties: 7, pairs_without_ties: 5 },
      fleiss_kappa: { value: expect.closeTo(5 / 11, 12), tasks: 2 },
      kendall_w: { value: 0.5, chance: 0.5 },
      bootstrap: { rounds: 50, seed: 3 },
    });
    // Same seed, same bytes.
    const again = await run([join(fixtures, "small.jsonl"), "--seed", "3", "--rounds", "50"]);
    expect(again.stdout).toBe(r.stdout);
  });

  it("names each bad line and exits 1 without printing statistics", async () => {
    const r = await run([join(fixtures, "bad.jsonl")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe("line 2: strength: 3 is not on the scale (allowed on the 3-point scale: -1, 0, 1)");
    expect(lines[1]).toBe("line 3: annotator: is required");
    expect(lines[2]).toMatch(/^line 4: \(json\): invalid JSON/);
    expect(lines[3]).toBe('line 6: scale_points: is 5 but 3 for task "t2" on line 5');
    expect(lines[4]).toMatch(/4 problems in 6 lines; no statistics computed$/);
  });

  it("caps the problems it prints", async () => {
    const file = join(tmp, "many.jsonl");
    writeFileSync(file, Array.from({ length: 80 }, (_, i) => JSON.stringify({ task_id: i, scale_points: 3, strength: 0 })).join("\n"));
    const r = await run([file]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(51);
    expect(lines[49]).toBe("line 50: annotator: is required");
    expect(lines[50]).toMatch(/80 problems in 80 lines \(30 more not shown\)/);
  });

  it("usage errors exit 2, --help exits 0, a missing file exits 1", async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/missing input file/);
    const badRounds = await run([join(fixtures, "small.jsonl"), "--rounds", "many"]);
    expect(badRounds.code).toBe(2);
    expect(badRounds.stderr).toMatch(/--rounds must be an integer/);
    const unknown = await run([join(fixtures, "small.jsonl"), "--bogus"]);
    expect(unknown.code).toBe(2);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage:/);
    const missing = await run([join(tmp, "nope.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*ENOENT/);
  });
});
