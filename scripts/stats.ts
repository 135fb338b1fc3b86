/**
 * Agreement statistics, annotator quality and the model leaderboard of a raw-judgment
 * JSONL file:
 *
 *   npm run stats -- <raw-judgments.jsonl> [--seed N] [--rounds N]
 *                    [--consensus majority|dawid-skene|mace] [--labels OUT.jsonl]
 *
 * Streams the file line by line, validates each line (`lib/validation/raw-judgment.ts`),
 * computes the report (`lib/domain/stats/report.ts`) and prints it as one JSON object.
 * Definitions: docs/statistics.md, "Command line".
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createWriteStream } from "node:fs";
import {
  CONSENSUS_METHODS,
  computeConsensus,
  computeStatsReport,
  consensusJudgmentsOf,
  leaderFragilityOf,
  type ConsensusMethod,
  type StatsJudgmentInput,
} from "@/lib/domain/stats";
import { RawTaskConsistency, parseRawJudgmentLine, type FieldIssue } from "@/lib/validation/raw-judgment";
import { fail, parseCli, singleInput } from "./lib/cli";

const MAX_REPORTED = 50;

const USAGE = `Agreement statistics, annotator quality and the model leaderboard of raw judgments.

Usage:
  npm run stats -- <raw-judgments.jsonl> [--seed N] [--rounds N]
                   [--consensus majority|dawid-skene|mace] [--labels OUT.jsonl]
  npx tsx scripts/stats.ts <raw-judgments.jsonl> [options]

The input is the raw-judgment JSONL format (one judgment per line; see
docs/statistics.md, "Command line"): task_id, annotator, scale_points and strength
(pairwise) or ranking (K-wise) are required; models, display_order, gold, ratings,
seconds, state, created_at and candidate_lengths are used when present; unknown fields
are ignored. Use "-" to read standard input.

Options:
  --seed N     seed of every bootstrap interval (default 1)
  --rounds N   bootstrap resamples (default 200; 0 = no intervals)
  --consensus M
               also fit an annotator model on the direction {A, tie, B}: majority,
               dawid-skene or mace; the JSON gains "consensus" (per-annotator accuracy,
               confusion, MACE competence, noisy Bradley–Terry position bias, flags)
               and "leader_fragility" (votes whose removal changes the leader)
  --labels OUT.jsonl
               write one line per task {"task_id", "label", "posterior": {"A", "tie", "B"}}
               by the consensus method (majority when --consensus is not given)
  --help       this text

Prints one JSON object on standard output.
Exit status: 0 on success; 1 on bad input (each problem printed on standard error as
"line N: field: message", the first ${MAX_REPORTED} of them); 2 on bad usage.`;

function integerOption(value: string | undefined, name: string, fallback: number, min: number): number | null {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    fail(`--${name} must be an integer ≥ ${min} (got "${value}")\n\n${USAGE}`, 2);
    return null;
  }
  return Number(value);
}

async function main(): Promise<void> {
  const { values, positionals } = parseCli(USAGE, {
    seed: { type: "string" },
    rounds: { type: "string" },
    consensus: { type: "string" },
    labels: { type: "string" },
  });
  const path = singleInput(USAGE, positionals);
  if (path === null) return;
  const seed = integerOption(values.seed, "seed", 1, Number.MIN_SAFE_INTEGER);
  const rounds = integerOption(values.rounds, "rounds", 200, 0);
  if (seed === null || rounds === null) return;
  const method = (values.consensus ?? (values.labels !== undefined ? "majority" : undefined)) as ConsensusMethod | undefined;
  if (method !== undefined && !CONSENSUS_METHODS.includes(method)) {
    fail(`--consensus must be one of ${CONSENSUS_METHODS.join(", ")} (got "${values.consensus}")\n\n${USAGE}`, 2);
    return;
  }
  if (values.labels === "") {
    fail(`--labels needs a file name\n\n${USAGE}`, 2);
    return;
  }
  if (path !== "-") {
    try {
      const s = await stat(path);
      if (!s.isFile()) throw Object.assign(new Error(), { code: "not a file" });
    } catch (err) {
      fail(`cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return;
    }
  }

  const input = path === "-" ? process.stdin : createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const judgments: StatsJudgmentInput[] = [];
  const consistency = new RawTaskConsistency();
  let lineNo = 0;
  let problems = 0;
  const report = (issues: FieldIssue[]) => {
    for (const issue of issues) {
      problems++;
      if (problems <= MAX_REPORTED) console.error(`line ${lineNo}: ${issue.field}: ${issue.message}`);
    }
  };
  try {
    for await (const text of lines) {
      lineNo++;
      const parsed = parseRawJudgmentLine(text);
      if (!parsed.ok) {
        report(parsed.issues);
        continue;
      }
      if (parsed.value === null) continue;
      const issues = consistency.check(lineNo, parsed.value);
      if (issues.length > 0) {
        report(issues);
        continue;
      }
      if (problems === 0) judgments.push(parsed.value);
    }
  } catch (err) {
    fail(`cannot read "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return;
  }
  if (problems > 0) {
    const more = problems > MAX_REPORTED ? ` (${problems - MAX_REPORTED} more not shown)` : "";
    fail(`${path}: ${problems} problem${problems === 1 ? "" : "s"} in ${lineNo} lines${more}; no statistics computed`);
    return;
  }
  const result = computeStatsReport(judgments, { seed, bootstrapRounds: rounds });
  if (method === undefined) {
    process.stdout.write(`${formatJson(result)}\n`);
    return;
  }
  const counted = consensusJudgmentsOf(judgments);
  const consensus = computeConsensus(counted, method, { seed });
  if (values.labels !== undefined) {
    try {
      await writeLines(
        values.labels,
        consensus.labels.map((l) => JSON.stringify({ task_id: l.task_id, label: l.label, posterior: l.posterior })),
      );
    } catch (err) {
      fail(`cannot write "${values.labels}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return;
    }
  }
  process.stdout.write(`${formatJson({ ...result, consensus: consensus.report, leader_fragility: leaderFragilityOf(counted) })}\n`);
}

/** Writes lines to a file, waiting for the data to reach it. */
function writeLines(path: string, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path, { encoding: "utf8" });
    out.on("error", reject);
    out.on("finish", () => resolve());
    for (const line of lines) out.write(`${line}\n`);
    out.end();
  });
}

/** JSON with two-space indentation, but arrays and objects that fit on a short line kept on one. */
function formatJson(value: unknown, indent = ""): string {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== "object" || flat.length + indent.length <= 100) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(",\n")}\n${indent}}`;
}

main().catch((err: unknown) => {
  fail(`stats: ${(err as Error).stack ?? String(err)}`);
});
