/**
 * Named prepared statements for the annotator loop's hottest calls.
 *
 * drizzle sends every statement unnamed, so PostgreSQL parses and plans it on each call.
 * Through pg's `{ name, text, values }` form a statement is parsed once per connection and
 * then only bound and executed: for the lease and submit calls and the per-request user
 * lookup that is a measurable share of the server's CPU (scripts/bench/annotate.ts prints
 * CPU per cycle). Inside a transaction (a drizzle `tx`, which has no pool of its own) the
 * same text goes through drizzle unnamed, with the same parameters.
 *
 * Rows come back as pg parses them: timestamptz as Date (drizzle's raw path gives text),
 * bigint as string, json and jsonb parsed.
 */
import { sql, type SQL } from "drizzle-orm";
import pg from "pg";
import type { Db } from "@/db/client";

/** Runs `text` (with $1… placeholders) as the named statement `name`; the same name must always carry the same text. */
export async function queryPrepared<R extends Record<string, unknown>>(
  db: Db,
  name: string,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    const result = await client.query<R>({ name, text, values });
    return result.rows;
  }
  const { rows } = await db.execute(withParams(text, values));
  return rows as R[];
}

/** `text` with its $n placeholders as drizzle parameters. */
function withParams(text: string, values: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) chunks.push(sql.raw(parts[i]!));
    } else {
      chunks.push(sql`${sql.param(values[Number(parts[i]) - 1])}`);
    }
  }
  return sql.join(chunks);
}
