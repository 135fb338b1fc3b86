"use server";

import { redirect } from "next/navigation";
import { serviceAction } from "@/lib/actions";
import { startLiveSession } from "@/lib/services/live";

/** Starts a session and opens it; a refusal comes back as the action's result. */
export async function startLiveSessionAction(slug: string) {
  const result = await serviceAction("task.annotate", (ctx) => startLiveSession(ctx, { projectSlug: slug }));
  if (result.ok) redirect(`/live/${encodeURIComponent(slug)}/${result.data.session.id}`);
  return result;
}
