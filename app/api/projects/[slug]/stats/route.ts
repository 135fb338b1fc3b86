import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { getProjectStats } from "@/lib/services/stats";

export const dynamic = "force-dynamic";

const FILTERS = ["from", "to", "character", "model", "annotator", "dimension"] as const;

/**
 * GET /api/projects/{slug}/stats?from&to&character&model&annotator&dimension — every
 * dashboard figure as JSON (see docs/statistics.md, "Dashboard and API"). Staff only.
 * A bad filter is a 400 whose `fields` names it.
 */
export const GET = route(async (request: NextRequest, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("stats.read", { projectSlug: slug });
  const query = request.nextUrl.searchParams;
  const filters = Object.fromEntries(FILTERS.flatMap((k) => (query.has(k) ? [[k, query.get(k)]] : [])));
  const stats = await getProjectStats({ db: getDb(), actor }, { projectSlug: slug, ...filters });
  return NextResponse.json(stats, { headers: { "Cache-Control": "private, no-store" } });
});
