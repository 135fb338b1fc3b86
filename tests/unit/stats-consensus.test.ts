import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScript } from "../helpers/run-script";
import {
  computeConsensus,
  consensusJudgmentsOf,
  createRng,
  sigmoid,
  type ConsensusJudgment,
  type StatsJudgmentInput,
} from "@/lib/domain/stats";

const tmp = mkdtempSync(join(tmpdir(), "stats-consensus-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A crowd over 3 models: careful annotators c0–c2, one who clicks the left reply 80 % of the
 * time (l), one who answers at random (s). Ties when the true gap is small.
 */
function crowd(tasks: number, seed: number): StatsJudgmentInput[] {
  const rng = createRng(seed);
  const scores: Record<string, number> = { x: 1, y: 0, z: -1 };
  const models = Object.keys(scores);
  const lines: StatsJudgmentInput[] = [];
  for (let t = 0; t < tasks; t++) {
    const a = models[rng.int(3)]!;
    let b = models[rng.int(3)]!;
    while (b === a) b = models[rng.int(3)]!;
    const aWins = rng.next() < sigmoid(2 * (scores[a]! - scores[b]!));
    for (const annotator of ["c0", "c1", "c2", "l", "s"]) {
      if (rng.next() < 0.35) continue;
      const order = rng.next() < 0.5 ? [0, 1] : [1, 0];
      let strength: number;
      if (annotator === "s") strength = rng.int(3) - 1;
      else if (annotator === "l" && rng.next() < 0.8) strength = order[0] === 0 ? -1 : 1;
      else strength = rng.next() < 0.9 ? (aWins ? -1 : 1) : 0;
      lines.push({ task_id: `t${t}`, annotator, scale_points: 3, models: [a, b], strength, display_order: order });
    }
  }
  return lines;
}

const run = (args: string[]) => runScript("scripts/stats.ts", args);

describe("consensus report", () => {
  const judgments = consensusJudgmentsOf(crowd(600, 2));

  it("flags the left clicker by position bias and the random clicker by MACE and Dawid–Skene", () => {
    const mace = computeConsensus(judgments, "mace");
    const by = Object.fromEntries(mace.report.annotators.map((a) => [a.annotator, a]));
    expect(by.l!.flags).toContain("position-bias");
    expect(by.l!.position_bias!.low).toBeGreaterThan(0.6);
    expect(by.s!.flags).toContain("likely-spammer");
    expect(by.c0!.flags).toEqual([]);
    expect(by.c0!.competence!).toBeGreaterThan(0.7);
    expect(by.s!.competence!).toBeLessThan(by.c0!.competence!);
    const ds = computeConsensus(judgments, "dawid-skene");
    const dsBy = Object.fromEntries(ds.report.annotators.map((a) => [a.annotator, a]));
    expect(dsBy.s!.accuracy).toBeLessThan(dsBy.c1!.accuracy);
    expect(ds.report.priors!.A + ds.report.priors!.tie + ds.report.priors!.B).toBeCloseTo(1, 3);
    expect(ds.report.noisy_bradley_terry!.models.map((m) => m.model)).toEqual(["x", "y", "z"]);
  });

  it("counts the last valid pairwise line of each annotator and task", () => {
    const lines: StatsJudgmentInput[] = [
      { task_id: 1, annotator: "a", scale_points: 3, strength: -1 },
      { task_id: 1, annotator: "a", scale_points: 3, strength: 1 },
      { task_id: 1, annotator: "b", scale_points: 3, strength: 1, state: "rejected" },
      { task_id: 1, annotator: "c", scale_points: 3, strength: null, both_unacceptable: true },
      { task_id: 2, annotator: "a", scale_points: 3, ranking: [1, 2, 3] },
    ];
    expect(consensusJudgmentsOf(lines)).toEqual<ConsensusJudgment[]>([
      { task: 1, annotator: "a", strength: 1, displayOrder: null, models: null, goldStrength: null },
    ]);
  });
});

describe("npm run stats -- --consensus", () => {
  const file = join(tmp, "crowd.jsonl");
  writeFileSync(
    file,
    `${crowd(120, 5)
      .map((l) => JSON.stringify(l))
      .join("\n")}\n`,
  );

  it("adds the consensus object and writes one label line per task", async () => {
    const labels = join(tmp, "labels.jsonl");
    const r = await run([file, "--rounds", "0", "--consensus", "dawid-skene", "--labels", labels]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { tasks: number; consensus: Record<string, unknown> };
    expect(out.consensus).toMatchObject({ method: "dawid-skene", converged: true });
    expect(typeof out.consensus.iterations).toBe("number");
    const annotators = out.consensus.annotators as { annotator: string; accuracy: number; confusion: Record<string, unknown> }[];
    expect(annotators.map((a) => a.annotator)).toEqual(["c0", "c1", "c2", "l", "s"]);
    for (const a of annotators) expect(Object.keys(a.confusion)).toEqual(["A", "tie", "B"]);
    const lines = readFileSync(labels, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { task_id: string; label: string; posterior: { A: number; tie: number; B: number } });
    expect(lines).toHaveLength(out.tasks);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["task_id", "label", "posterior"]);
      expect(["A", "tie", "B"]).toContain(l.label);
      expect(Object.keys(l.posterior)).toEqual(["A", "tie", "B"]);
      expect(l.posterior.A + l.posterior.tie + l.posterior.B).toBeCloseTo(1, 3);
    }
  }, 120_000);

  it("gives the same bytes for the same seed with MACE, and refuses an unknown method", async () => {
    const first = await run([file, "--rounds", "0", "--consensus", "mace", "--seed", "4"]);
    const second = await run([file, "--rounds", "0", "--consensus", "mace", "--seed", "4"]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const bad = await run([file, "--consensus", "vote"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--consensus must be one of majority, dawid-skene, mace/);
  }, 180_000);
});
