import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * Parses a script's arguments; on unknown or malformed options prints the message and the
 * usage text and exits 2, on --help prints the usage and exits 0.
 */
export function parseCli<T extends NonNullable<ParseArgsConfig["options"]>>(usage: string, options: T, argv = process.argv.slice(2)) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } }, allowPositionals: true, strict: true });
    if ((parsed.values as { help?: boolean }).help) {
      console.log(usage);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** An option's positive integer value, or its default; anything else prints the usage and exits 2. */
export function positiveInt(usage: string, value: string | undefined, fallback: number, name: string): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

/** Prints a clear error and sets a failing exit code. */
export function fail(message: string, code = 1): void {
  console.error(message);
  process.exitCode = code;
}

/** The one input path a command takes; otherwise prints why with the usage, fails with 2 and answers null. */
export function singleInput(usage: string, positionals: string[]): string | null {
  if (positionals.length === 1) return positionals[0]!;
  fail(`${positionals.length === 0 ? "missing" : "one"} input file expected\n\n${usage}`, 2);
  return null;
}

/** Reads all of standard input (for piped passwords). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
