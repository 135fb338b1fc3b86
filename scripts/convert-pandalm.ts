/**
 * Converts PandaLM's human-annotated test set to raw-judgment JSONL, the input of
 * `npm run stats`:
 *
 *   npx tsx scripts/convert-pandalm.ts ../shared/data/pandalm_testset > pandalm.raw.jsonl
 *
 * The mapping is `lib/domain/convert/pandalm.ts`; this file streams the input record by
 * record and writes one line per judgment.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { formatIssue, type ConvertIssue } from "@/lib/domain/convert/common";
import { JsonRecordSplitter, JsonRecordsError } from "@/lib/domain/convert/json-records";
import { pandalmToRaw, parsePandalmRecord } from "@/lib/domain/convert/pandalm";
import { validateRawJudgment } from "@/lib/validation/raw-judgment";
import { fail, parseCli, singleInput } from "./lib/cli";
import { converterOutput, MAX_REPORTED } from "./lib/converter-output";

const USAGE = `Convert PandaLM's human-annotated test set to raw-judgment JSONL (the input of npm run stats).

Usage:
  npx tsx scripts/convert-pandalm.ts [options] <testset-v1.json | folder>

The input is PandaLM's data/testset-v1.json (a JSON array of {idx, cmp_key, response1,
response2, annotator1..3}; JSON Lines work too), or a folder holding it.
Each record gives one line per annotator: task <prefix><idx>, annotator
<prefix>annotatorN, 3-point scale (label 1 → -1 response1 better, 0 → 0 tie,
2 → +1 response2 better), the two models from cmp_key, candidate_lengths.

Options:
  --out FILE       write here (atomically, via FILE.partial) instead of standard output
  --prefix TEXT    prefix of task, item, candidate and annotator ids (default "pandalm-")
  --help           this text

Exit status: 0 on success; 1 on bad input (problems printed as "line N: field: message",
the first ${MAX_REPORTED}); 2 on bad usage.`;

async function resolveInput(path: string): Promise<string> {
  const s = await stat(path);
  return s.isDirectory() ? join(path, "testset-v1.json") : path;
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(USAGE, { out: { type: "string" }, prefix: { type: "string" } });
  if (singleInput(USAGE, positionals) === null) return;
  let input: string;
  try {
    input = await resolveInput(positionals[0]!);
    await stat(input);
  } catch (err) {
    fail(`cannot read "${positionals[0]}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return;
  }
  const prefix = values.prefix ?? "pandalm-";
  const target = values.out;
  const output = converterOutput(target);
  const note = (issue: ConvertIssue) => output.report(formatIssue(issue));
  const splitter = new JsonRecordSplitter();
  let records = 0;
  let lines = 0;
  try {
    const handle = async (chunk: string) => {
      for (const rec of splitter.push(chunk)) {
        records++;
        let decoded: unknown;
        try {
          decoded = JSON.parse(rec.text);
        } catch (err) {
          note({ line: rec.line, field: "(json)", message: `invalid JSON: ${(err as Error).message}` });
          continue;
        }
        const parsed = parsePandalmRecord(decoded);
        if (!parsed.ok) {
          for (const i of parsed.issues) note({ line: rec.line, ...i });
          continue;
        }
        for (const raw of pandalmToRaw(parsed.item, { prefix })) {
          const check = validateRawJudgment(raw);
          if (!check.ok) {
            for (const i of check.issues) note({ line: rec.line, field: i.field, message: `in the converted line: ${i.message}` });
            continue;
          }
          if (output.problems === 0) {
            await output.writeLine(raw);
            lines++;
          }
        }
      }
    };
    for await (const chunk of createReadStream(input, { encoding: "utf8", highWaterMark: 1 << 16 })) {
      await handle(chunk as string);
    }
    splitter.end();
  } catch (err) {
    if (err instanceof JsonRecordsError) note({ line: err.line, field: "(json)", message: err.message.replace(/^line \d+: /, "") });
    else
      note({
        line: 0,
        field: "(file)",
        message: `cannot read "${input}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      });
  }
  if (!(await output.finish(`${input}: `))) return;
  console.error(`${records} records → ${lines} raw judgments${target ? ` in ${target}` : ""}`);
}

main().catch((err: unknown) => {
  fail(`convert-pandalm: ${(err as Error).stack ?? String(err)}`);
});
