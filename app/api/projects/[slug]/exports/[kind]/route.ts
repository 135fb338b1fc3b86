import { projectRoute } from "@/lib/http";
import { streamExport } from "@/lib/services/exports";
import { z } from "zod";
import { ExportKindParam, ExportSplitParam, POLICY_OPTIONS, policyFromOptions } from "@/lib/validation/export";
import { parseInput } from "@/lib/validation/parse";

/** The path's kind and the split, checked here so that a refusal names them. */
const KindAndSplit = z.object({ kind: ExportKindParam, split: ExportSplitParam.nullable() });

export const dynamic = "force-dynamic";

/**
 * GET /api/projects/{slug}/exports/{kind}?split=train|test&format=…&min-agreement=…
 * (kind: dpo, rm, kto or raw; the policy parameters are the CLI's option names, see
 * docs/export-format.md). Streams the split as JSONL straight from the database
 * (lib/services/exports.ts, streamExport) — constant memory, the same bytes as that file of a bundle built with the same policy —
 * so a client can pipe the body into a file. Refusals (401/403/404/400) come before the
 * first byte; a failure mid-stream aborts the response.
 */
export const GET = projectRoute<{ slug: string; kind: string }>("export.create", async ({ request, params: { slug, kind }, ctx }) => {
  const query = request.nextUrl.searchParams;
  const options: Record<string, string> = {};
  for (const name of Object.keys(POLICY_OPTIONS)) {
    const value = query.get(name);
    if (value !== null) options[name] = value;
  }
  const split = query.get("split");
  parseInput(KindAndSplit, { kind, split: kind === "raw" ? null : split });
  const chunks = await streamExport(ctx, { projectSlug: slug, kind, split, policy: kind === "raw" ? {} : policyFromOptions(options) });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // Pull-driven: the next chunk is built only when the client has taken the last one.
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  const name = `${slug}-${kind}${kind === "raw" ? "" : `-${split ?? "train"}`}.jsonl`;
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
