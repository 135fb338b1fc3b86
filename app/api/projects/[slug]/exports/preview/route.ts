import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { readJsonBody, route } from "@/lib/http";
import { previewExport } from "@/lib/services/exports";

export const dynamic = "force-dynamic";

/** POST /api/projects/{slug}/exports/preview — { kind, policy } → the counts it would give. */
export const POST = route(async (request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("export.create", { projectSlug: slug });
  const body = (await readJsonBody(request)) as { kind?: unknown; policy?: unknown };
  const preview = await previewExport(
    { db: getDb(), actor },
    { projectSlug: slug, kind: String(body.kind ?? ""), policy: (body.policy ?? {}) as Record<string, unknown> },
  );
  return NextResponse.json(preview, { headers: { "Cache-Control": "no-store" } });
});
