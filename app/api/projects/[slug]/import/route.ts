import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { apiActorFor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
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
export const POST = route(async (request: NextRequest, { params }: { params: Promise<{ slug: string }> }) => {
  const { slug } = await params;
  const actor = await apiActorFor("item.import", { projectSlug: slug });
  const query = request.nextUrl.searchParams;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = query.get("format") ?? FORMAT_OF_TYPE[type];
  if (format !== "jsonl" && format !== "csv") {
    throw new AppError("VALIDATION", "Say the file format: Content-Type application/x-ndjson or text/csv, or ?format=jsonl|csv.", {
      format: ['must be "jsonl" or "csv"'],
    });
  }
  const length = request.headers.get("content-length");
  const result = await importUpload(
    { db: getDb(), actor },
    {
      projectSlug: slug,
      format,
      update: flag(query.get("update")),
      dryRun: flag(query.get("dryRun")),
      body: request.body,
      declaredBytes: length !== null && /^\d+$/.test(length) ? Number(length) : null,
    },
  );
  if (result.ok) return NextResponse.json(result, { headers: { "Cache-Control": "no-store" } });
  const message = `The file was refused; nothing was imported (${result.problemCount} problem${result.problemCount === 1 ? "" : "s"}).`;
  return NextResponse.json(
    { error: { code: "VALIDATION", message }, ...result },
    { status: 422, headers: { "Cache-Control": "no-store" } },
  );
});
