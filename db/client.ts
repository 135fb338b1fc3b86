/**
 * The one database module: a pg Pool wrapped by drizzle's node-postgres API.
 *
 * The connection string is DATABASE_URL, or — when that is unset — the embedded server
 * that `npm run dev` / `npm start` (scripts/with-database.ts) started and recorded in
 * `.data/postgres.json`. The pool is lazy and cached on globalThis, because dev reloads
 * re-create module singletons.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle, type NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import pg from "pg";
import * as schema from "./schema";

/** The database or a transaction on it: queries take either. */
export type Db = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

type Cache = { pool: pg.Pool; db: Db; url: string };
const globalCache = globalThis as unknown as { __arbiterDb?: Cache };

/** DATABASE_URL, or the running embedded server's URL from `.data/`. */
export function resolveDatabaseUrl(): string {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) return fromEnv;
  const dataDir = path.resolve(process.cwd(), ".data", "postgres");
  try {
    const { port } = JSON.parse(readFileSync(`${dataDir}.json`, "utf8")) as { port: number };
    const { user, password } = JSON.parse(readFileSync(`${dataDir}.credentials.json`, "utf8")) as {
      user: string;
      password: string;
    };
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/arbiter`;
  } catch {
    throw new Error(
      "DATABASE_URL is not set and no embedded PostgreSQL server is running. Start the app with `npm run dev` (it starts one), or set DATABASE_URL.",
    );
  }
}

/** Pool size per app instance; several instances share one server's max_connections. */
function poolSize(): number {
  const n = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/** A millisecond setting from the environment: a non-negative integer, 0 = off. */
function millisFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === "" ? fallback : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function createDb(url: string, max = poolSize()): { pool: pg.Pool; db: Db } {
  const statementTimeout = millisFromEnv("DATABASE_STATEMENT_TIMEOUT_MS", 120_000);
  // Generous: an export streams one COPY inside one transaction and pauses it while a
  // slow client drains the response.
  const idleInTransactionTimeout = millisFromEnv("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", 600_000);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Fail fast when the server is down, and when every pooled connection is busy for
    // this long: callers answer 503 instead of hanging.
    connectionTimeoutMillis: millisFromEnv("DATABASE_CONNECT_TIMEOUT_MS", 5_000) || 5_000,
    idleTimeoutMillis: 30_000,
    // A peer that vanished without closing the socket (host down, network cut) is
    // noticed by TCP keepalive instead of leaving a query waiting forever.
    keepAlive: true,
    // No statement of a request or an export fetch takes minutes: a runaway statement, or
    // a transaction left open by a bug, is ended by the server instead of holding locks
    // and a connection for ever.
    // Both are startup parameters; behind PgBouncer in transaction mode set them on the
    // role instead and put 0 here (docs/deploy.md).
    ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
    ...(idleInTransactionTimeout ? { idle_in_transaction_session_timeout: idleInTransactionTimeout } : {}),
  });
  // A connection dropped by a server restart or pg_terminate_backend must not crash the
  // process. pg-pool listens for errors only on idle clients; a checked-out client whose
  // server goes away between two queries (inside a transaction, a paused export stream)
  // would emit an unhandled 'error' and take the whole instance down. Every client gets
  // a listener of its own: it is then unqueryable, and the pool discards it on release.
  pool.on("connect", (client) => {
    client.on("error", (error) => console.error("[db] connection lost:", error.message));
  });
  // (the listener above has logged it already; pg-pool re-emits idle clients' errors here)
  pool.on("error", () => undefined);
  return { pool, db: drizzle(pool, { schema }) };
}

/** The process-wide database handle. */
export function getDb(): Db {
  return getCache().db;
}

/** The process-wide pool, for the few places that need raw SQL (health, COPY). */
export function getPool(): pg.Pool {
  return getCache().pool;
}

function getCache(): Cache {
  const url = resolveDatabaseUrl();
  const cached = globalCache.__arbiterDb;
  if (cached && cached.url === url) return cached;
  if (cached) void cached.pool.end().catch(() => undefined);
  const created = { ...createDb(url), url };
  globalCache.__arbiterDb = created;
  return created;
}

/** Closes the process-wide pool (scripts call this before exiting). */
export async function closeDb(): Promise<void> {
  const cached = globalCache.__arbiterDb;
  globalCache.__arbiterDb = undefined;
  if (cached) await cached.pool.end();
}
