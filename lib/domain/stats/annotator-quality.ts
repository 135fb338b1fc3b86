/**
 * Per-annotator quality figures: agreement with the leave-one-out majority, gold accuracy,
 * tie rate, position bias, length bias, speed, scale use and straight-lining.
 */

import { directionOf, scaleHasTie, strengthToDisplay, type DisplayOrder, type ScalePoints } from "../preference";
import { directionCode } from "./counts";
import { median, wilsonInterval, type ProportionInterval } from "./intervals";
import type { TaskKey } from "./types";

/** A gold task's expected answer: a canonical strength and, optionally, the accepted ones. */
export interface GoldAnswer {
  readonly strength: number;
  /** Strengths counted as correct; default: any strength with the same direction as `strength`. */
  readonly accept?: readonly number[];
}

/** One valid pairwise judgment with the optional context the quality figures use. */
export interface QualityJudgment {
  readonly task: TaskKey;
  readonly annotator: string;
  /** Canonical strength (negative = A better). */
  readonly strength: number;
  /** The scale it was given on; used for the tie rate (2-point judgments cannot tie). */
  readonly scalePoints?: ScalePoints;
  /** What was shown where: `[1, 0]` = B on the left. Needed for position bias and straight-lining. */
  readonly displayOrder?: DisplayOrder | null;
  /** Expected answer when the task is a gold task. */
  readonly gold?: GoldAnswer | null;
  /** Lengths of candidates A and B (canonical order, e.g. characters). Needed for length bias. */
  readonly candidateLengths?: readonly [number, number] | null;
  /** Time spent on the task. */
  readonly seconds?: number | null;
  /** Submission order key (e.g. epoch ms); judgments are otherwise taken in input order. */
  readonly order?: number | null;
}

/** Quality figures of one annotator (or of everyone, for the overall row). */
export interface AnnotatorQuality {
  readonly annotator: string;
  /** Judgments given. */
  readonly judgments: number;
  /**
   * Agreement with the majority direction of the *other* judgments of the same task; when
   * several directions tie for the majority, credit is split evenly (1/number tied).
   * `judgments` counts the judgments whose task had at least one other judgment.
   */
  readonly majorityAgreement: { readonly value: number | null; readonly judgments: number };
  /** Share of gold judgments answered correctly, with a 95% Wilson interval; null without gold. */
  readonly goldAccuracy: ProportionInterval | null;
  /** Share of ties among judgments on scales that allow a tie. */
  readonly tieRate: { readonly value: number | null; readonly ties: number; readonly judgments: number };
  /** Share of non-tie votes given to the reply shown on the left, 95% Wilson interval. */
  readonly leftShare: ProportionInterval | null;
  /** Share of non-tie votes given to the longer reply (equal lengths left out), 95% Wilson interval. */
  readonly longerShare: ProportionInterval | null;
  /** Median seconds per task over judgments with a time. */
  readonly medianSeconds: number | null;
  /** How often each strength was given, ascending by strength. */
  readonly scaleUse: ReadonlyArray<{ readonly strength: number; readonly count: number }>;
  /**
   * Longest run of identical consecutive answers in submission order (straight-lining). The
   * answer is the strength as shown (left/right terms) when the display order is known,
   * since that is the button pressed; otherwise the canonical strength.
   */
  readonly longestRun: { readonly length: number; readonly answer: number | null };
}

/** Result of {@link annotatorQuality}: one row per annotator and an overall row. */
export interface AnnotatorQualityReport {
  /** Sorted by annotator id. */
  readonly annotators: AnnotatorQuality[];
  /** The same figures over all judgments (longest run: the longest of any annotator). */
  readonly overall: AnnotatorQuality;
}

interface Acc {
  judgments: number;
  majorityCredit: number;
  majorityN: number;
  goldCorrect: number;
  goldN: number;
  ties: number;
  tieN: number;
  left: number;
  leftN: number;
  longer: number;
  longerN: number;
  seconds: number[];
  scale: Map<number, number>;
  orders: number[];
  answers: number[];
}

function newAcc(): Acc {
  return {
    judgments: 0,
    majorityCredit: 0,
    majorityN: 0,
    goldCorrect: 0,
    goldN: 0,
    ties: 0,
    tieN: 0,
    left: 0,
    leftN: 0,
    longer: 0,
    longerN: 0,
    seconds: [],
    scale: new Map(),
    orders: [],
    answers: [],
  };
}

/**
 * Computes the per-annotator quality figures in two passes over the judgments (pass one
 * valid judgment per annotator and task; a repeated one counts as another vote).
 */
