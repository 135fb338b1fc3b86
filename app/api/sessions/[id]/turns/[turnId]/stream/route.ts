import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { sessionProjectSlug } from "@/lib/services/live";
import { liveReplySource } from "@/lib/services/live-models";
import { streamLiveTurn } from "@/lib/services/live-stream";
import { sseResponse } from "@/lib/sse";

export const dynamic = "force-dynamic";

/**
 * GET /api/sessions/{id}/turns/{turnId}/stream — `text/event-stream` of the turn's replies
 * (docs/api.md). The request's signal aborts every upstream request when the client goes.
 */
export const GET = route(async (request: NextRequest, { params }: { params: Promise<{ id: string; turnId: string }> }) => {
  const { id, turnId } = await params;
  const db = getDb();
  const actor = await apiActorFor("task.annotate", { projectSlug: () => sessionProjectSlug(db, id) });
  const events = streamLiveTurn({ db, actor }, { sessionId: id, turnId }, request.signal, liveReplySource(db));
  // The first event is pulled before answering: a refusal is still a JSON error, not a broken stream.
  return sseResponse(await events.next(), events);
});
