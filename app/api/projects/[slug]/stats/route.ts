import { NextResponse } from "next/server";
import { projectRoute } from "@/lib/http";
import { getProjectConsensus } from "@/lib/services/consensus";
import { getProjectStats } from "@/lib/services/stats";

export const dynamic = "force-dynamic";

const FILTERS = ["from", "to", "character", "model", "annotator", "dimension"] as const;

/**
 * GET /api/projects/{slug}/stats?from&to&character&model&annotator&dimension[&consensus] —
 * every dashboard figure as JSON (see docs/statistics.md, "Dashboard and API"); with
 * `consensus=majority|dawid-skene|mace` also the annotator model's `consensus` object and
 * `leader_fragility`, as `npm run stats -- --consensus` prints them. Staff only.
 * A bad filter is a 400 whose `fields` names it.
 */
export const GET = projectRoute("stats.read", async ({ request, params: { slug }, ctx }) => {
  const query = request.nextUrl.searchParams;
  const filters = Object.fromEntries(FILTERS.flatMap((k) => (query.has(k) ? [[k, query.get(k)]] : [])));
  const stats = await getProjectStats(ctx, { projectSlug: slug, ...filters });
  const body = query.has("consensus")
    ? { ...stats, ...(await getProjectConsensus(ctx, { projectSlug: slug, ...filters, consensus: query.get("consensus") })) }
    : stats;
  return NextResponse.json(body, { headers: { "Cache-Control": "private, no-store" } });
});
