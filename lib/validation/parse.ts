import type { z } from "zod";
import { validationError } from "@/lib/errors";
import { storableProblems } from "./storable";

/**
 * Parses a boundary input or throws a VALIDATION AppError naming the field. Text that
 * PostgreSQL cannot store exactly (U+0000, unpaired surrogates) and over-deep nesting are
 * refused first, by path, so that no boundary answers them with a database error.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const problems = storableProblems(input);
  if (problems.length > 0) throw validationError(problems);
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error.issues);
  return result.data;
}
