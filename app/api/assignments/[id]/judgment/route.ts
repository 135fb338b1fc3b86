import { NextResponse } from "next/server";
import { ANNOTATION_API_HEADERS, apiRoute, readJsonBody } from "@/lib/http";
import { submitJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/**
 * POST /api/assignments/{id}/judgment — the answer in display terms (docs/api.md).
 * 200 with the stored judgment; a retry answers 200 with the same body (and
 * `Idempotent-Replayed: true`).
 */
export const POST = apiRoute<{ id: string }>("task.annotate", async ({ request, params, ctx }) => {
  const { judgment, replayed } = await submitJudgment(ctx, { assignmentId: params.id, input: await readJsonBody(request) });
  return NextResponse.json(
    { judgment },
    { headers: { ...ANNOTATION_API_HEADERS, ...(replayed ? { "Idempotent-Replayed": "true" } : {}) } },
  );
});
