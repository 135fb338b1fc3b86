import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, route } from "@/lib/http";
import { regenerateLiveCandidate, sessionProjectSlug } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/**
 * POST /api/sessions/{id}/turns/{turnId}/candidates/{label}/regenerate — 202 `{label, replacing}`;
 * open the turn's stream again to receive the new reply.
 */
export const POST = route(async (_request: NextRequest, { params }: { params: Promise<{ id: string; turnId: string; label: string }> }) => {
  const { id, turnId, label } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  const result = await regenerateLiveCandidate({ db, actor }, { sessionId: id, turnId, label });
  return NextResponse.json(result, { status: 202, headers: ANNOTATION_API_HEADERS });
});
