import { noStoreJson, projectRoute, readJsonBody } from "@/lib/http";
import { previewExport } from "@/lib/services/exports";

export const dynamic = "force-dynamic";

/** POST /api/projects/{slug}/exports/preview — { kind, policy } → the counts it would give. */
export const POST = projectRoute("export.create", async ({ request, params, ctx }) => {
  const body = (await readJsonBody(request)) as { kind?: unknown; policy?: unknown };
  const preview = await previewExport(ctx, {
    projectSlug: params.slug,
    kind: String(body.kind ?? ""),
    policy: (body.policy ?? {}) as Record<string, unknown>,
  });
  return noStoreJson(preview);
});
