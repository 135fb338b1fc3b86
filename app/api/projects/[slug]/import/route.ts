import { AppError } from "@/lib/errors";
import { noStoreJson, projectRoute } from "@/lib/http";
import { importUpload } from "@/lib/services/import";

export const dynamic = "force-dynamic";

const FORMAT_OF_TYPE: Record<string, "jsonl" | "csv"> = {
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/json-lines": "jsonl",
  "application/x-jsonlines": "jsonl",
  "text/csv": "csv",
};

const flag = (v: string | null) => v === "1" || v === "true";

/**
 * POST /api/projects/{slug}/import[?format=jsonl|csv][&update=1][&dryRun=1] — the raw file
 * as the body (Content-Type application/x-ndjson or text/csv, or say `format`). Up to
 * 512 MB (413 beyond). 200 with the import result; 422 with the problem report
 * (`problems`, `problemCount`, `truncated`) when the file was refused and nothing imported.
 */
export const POST = projectRoute("item.import", async ({ request, params: { slug }, ctx }) => {
  const query = request.nextUrl.searchParams;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = query.get("format") ?? FORMAT_OF_TYPE[type];
  if (format !== "jsonl" && format !== "csv") {
    throw new AppError("VALIDATION", "Say the file format: Content-Type application/x-ndjson or text/csv, or ?format=jsonl|csv.", {
      format: ['must be "jsonl" or "csv"'],
    });
  }
  const length = request.headers.get("content-length");
  const result = await importUpload(ctx, {
    projectSlug: slug,
    format,
    update: flag(query.get("update")),
    dryRun: flag(query.get("dryRun")),
    body: request.body,
    declaredBytes: length !== null && /^\d+$/.test(length) ? Number(length) : null,
  });
  if (result.ok) return noStoreJson(result);
  const message = `The file was refused; nothing was imported (${result.problemCount} problem${result.problemCount === 1 ? "" : "s"}).`;
  return noStoreJson({ error: { code: "VALIDATION", message }, ...result }, { status: 422 });
});
