import { Readable } from "node:stream";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { route } from "@/lib/http";
import { openExportArchive } from "@/lib/services/export-downloads";

export const dynamic = "force-dynamic";

/** GET /api/exports/{id}/download — the bundle as a tar.gz (researcher and up). */
export const GET = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const actor = await apiActorFor("export.create");
  const { id } = await params;
  const { stream, filename } = await openExportArchive({ db: getDb(), actor }, { exportId: id });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
