import { noStoreJson, projectRoute, readJsonBody } from "@/lib/http";
import { listGenerations, startGeneration } from "@/lib/services/generation";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/generations — the project's latest generation jobs with their progress. */
export const GET = projectRoute("generation.create", async ({ params, ctx }) =>
  noStoreJson({ jobs: await listGenerations(ctx, { projectSlug: params.slug }) }),
);

/**
 * POST /api/projects/{slug}/generations — `{endpoints: [names], samples?, onlyMissing?,
 * externalIds?, params?}` → 202 `{id, total}`; the job runs on the queue.
 */
export const POST = projectRoute("generation.create", async ({ request, params, ctx }) => {
  const body = await readJsonBody(request);
  const input = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { id, total } = await startGeneration(ctx, { ...input, projectSlug: params.slug });
  return noStoreJson({ id, total }, { status: 202, headers: { Location: `/api/generations/${id}` } });
});
