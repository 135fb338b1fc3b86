/**
 * Backup and restore as docs/backup.md describes them: `pg_dump --format=custom` of a
 * database with judgments, `pg_restore` into a fresh database, and the export service run
 * on both gives the same bytes (DPO and raw bundles: the raw pseudonyms come from a
 * secret stored in the database, so they survive only a complete restore).
 *
 * The embedded server's data folder, copied while the server is stopped and opened by a
 * second server, exports the same bytes too (this needs no client tools, so it runs in
 * both modes).
 *
 * pg_dump refuses a server newer than itself, so the test looks for a pg_dump whose major
 * version is at least the server's (PG_DUMP / PG_RESTORE, PATH, /usr/lib/postgresql/N/bin)
 * and is skipped, saying why, only when there is none — e.g. the embedded server is
 * PostgreSQL 18 and the machine has only the version 15 client tools.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { buildExport, type BuildExportResult } from "@/lib/services/exports";
import { memoryWriter } from "@/lib/services/export-bundle";
import { addJudgments, addMember, makeExportTask, makeProject, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { newDataDir, openPostgres, startRestartablePostgres, type RestartablePostgres } from "./helpers/restartable-postgres";

type Tools = { pgDump: string; pgRestore: string; version: string };

function majorOf(binary: string): { major: number; version: string } | null {
  const out = spawnSync(binary, ["--version"], { encoding: "utf8" });
  const match = out.status === 0 ? /(\d+)(?:\.(\d+))?/.exec(out.stdout) : null;
  return match ? { major: Number(match[1]), version: match[0] } : null;
}

/** A pg_dump / pg_restore pair able to dump a server of `serverMajor`, newest first. */
function findTools(serverMajor: number): Tools | { missing: string } {
  const candidates: [string, string][] = [];
  if (process.env.PG_DUMP)
    candidates.push([process.env.PG_DUMP, process.env.PG_RESTORE ?? path.join(path.dirname(process.env.PG_DUMP), "pg_restore")]);
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push([`${root}/${v}/bin/pg_dump`, `${root}/${v}/bin/pg_restore`]);
  }
  candidates.push(["pg_dump", "pg_restore"]);
  const seen: string[] = [];
  for (const [pgDump, pgRestore] of candidates) {
    const dump = majorOf(pgDump);
    if (!dump) continue;
    seen.push(`${pgDump} ${dump.version}`);
    if (dump.major >= serverMajor && majorOf(pgRestore)?.major === dump.major) return { pgDump, pgRestore, version: dump.version };
  }
  return {
    missing:
      `no pg_dump for a PostgreSQL ${serverMajor} server (pg_dump must be at least the server's version; found: ${seen.join(", ") || "none"}). ` +
      `Install postgresql-client-${serverMajor}, or set PG_DUMP and PG_RESTORE.`,
  };
}

function run(binary: string, args: string[]) {
  const out = spawnSync(binary, args, { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${binary} ${args[0]} … failed (${out.status}): ${out.stderr}`);
}

/**
 * The bundle's files by name: sha256 of the bytes; manifest.json as text without the two
 * fields that differ by design (when it was generated, and the new export's record id).
 */
function bundleBytes(result: BuildExportResult, files: Map<string, Buffer>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of result.files) {
    const bytes = files.get(f.name)!;
    if (f.name === "manifest.json") {
      const { generated_at: _at, export_id: _id, ...rest } = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
      out[f.name] = JSON.stringify(rest);
    } else {
      out[f.name] = createHash("sha256").update(bytes).digest("hex");
    }
  }
  return out;
}

async function exportBoth(db: Db, projectSlug: string) {
  const bundles: Record<string, Record<string, string>> = {};
  for (const kind of ["dpo", "raw"] as const) {
    const writer = memoryWriter();
    const result = await buildExport({ db, actor: null }, { projectSlug, kind, writer });
    bundles[kind] = bundleBytes(result, writer.files);
  }
  return bundles;
}

/** A project with 12 pairwise tasks judged by three annotators; its slug. */
async function fillProject(db: Db): Promise<string> {
  const project = await makeProject(db, { scalePoints: 7, overlap: 3 }, { slug: "backup-zh" });
  const annotators: number[] = [];
  for (let i = 0; i < 3; i++) {
    const u = await makeUser(db, { role: "annotator", passwordHash: "x" });
    await addMember(db, project.id, u.id);
    annotators.push(u.id);
  }
  for (let i = 0; i < 12; i++) {
    const { task } = await makeExportTask(db, project, {
      externalId: `b-${String(i).padStart(2, "0")}`,
      context: [{ role: "user", content: `第 ${i} 问：你今天去哪儿了？` }],
      replies: [
        { model: "model-a", content: `（低头）罢了。#${i}` },
        { model: "model-b", content: `（抿嘴一笑）我自然记得，你且坐下慢慢说。#${i}` },
      ],
    });
    await addJudgments(
      db,
      task,
      annotators.map((annotatorId, k) => ({ annotatorId, strength: ((i + k) % 7) - 3, displayOrder: (i + k) % 2 ? [1, 0] : [0, 1] })),
    );
  }
  return project.slug;
}

