/** `npm run import -- --project <slug> [--update] [--dry-run] [--format jsonl|csv] [--force] <file>` */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { getDb } from "@/db/client";
import { importFormatOf, type ImportFormat } from "@/lib/domain/import-parse";
import { AppError } from "@/lib/errors";
import { importItems, type ImportProgress, type ImportResult } from "@/lib/services/import";
import { fail, parseCli } from "./lib/cli";
import { assertLocalOrForced, openDatabase } from "./lib/database";

const USAGE = `Usage: npm run import -- --project SLUG [--update] [--dry-run] [--format jsonl|csv] [--force] FILE

Imports role-play items (docs/import-format.md) into a project, all or nothing: if any
line has a problem, nothing is imported and every problem is listed as
"line N: field: message". Importing the same file again changes nothing.

Options:
  --project SLUG   the project to import into (required)
  --update         replace items whose content changed, if they have no judgments yet
                   (otherwise a changed item is reported as a problem)
  --dry-run        check the file and print what would happen; write nothing
  --format F       jsonl or csv (default: from the file name: .jsonl/.ndjson/.json, .csv)
  --force          allow a non-local database (DATABASE_URL on another host)
  --help           this text

Exit status: 0 imported (or a clean dry run), 1 refused or failed, 2 bad usage.`;

const { values, positionals } = parseCli(USAGE, {
  project: { type: "string" },
  update: { type: "boolean" },
  "dry-run": { type: "boolean" },
  format: { type: "string" },
  force: { type: "boolean" },
});

const n = (x: number) => x.toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

function summary(result: ImportResult, slug: string, seconds: number): string {
  const what = `${n(result.created)} created, ${n(result.updated)} updated, ${n(result.unchanged)} unchanged; ${n(result.tasksCreated)} tasks and ${n(result.charactersCreated)} characters created`;
  const size = `${n(result.lines)} lines, ${mb(result.bytes)}, ${seconds.toFixed(1)} s`;
  return result.dryRun ? `Dry run for ${slug}, nothing written: would be ${what} (${size}).` : `Imported into ${slug}: ${what} (${size}).`;
}

function problemReport(result: ImportResult): string {
  const lines = result.problems.map((p) => `line ${p.line}: ${p.field}: ${p.message}`);
  if (result.truncated) lines.push(`… and ${n(result.problemCount - result.problems.length)} more problems`);
  return `import: the file was refused; nothing was imported. ${n(result.problemCount)} problem${result.problemCount === 1 ? "" : "s"}:\n${lines.join("\n")}`;
}

/** A progress line on stderr: rewritten in place on a terminal, every few seconds otherwise. */
function progressPrinter(total: number) {
  const tty = Boolean(process.stderr.isTTY);
  let last = 0;
  return {
    update(p: ImportProgress) {
      const now = Date.now();
      if (now - last < (tty ? 200 : 5000)) return;
      last = now;
      const pct = total > 0 ? ` ${Math.min(100, Math.round((p.bytes / total) * 100))}%` : "";
      const text = p.phase === "read" ? `reading:${pct} ${n(p.lines)} lines` : `writing items that name a character: ${n(p.lines)}`;
      process.stderr.write(tty ? `\r${text}\u001b[K` : `${text}\n`);
    },
    done() {
      if (tty && last > 0) process.stderr.write("\r\u001b[K");
    },
  };
}

const file = positionals[0];
const format = (values.format ?? (file ? importFormatOf(file) : null)) as ImportFormat | null;
if (!values.project || !file || positionals.length > 1) {
  fail(`${!values.project ? "--project is required" : "give exactly one FILE"}.\n\n${USAGE}`, 2);
} else if (format !== "jsonl" && format !== "csv") {
  fail(
    `import: ${values.format ? `unknown --format "${values.format}"` : `cannot tell the format of "${file}" from its name`}; use --format jsonl or --format csv.`,
    2,
  );
} else {
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
  if (size === null) {
    fail(`import: cannot read the file "${file}".`);
  } else {
    const db = await openDatabase({ migrate: true, quiet: true });
    const progress = progressPrinter(size);
    const started = performance.now();
    try {
      assertLocalOrForced(db.url, Boolean(values.force));
      const result = await importItems(
        { db: getDb(), actor: null },
        {
          projectSlug: values.project,
          source: createReadStream(file, { highWaterMark: 1 << 20 }),
          format,
          update: Boolean(values.update),
          dryRun: Boolean(values["dry-run"]),
          onProgress: (p) => progress.update(p),
        },
      );
      progress.done();
      if (result.ok) console.log(summary(result, values.project, (performance.now() - started) / 1000));
      else fail(problemReport(result));
    } catch (error) {
      progress.done();
      if (error instanceof AppError) fail(`import: ${error.message}`);
      else fail(`import failed: ${(error as Error).message}`);
    } finally {
      await db.close();
    }
  }
}
