"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { startLiveSession } from "@/lib/services/live";

/** Starts a session and opens it; a refusal comes back as the action's result. */
export async function startLiveSessionAction(slug: string) {
  const result = await runAction(async () => {
    const actor = await actorFor("task.annotate");
    return startLiveSession({ db: getDb(), actor }, { projectSlug: slug });
  });
  if (result.ok) redirect(`/live/${encodeURIComponent(slug)}/${result.data.session.id}`);
  return result;
}
