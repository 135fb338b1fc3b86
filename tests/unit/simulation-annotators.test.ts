/**
 * The simulated annotators: deterministic from the seed, valid answers on every scale, and
 * each profile's statistical signature (the careful one agrees with the hidden truth above
 * 90%, the careless one near chance, the position-biased one takes the first reply shown
 * far more often than the others), measured on fixed seeds.
 */
import { describe, expect, it } from "vitest";
import { DEMO_CHARACTERS } from "@/db/seed/demo-content";
import { SIMULATED_ITEMS } from "@/db/seed/simulated-content";
import { validateAnswer } from "@/lib/domain/answer";
import { directionOf, SCALE_POINTS, type ScalePoints } from "@/lib/domain/preference";
import {
  hiddenTruth,
  planSessions,
  rngFor,
  simulateAnswer,
  strengthOfMargin,
  SIMULATED_ANNOTATORS,
  type AnnotatorProfile,
  type SimulatedModel,
  type SimulatedTask,
} from "@/lib/domain/simulation/annotators";

const MODELS: SimulatedModel[] = [
  { name: "good", quality: 1.2, faults: { out_of_character: 0.05 } },
  { name: "fair", quality: 0.5 },
  { name: "chatty", quality: -0.2, faults: { out_of_character: 0.5, reveals_ai: 0.2 } },
  { name: "weak", quality: -0.9, faults: { speaks_for_user: 0.1 } },
];
const RULES = { rationale: "required_for_strong", allowBothUnacceptable: true, roleplayFlags: true } as const;
const profile = (key: string): AnnotatorProfile => SIMULATED_ANNOTATORS.find((p) => p.key === key)!;

/** `n` tasks over random model pairs, shown in a random order. */
function makeTasks(n: number, seed: number, scalePoints: ScalePoints = 5): SimulatedTask[] {
  const rng = rngFor(seed, "test tasks");
  return Array.from({ length: n }, (_, i) => {
    const a = rng.int(4);
    const b = (a + 1 + rng.int(3)) % 4;
    const key = `t${i}`;
    return {
      key,
      truth: hiddenTruth({ key, models: [MODELS[a]!, MODELS[b]!], scalePoints }, seed),
      displayOrder: rng.next() < 0.5 ? [0, 1] : [1, 0],
      scalePoints,
      dimensions: ["fluency", "persona_utterance"],
      rules: RULES,
      language: i % 2 ? "en" : "zh",
    };
  });
}

/** Canonical strength of a display answer (the task's display order undone). */
const canonical = (strength: number, task: SimulatedTask) => (task.displayOrder[0] === 0 ? strength : -strength);

/** Share of the tasks with a non-tie truth where the annotator's direction matches it. */
function agreement(p: AnnotatorProfile, tasks: SimulatedTask[], seed: number): number {
  const judged = tasks.filter((t) => t.truth.strength !== 0 && !t.truth.bothUnacceptable);
  const hits = judged.filter((t) => {
    const { answer } = simulateAnswer(p, t, seed);
    return answer.strength !== undefined && directionOf(canonical(answer.strength, t)) === directionOf(t.truth.strength);
  });
  return hits.length / judged.length;
}

/** Share of non-tie answers that prefer the reply shown first. */
function leftShare(p: AnnotatorProfile, tasks: SimulatedTask[], seed: number): number {
  const strengths = tasks.map((t) => simulateAnswer(p, t, seed).answer.strength).filter((s): s is number => s !== undefined && s !== 0);
  return strengths.filter((s) => s < 0).length / strengths.length;
}

