/**
 * Converts LLMFAO's crowd comparisons to raw-judgment JSONL, the input of `npm run stats`:
 *
 *   npx tsx scripts/convert-llmfao.ts ../shared/data/llmfao_crowd > llmfao.raw.jsonl
 *
 * The mapping is `lib/domain/convert/llmfao.ts`; this file streams the CSV line by line
 * (and the optional pairs file before it) and writes one line per judgment.
 */
import { createReadStream, existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { formatIssue, type ConvertIssue } from "@/lib/domain/convert/common";
import { llmfaoHeader, llmfaoPairLengths, llmfaoRowToRaw, parseCsvLine, type LlmfaoColumns } from "@/lib/domain/convert/llmfao";
import { validateRawJudgment } from "@/lib/validation/raw-judgment";
import { fail, parseCli, singleInput } from "./lib/cli";
import { converterOutput, MAX_REPORTED } from "./lib/converter-output";

const USAGE = `Convert LLMFAO crowd comparisons to raw-judgment JSONL (the input of npm run stats).

Usage:
  npx tsx scripts/convert-llmfao.ts [options] <crowd-comparisons.csv | folder>

The input is LLMFAO's crowd-comparisons.csv (header id,prompt,model_x,model_y,worker,
winner,left,right), or a folder holding it (then pairs-crowd.jsonl in the same folder
is read too, unless --pairs is given). Each row gives one line: task <prefix><id>, item
<prefix>prompt-<prompt>, annotator <prefix>worker-<worker>, 3-point scale (left → -1
model_x better, tie → 0, right → +1), models from the left/right names, display order
[0, 1] (model_x shown on the left), candidate_lengths when the pairs file is read.

Options:
  --pairs FILE     pairs-crowd.jsonl, for the reply lengths (length bias)
  --out FILE       write here (atomically, via FILE.partial) instead of standard output
  --prefix TEXT    prefix of task, item, candidate and annotator ids (default "llmfao-")
  --help           this text

Exit status: 0 on success; 1 on bad input (problems printed as "line N: field: message",
the first ${MAX_REPORTED}); 2 on bad usage.`;

function lineReader(path: string) {
  return createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(USAGE, {
    pairs: { type: "string" },
    out: { type: "string" },
    prefix: { type: "string" },
  });
  const input = singleInput(USAGE, positionals);
  if (input === null) return;
  let csv = input;
  let pairs = values.pairs;
  try {
    if ((await stat(csv)).isDirectory()) {
      const dir = csv;
      csv = join(dir, "crowd-comparisons.csv");
      if (pairs === undefined && existsSync(join(dir, "pairs-crowd.jsonl"))) pairs = join(dir, "pairs-crowd.jsonl");
    }
    await stat(csv);
    if (pairs !== undefined) await stat(pairs);
  } catch (err) {
    fail(`cannot read "${(err as NodeJS.ErrnoException).path ?? csv}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return;
  }
  const prefix = values.prefix ?? "llmfao-";
  const output = converterOutput(values.out);
  const note = (file: string, issue: ConvertIssue) => output.report(`${file}: ${formatIssue(issue)}`);

  // 1. Reply lengths per pair id.
  const lengths = new Map<string, [number, number]>();
  if (pairs !== undefined) {
    let n = 0;
    for await (const text of lineReader(pairs)) {
      n++;
      if (text.trim() === "") continue;
      let decoded: unknown;
      try {
        decoded = JSON.parse(text);
      } catch (err) {
        note(pairs, { line: n, field: "(json)", message: `invalid JSON: ${(err as Error).message}` });
        continue;
      }
      const r = llmfaoPairLengths(decoded);
      if (!r.ok) for (const i of r.issues) note(pairs, { line: n, ...i });
      else lengths.set(r.id, r.lengths);
    }
  }

  // 2. The comparisons.
  let columns: LlmfaoColumns | null = null;
  let n = 0;
  let written = 0;
  let withoutLengths = 0;
  for await (const text of lineReader(csv)) {
    n++;
    if (text.trim() === "") continue;
    const fields = parseCsvLine(text);
    if (fields === null) {
      note(csv, { line: n, field: "(line)", message: "a quoted field is not closed on this line" });
      continue;
    }
    if (columns === null) {
      const header = llmfaoHeader(fields);
      if (!header.ok) {
        for (const i of header.issues) note(csv, { line: n, ...i });
        break;
      }
      columns = header.columns;
      continue;
    }
    const row = llmfaoRowToRaw(fields, columns, { prefix, lengths });
    if (!row.ok) {
      for (const i of row.issues) note(csv, { line: n, ...i });
      continue;
    }
    const check = validateRawJudgment(row.line);
    if (!check.ok) {
      for (const i of check.issues) note(csv, { line: n, field: i.field, message: `in the converted line: ${i.message}` });
      continue;
    }
    if (row.line.candidate_lengths === undefined) withoutLengths++;
    if (output.problems === 0) {
      await output.writeLine(row.line);
      written++;
    }
  }
  if (columns === null && output.problems === 0) note(csv, { line: n, field: "(file)", message: "no header row" });
  if (!(await output.finish())) return;
  const target = values.out;
  const note2 = pairs !== undefined && withoutLengths > 0 ? ` (${withoutLengths} without reply lengths: pair not in ${pairs})` : "";
  console.error(`${n - 1} rows → ${written} raw judgments${target ? ` in ${target}` : ""}${note2}`);
}

main().catch((err: unknown) => {
  fail(`convert-llmfao: ${(err as Error).stack ?? String(err)}`);
});
