/**
 * Throw-away databases for the benchmarks: on DATABASE_URL's server when set, otherwise on
 * a private embedded server (its data under .data/, not the temp dir: as root the server
 * runs as "postgres", which must reach it). Every database made here is migrated, and
 * dropped again by close() unless kept.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";

export type BenchServer = {
  /** A new migrated database: its name and URL. */
  createDatabase: (name?: string) => Promise<{ name: string; url: string }>;
  /** Drops every database made here except `keep` (printed instead), then stops the embedded server. */
  close: (options?: { keep?: boolean }) => Promise<void>;
  /** Whether the server is the private embedded one (a kept database would vanish with it). */
  embedded: boolean;
};

export async function openBenchServer(): Promise<BenchServer> {
  let embedded: EmbeddedServer | null = null;
  let adminUrl = process.env.DATABASE_URL?.trim();
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data", `bench-postgres-${process.pid}`),
      persistent: false,
      database: "postgres",
    });
    adminUrl = embedded.url;
  }
  const urlOf = (name: string) => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const made: string[] = [];
  return {
    embedded: embedded !== null,
    async createDatabase(name = `arbiter_bench_${randomBytes(4).toString("hex")}`) {
      await admin.query(`create database ${admin.escapeIdentifier(name)}`);
      made.push(name);
      await runMigrations(urlOf(name));
      return { name, url: urlOf(name) };
    },
    async close(options = {}) {
      for (const name of made) {
        if (options.keep && !embedded) console.log(`Kept ${urlOf(name)}`);
        else await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`).catch(() => undefined);
      }
      await admin.end();
      if (embedded?.owned) await embedded.stop();
    },
  };
}

/**
 * Opens a bulk-load transaction on `client` for generated benchmark data. The per-row
 * triggers (the valid-judgment counter, the statistics change log) would cost a million
 * UPDATEs: as a superuser they are switched off for this session, and `finish()` sets the
 * counters in one statement, commits and switches them back on. Without superuser
 * rights the triggers simply run.
 */
export async function beginBulkLoad(client: pg.Client): Promise<{ finish: () => Promise<void> }> {
  const superuser = (await client.query("select rolsuper from pg_roles where rolname = current_user")).rows[0]?.rolsuper === true;
  if (superuser) await client.query("set session_replication_role = replica");
  await client.query("begin");
  return {
    finish: async () => {
      if (superuser) {
        await client.query(
          `update tasks t set valid_judgments = s.n from (select task_id, count(*)::int as n from judgments where state = 'valid' group by task_id) s
            where s.task_id = t.id`,
        );
      }
      await client.query("commit");
      if (superuser) await client.query("set session_replication_role = origin");
    },
  };
}

/**
 * The generated benchmark project ('bench', pairwise on a 7-point scale, overlap 3) with
 * `annotators` annotator members (emails `bench-<n>@bench.test`); answers the project's id.
 */
export async function insertBenchProject(client: pg.Client, settings: Record<string, unknown>, annotators: number): Promise<number> {
  const project = await client.query<{ id: string }>(
    `insert into projects (slug, name, status, mode, scale_points, overlap, settings)
     values ('bench', '基准项目', 'active', 'pairwise', 7, 3, $1::jsonb) returning id`,
    [JSON.stringify(settings)],
  );
  const projectId = Number(project.rows[0]!.id);
  await client.query(
    `insert into users (email, name, role, password_hash)
     select 'bench-' || g || '@bench.test', '标注员' || g, 'annotator', 'x' from generate_series(1, ${annotators}) g`,
  );
  await client.query(`insert into project_members (project_id, user_id) select $1, id from users where email like 'bench-%'`, [projectId]);
  return projectId;
}
