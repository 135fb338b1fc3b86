/**
 * Where a dataset converter writes its raw-judgment lines: standard output, or with --out
 * FILE a FILE.partial renamed to FILE once every record converted. Problems are counted
 * (the first MAX_REPORTED printed as they come); any problem means nothing is written —
 * on standard output, that what was printed is incomplete.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Writable } from "node:stream";
import { fail } from "./cli";

export const MAX_REPORTED = 50;

export function converterOutput(target: string | undefined) {
  const partial = target === undefined ? undefined : `${target}.partial`;
  const out: Writable = partial === undefined ? process.stdout : createWriteStream(partial, { encoding: "utf8" });
  let problems = 0;
  return {
    get problems() {
      return problems;
    },
    /** Counts a problem, printing it while fewer than MAX_REPORTED came before. */
    report(text: string): void {
      problems++;
      if (problems <= MAX_REPORTED) console.error(text);
    },
    /** Writes one line of JSON, waiting when the stream asks to. */
    async writeLine(value: unknown): Promise<void> {
      if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, "drain");
    },
    /**
     * Closes the output: without problems the file takes its name; with problems it is
     * removed and the run fails, the message starting with `subject`. Answers whether the
     * output stands.
     */
    async finish(subject = ""): Promise<boolean> {
      if (out !== process.stdout) {
        out.end();
        await once(out, "finish");
      }
      if (problems > 0) {
        if (partial !== undefined) await rm(partial, { force: true });
        const more = problems > MAX_REPORTED ? ` (${problems - MAX_REPORTED} more not shown)` : "";
        fail(
          `${subject}${problems} problem${problems === 1 ? "" : "s"}${more}${partial === undefined ? "; the output above is incomplete" : "; nothing written"}`,
        );
        return false;
      }
      if (partial !== undefined && target !== undefined) await rename(partial, target);
      return true;
    },
  };
}
