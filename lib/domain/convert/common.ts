/**
 * Helpers shared by the dataset converters (`lib/domain/convert/*`), which map public
 * multi-annotator preference datasets to raw-judgment lines (`lib/validation/raw-judgment.ts`).
 */

/** Length of a reply in characters (Unicode code points), the unit of `candidate_lengths`. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A conversion problem: the input line, the field and what is wrong. */
export interface ConvertIssue {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

/** `line N: field: message`, the format every converter and the stats command print. */
export function formatIssue(issue: ConvertIssue): string {
  return `line ${issue.line}: ${issue.field}: ${issue.message}`;
}
