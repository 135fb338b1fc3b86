import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { createLiveTurn, sessionProjectSlug } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/** POST /api/sessions/{id}/turns `{text, parentNodeId?}` — 201 `{turn: {id, candidates: [{label}]}}`. */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  const created = await createLiveTurn({ db, actor }, { sessionId: id, input: await readJsonBody(request) });
  return NextResponse.json(created, { status: 201, headers: ANNOTATION_API_HEADERS });
});
