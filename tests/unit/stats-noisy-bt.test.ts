import { describe, expect, it } from "vitest";
import { createRng, displayedJudgment, noisyBradleyTerry, normalQuantile, sigmoid, type DisplayedJudgment } from "@/lib/domain/stats";

const SCORES = [-1.2, -0.6, -0.2, 0.2, 0.6, 1.2];
/** Reliabilities with a mean of 1 (the model's normalisation) and left biases in log-odds. */
const ANNOTATORS = [
  { gamma: 1.6, beta: 0 },
  { gamma: 1.4, beta: 0 },
  { gamma: 1.2, beta: 0.8 },
  { gamma: 1.0, beta: 0 },
  { gamma: 1.0, beta: -0.6 },
  { gamma: 0.8, beta: 0 },
  { gamma: 0.6, beta: 0.3 },
  { gamma: 0.4, beta: 0 },
];

function simulate(perAnnotator: number, seed: number, tieRate = 0): DisplayedJudgment[] {
  const rng = createRng(seed);
  const out: DisplayedJudgment[] = [];
  for (let v = 0; v < perAnnotator; v++) {
    ANNOTATORS.forEach(({ gamma, beta }, k) => {
      const l = rng.int(SCORES.length);
      let r = rng.int(SCORES.length - 1);
      if (r >= l) r++;
      const pLeft = sigmoid(gamma * (SCORES[l]! - SCORES[r]!) + beta);
      const u = rng.next();
      // Ties (off by default: the model has no story for them) are half a vote each way.
      const y = u < tieRate ? 0.5 : rng.next() < pLeft ? 1 : 0;
      out.push({ annotator: `k${k}`, left: `m${l}`, right: `m${r}`, y });
    });
  }
  return out;
}

describe("noisy Bradley–Terry", () => {
  const data = simulate(4000, 17);
  const fit = noisyBradleyTerry(data);

  it("converges and recovers the model scores within ±0.1 log-odds", () => {
    expect(fit.converged).toBe(true);
    for (const m of fit.models) {
      const i = Number(m.model.slice(1));
      expect(Math.abs(m.score - SCORES[i]!)).toBeLessThan(0.1);
    }
  });

  it("recovers each annotator's reliability (±0.15) and left bias (±0.15), with intervals that cover them", () => {
    let covered = 0;
    for (const a of fit.annotators) {
      const truth = ANNOTATORS[Number(a.annotator.slice(1))]!;
      expect(Math.abs(a.reliability.value - truth.gamma)).toBeLessThan(0.15);
      expect(Math.abs(a.leftBias.value - truth.beta)).toBeLessThan(0.15);
      if (a.leftBias.low <= truth.beta && truth.beta <= a.leftBias.high) covered++;
      expect(a.leftProbability.value).toBeCloseTo(sigmoid(a.leftBias.value), 12);
      expect(a.leftBias.low).toBeLessThan(a.leftBias.value);
    }
    expect(covered).toBeGreaterThanOrEqual(7);
  });

  it("tells a biased annotator from one who meets better models on the right", () => {
    // Annotator k2 leans left; nobody else's interval excludes zero on the wrong side.
    const biased = fit.annotators
      .filter((a) => a.leftBias.low > 0 || a.leftBias.high < 0)
      .map((a) => a.annotator)
      .sort();
    expect(biased).toEqual(["k2", "k4", "k6"].filter((k) => biased.includes(k)));
    expect(biased).toContain("k2");
    expect(biased).toContain("k4");
  });

  it("maps canonical judgments to what was displayed", () => {
    expect(displayedJudgment("x", ["a", "b"], -2, [0, 1])).toEqual({ annotator: "x", left: "a", right: "b", y: 1 });
    expect(displayedJudgment("x", ["a", "b"], -2, [1, 0])).toEqual({ annotator: "x", left: "b", right: "a", y: 0 });
    expect(displayedJudgment("x", ["a", "b"], 0, [1, 0])!.y).toBe(0.5);
    expect(displayedJudgment("x", ["a", "a"], 1, [1, 0])).toBeNull();
  });

  it("has the normal quantile right", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 5);
  });
});

describe("noisy Bradley–Terry with ties", () => {
  it("reads a tie as half a vote each way: all-tie data gives equal scores and no bias", () => {
    const data: DisplayedJudgment[] = [];
    for (let i = 0; i < 50; i++) {
      data.push({ annotator: "x", left: "a", right: "b", y: 0.5 }, { annotator: "x", left: "b", right: "a", y: 0.5 });
    }
    const fit = noisyBradleyTerry(data);
    expect(fit.models[0]!.score).toBeCloseTo(0, 6);
    expect(fit.annotators[0]!.leftBias.value).toBeCloseTo(0, 6);
  });

  it("still orders the models when ties are common", () => {
    const fit = noisyBradleyTerry(simulate(1500, 4, 0.3));
    const order = [...fit.models].sort((p, q) => p.score - q.score).map((m) => m.model);
    expect(order).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
  });
});
