import { describe, expect, it } from "vitest";
import { dawidSkene, majorityVote, type LabelObservation } from "@/lib/domain/stats";
import { simulateCrowd } from "./crowd-simulation";

/**
 * Dawid & Skene (1979), Table 1: five anaesthetists rate 45 patients' fitness for anaesthesia
 * on four classes; anaesthetist 1 rated every patient three times. `ANAESTHESIA[p][k]` lists
 * anaesthetist k+1's ratings of patient p+1 (classes 1–4). The same 45 rows, rating for
 * rating, as `generate_sample_data()` in dawid_skene.py of github.com/dallascard/dawid_skene
 * (commit 9f49db7, lines 303–351), the implementation the Dawid–Skene literature's code
 * usually cites.
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
  it("reproduces Dawid & Skene's (1979) anaesthetist example as an independent implementation fits it", () => {
    // Reference: dallascard/dawid_skene, dawid_skene.py at commit 9f49db7, run(generate_sample_data())
    // with its defaults (tol = 1e-5 on the summed change of marginals and error rates,
    // max_iter = 100, init = "average"): the printed "Class marginals", "Error rates" and
    // "Patient classes", here to 4 decimals. The paper's own estimates (its Table 2 and §4)
    // could not be found in a source that can be cited beside this test; the marginals and
    // anaesthetist 1's error rates below round to the figures commonly quoted from it
    // (0.40, 0.42, 0.11, 0.07; 0.89/0.11, …), which is all this test claims about the paper.
    // Tolerances: 5e-4 on marginals and error rates, 2e-3 on posteriors — the two EM runs
    // start differently (majority vote here, soft response shares there) and stop at a
    // change below 1e-5, so they agree to about that many steps' worth of movement
    // (measured: 2e-5, 9e-5 and 5e-4).
    const MARGINALS = [0.3996, 0.422, 0.1118, 0.0667];
    const ERROR_RATES = [
      [
        [0.8895, 0.1105, 0, 0],
        [0.0706, 0.8764, 0.053, 0],
        [0, 0.3388, 0.6612, 0],
        [0, 0, 0.5556, 0.4444],
      ],
      [
        [0.8342, 0.1658, 0, 0],
        [0.0527, 0.6329, 0.3143, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
      ],
      [
        [1, 0, 0, 0],
        [0.1064, 0.7883, 0.1053, 0],
        [0, 0.4037, 0.1988, 0.3976],
        [0, 0, 0.6667, 0.3333],
      ],
      [
        [0.9444, 0.0556, 0, 0],
        [0.0537, 0.8426, 0.1037, 0],
        [0, 0, 0.8012, 0.1988],
        [0, 0, 0.3333, 0.6667],
      ],
      [
        [1, 0, 0, 0],
        [0.159, 0.7345, 0.1064, 0],
        [0, 0.2091, 0.7909, 0],
        [0, 0, 0.3333, 0.6667],
      ],
    ];
    // The only patients whose class the reference leaves below 0.999 (patient number → posterior).
    const UNCERTAIN: Record<number, number[]> = {
      7: [0.981, 0.019, 0, 0],
      35: [0, 0.948, 0.052, 0],
      38: [0, 0.0212, 0.9788, 0],
    };
    const r = dawidSkene(anaesthesia(), { classes: 4 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(100);
    r.priors.forEach((p, c) => expect(Math.abs(p - MARGINALS[c]!)).toBeLessThan(5e-4));
    ERROR_RATES.forEach((matrix, k) => {
      const a = r.annotators.find((x) => x.annotator === `observer ${k + 1}`)!;
      expect(a.judgments).toBe(k === 0 ? 135 : 45);
      matrix.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(a.confusion[i]![j]! - x)).toBeLessThan(5e-4)));
    });
    r.tasks.forEach((task, i) => {
      const expected = UNCERTAIN[task as number];
      if (expected) expected.forEach((x, c) => expect(Math.abs(r.posterior[i]![c]! - x)).toBeLessThan(2e-3));
      else expect(Math.max(...r.posterior[i]!)).toBeGreaterThan(0.997);
    });
    // Patients whose ratings split: 2 goes to class 4 (two observers said 4, three said 3), 3 and 10 to class 2.
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
