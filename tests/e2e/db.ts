import { readFileSync } from "node:fs";
import pg from "pg";
import { E2E_STATE_FILE } from "./config";

/** One query against the e2e server's database (its URL is in the state file the server writes), for checks the UI cannot show. */
export async function queryAppDb<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { databaseUrl } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { databaseUrl: string };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
