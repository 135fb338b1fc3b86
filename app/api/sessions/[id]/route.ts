import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, route } from "@/lib/http";
import { getLiveSession, sessionProjectSlug } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/** GET /api/sessions/{id} — the session and its whole tree (blind for its annotator). */
export const GET = route(async (_request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  return NextResponse.json(await getLiveSession({ db, actor }, { sessionId: id }), { headers: ANNOTATION_API_HEADERS });
});
