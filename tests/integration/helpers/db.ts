import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { createDb, type Db } from "@/db/client";

export type TestDatabase = { db: Db; pool: pg.Pool; url: string; name: string };

/**
 * A clean, migrated database for one test file (cloned from the run's template) and
 * dropped after the file's tests.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminUrl");
  const name = `${inject("dbPrefix")}${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject("templateDb")}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const { db, pool } = createDb(url, 20);
  afterAll(async () => {
    await pool.end();
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  return { db, pool, url, name };
}

/** A second pool on the test database — what another app instance would be — closed after the file's tests. */
export function anotherInstance(t: TestDatabase): Db {
  const { db, pool } = createDb(t.url, 4);
  afterAll(() => pool.end());
  return db;
}
