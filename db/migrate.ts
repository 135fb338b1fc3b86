import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

export const MIGRATIONS_FOLDER = path.resolve(process.cwd(), "db", "migrations");

/**
 * Applies pending migrations. An advisory lock serialises concurrent callers (two app
 * instances starting at once), since drizzle's migrator must never run twice in parallel.
 */
export async function runMigrations(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    // Quiet "schema already exists" notices from drizzle's bookkeeping.
    client.on("notice", () => undefined);
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await client.query("select pg_advisory_unlock(727274)").catch(() => undefined);
    await client.end();
  }
}
