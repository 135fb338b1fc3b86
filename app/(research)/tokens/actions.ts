"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/services/tokens";

/** Creates a token; the plain token is in this result only (the page shows it once). */
export async function createApiTokenAction(input: { name: string; scopes: string[]; projectSlug?: string; expiresInDays?: string }) {
  return runAction(async () => {
    const created = await createApiToken({ db: getDb(), actor: await actorFor("token.create") }, input);
    revalidatePath("/tokens");
    return { ...created, expiresAt: created.expiresAt?.toISOString() ?? null };
  });
}

/** Revokes one of the caller's tokens (any, for an admin). Signed-in users only: never a token. */
export async function revokeApiTokenAction(input: { tokenId: number }) {
  return runAction(async () => {
    const result = await revokeApiToken({ db: getDb(), actor: await actorFor() }, input);
    revalidatePath("/tokens");
    return result;
  });
}
