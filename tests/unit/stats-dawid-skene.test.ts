import { describe, expect, it } from "vitest";
import { dawidSkene, majorityVote, type LabelObservation } from "@/lib/domain/stats";
import { simulateCrowd } from "./crowd-simulation";

/**
 * Dawid & Skene (1979), Table 1: five anaesthetists rate 45 patients' fitness for anaesthesia
 * on four classes; anaesthetist 1 rated every patient three times. `ANAESTHESIA[p][k]` lists
 * anaesthetist k+1's ratings of patient p+1 (classes 1–4).
 */
const ANAESTHESIA: number[][][] = [
  [[1, 1, 1], [1], [1], [1], [1]],
  [[3, 3, 3], [4], [3], [3], [4]],
  [[1, 1, 2], [2], [1], [2], [2]],
  [[2, 2, 2], [3], [1], [2], [1]],
  [[2, 2, 2], [3], [2], [2], [2]],
  [[2, 2, 2], [3], [3], [2], [2]],
  [[1, 2, 2], [2], [1], [1], [1]],
  [[3, 3, 3], [3], [4], [3], [3]],
  [[2, 2, 2], [2], [2], [2], [3]],
  [[2, 3, 2], [2], [2], [2], [3]],
  [[4, 4, 4], [4], [4], [4], [4]],
  [[2, 2, 2], [3], [3], [4], [3]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[2, 2, 2], [3], [2], [1], [2]],
  [[1, 2, 1], [1], [1], [1], [1]],
  [[1, 1, 1], [2], [1], [1], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[2, 2, 2], [2], [2], [2], [1]],
  [[2, 2, 2], [1], [3], [2], [2]],
  [[2, 2, 2], [2], [2], [2], [2]],
  [[2, 2, 2], [2], [2], [2], [1]],
  [[2, 2, 2], [3], [2], [2], [2]],
  [[2, 2, 1], [2], [2], [2], [2]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[2, 3, 2], [2], [2], [2], [2]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 1, 2], [1], [1], [2], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[3, 3, 3], [3], [2], [3], [3]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[2, 2, 2], [2], [2], [2], [2]],
  [[2, 2, 2], [3], [2], [3], [2]],
  [[4, 3, 3], [4], [3], [4], [3]],
  [[2, 2, 1], [2], [2], [3], [2]],
  [[2, 3, 2], [3], [2], [3], [3]],
  [[3, 3, 3], [3], [4], [3], [2]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 1, 1], [1], [1], [1], [1]],
  [[1, 2, 1], [2], [1], [1], [1]],
  [[2, 3, 2], [2], [2], [2], [2]],
  [[1, 2, 1], [1], [1], [1], [1]],
  [[2, 2, 2], [2], [2], [2], [2]],
];

function anaesthesia(): LabelObservation[] {
  return ANAESTHESIA.flatMap((observers, p) =>
    observers.flatMap((ratings, k) => ratings.map((r) => ({ task: p + 1, annotator: `observer ${k + 1}`, label: r - 1 }))),
  );
}

/** Simulated crowd: tasks with a known class, each answered by `overlap` distinct annotators drawn from a confusion matrix. */
function simulate(confusions: number[][][], priors: number[], tasks: number, overlap: number, seed: number) {
  return simulateCrowd({
    tasks,
    overlap,
    annotators: confusions.length,
    seed,
    truth: (_rng, draw) => draw(priors),
    answer: (k, t, _rng, draw) => draw(confusions[k]![t]!),
  });
}

const GOOD = [
  [0.9, 0.05, 0.05],
  [0.1, 0.8, 0.1],
  [0.05, 0.05, 0.9],
];
const TIE_LOVER = [
  [0.5, 0.45, 0.05],
  [0.05, 0.9, 0.05],
  [0.05, 0.45, 0.5],
];
const CARELESS = [
  [0.4, 0.2, 0.4],
  [0.35, 0.3, 0.35],
  [0.4, 0.2, 0.4],
];
const LEFT_OF_A = [
  [0.95, 0.03, 0.02],
  [0.3, 0.6, 0.1],
  [0.35, 0.05, 0.6],
];

