import { noStoreJson, projectRoute } from "@/lib/http";
import { getLiveLeaderboard } from "@/lib/services/live-leaderboard";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/live-leaderboard[?turns=all] — the live project's leaderboard and its basis. */
export const GET = projectRoute("stats.read", async ({ request, params, ctx }) => {
  const allTurns = request.nextUrl.searchParams.get("turns") === "all";
  return noStoreJson(await getLiveLeaderboard(ctx, { projectSlug: params.slug, allTurns }));
});
