import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { getLiveLeaderboard } from "@/lib/services/live-leaderboard";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/live-leaderboard[?turns=all] — the live project's leaderboard and its basis. */
export const GET = route(async (request: NextRequest, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("stats.read", { projectSlug: slug });
  const allTurns = request.nextUrl.searchParams.get("turns") === "all";
  return NextResponse.json(await getLiveLeaderboard({ db: getDb(), actor }, { projectSlug: slug, allTurns }), {
    headers: { "Cache-Control": "no-store" },
  });
});
