"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { cancelGeneration, resumeGeneration, retryGeneration, startGeneration } from "@/lib/services/generation";

export async function startGenerationAction(input: { projectSlug: string; endpoints: string[]; samples: string; onlyMissing: boolean }) {
  return runAction(async () => {
    const result = await startGeneration({ db: getDb(), actor: await actorFor("generation.create") }, input);
    revalidatePath(`/projects/${input.projectSlug}/generate`);
    return result;
  });
}

export async function cancelGenerationAction(input: { id: number }) {
  return runAction(async () => cancelGeneration({ db: getDb(), actor: await actorFor("generation.create") }, input));
}

export async function resumeGenerationAction(input: { id: number }) {
  return runAction(async () => resumeGeneration({ db: getDb(), actor: await actorFor("generation.create") }, input));
}

export async function retryGenerationAction(input: { id: number; unitIds?: number[] }) {
  return runAction(async () => retryGeneration({ db: getDb(), actor: await actorFor("generation.create") }, input));
}
