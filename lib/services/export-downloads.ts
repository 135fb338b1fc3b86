/**
 * Bundles built in the app for download: where they live (EXPORTS_DIR), building one
 * there, and handing a finished one out as a tar.gz.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { getExportRecord } from "@/db/queries/exports";
import { can } from "@/lib/auth/permissions";
import { tarEnd, tarHeader, tarPadding } from "@/lib/domain/tar";
import { forbiddenError, notFoundError } from "@/lib/errors";
import { ExportKindParam, type ExportPolicyOptions } from "@/lib/validation/export";
import { parseInput } from "@/lib/validation/parse";
import type { ServiceContext } from "./context";
import { assertReachesProject } from "./project-access";
import { buildExport, type BuildExportResult } from "./exports";

/** Where bundles built from the UI are kept: EXPORTS_DIR, default .data/exports. */
export function exportsRoot(): string {
  return path.resolve(process.env.EXPORTS_DIR || path.join(".data", "exports"));
}

function bundleDir(exportId: number): string {
  return path.join(exportsRoot(), String(exportId));
}

/**
 * Builds a bundle into EXPORTS_DIR/<export id> (written to a scratch folder first and
 * renamed, so a folder named by an id is always a finished bundle).
 */
export async function buildExportForDownload(
  ctx: ServiceContext,
  input: {
    projectSlug: string;
    kind: string;
    policy?: ExportPolicyOptions;
    onProgress?: (p: { tasks: number; judgments: number }) => void;
  },
): Promise<BuildExportResult> {
  const scratch = path.join(exportsRoot(), `.building-${randomBytes(6).toString("hex")}`);
  await mkdir(scratch, { recursive: true });
  try {
    const result = await buildExport(ctx, {
      projectSlug: input.projectSlug,
      kind: parseInput(ExportKindParam, input.kind),
      policy: input.policy,
      outDir: scratch,
      onProgress: input.onProgress,
    });
    await rm(bundleDir(result.exportId), { recursive: true, force: true });
    await rename(scratch, bundleDir(result.exportId));
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * A finished export as a tar.gz stream (files in name order, fixed mtime = the export's
 * finish time), for researchers of its project.
 */
export async function openExportArchive(ctx: ServiceContext, input: { exportId: unknown }) {
  if (!can(ctx.actor.role, "export.create")) throw forbiddenError();
  const exportId = Number(input.exportId);
  if (!Number.isSafeInteger(exportId) || exportId <= 0) throw notFoundError("The export");
  const record = await getExportRecord(ctx.db, exportId);
  if (record?.status !== "done") throw notFoundError("The export");
  await assertReachesProject(ctx, record.projectId, "The export");
  const dir = bundleDir(exportId);
  const names = (await readdir(dir).catch(() => null))?.filter((n) => !n.startsWith(".")).sort();
  if (!names) throw notFoundError("The bundle of this export (it was built with the CLI, or the folder was removed)");
  const mtime = Math.floor((record.finishedAt ?? record.createdAt).getTime() / 1000);
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(dir, n))).size));
  async function* tar() {
    for (let i = 0; i < names!.length; i++) {
      yield tarHeader(names![i]!, sizes[i]!, mtime);
      for await (const chunk of createReadStream(path.join(dir, names![i]!))) yield chunk as Buffer;
      yield tarPadding(sizes[i]!);
    }
    yield tarEnd();
  }
  const stream = Readable.from(tar()).pipe(createGzip());
  return { stream, filename: `arbiter-export-${exportId}-${record.kind}.tar.gz` };
}
