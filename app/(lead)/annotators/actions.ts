"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { previewAnnotatorExclusion, setAnnotatorExcluded, setAnnotatorStatus } from "@/lib/services/annotators";

/** Pauses, resumes or sends a member back to qualification. */
export async function setAnnotatorStatusAction(input: { projectSlug: string; userId: number; status: string }) {
  return runAction(async () => {
    const result = await setAnnotatorStatus({ db: getDb(), actor: await actorFor("annotator.manage") }, input);
    revalidatePath("/annotators");
    return result;
  });
}

/** The judgments an exclusion (or inclusion) would affect, for the confirmation. */
export async function previewExclusionAction(input: { projectSlug: string; userId: number }) {
  return runAction(async () => previewAnnotatorExclusion({ db: getDb(), actor: await actorFor("annotator.manage") }, input));
}

/** Excludes a member's judgments from exports, or includes them again. */
export async function setAnnotatorExcludedAction(input: { projectSlug: string; userId: number; excluded: boolean }) {
  return runAction(async () => {
    const result = await setAnnotatorExcluded({ db: getDb(), actor: await actorFor("annotator.manage") }, input);
    revalidatePath("/annotators");
    return result;
  });
}
