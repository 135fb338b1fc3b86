/**
 * `npm run export -- --project <slug> --kind dpo|rm|kto|raw --out <dir> [policy options]`
 *
 * Builds an export bundle from the database (lib/services/exports.ts, buildExport) and
 * prints the counts and each file's sha256. Options map one to one onto the export policy
 * (lib/validation/export.ts); a bad value is reported by its option name.
 */
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { buildExport, type BuildExportResult } from "@/lib/services/exports";
import { EXPORT_KINDS, POLICY_OPTIONS, policyFromOptions } from "@/lib/validation/export";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";

const USAGE = `Usage: npm run export -- --project SLUG --kind dpo|rm|kto|raw|tree --out DIR [options]

Builds a training bundle (train.jsonl, test.jsonl, ties.jsonl.gz, manifest.json,
README.md) or, with --kind raw, every judgment (judgments.jsonl, manifest.json,
README.md) into DIR, streaming from the database; the same options on the same data give
byte-identical data files. Format and policy: docs/export-format.md.

Options:
  --project SLUG            the project to export (required)
  --kind K                  dpo, rm, kto, raw, or (live projects) tree (required)
  --out DIR                 the bundle directory (created; earlier bundle files in it are replaced)
  --format F                conversational (default; TRL message lists) or standard (plain strings)
  --min-judgments N         counted judgments a task needs (default 2)
  --min-agreement X         share agreeing with the consensus, 0..1 (default 0.667)
  --consensus M             who labels a pairwise task: majority (default), dawid-skene or mace
                            (an annotator model fitted over all counted judgments)
  --min-posterior X         with dawid-skene or mace: the label's posterior must reach X, 0..1 (default 0.8)
  --test-percent N          conversations in the test split, 0..100 (default 10)
  --seed S                  salt of the split hash (default "")
  --margin-scale small|large  reward-model margins: Llama 2's 1/0.667/0.333 or 3/2/1 (default small)
  --drop-slightly-better    leave out "slightly better" pairs
  --safety-pairs            also emit safe-over-unsafe pairs
  --unsafe-rule drop|flip   a pair whose winner is unsafe: dropped (default) or flipped
  --default-language L      language of items that have none (default: detected)
  --no-edit-pairs           live projects: leave out edit-over-original pairs (SFT rows stay)
  --no-swipe-pairs          live projects: leave out chosen-over-swiped pairs
  --help                    this text

Live projects: one row set per judged turn (--min-judgments defaults to 1), a whole
session in one split, the annotators' edits also in sft.jsonl.gz; --kind tree writes
every session as an Open-Assistant-style tree (sessions.jsonl).
Gold tasks never count and are never exported (there is no option to include them).
Exit status: 0 built, 1 refused or failed, 2 bad usage.`;

const policyFlags = Object.fromEntries(
  Object.entries(POLICY_OPTIONS).map(([name, { type }]) => [
    name,
    { type: type === "boolean" ? ("boolean" as const) : ("string" as const) },
  ]),
);

const { values, positionals } = parseCli(USAGE, {
  project: { type: "string" },
  kind: { type: "string" },
  out: { type: "string" },
  "no-edit-pairs": { type: "boolean" },
  "no-swipe-pairs": { type: "boolean" },
  ...policyFlags,
});

const n = (x: number) => x.toLocaleString("en-US");

function summary(result: BuildExportResult, seconds: number): string {
  const lines = [
    `Exported ${result.kind} of ${result.project.slug} (export #${result.exportId}) in ${seconds.toFixed(1)} s from ${n(result.sourceJudgments)} judgments:`,
  ];
  if (result.counts) {
    const c = result.counts;
    lines.push(`  tasks ${n(c.tasks)}, with rows ${n(c.tasks_with_rows)}, adjudicated ${n(c.adjudicated_tasks)}`);
    lines.push(`  rows: train ${n(c.rows.train)}, test ${n(c.rows.test)}, ties ${n(c.rows.ties)}`);
    lines.push(
      `  tasks dropped: ${Object.entries(c.tasks_dropped)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(", ")}`,
    );
    lines.push(
      `  pairs dropped: ${Object.entries(c.pairs_dropped)
        .map(([k, v]) => `${k} ${n(v)}`)
        .join(", ")}`,
    );
    lines.push(
      `  judgments: counted ${n(c.judgments.counted)}, rejected ${n(c.judgments.rejected)}, superseded ${n(c.judgments.superseded)}, excluded ${n(c.judgments.excluded)}, malformed ${n(c.judgments.invalid)}, in gold tasks ${n(c.judgments.in_gold_tasks)}`,
    );
  }
  if (result.rawCounts) {
    const r = result.rawCounts;
    lines.push(`  rows ${n(r.rows)}: valid ${n(r.valid)}, rejected ${n(r.rejected)}, superseded ${n(r.superseded)}`);
  }
  if (result.statsBasis) lines.push(`  card statistics on ${result.statsBasis}`);
  lines.push("files:");
  for (const f of result.files)
    lines.push(
      `  ${f.name.padEnd(16)} ${f.rows > 0 || f.name.endsWith(".jsonl") || f.name.endsWith(".gz") ? `rows=${n(f.rows)}`.padEnd(14) : "".padEnd(14)} sha256=${f.sha256}`,
    );
  return lines.join("\n");
}

const missing = !values.project ? "--project" : !values.kind ? "--kind" : !values.out ? "--out" : null;
if (missing || positionals.length > 0) {
  fail(`export: ${missing ? `${missing} is required` : `unexpected argument "${positionals[0]}"`}.\n\n${USAGE}`, 2);
} else if (!(EXPORT_KINDS as readonly string[]).includes(values.kind!)) {
  fail(`export: --kind must be one of ${EXPORT_KINDS.join(", ")} (got "${values.kind}").`);
} else {
  let policy: ReturnType<typeof policyFromOptions> | null = null;
  try {
    policy = policyFromOptions(values as Record<string, string | boolean | undefined>);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = Object.entries(error.fields ?? {}).map(([option, messages]) => `  --${option}: ${messages.join("; ")}`);
    fail(`export: invalid option${problems.length === 1 ? "" : "s"}:\n${problems.join("\n")}`);
  }
  if (policy) {
    const db = await openDatabase({ migrate: true, quiet: true });
    const started = performance.now();
    try {
      const result = await buildExport(
        { db: getDb(), actor: null },
        {
          projectSlug: values.project!,
          kind: values.kind as (typeof EXPORT_KINDS)[number],
          policy,
          outDir: values.out!,
          live: { editPairs: !values["no-edit-pairs"], swipePairs: !values["no-swipe-pairs"] },
          onProgress: (p) => {
            if (process.stderr.isTTY) process.stderr.write(`\r${n(p.tasks)} tasks, ${n(p.judgments)} judgments\u001b[K`);
          },
        },
      );
      if (process.stderr.isTTY) process.stderr.write("\r\u001b[K");
      console.log(summary(result, (performance.now() - started) / 1000));
    } catch (error) {
      if (error instanceof AppError) fail(`export: ${error.message}`);
      else fail(`export failed: ${(error as Error).message}`);
    } finally {
      await db.close();
    }
  }
}
