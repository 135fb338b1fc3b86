/**
 * Simulated crowds for the label-model tests: tasks with a known true class, each answered
 * by `overlap` distinct annotators drawn at random, through an answer model of the test's.
 */
import { createRng, type LabelObservation, type Rng, type TaskKey } from "@/lib/domain/stats";
import { drawIndex } from "@/lib/domain/stats/active-sampling";

/** Draws a class index from a categorical distribution. */
export type Categorical = (p: readonly number[]) => number;

export function simulateCrowd(options: {
  tasks: number;
  overlap: number;
  /** How many annotators there are to draw from. */
  annotators: number;
  seed: number;
  /** The true class of the next task. */
  truth: (rng: Rng, draw: Categorical) => number;
  /** Annotator k's answer to a task whose true class is t. */
  answer: (k: number, t: number, rng: Rng, draw: Categorical) => number;
  /** Whether a task's annotators answer in index order (else in the order they were drawn). */
  inIndexOrder?: boolean;
  taskKey?: (i: number) => TaskKey;
}): { observations: LabelObservation[]; truth: number[] } {
  const rng = createRng(options.seed);
  const draw: Categorical = (p) => drawIndex(p, () => rng.next());
  const observations: LabelObservation[] = [];
  const truth: number[] = [];
  for (let i = 0; i < options.tasks; i++) {
    const t = options.truth(rng, draw);
    truth.push(t);
    const chosen = new Set<number>();
    while (chosen.size < options.overlap) chosen.add(rng.int(options.annotators));
    const order = options.inIndexOrder ? [...chosen].sort((a, b) => a - b) : chosen;
    for (const k of order) {
      observations.push({ task: options.taskKey ? options.taskKey(i) : i, annotator: `a${k}`, label: options.answer(k, t, rng, draw) });
    }
  }
  return { observations, truth };
}
