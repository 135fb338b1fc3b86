import { z } from "zod";
import { ProjectSlugInput } from "./projects";
import { DIMENSION_KEYS } from "@/lib/domain/dimensions";

const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date YYYY-MM-DD" })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { message: "must be a real calendar date" });

/** An optional URL value: "" means "not set" (an emptied filter field). */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

/**
 * Filters of the statistics dashboard and `GET /api/projects/{slug}/stats` (values may
 * arrive as URL strings). Dates are UTC days, both inclusive.
 */
export const StatsInput = z
  .object({
    projectSlug: ProjectSlugInput.shape.projectSlug,
    from: optional(date),
    to: optional(date),
    /** Exact character name. */
    character: optional(z.string().trim().min(1).max(200)),
    /** Exact model name. */
    model: optional(z.string().trim().min(1).max(200)),
    /** User id: only the tasks this annotator judged. */
    annotator: optional(z.coerce.number().int().positive({ message: "must be a user id" })),
    /** Only this rating dimension in the per-dimension agreement. */
    dimension: optional(z.enum(DIMENSION_KEYS, { message: "must be a rating dimension key" })),
  })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { path: ["to"], message: "must not be before from" });
export type StatsInput = z.infer<typeof StatsInput>;