export function annotatorQuality(judgments: ReadonlyArray<QualityJudgment>): AnnotatorQualityReport {
  // Pass 1: direction counts per task.
  const taskIndex = new Map<TaskKey, number>();
  const taskOf = new Int32Array(judgments.length);
  let dirCounts = new Int32Array(3 * 1024);
  for (let i = 0; i < judgments.length; i++) {
    const j = judgments[i]!;
    let t = taskIndex.get(j.task);
    if (t === undefined) {
      t = taskIndex.size;
      taskIndex.set(j.task, t);
      if (3 * (t + 1) > dirCounts.length) {
        const grown = new Int32Array(dirCounts.length * 2);
        grown.set(dirCounts);
        dirCounts = grown;
      }
    }
    taskOf[i] = t;
    dirCounts[3 * t + directionCode(j.strength) + 1]! += 1;
  }

  // Pass 2: accumulate per annotator.
  const accs = new Map<string, Acc>();
  const others = [0, 0, 0];
  for (let i = 0; i < judgments.length; i++) {
    const j = judgments[i]!;
    let acc = accs.get(j.annotator);
    if (acc === undefined) {
      acc = newAcc();
      accs.set(j.annotator, acc);
    }
    acc.judgments++;
    const own = directionCode(j.strength) + 1;
    const t = taskOf[i]!;
    let total = 0;
    let max = 0;
    for (let d = 0; d < 3; d++) {
      const c = dirCounts[3 * t + d]! - (d === own ? 1 : 0);
      others[d] = c;
      total += c;
      if (c > max) max = c;
    }
    if (total > 0) {
      acc.majorityN++;
      if (others[own] === max) {
        let tied = 0;
        for (let d = 0; d < 3; d++) if (others[d] === max) tied++;
        acc.majorityCredit += 1 / tied;
      }
    }
    if (j.gold !== undefined && j.gold !== null) {
      acc.goldN++;
      if (isGoldCorrect(j.strength, j.gold)) acc.goldCorrect++;
    }
    if (j.scalePoints === undefined || scaleHasTie(j.scalePoints)) {
      acc.tieN++;
      if (j.strength === 0) acc.ties++;
    }
    const shown = j.displayOrder !== undefined && j.displayOrder !== null ? strengthToDisplay(j.strength, j.displayOrder) : null;
    if (j.strength !== 0 && shown !== null) {
      acc.leftN++;
      if (shown < 0) acc.left++;
    }
    const lengths = j.candidateLengths;
    if (j.strength !== 0 && lengths !== undefined && lengths !== null && lengths[0] !== lengths[1]) {
      acc.longerN++;
      const aLonger = lengths[0] > lengths[1];
      if (aLonger === j.strength < 0) acc.longer++;
    }
    if (j.seconds !== undefined && j.seconds !== null && Number.isFinite(j.seconds)) acc.seconds.push(j.seconds);
    acc.scale.set(j.strength, (acc.scale.get(j.strength) ?? 0) + 1);
    acc.orders.push(j.order ?? i);
    acc.answers.push(shown ?? j.strength);
  }

  const names = [...accs.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rows = names.map((name) => summarize(name, accs.get(name)!, longestRun(accs.get(name)!)));
  const all = newAcc();
  let bestRun: { length: number; answer: number | null } = { length: 0, answer: null };
  for (const name of names) {
    const a = accs.get(name)!;
    all.judgments += a.judgments;
    all.majorityCredit += a.majorityCredit;
    all.majorityN += a.majorityN;
    all.goldCorrect += a.goldCorrect;
    all.goldN += a.goldN;
    all.ties += a.ties;
    all.tieN += a.tieN;
    all.left += a.left;
    all.leftN += a.leftN;
    all.longer += a.longer;
    all.longerN += a.longerN;
    for (const s of a.seconds) all.seconds.push(s);
    for (const [k, v] of a.scale) all.scale.set(k, (all.scale.get(k) ?? 0) + v);
  }
  for (const row of rows) if (row.longestRun.length > bestRun.length) bestRun = row.longestRun;
  return { annotators: rows, overall: summarize("*", all, bestRun) };
}

/** Whether a strength is a correct answer to a gold task. */
export function isGoldCorrect(strength: number, gold: GoldAnswer): boolean {
  if (gold.accept !== undefined) return gold.accept.includes(strength);
  return directionOf(strength) === directionOf(gold.strength);
}

function summarize(annotator: string, a: Acc, run: { length: number; answer: number | null }): AnnotatorQuality {
  return {
    annotator,
    judgments: a.judgments,
    majorityAgreement: {
      value: a.majorityN > 0 ? a.majorityCredit / a.majorityN : null,
      judgments: a.majorityN,
    },
    goldAccuracy: wilsonInterval(a.goldCorrect, a.goldN),
    tieRate: { value: a.tieN > 0 ? a.ties / a.tieN : null, ties: a.ties, judgments: a.tieN },
    leftShare: wilsonInterval(a.left, a.leftN),
    longerShare: wilsonInterval(a.longer, a.longerN),
    medianSeconds: median(a.seconds),
    scaleUse: [...a.scale.entries()].sort((x, y) => x[0] - y[0]).map(([strength, count]) => ({ strength, count })),
    longestRun: run,
  };
}

function longestRun(a: Acc): { length: number; answer: number | null } {
  const n = a.answers.length;
  if (n === 0) return { length: 0, answer: null };
  const idx = Array.from({ length: n }, (_, i) => i);
  // Stable sort keeps input order among equal order keys.
  idx.sort((x, y) => a.orders[x]! - a.orders[y]!);
  let best = 1;
  let bestAnswer = a.answers[idx[0]!]!;
  let run = 1;
  for (let i = 1; i < n; i++) {
    if (a.answers[idx[i]!] === a.answers[idx[i - 1]!]) {
      run++;
      if (run > best) {
        best = run;
        bestAnswer = a.answers[idx[i]!]!;
      }
    } else run = 1;
  }
  return { length: best, answer: bestAnswer };
}
