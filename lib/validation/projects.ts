import { z } from "zod";
import { ProjectSettings } from "./project-settings";

export const ProjectSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit");

/**
 * A verb's reference to an existing project by its slug (looked up, never created, so any
 * non-empty slug is checked by the lookup rather than by the slug pattern).
 */
export const ProjectSlugInput = z.object({ projectSlug: z.string().trim().min(1, { message: "is required" }).max(63) });

export const CreateProjectInput = z.object({
  slug: ProjectSlug,
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(5000).default(""),
  guidelines: z.string().max(100_000).default(""),
  status: z.enum(["draft", "active", "paused", "archived"]).default("draft"),
  settings: ProjectSettings.default(ProjectSettings.parse({})),
});
export type CreateProjectInput = z.input<typeof CreateProjectInput>;

export const UpdateProjectInput = z.object({
  slug: ProjectSlug,
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(5000).default(""),
  guidelines: z.string().max(100_000).default(""),
  settings: ProjectSettings,
});
export type UpdateProjectInput = z.input<typeof UpdateProjectInput>;

export const SetProjectStatusInput = z.object({
  slug: ProjectSlug,
  status: z.enum(["draft", "active", "paused", "archived"]),
});

const EmailList = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: "must be an email address" })),
  )
  .max(1000)
  .default([]);

export const UpdateMembersInput = z
  .object({ slug: ProjectSlug, add: EmailList, remove: EmailList })
  .refine((v) => v.add.length + v.remove.length > 0, { message: "name at least one email to add or remove", path: ["add"] });
export type UpdateMembersInput = z.input<typeof UpdateMembersInput>;

/** "a@x.com, b@y.com" or one per line → the list (for the CLI and the members form). */
export function splitEmails(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