let t: TestDatabase;
let serverMajor = 0;
let tools: Tools | { missing: string };
const dirs: string[] = [];

beforeAll(async () => {
  t = await useTestDatabase();
  const { rows } = await t.pool.query<{ v: string }>("select current_setting('server_version_num') as v");
  serverMajor = Math.floor(Number(rows[0]!.v) / 10_000);
  tools = findTools(serverMajor);
  if ("missing" in tools) console.warn(`[backup-restore] skipped: ${tools.missing}`);
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("pg_dump and pg_restore", () => {
  it("restore into a fresh database exports the same bytes as before", async (ctx) => {
    if ("missing" in tools) {
      ctx.skip(`skipped: ${tools.missing}`);
      return;
    }
    const { pgDump, pgRestore } = tools;
    const db = t.db;
    const project = { slug: await fillProject(db) };
    const before = await exportBoth(db, project.slug);
    expect(Object.keys(before.dpo!)).toContain("manifest.json");
    expect(Object.keys(before.raw!)).toContain("judgments.jsonl");

    // Back up, as docs/backup.md says.
    const dir = mkdtempSync(path.join(os.tmpdir(), "arbiter-backup-test-"));
    dirs.push(dir);
    const dumpFile = path.join(dir, "arbiter.dump");
    run(pgDump, ["--format=custom", "--no-owner", "--no-privileges", "--file", dumpFile, "--dbname", t.url]);

    // Restore into a fresh, empty database.
    const restoredName = `${t.name}_restored`;
    const admin = new pg.Client({ connectionString: inject("adminUrl") });
    await admin.connect();
    await admin.query(`create database ${admin.escapeIdentifier(restoredName)}`);
    const restoredUrl = new URL(t.url);
    restoredUrl.pathname = `/${restoredName}`;
    const restored = createDb(restoredUrl.toString(), 2);
    try {
      run(pgRestore, [
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        restoredUrl.toString(),
        dumpFile,
      ]);
      // The migration journal came along: the restored database needs no migration.
      const { rows } = await restored.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
      const { rows: original } = await t.pool.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
      expect(rows[0]!.n).toBe(original[0]!.n);

      const after = await exportBoth(restored.db, project.slug);
      expect(after).toEqual(before);
    } finally {
      await restored.pool.end();
      await admin.query(`drop database if exists ${admin.escapeIdentifier(restoredName)} with (force)`);
      await admin.end();
    }
  });
});

describe("the embedded server's data folder", () => {
  const servers: RestartablePostgres[] = [];
  afterAll(async () => {
    for (const s of servers) await s.destroy();
  });

  it("a copy taken while the server is stopped opens as a server that exports the same bytes", async () => {
    const original = await startRestartablePostgres();
    servers.push(original);
    await runMigrations(original.url);
    const a = createDb(original.url, 2);
    let slug: string;
    let before: Awaited<ReturnType<typeof exportBoth>>;
    try {
      slug = await fillProject(a.db);
      before = await exportBoth(a.db, slug);
    } finally {
      await a.pool.end();
    }

    // Cold backup as docs/backup.md says: stop the server, archive the folder.
    await original.stop();
    const dir = mkdtempSync(path.join(os.tmpdir(), "arbiter-folder-backup-"));
    dirs.push(dir);
    const archive = path.join(dir, "data.tar.gz");
    run("tar", ["-C", path.dirname(original.dataDir), "-czf", archive, path.basename(original.dataDir)]);

    // Restore: unpack elsewhere (tar keeps owners and modes) and start a server on it.
    const restoredParent = newDataDir("restored-postgres");
    dirs.push(restoredParent);
    run("mkdir", ["-p", restoredParent]);
    run("tar", ["-C", restoredParent, "-xzf", archive]);
    const restoredDir = path.join(restoredParent, path.basename(original.dataDir));
    const restored = await openPostgres({ dataDir: restoredDir, user: original.user, password: original.password });
    servers.push(restored);
    const b = createDb(restored.url, 2);
    try {
      expect(await exportBoth(b.db, slug)).toEqual(before);
    } finally {
      await b.pool.end();
    }
  });
});
