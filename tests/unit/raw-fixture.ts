/** The raw-judgment fixture (tests/fixtures/raw/small.jsonl) the statistics tests compute over. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRawJudgmentLine, type RawJudgment } from "@/lib/validation/raw-judgment";

const fixture = join(import.meta.dirname, "../fixtures/raw/small.jsonl");

/** Its judgments, parsed as `npm run stats` parses a raw export; a bad line fails the test. */
export function loadRawFixture(): RawJudgment[] {
  const out: RawJudgment[] = [];
  for (const line of readFileSync(fixture, "utf8").split("\n")) {
    const r = parseRawJudgmentLine(line);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    if (r.value !== null) out.push(r.value);
  }
  return out;
}
