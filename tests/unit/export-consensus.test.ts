import { describe, expect, it } from "vitest";
import {
  aggregateTask,
  buildExportInMemory,
  buildManifest,
  consensusInputOf,
  emptyCounts,
  fitExportConsensus,
  resolvePolicy,
  type DpoRow,
  type ExportJudgment,
  type ExportTask,
} from "@/lib/domain/export";
import { createRng } from "@/lib/domain/stats";

/**
 * 300 pairs judged by two careful annotators (right 90 % of the time) and three who answer
 * "A" whatever they see: majority vote follows the three, an annotator model does not.
 */
function crowd(seed: number): { tasks: ExportTask[]; truth: Map<string, "A" | "B"> } {
  const rng = createRng(seed);
  const tasks: ExportTask[] = [];
  const truth = new Map<string, "A" | "B">();
  for (let t = 0; t < 300; t++) {
    const aBetter = rng.next() < 0.5;
    const taskId = `t${String(t).padStart(3, "0")}`;
    truth.set(taskId, aBetter ? "A" : "B");
    const judgments: ExportJudgment[] = ["careful-1", "careful-2", "a-clicker-1", "a-clicker-2", "a-clicker-3"].map((annotatorKey) => {
      const right = rng.next() < 0.9;
      const strength = annotatorKey.startsWith("a-clicker") ? -2 : aBetter === right ? -2 : 2;
      return { annotatorKey, strength, bothUnacceptable: false, unsafe: {}, state: "valid", excluded: false };
    });
    tasks.push({
      taskId,
      itemId: `i${t}`,
      kind: "pairwise",
      scalePoints: 5,
      candidates: [
        { id: `${taskId}a`, model: "m-a", content: `A ${t}` },
        { id: `${taskId}b`, model: "m-b", content: `B ${t}` },
      ],
      item: { externalId: `x${t}`, character: { name: "佟湘玉", profile: {} }, context: [{ role: "user", content: `问题 ${t}` }] },
      judgments,
      isGold: false,
    });
  }
  return { tasks, truth };
}

const chosenSide = (row: DpoRow) => (row.chosen_model === "m-a" ? "A" : "B");

describe("export policy consensus: dawid-skene | mace", () => {
  const { tasks, truth } = crowd(3);

  for (const method of ["dawid-skene", "mace"] as const) {
    it(`labels pairs by ${method}, beating majority vote against the truth, with its posterior as agreement`, () => {
      const majority = buildExportInMemory(tasks, { consensus: "majority", minAgreement: 0, testPercent: 0 });
      const model = buildExportInMemory(tasks, { consensus: method, minPosterior: 0, testPercent: 0 });
      const correct = (rows: DpoRow[]) => rows.filter((r) => chosenSide(r) === truth.get(String(r.id).split("/")[0]!)).length / rows.length;
      const majorityRows = majority.train as DpoRow[];
      const modelRows = model.train as DpoRow[];
      expect(correct(modelRows)).toBeGreaterThan(correct(majorityRows) + 0.2);
      expect(correct(modelRows)).toBeGreaterThan(0.85);
      const fitted = fitExportConsensus(consensusInputOf(tasks), method);
      for (const r of modelRows.slice(0, 20)) {
        const taskId = String(r.id).split("/")[0]!;
        const m = fitted.get(taskId)!;
        expect(r.agreement).toBe(m.posterior[m.label]);
      }
    });
  }

  it("holds the label's posterior to minPosterior, and gives the same bytes twice", () => {
    const loose = buildExportInMemory(tasks, { consensus: "dawid-skene", minPosterior: 0, testPercent: 0 });
    const strict = buildExportInMemory(tasks, { consensus: "dawid-skene", minPosterior: 0.99, testPercent: 0 });
    expect(strict.counts.tasks_dropped.low_agreement).toBeGreaterThan(0);
    expect(strict.train.length).toBeLessThan(loose.train.length);
    for (const r of strict.train as DpoRow[]) expect(r.agreement).toBeGreaterThanOrEqual(0.99);
    const again = buildExportInMemory([...tasks].reverse(), { consensus: "dawid-skene", minPosterior: 0.99, testPercent: 0 });
    expect(again.files.map((f) => f.sha256)).toEqual(strict.files.map((f) => f.sha256));
  });

  it("records the method in the manifest only when it is not majority vote", () => {
    const base = {
      kind: "dpo" as const,
      project: { slug: "p", name: "P" },
      counts: emptyCounts(),
      files: [],
      generatedAt: "2026-01-01T00:00:00Z",
      appVersion: "1",
    };
    const ds = buildManifest({ ...base, policy: resolvePolicy({ consensus: "dawid-skene", minPosterior: 0.9 }) });
    expect(ds.policy).toMatchObject({ consensus: "dawid-skene", min_posterior: 0.9, consensus_seed: 1 });
    expect(ds.policy.aggregation).toMatch(/dawid-skene model/);
    const majority = buildManifest({ ...base, policy: resolvePolicy() });
    expect(majority.policy).not.toHaveProperty("consensus");
    expect(majority.policy).not.toHaveProperty("min_posterior");
  });

  it("keeps a strict majority of 'both unacceptable' and an adjudicated label over the model", () => {
    const policy = resolvePolicy({ consensus: "dawid-skene", minPosterior: 0.5 });
    const t = tasks[0]!;
    const unacceptable = {
      ...t,
      judgments: t.judgments.map((j, i) => (i < 3 ? { ...j, strength: null, bothUnacceptable: true } : j)),
      modelConsensus: { label: 0 as const, posterior: [0.9, 0.05, 0.05] },
    };
    expect(aggregateTask(unacceptable, policy).result).toMatchObject({ ok: true, ties: "both_unacceptable" });
    const adjudicated = { ...t, adjudicated: { strength: 2 }, modelConsensus: { label: 0 as const, posterior: [0.9, 0.05, 0.05] } };
    expect(aggregateTask(adjudicated, policy).result).toMatchObject({ ok: true, consensus: { outcome: "B" } });
    const unfitted = { ...t, modelConsensus: null };
    expect(aggregateTask(unfitted, policy).result).toEqual({ ok: false, reason: "no_majority" });
  });
});
