import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { readJsonBody, route } from "@/lib/http";
import { editJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** POST /api/judgments/{id}/edit — a whole new answer (display terms); 200 with the new judgment. */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActorFor("task.annotate");
  const { id } = await params;
  const input = await readJsonBody(request);
  const result = await editJudgment({ db: getDb(), actor }, { judgmentId: id, input });
  return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
});
