/**
 * Shared ground of the annotator models (majority vote, Dawid–Skene, MACE): categorical
 * labels indexed into dense arrays, the per-task posterior they all produce, and the
 * per-annotator figures read off a posterior, so that every model's accuracy and confusion
 * mean the same thing:
 *
 *   confusion_k[t][o] = Σ_{judgments (i, k, o)} T_it / Σ_{judgments (i, k, ·)} T_it
 *   accuracy_k        = (1 / n_k) Σ_{judgments (i, k, o)} T_io
 *
 * where T_it is the posterior probability that task i's true class is t. Under Dawid–Skene
 * the confusion is exactly the model's M-step estimate π^(k); under majority vote it is the
 * annotator's answers against the vote shares.
 *
 * In Arbiter the classes of a pairwise judgment are its direction in canonical order:
 * 0 = A better, 1 = tie, 2 = B better (`DIRECTION_LABELS`).
 */

import { indexNames } from "./counts";
import type { TaskKey } from "./types";

/** One categorical answer: class index `label` in 0..classes−1, given by `annotator` to `task`. */
export interface LabelObservation {
  readonly task: TaskKey;
  readonly annotator: string;
  readonly label: number;
}

/** The direction classes of a pairwise judgment, in canonical order. */
export const DIRECTION_LABELS = ["A", "tie", "B"] as const;
export type DirectionLabel = (typeof DIRECTION_LABELS)[number];

/** Class index of a canonical strength: 0 = A better (negative), 1 = tie, 2 = B better. */
export function directionClass(strength: number): 0 | 1 | 2 {
  return strength < 0 ? 0 : strength > 0 ? 2 : 1;
}

/** Observations indexed into dense arrays (tasks in first-seen order, annotators sorted). */
export interface IndexedLabels {
  readonly classes: number;
  readonly tasks: TaskKey[];
  readonly annotators: string[];
  /** Per observation: task index, annotator index, class. */
  readonly task: Int32Array;
  readonly annotator: Int32Array;
  readonly label: Int32Array;
}

/** Indexes observations; throws on a label outside 0..classes−1. */
export function indexLabels(observations: readonly LabelObservation[], classes: number): IndexedLabels {
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError("classes must be an integer ≥ 2");
  const taskIndex = new Map<string, number>();
  const tasks: TaskKey[] = [];
  const { names, index: annotatorIndex } = indexNames(observations.map((o) => o.annotator));
  const n = observations.length;
  const task = new Int32Array(n);
  const annotator = new Int32Array(n);
  const label = new Int32Array(n);
  observations.forEach((o, r) => {
    if (!Number.isInteger(o.label) || o.label < 0 || o.label >= classes) {
      throw new RangeError(`label ${o.label} of task ${String(o.task)} is not a class index in 0..${classes - 1}`);
    }
    const key = `${typeof o.task}:${String(o.task)}`;
    let t = taskIndex.get(key);
    if (t === undefined) {
      t = tasks.length;
      taskIndex.set(key, t);
      tasks.push(o.task);
    }
    task[r] = t;
    annotator[r] = annotatorIndex.get(o.annotator)!;
    label[r] = o.label;
  });
  return { classes, tasks, annotators: names, task, annotator, label };
}

/** Key of a task in the maps the models accept (same as `indexLabels`). */
export function taskMapKey(task: TaskKey): string {
  return `${typeof task}:${String(task)}`;
}

/** Per-annotator figures read off a posterior (see the module notes). */
export interface AnnotatorFromPosterior {
  readonly annotator: string;
  readonly judgments: number;
  /** Expected share of this annotator's answers that equal the true class. */
  readonly accuracy: number;
  /**
   * `confusion[t][o]`: probability of answering `o` when the true class is `t` (rows sum to
   * 1); a row with no posterior mass (the annotator never met that class) is null.
   */
  readonly confusion: (number[] | null)[];
}

/**
 * Vote shares per task: the majority-vote posterior (row-major `tasks × classes`). A task's
 * row is the share of its answers in each class.
 */
