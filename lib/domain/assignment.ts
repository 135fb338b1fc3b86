/**
 * Pure rules of the assignment engine: which left/right order an annotator sees, when a
 * gold task is injected, when a task has room and how long leases and edit windows last.
 * What an answer must be, and how it turns canonical, is lib/domain/answer.ts.
 *
 * No I/O: time and randomness are passed in, so that the database layer stays a thin
 * executor and every rule is unit-tested with plain values.
 */
import type { DisplayOrder } from "./preference";

/** A source of uniform random numbers in [0, 1) (Math.random, or a seeded Rng's `next`). */
export type RandomSource = () => number;

/** A uniform integer in [0, n). */
function randomInt(random: RandomSource, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(values: readonly T[], random: RandomSource): T[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The display order for a new assignment of a task with `k` candidates, balanced across
 * the task's annotators: `usedOrders` are the orders already handed out on the task (live
 * and submitted leases).
 *
 * - Pairs: the less used of [0, 1] and [1, 0]; a fair coin when both are used equally, so
 *   that over a task's `overlap` annotators each side shows A as often as possible.
 * - K-wise: the candidate shown first is one that has been first least often (ties broken
 *   at random), the rest in random order; position bias then spreads over candidates.
 *
 * `displayOrder[j]` is the canonical index of the candidate shown in slot j (0 = left).
 */
export function chooseDisplayOrder(k: number, usedOrders: readonly DisplayOrder[], random: RandomSource): number[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`a task has at least 2 candidates, got ${k}`);
  const firstCounts = new Array<number>(k).fill(0);
  for (const order of usedOrders) {
    const first = order[0];
    if (first !== undefined && first >= 0 && first < k) firstCounts[first]! += 1;
  }
  const least = Math.min(...firstCounts);
  const leastUsed = firstCounts.flatMap((count, index) => (count === least ? [index] : []));
  const first = leastUsed[randomInt(random, leastUsed.length)]!;
  if (k === 2) return [first, 1 - first];
  const rest = shuffled(
    Array.from({ length: k }, (_, i) => i).filter((i) => i !== first),
    random,
  );
  return [first, ...rest];
}

/**
 * Whether the next task offered to an annotator should be a gold task.
 *
 * Injects when `goldSoFar + u < goldRatio × (totalSoFar + 1)` with `u` uniform in [0, 1):
 * the annotator's gold count stays within one of `goldRatio × tasks` at every point (it
 * is forced when the count falls a whole task behind and impossible when it is a whole
 * task ahead), while the exact position of each gold task is unpredictable. A ratio of 0
 * never injects.
 */
export function shouldInjectGold(counts: { goldRatio: number; goldSoFar: number; totalSoFar: number }, random: RandomSource): boolean {
  if (!(counts.goldRatio > 0)) return false;
  return counts.goldSoFar + random() < counts.goldRatio * (counts.totalSoFar + 1);
}

/**
 * Whether a task can take one more lease or judgment: valid judgments plus live leases
 * (of others) below the overlap.
 */
export function taskHasRoom(task: { validJudgments: number; overlap: number }, liveLeases: number): boolean {
  return task.validJudgments + liveLeases < task.overlap;
}

/** When an edit window closes: `editWindowMinutes` after the first submission. */
export function editableUntil(firstSubmittedAt: Date, editWindowMinutes: number): Date {
  return new Date(firstSubmittedAt.getTime() + editWindowMinutes * 60_000);
}

/** Whether a judgment first submitted at `firstSubmittedAt` may still be edited at `now`. */
export function isEditable(firstSubmittedAt: Date, editWindowMinutes: number, now: Date): boolean {
  return now.getTime() <= editableUntil(firstSubmittedAt, editWindowMinutes).getTime();
}

/** When a lease taken at `now` expires. */
export function leaseExpiry(now: Date, leaseMinutes: number): Date {
  return new Date(now.getTime() + leaseMinutes * 60_000);
}
