import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { actorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { listExports } from "@/lib/services/exports";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/exports — the project's past exports, newest first (researcher and up). */
export const GET = route(async (_request: Request, { params }: { params: Promise<{ slug: string }> }) => {
  const actor = await actorFor("export.create");
  const { slug } = await params;
  const exports = await listExports({ db: getDb(), actor }, { projectSlug: slug });
  return NextResponse.json({ exports }, { headers: { "Cache-Control": "no-store" } });
});
