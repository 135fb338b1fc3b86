import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db", "migrations");

/** The database functions' current definitions, one `CREATE OR REPLACE FUNCTION` per file. */
export const FUNCTIONS_FOLDER = path.resolve(process.cwd(), "db", "functions");

/**
 * Where the checksum of each applied definition is kept: beside drizzle's own journal
 * table, outside `public`, so it is no table of the application.
 */
const DEFINITIONS_TABLE = "drizzle.__repeatable_definitions";

/**
 * Applies pending migrations, then the repeatable definitions of `db/functions/`. An
 * advisory lock serialises concurrent callers (two app instances starting at once), since
 * drizzle's migrator must never run twice in parallel.
 */
export async function runMigrations(url: string, options: { functionsFolder?: string } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    // Quiet "schema already exists" notices from drizzle's bookkeeping.
    client.on("notice", () => undefined);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await applyRepeatableDefinitions(client, options.functionsFolder ?? FUNCTIONS_FOLDER);
  } finally {
    await client.query("select pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}

/** One file of `db/functions/`: its name without `.sql`, its text and the text's sha256. */
export type RepeatableDefinition = { name: string; sql: string; checksum: string };

/** The definitions of a folder, in file-name order (the order they are applied in). */
export function readRepeatableDefinitions(folder: string = FUNCTIONS_FOLDER): RepeatableDefinition[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const sql = readFileSync(path.join(folder, f), "utf8");
      return { name: f.slice(0, -".sql".length), sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Re-applies every definition whose checksum differs from the one recorded when it was
 * last applied (or that was never applied), all in one transaction: either every changed
 * function is replaced or none is. Runs after the numbered migrations, so a definition may
 * use any table they create; a change a `CREATE OR REPLACE` cannot make (a new return type,
 * a dropped parameter) takes a numbered migration that drops the old function first.
 * Returns the names it applied. The caller holds the migration lock.
 */
export async function applyRepeatableDefinitions(client: pg.ClientBase, folder: string = FUNCTIONS_FOLDER): Promise<string[]> {
  const definitions = readRepeatableDefinitions(folder);
  await client.query("create schema if not exists drizzle");
  await client.query(
    `create table if not exists ${DEFINITIONS_TABLE} (name text primary key, checksum text not null, applied_at timestamptz not null default now())`,
  );
  const { rows } = await client.query<{ name: string; checksum: string }>(`select name, checksum from ${DEFINITIONS_TABLE}`);
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));
  const pending = definitions.filter((d) => applied.get(d.name) !== d.checksum);
  if (pending.length === 0) return [];
  await client.query("begin");
  try {
    for (const d of pending) {
      await client.query(d.sql).catch((error: unknown) => {
        throw new Error(`db/functions/${d.name}.sql: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
      await client.query(
        `insert into ${DEFINITIONS_TABLE} (name, checksum) values ($1, $2)
         on conflict (name) do update set checksum = excluded.checksum, applied_at = now()`,
        [d.name, d.checksum],
      );
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
  return pending.map((d) => d.name);
}
