import { z } from "zod";
import { ProjectSettings } from "./project-settings";

export const ProjectSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit");

export const CreateProjectInput = z.object({
  slug: ProjectSlug,
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(5000).default(""),
  guidelines: z.string().max(100_000).default(""),
  status: z.enum(["draft", "active", "paused", "archived"]).default("draft"),
  settings: ProjectSettings.default(ProjectSettings.parse({})),
});
export type CreateProjectInput = z.input<typeof CreateProjectInput>;
