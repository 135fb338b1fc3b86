import { describe, expect, it } from "vitest";
import { mace, majorityVote } from "@/lib/domain/stats";
import { simulateCrowd } from "./crowd-simulation";

/**
 * MACE's generative story (Hovy et al. 2013): true class uniform over {A, tie, B}; annotator k
 * answers the truth with probability θ_k, otherwise draws from its own strategy ξ_k.
 */
function simulate(annotators: { theta: number; xi: number[] }[], tasks: number, overlap: number, seed: number) {
  return simulateCrowd({
    tasks,
    overlap,
    annotators: annotators.length,
    seed,
    truth: (rng) => rng.int(3),
    answer: (k, t, rng, draw) => (rng.next() < annotators[k]!.theta ? t : draw(annotators[k]!.xi)),
    inIndexOrder: true,
    taskKey: (i) => `t${i}`,
  });
}

const ANNOTATORS = [
  { theta: 0.9, xi: [1 / 3, 1 / 3, 1 / 3] },
  { theta: 0.85, xi: [0.4, 0.2, 0.4] },
  { theta: 0.8, xi: [1 / 3, 1 / 3, 1 / 3] },
  { theta: 0.6, xi: [0.2, 0.2, 0.6] },
  // A spammer who clicks "tie" nearly always.
  { theta: 0.1, xi: [0.02, 0.96, 0.02] },
  // One who mostly answers A whatever is shown.
  { theta: 0.3, xi: [0.9, 0.05, 0.05] },
];

describe("MACE", () => {
  const { observations, truth } = simulate(ANNOTATORS, 4000, 3, 5);
  const fit = mace(observations, { classes: 3, seed: 3, tieClass: 1 });

  it("recovers each simulated annotator's competence within ±0.05", () => {
    fit.annotators.forEach((a, j) => {
      const k = Number(a.annotator.slice(1));
      expect(Math.abs(fit.competence[j]! - ANNOTATORS[k]!.theta)).toBeLessThan(0.05);
    });
  });

  it("finds what the spammers click (ξ within ±0.1 where θ is low)", () => {
    const spammer = fit.annotators.findIndex((a) => a.annotator === "a4");
    expect(fit.strategy[spammer]![1]).toBeGreaterThan(0.86);
    const aClicker = fit.annotators.findIndex((a) => a.annotator === "a5");
    expect(Math.abs(fit.strategy[aClicker]![0]! - 0.9)).toBeLessThan(0.1);
  });

  it("labels tasks better than majority vote", () => {
    const accuracy = (labels: number[]) => labels.filter((l, i) => l === truth[i]).length / truth.length;
    const mv = majorityVote(observations, { classes: 3, tieClass: 1 });
    expect(accuracy(fit.labels)).toBeGreaterThan(accuracy(mv.labels) + 0.03);
    for (const row of fit.posterior) expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it("is reproducible for a seed, and other seeds reach the same optimum", () => {
    expect(mace(observations, { classes: 3, seed: 3, tieClass: 1 })).toEqual(fit);
    const other = mace(observations, { classes: 3, seed: 99, tieClass: 1 });
    expect(other.logLikelihood!).toBeCloseTo(fit.logLikelihood!, 3);
    other.competence.forEach((c, j) => expect(c).toBeCloseTo(fit.competence[j]!, 3));
  });

  it("keeps the best of its restarts (never worse than one restart)", () => {
    const one = mace(observations, { classes: 3, seed: 3, restarts: 1 });
    expect(fit.logLikelihood!).toBeGreaterThanOrEqual(one.logLikelihood! - 1e-9);
    expect(() => mace(observations, { classes: 3, restarts: 0 })).toThrow(/restarts/);
  });
});
