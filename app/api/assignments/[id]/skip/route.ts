import { NextResponse } from "next/server";
import { ANNOTATION_API_HEADERS, apiRoute, readJsonBody } from "@/lib/http";
import { skipAssignment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** POST /api/assignments/{id}/skip — { reason: "cannot_judge" | "broken_content" | "other", note? }. */
export const POST = apiRoute<{ id: string }>("task.annotate", async ({ request, params, ctx }) =>
  NextResponse.json(await skipAssignment(ctx, { assignmentId: params.id, input: await readJsonBody(request) }), {
    headers: ANNOTATION_API_HEADERS,
  }),
);
