import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { getMyJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** GET /api/judgments/{id} — one of the caller's judgments with its task as shown (for the edit form). */
export const GET = route(async (_request: NextRequest, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActorFor("task.annotate");
  const { id } = await params;
  const result = await getMyJudgment({ db: getDb(), actor }, { judgmentId: id });
  return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
});
