import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, route } from "@/lib/http";
import { startLiveSession } from "@/lib/services/live";

export const dynamic = "force-dynamic";

/** POST /api/projects/{slug}/sessions — starts a live session: 201 `{session: {id, character, greeting}}`. */
export const POST = route(async (_request: NextRequest, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("task.annotate", { projectSlug: slug });
  const started = await startLiveSession({ db: getDb(), actor }, { projectSlug: slug });
  return NextResponse.json(started, { status: 201, headers: ANNOTATION_API_HEADERS });
});
