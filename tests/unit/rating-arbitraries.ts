/** Property-test inputs for the agreement coefficients: two raters' labels on the same units. */
import fc from "fast-check";

/** Pairs of category indexes (rater 1, rater 2) over 2–5 categories. */
export const twoRaterLabels = (length: { minLength: number; maxLength: number }) =>
  fc
    .integer({ min: 2, max: 5 })
    .chain((k) => fc.array(fc.tuple(fc.integer({ min: 0, max: k - 1 }), fc.integer({ min: 0, max: k - 1 })), length));

/** The contingency table: `table[a][b]` = units rater 1 put in a and rater 2 in b, over the categories used. */
export function contingencyTable(pairs: readonly (readonly [number, number])[]): number[][] {
  const k = 1 + Math.max(...pairs.flat());
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [a, b] of pairs) table[a]![b]! += 1;
  return table;
}
