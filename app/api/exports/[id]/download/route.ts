import { Readable } from "node:stream";
import { apiRoute } from "@/lib/http";
import { openExportArchive } from "@/lib/services/export-downloads";

export const dynamic = "force-dynamic";

/** GET /api/exports/{id}/download — the bundle as a tar.gz (researcher and up). */
export const GET = apiRoute<{ id: string }>("export.create", async ({ params, ctx }) => {
  const { stream, filename } = await openExportArchive(ctx, { exportId: params.id });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
