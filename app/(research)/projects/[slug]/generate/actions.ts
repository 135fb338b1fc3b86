"use server";

import { serviceAction } from "@/lib/actions";
import { cancelGeneration, resumeGeneration, retryGeneration, startGeneration } from "@/lib/services/generation";

export async function startGenerationAction(input: { projectSlug: string; endpoints: string[]; samples: string; onlyMissing: boolean }) {
  return serviceAction("generation.create", (ctx) => startGeneration(ctx, input), [`/projects/${input.projectSlug}/generate`]);
}

export async function cancelGenerationAction(input: { id: number }) {
  return serviceAction("generation.create", (ctx) => cancelGeneration(ctx, input));
}

export async function resumeGenerationAction(input: { id: number }) {
  return serviceAction("generation.create", (ctx) => resumeGeneration(ctx, input));
}

export async function retryGenerationAction(input: { id: number; unitIds?: number[] }) {
  return serviceAction("generation.create", (ctx) => retryGeneration(ctx, input));
}
