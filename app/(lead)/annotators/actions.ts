"use server";

import { serviceAction } from "@/lib/actions";
import { previewAnnotatorExclusion, setAnnotatorExcluded, setAnnotatorStatus } from "@/lib/services/annotators";

/** Pauses, resumes or sends a member back to qualification. */
export async function setAnnotatorStatusAction(input: { projectSlug: string; userId: number; status: string }) {
  return serviceAction("annotator.manage", (ctx) => setAnnotatorStatus(ctx, input), ["/annotators"]);
}

/** The judgments an exclusion (or inclusion) would affect, for the confirmation. */
export async function previewExclusionAction(input: { projectSlug: string; userId: number }) {
  return serviceAction("annotator.manage", (ctx) => previewAnnotatorExclusion(ctx, input));
}

/** Excludes a member's judgments from exports, or includes them again. */
export async function setAnnotatorExcludedAction(input: { projectSlug: string; userId: number; excluded: boolean }) {
  return serviceAction("annotator.manage", (ctx) => setAnnotatorExcluded(ctx, input), ["/annotators"]);
}
