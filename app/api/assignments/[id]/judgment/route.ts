import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { submitJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/**
 * POST /api/assignments/{id}/judgment — the answer in display terms (docs/api.md).
 * 200 with the stored judgment; a retry answers 200 with the same body (and
 * `Idempotent-Replayed: true`).
 */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActorFor("task.annotate");
  const { id } = await params;
  const input = await readJsonBody(request);
  const { judgment, replayed } = await submitJudgment({ db: getDb(), actor }, { assignmentId: id, input });
  return NextResponse.json(
    { judgment },
    { headers: { ...ANNOTATION_API_HEADERS, ...(replayed ? { "Idempotent-Replayed": "true" } : {}) } },
  );
});
