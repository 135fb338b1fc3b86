import { NextResponse } from "next/server";
import { ANNOTATION_API_HEADERS, projectRoute, readJsonBody } from "@/lib/http";
import { leaseNextTask } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/**
 * POST /api/projects/{slug}/tasks/next — body (optional): { exclude?: number[], todaySince?: ISO date }.
 * 200 with the lease (resumed when one is live), 204 when nothing is left for this annotator.
 */
export const POST = projectRoute("task.annotate", async ({ request, params, ctx }) => {
  const body = (await readJsonBody(request)) as { exclude?: number[]; todaySince?: string } | null;
  const lease = await leaseNextTask(ctx, { projectSlug: params.slug, exclude: body?.exclude, todaySince: body?.todaySince });
  if (!lease) return new NextResponse(null, { status: 204, headers: ANNOTATION_API_HEADERS });
  return NextResponse.json(lease, { headers: ANNOTATION_API_HEADERS });
});
