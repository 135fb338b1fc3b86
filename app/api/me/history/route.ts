import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { listMyHistory } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** GET /api/me/history?project={slug}&limit={1..200} — the caller's recent judgments, newest first. */
export const GET = route(async (request: NextRequest) => {
  const actor = await apiActorFor("task.annotate");
  const q = request.nextUrl.searchParams;
  const entries = await listMyHistory(
    { db: getDb(), actor },
    { projectSlug: q.get("project") ?? undefined, limit: q.get("limit") ?? undefined },
  );
  return NextResponse.json({ entries }, { headers: { "Cache-Control": "no-store" } });
});
