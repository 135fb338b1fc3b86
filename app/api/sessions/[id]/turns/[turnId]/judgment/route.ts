import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { judgeLiveTurn, sessionProjectSlug } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/**
 * POST /api/sessions/{id}/turns/{turnId}/judgment — the static judgment body (slot j =
 * label j) plus `editedText?`; 200 `{chosenNodeId}` (a retry: the same, with `Idempotent-Replayed: true`).
 */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string; turnId: string }> }) => {
  const { id, turnId } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  const { chosenNodeId, replayed } = await judgeLiveTurn({ db, actor }, { sessionId: id, turnId, input: await readJsonBody(request) });
  return NextResponse.json(
    { chosenNodeId },
    { headers: { ...ANNOTATION_API_HEADERS, ...(replayed ? { "Idempotent-Replayed": "true" } : {}) } },
  );
});
