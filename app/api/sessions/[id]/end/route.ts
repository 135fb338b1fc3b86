import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { endLiveSession, sessionProjectSlug } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/** POST /api/sessions/{id}/end `{rating?: 1–5, note?}` — 200 `{state: "ended"}`. */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  return NextResponse.json(await endLiveSession({ db, actor }, { sessionId: id, input: await readJsonBody(request) }), {
    headers: ANNOTATION_API_HEADERS,
  });
});
