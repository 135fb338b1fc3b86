/**
 * One PostgreSQL server for the integration run: the server at DATABASE_URL when set
 * (CI: the machine's PostgreSQL), otherwise an embedded server in a throw-away data
 * directory. A template database is migrated once; every test file clones it
 * (tests/integration/helpers/db.ts), which takes a fraction of a second.
 */
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    dbPrefix: string;
  }
}

let embedded: EmbeddedServer | null = null;
let adminUrl = "";
let prefix = "";

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(".data", `test-postgres-${process.pid}`),
      persistent: false,
      database: "postgres",
    });
    adminUrl = embedded.url;
  }
  prefix = `arbiter_t${process.pid}_`;
  const templateDb = `${prefix}template`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${templateDb}`);
  await admin.query(`create database ${templateDb}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, templateDb));
  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", templateDb);
  project.provide("dbPrefix", prefix);
}

export async function teardown() {
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [`${prefix}%`]);
    for (const { datname } of rows) {
      await admin.query(`drop database if exists ${admin.escapeIdentifier(datname)} with (force)`).catch(() => undefined);
    }
    await admin.end();
  }
  if (embedded?.owned) await embedded.stop();
}
