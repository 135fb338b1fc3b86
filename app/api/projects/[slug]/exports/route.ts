import { describeError } from "@/lib/errors";
import { noStoreJson, projectRoute, readJsonBody } from "@/lib/http";
import { buildExportForDownload } from "@/lib/services/export-downloads";
import { exportTaskTotal, listExports } from "@/lib/services/exports";

export const dynamic = "force-dynamic";

/** GET /api/projects/{slug}/exports — the project's past exports, newest first (researcher and up). */
export const GET = projectRoute("export.create", async ({ params, ctx }) =>
  noStoreJson({ exports: await listExports(ctx, { projectSlug: params.slug }) }),
);

/**
 * POST /api/projects/{slug}/exports — builds a bundle for download. Body: { kind, policy }.
 * Answers NDJSON events as the build goes: {"type":"start","tasks"}, {"type":"progress",
 * "tasks","judgments"}…, then {"type":"done","exportId",…} or {"type":"error","error"}.
 */
export const POST = projectRoute("export.create", async ({ request, params: { slug }, ctx }) => {
  const body = (await readJsonBody(request)) as { kind?: unknown; policy?: unknown };
  const total = await exportTaskTotal(ctx, slug);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: Record<string, unknown>) => controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      send({ type: "start", tasks: total });
      try {
        const result = await buildExportForDownload(ctx, {
          projectSlug: slug,
          kind: String(body.kind ?? ""),
          policy: (body.policy ?? {}) as Record<string, unknown>,
          onProgress: (p) => send({ type: "progress", ...p }),
        });
        send({
          type: "done",
          exportId: result.exportId,
          counts: result.counts,
          files: result.files,
          sourceJudgments: result.sourceJudgments,
        });
      } catch (error) {
        const answer = describeError(error, { fallback: "The export failed." });
        if (answer.unexpected) console.error("[export] build failed:", error);
        send({
          type: "error",
          status: answer.status,
          error: { code: answer.code, message: answer.message, ...(answer.fields ? { fields: answer.fields } : {}) },
        });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } });
});