describe("Dawid–Skene", () => {
  it("reproduces Dawid & Skene's (1979) anaesthetist example", () => {
    const r = dawidSkene(anaesthesia(), { classes: 4 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(100);
    // The paper's class proportions (§4): 0.40, 0.42, 0.11, 0.07.
    expect(r.priors.map((p) => p.toFixed(2))).toEqual(["0.40", "0.42", "0.11", "0.07"]);
    // Anaesthetist 1's estimated error rates (the paper's Table 2), rows = true class.
    const o1 = r.annotators.find((a) => a.annotator === "observer 1")!;
    expect(o1.judgments).toBe(135);
    expect(o1.confusion.map((row) => row!.map((x) => x.toFixed(2)))).toEqual([
      ["0.89", "0.11", "0.00", "0.00"],
      ["0.07", "0.88", "0.05", "0.00"],
      ["0.00", "0.34", "0.66", "0.00"],
      ["0.00", "0.00", "0.56", "0.44"],
    ]);
    // Patients whose ratings split: 2 leans to class 4 (two observers said 4, three said 3), 3 and 10 to class 2.
    expect(r.labels[1]).toBe(3);
    expect(r.labels[2]).toBe(1);
    expect(r.labels[9]).toBe(1);
    for (const row of r.posterior) expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it("raises the log-likelihood at every EM step (stopping after n steps never beats n + 1)", () => {
    const data = anaesthesia();
    let previous = -Infinity;
    for (let n = 1; n <= 12; n++) {
      const r = dawidSkene(data, { classes: 4, maxIterations: n, tolerance: 0 });
      expect(r.logLikelihood!).toBeGreaterThanOrEqual(previous - 1e-9);
      previous = r.logLikelihood!;
    }
  });

  it("recovers simulated truth, priors and each annotator's confusion (±0.05), beating majority vote", () => {
    const confusions = [GOOD, GOOD, GOOD, TIE_LOVER, CARELESS, LEFT_OF_A];
    const priors = [0.45, 0.15, 0.4];
    const { observations, truth } = simulate(confusions, priors, 6000, 3, 7);
    const ds = dawidSkene(observations, { classes: 3, tieClass: 1 });
    const mv = majorityVote(observations, { classes: 3, tieClass: 1 });
    expect(ds.converged).toBe(true);
    const accuracy = (labels: number[]) => labels.filter((l, i) => l === truth[i]).length / truth.length;
    expect(accuracy(ds.labels)).toBeGreaterThan(accuracy(mv.labels) + 0.02);
    expect(accuracy(ds.labels)).toBeGreaterThan(0.9);
    ds.priors.forEach((p, c) => expect(Math.abs(p - priors[c]!)).toBeLessThan(0.03));
    for (const a of ds.annotators) {
      const k = Number(a.annotator.slice(1));
      a.confusion.forEach((row, t) => row!.forEach((x, o) => expect(Math.abs(x - confusions[k]![t]![o]!)).toBeLessThan(0.05)));
    }
    // The careless annotator is the least accurate, the good ones the most.
    const acc = Object.fromEntries(ds.annotators.map((a) => [a.annotator, a.accuracy]));
    expect(acc.a4!).toBeLessThan(Math.min(acc.a0!, acc.a1!, acc.a2!, acc.a3!, acc.a5!));
  });

  it("takes its first error rates from gold answers when given", () => {
    // Two annotators who swap A and B, two honest ones: without gold, the majority start and
    // a 50/50 split leave EM undecided; gold tasks pin which pair is honest.
    const honest = [
      [0.9, 0.05, 0.05],
      [0.05, 0.9, 0.05],
      [0.05, 0.05, 0.9],
    ];
    const swapped = [honest[2]!, honest[1]!, honest[0]!];
    const { observations, truth } = simulate([honest, honest, swapped, swapped, swapped], [0.5, 0.1, 0.4], 3000, 4, 11);
    const gold = new Map(truth.slice(0, 300).map((t, i) => [i as number, t]));
    const withGold = dawidSkene(observations, { classes: 3, gold });
    const accuracy = (labels: number[]) => labels.filter((l, i) => l === truth[i]).length / truth.length;
    expect(accuracy(withGold.labels)).toBeGreaterThan(0.95);
    expect(accuracy(dawidSkene(observations, { classes: 3 }).labels)).toBeLessThan(0.5);
    for (let i = 0; i < 300; i++) expect(withGold.posterior[i]![truth[i]!]).toBe(1);
    const a2 = withGold.annotators.find((a) => a.annotator === "a2")!;
    expect(a2.confusion[0]![2]).toBeGreaterThan(0.85);
    expect(a2.accuracy).toBeLessThan(0.2);
  });

  it("is deterministic and validates its input", () => {
    const data = anaesthesia();
    expect(dawidSkene(data, { classes: 4 })).toEqual(dawidSkene(data, { classes: 4 }));
    expect(() => dawidSkene([{ task: 1, annotator: "x", label: 3 }], { classes: 3 })).toThrow(/class index/);
    expect(dawidSkene([], { classes: 3 }).tasks).toEqual([]);
  });
});

describe("majority vote as a label model", () => {
  it("gives vote shares and resolves an even A/B split to a tie", () => {
    const r = majorityVote(
      [
        { task: "t", annotator: "x", label: 0 },
        { task: "t", annotator: "y", label: 2 },
        { task: "u", annotator: "x", label: 2 },
        { task: "u", annotator: "y", label: 2 },
      ],
      { classes: 3, tieClass: 1 },
    );
    expect(r.posterior).toEqual([
      [0.5, 0, 0.5],
      [0, 0, 1],
    ]);
    expect(r.labels).toEqual([1, 2]);
    const x = r.annotators.find((a) => a.annotator === "x")!;
    expect(x.accuracy).toBeCloseTo(0.75, 12);
  });
});