export function voteShares(data: IndexedLabels): Float64Array {
  const k = data.classes;
  const shares = new Float64Array(data.tasks.length * k);
  const totals = new Float64Array(data.tasks.length);
  for (let r = 0; r < data.label.length; r++) {
    shares[data.task[r]! * k + data.label[r]!]! += 1;
    totals[data.task[r]!]! += 1;
  }
  for (let i = 0; i < data.tasks.length; i++) for (let c = 0; c < k; c++) shares[i * k + c]! /= totals[i]!;
  return shares;
}

/** Confusion and accuracy of every annotator under a posterior (row-major `tasks × classes`). */
export function annotatorsFromPosterior(data: IndexedLabels, posterior: ArrayLike<number>): AnnotatorFromPosterior[] {
  const k = data.classes;
  const a = data.annotators.length;
  const counts = new Float64Array(a * k * k);
  const correct = new Float64Array(a);
  const n = new Int32Array(a);
  for (let r = 0; r < data.label.length; r++) {
    const j = data.annotator[r]!;
    const i = data.task[r]!;
    const o = data.label[r]!;
    n[j]!++;
    correct[j]! += posterior[i * k + o]!;
    for (let t = 0; t < k; t++) counts[(j * k + t) * k + o]! += posterior[i * k + t]!;
  }
  return data.annotators.map((annotator, j) => {
    const confusion: (number[] | null)[] = [];
    for (let t = 0; t < k; t++) {
      let row = 0;
      for (let o = 0; o < k; o++) row += counts[(j * k + t) * k + o]!;
      confusion.push(row > 1e-12 ? Array.from({ length: k }, (_, o) => counts[(j * k + t) * k + o]! / row) : null);
    }
    return { annotator, judgments: n[j]!, accuracy: n[j]! > 0 ? correct[j]! / n[j]! : 0, confusion };
  });
}

/**
 * Turns per-task log scores (row-major `tasks × classes`) into posterior rows in `out`,
 * stably (each row shifted by its maximum before exponentiating), and answers the marginal
 * log-likelihood Σ_i log Σ_t exp(log_it).
 */
export function posteriorFromLogs(log: Float64Array, out: Float64Array, classes: number): number {
  const k = classes;
  let ll = 0;
  for (let i = 0; i < log.length / k; i++) {
    let max = -Infinity;
    for (let t = 0; t < k; t++) max = Math.max(max, log[i * k + t]!);
    let sum = 0;
    for (let t = 0; t < k; t++) sum += out[i * k + t] = Math.exp(log[i * k + t]! - max);
    for (let t = 0; t < k; t++) out[i * k + t]! /= sum;
    ll += max + Math.log(sum);
  }
  return ll;
}

/**
 * What every label model reports of its final posterior (row-major `tasks × classes`): each
 * task's row and label, and the annotators' figures under it.
 */
export function readPosterior(data: IndexedLabels, posterior: Float64Array, tieClass?: number) {
  const k = data.classes;
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < data.tasks.length; i++) {
    const row = Array.from(posterior.subarray(i * k, i * k + k));
    rows.push(row);
    labels.push(labelOfRow(row, tieClass));
  }
  return { classes: k, tasks: data.tasks, posterior: rows, labels, annotators: annotatorsFromPosterior(data, posterior) };
}

/**
 * The label of a posterior row: the most probable class. When several classes share the
 * maximum (within 1e-12) and `tieClass` is given, a split that involves two different
 * non-tie classes, or the tie class itself, resolves to `tieClass` (a contested pair is
 * a tie, never a coin flip); otherwise the lowest index wins.
 */
export function labelOfRow(row: ArrayLike<number>, tieClass?: number): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[best]! + 1e-12) best = c;
  if (tieClass === undefined) return best;
  const top: number[] = [];
  for (let c = 0; c < row.length; c++) if (row[c]! >= row[best]! - 1e-12) top.push(c);
  return top.length > 1 ? tieClass : best;
}
