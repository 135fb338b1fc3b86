"use server";

import { serviceAction } from "@/lib/actions";
import { createApiToken, revokeApiToken } from "@/lib/services/tokens";

/** Creates a token; the plain token is in this result only (the page shows it once). */
export async function createApiTokenAction(input: { name: string; scopes: string[]; projectSlug?: string; expiresInDays?: string }) {
  return serviceAction(
    "token.create",
    async (ctx) => {
      const created = await createApiToken(ctx, input);
      return { ...created, expiresAt: created.expiresAt?.toISOString() ?? null };
    },
    ["/tokens"],
  );
}

/** Revokes one of the caller's tokens (any, for an admin). Signed-in users only: never a token. */
export async function revokeApiTokenAction(input: { tokenId: number }) {
  return serviceAction(undefined, (ctx) => revokeApiToken(ctx, input), ["/tokens"]);
}
