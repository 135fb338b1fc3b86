import { apiRoute, noStoreJson } from "@/lib/http";
import { listMyHistory } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** GET /api/me/history?project={slug}&limit={1..200} — the caller's recent judgments, newest first. */
export const GET = apiRoute("task.annotate", async ({ request, ctx }) => {
  const q = request.nextUrl.searchParams;
  const entries = await listMyHistory(ctx, { projectSlug: q.get("project") ?? undefined, limit: q.get("limit") ?? undefined });
  return noStoreJson({ entries });
});
