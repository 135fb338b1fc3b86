import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { freezeLiveTurn } from "@/lib/services/live-freeze";

export const dynamic = "force-dynamic";

/** POST /api/sessions/{id}/turns/{turnId}/freeze `{targetProject}` — a lead turns a live turn into a static item: 201 `{externalId, import}`. */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string; turnId: string }> }) => {
  const { id, turnId } = await params;
  const actor = await apiActorFor("live.freeze");
  const result = await freezeLiveTurn({ db: getDb(), actor }, { sessionId: id, turnId, input: await readJsonBody(request) });
  return NextResponse.json(result, { status: 201, headers: ANNOTATION_API_HEADERS });
});
