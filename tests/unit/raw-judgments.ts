/** Raw judgments for the statistics and converter tests: the hand-worked fixture, and validation of converted lines. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRawJudgmentLine, validateRawJudgment, type RawJudgment, type RawJudgmentInput } from "@/lib/validation/raw-judgment";

const fixture = join(import.meta.dirname, "../fixtures/raw/small.jsonl");

/** The judgments of tests/fixtures/raw/small.jsonl, parsed as `npm run stats` parses a raw export; a bad line fails the test. */
export function loadRawFixture(): RawJudgment[] {
  const out: RawJudgment[] = [];
  for (const line of readFileSync(fixture, "utf8").split("\n")) {
    const r = parseRawJudgmentLine(line);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    if (r.value !== null) out.push(r.value);
  }
  return out;
}

/** Converted lines as `npm run stats` accepts them; a line it would refuse fails the test. */
export function validated(lines: RawJudgmentInput[]): RawJudgment[] {
  return lines.map((l) => {
    const r = validateRawJudgment(l);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  });
}
