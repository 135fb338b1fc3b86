import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { ANNOTATION_API_HEADERS, readJsonBody, route } from "@/lib/http";
import { leaseNextTask } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/**
 * POST /api/projects/{slug}/tasks/next — body (optional): { exclude?: number[], todaySince?: ISO date }.
 * 200 with the lease (resumed when one is live), 204 when nothing is left for this annotator.
 */
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("task.annotate", { projectSlug: slug });
  const body = (await readJsonBody(request)) as { exclude?: number[]; todaySince?: string } | null;
  const lease = await leaseNextTask({ db: getDb(), actor }, { projectSlug: slug, exclude: body?.exclude, todaySince: body?.todaySince });
  if (!lease) return new NextResponse(null, { status: 204, headers: ANNOTATION_API_HEADERS });
  return NextResponse.json(lease, { headers: ANNOTATION_API_HEADERS });
});
