import { AppError } from "@/lib/errors";

/** Prints an error as a CLI user needs it: the message, then each field's problems. */
export function describeError(command: string, error: unknown): string {
  if (error instanceof AppError) {
    const fields =
      error.fields && error.code === "VALIDATION"
        ? `\n${Object.entries(error.fields)
            .map(([f, m]) => `  ${f}: ${m.join("; ")}`)
            .join("\n")}`
        : "";
    return `${command}: ${error.message}${fields}`;
  }
  return `${command} failed: ${(error as Error).message}`;
}
