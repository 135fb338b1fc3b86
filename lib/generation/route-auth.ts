import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import type { Actor } from "@/lib/services/context";
import { projectSlugOfGeneration } from "@/lib/services/generation";

/**
 * The actor of a `/api/generations/{id}/…` call: session or a token with the `generate`
 * scope; a token limited to one project reaches only that project's jobs. An unknown id
 * is authorised first (so it never says more to a stranger), then answered 404 by the service.
 */
export async function generationActor(rawId: string): Promise<{ actor: Actor; id: number }> {
  const id = /^\d{1,15}$/.test(rawId) ? Number(rawId) : -1;
  const slug = await projectSlugOfGeneration({ db: getDb() }, id);
  const actor = await apiActorFor("generation.create", slug ? { projectSlug: slug } : {});
  return { actor, id };
}
