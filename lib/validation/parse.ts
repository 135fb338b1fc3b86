import type { z } from "zod";
import { validationError } from "@/lib/errors";

/** Parses a boundary input or throws a VALIDATION AppError naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}
