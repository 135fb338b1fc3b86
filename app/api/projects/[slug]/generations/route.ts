import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { readJsonBody, route } from "@/lib/http";
import { listGenerations, startGeneration } from "@/lib/services/generation";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/generations — the project's latest generation jobs with their progress. */
export const GET = route(async (_request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("generation.create", { projectSlug: slug });
  const jobs = await listGenerations({ db: getDb(), actor }, { projectSlug: slug });
  return NextResponse.json({ jobs }, { headers: { "Cache-Control": "no-store" } });
});

/**
 * POST /api/projects/{slug}/generations — `{endpoints: [names], samples?, onlyMissing?,
 * externalIds?, params?}` → 202 `{id, total}`; the job runs on the queue.
 */
export const POST = route(async (request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("generation.create", { projectSlug: slug });
  const body = await readJsonBody(request);
  const input = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { id, total } = await startGeneration({ db: getDb(), actor }, { ...input, projectSlug: slug });
  return NextResponse.json({ id, total }, { status: 202, headers: { "Cache-Control": "no-store", Location: `/api/generations/${id}` } });
});