function medianSeconds(p: AnnotatorProfile, tasks: SimulatedTask[], seed: number): number {
  const s = tasks.map((t) => simulateAnswer(p, t, seed).answer.seconds!).sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

describe("determinism", () => {
  const tasks = makeTasks(200, 7);

  it("gives the same truth and the same answers for the same seed, in any order", () => {
    const again = makeTasks(200, 7);
    expect(again).toEqual(tasks);
    for (const p of SIMULATED_ANNOTATORS) {
      const forward = tasks.map((t) => simulateAnswer(p, t, 7));
      const backward = [...tasks].reverse().map((t) => simulateAnswer(p, t, 7));
      expect(backward.reverse()).toEqual(forward);
    }
  });

  it("gives other answers for another seed", () => {
    const p = profile("ordinary-a");
    const a = tasks.map((t) => simulateAnswer(p, t, 7).answer);
    const b = tasks.map((t) => simulateAnswer(p, t, 8).answer);
    expect(a).not.toEqual(b);
  });

  it("takes a gold answer as the truth", () => {
    const truth = hiddenTruth({ key: "g", models: [MODELS[3]!, MODELS[0]!], scalePoints: 5, gold: { strength: -2 } }, 1);
    expect(truth.strength).toBe(-2);
    expect(truth.bothUnacceptable).toBe(false);
  });
});

describe("answers", () => {
  it("are valid answers on every scale, with a rationale exactly where the project asks for one", () => {
    for (const points of SCALE_POINTS) {
      const tasks = makeTasks(150, points, points);
      for (const p of SIMULATED_ANNOTATORS) {
        for (const task of tasks) {
          const { answer } = simulateAnswer(p, task, 3);
          const issues = validateAnswer(
            answer,
            { kind: "pairwise", scalePoints: points, candidateCount: 2 },
            {
              ...RULES,
              dimensions: task.dimensions,
              allowRankingTies: false,
              safetyFlags: true,
            },
          );
          expect(issues, `${p.key} ${task.key} ${JSON.stringify(answer)}`).toEqual([]);
          if (answer.rationale) expect(answer.bothUnacceptable || Math.abs(answer.strength!) === Math.floor(points / 2)).toBe(true);
        }
      }
    }
  });

  it("cuts margins into the scale: positive margins prefer A (negative strength), small ones tie where the scale allows", () => {
    expect(strengthOfMargin(1.5, 7)).toBe(-2);
    expect(strengthOfMargin(5, 7)).toBe(-3);
    expect(strengthOfMargin(-0.5, 5)).toBe(1);
    expect(strengthOfMargin(0.1, 5)).toBe(0);
    expect(strengthOfMargin(0.1, 2)).toBe(-1);
  });

  it("answers both unacceptable rarely, and flags the faults the replies have", () => {
    const tasks = makeTasks(1000, 5);
    const answers = tasks.map((t) => simulateAnswer(profile("careful"), t, 5).answer);
    const both = answers.filter((a) => a.bothUnacceptable).length / answers.length;
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(0.06);
    const flagged = answers.filter((a) => a.roleplayFlags).length;
    const faulty = tasks.filter((t) => t.truth.faults.some((f) => f.length > 0)).length;
    expect(flagged).toBeGreaterThan(faulty * 0.7);
    expect(flagged).toBeLessThanOrEqual(faulty);
  });
});

describe("the profiles' signatures", () => {
  const seed = 2026;
  const tasks = makeTasks(2000, seed);

  it("the careful annotator agrees with the hidden truth above 90%", () => {
    expect(agreement(profile("careful"), tasks, seed)).toBeGreaterThan(0.9);
  });

  it("the ordinary annotators agree well, below the careful one", () => {
    for (const key of ["ordinary-a", "ordinary-b"]) {
      const a = agreement(profile(key), tasks, seed);
      expect(a, key).toBeGreaterThan(0.7);
      expect(a, key).toBeLessThan(agreement(profile("careful"), tasks, seed));
    }
  });

  it("the careless annotator agrees near chance (two of the five points on each side) and is fast", () => {
    const a = agreement(profile("careless"), tasks, seed);
    expect(a).toBeGreaterThan(0.3);
    expect(a).toBeLessThan(0.55);
    expect(medianSeconds(profile("careless"), tasks, seed)).toBeLessThan(medianSeconds(profile("careful"), tasks, seed) / 4);
  });

  it("the position-biased annotator picks the first reply shown far more often than the others", () => {
    const biased = leftShare(profile("position-biased"), tasks, seed);
    expect(biased).toBeGreaterThan(0.7);
    for (const key of ["careful", "careless", "ordinary-a", "ordinary-b"]) {
      const share = leftShare(profile(key), tasks, seed);
      expect(share, key).toBeGreaterThan(0.4);
      expect(share, key).toBeLessThan(0.6);
    }
  });
});

describe("the work plan", () => {
  const end = Date.UTC(2026, 2, 10, 12);
  const plans = planSessions(SIMULATED_ANNOTATORS, { seed: 9, end, days: 7 });

  it("gives each annotator their quota in sessions within the days before the end", () => {
    plans.forEach((sessions, i) => {
      expect(sessions.reduce((s, x) => s + x.tasks, 0)).toBe(SIMULATED_ANNOTATORS[i]!.quota);
      for (const s of sessions) {
        expect(s.start).toBeGreaterThanOrEqual(end - 7 * 86_400_000);
        // Even the longest session (a minute per task) ends before the end.
        expect(s.start + s.tasks * 60_000).toBeLessThan(end);
      }
      expect(new Set(sessions.map((s) => new Date(s.start).toISOString().slice(0, 10))).size).toBeGreaterThan(2);
    });
  });

  it("is the same for the same seed", () => {
    expect(planSessions(SIMULATED_ANNOTATORS, { seed: 9, end, days: 7 })).toEqual(plans);
  });
});

describe("the simulated demo content", () => {
  it("has unique items on the demo characters, each with four different replies", () => {
    const characters = new Set(DEMO_CHARACTERS.map((c) => c.key));
    expect(new Set(SIMULATED_ITEMS.map((i) => i.externalId)).size).toBe(SIMULATED_ITEMS.length);
    for (const item of SIMULATED_ITEMS) {
      expect(characters.has(item.characterKey), item.externalId).toBe(true);
      const replies = Object.values(item.replies);
      // The seed tells the replies apart by their text, as a person does.
      expect(new Set(replies).size, item.externalId).toBe(4);
      for (const r of replies) expect(r.trim().length, item.externalId).toBeGreaterThan(0);
    }
  });
});
