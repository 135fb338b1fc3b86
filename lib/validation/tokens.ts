import { z } from "zod";
import { TOKEN_SCOPES } from "@/lib/auth/tokens";
import { ProjectSlugInput } from "./projects";

/** A new API token. Form values may arrive as strings ("" means "no project" / "never expires"). */
export const CreateApiTokenInput = z.object({
  name: z.string().trim().min(1, { message: "is required" }).max(100, { message: "at most 100 characters" }),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { message: "must be import, export, stats, annotate or generate" }))
    .min(1, { message: "choose at least one scope" })
    .transform((s) => [...new Set(s)].sort()),
  projectSlug: z.preprocess((v) => (v === "" || v === null ? undefined : v), ProjectSlugInput.shape.projectSlug.optional()),
  /** Days until the token stops working; absent = no expiry. */
  expiresInDays: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "at least 1 day" })
      .max(365, { message: "at most 365 days" })
      .optional(),
  ),
});
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenInput>;

export const RevokeApiTokenInput = z.object({ tokenId: z.coerce.number({ message: "must be a number" }).int().positive() });
export type RevokeApiTokenInput = z.infer<typeof RevokeApiTokenInput>;
