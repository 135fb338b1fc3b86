import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { skipAssignment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** POST /api/assignments/{id}/skip — { reason: "cannot_judge" | "broken_content" | "other", note? }. */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActorFor("task.annotate");
  const { id } = await params;
  const input = await readJsonBody(request);
  const result = await skipAssignment({ db: getDb(), actor }, { assignmentId: id, input });
  return NextResponse.json(result, { headers: ANNOTATION_API_HEADERS });
});
