/**
 * db/migrate.ts: the functions of db/functions/ are what the database runs.
 * - every `arbiter_*` function in the database has its file, and every file defines the
 *   function it is named after;
 * - the database's definition of each equals its file's (the file is applied to a scratch
 *   schema and both are printed by pg_get_functiondef);
 * - the runner re-applies a definition only when its checksum changed, and a batch that
 *   fails leaves every function and checksum as it was.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRepeatableDefinitions, readRepeatableDefinitions } from "@/db/migrate";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  t = await useTestDatabase();
  client = new pg.Client({ connectionString: t.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

const files = readRepeatableDefinitions();

async function databaseFunctions(): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'public' and p.proname like 'arbiter\\_%' order by 1`,
  );
  return rows.map((r) => r.name);
}

describe("db/functions", () => {
  it("holds one file per arbiter_* function of the database, and nothing else", async () => {
    expect(files.map((f) => f.name)).toEqual(await databaseFunctions());
    for (const f of files) {
      const created = [...f.sql.matchAll(/CREATE\s+OR\s+REPLACE\s+FUNCTION\s+(\w+)/gi)].map((m) => m[1]);
      expect(created, `${f.name}.sql`).toEqual([f.name]);
    }
  });

  it.each(files.map((f) => [f.name, f] as const))("the database's %s is the file's definition", async (name, file) => {
    const printed = (schema: string) =>
      client.query<{ def: string }>(
        `select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = $1 and p.proname = $2`,
        [schema, name],
      );
    const inDatabase = (await printed("public")).rows;
    await client.query("begin");
    try {
      await client.query("create schema definition_check");
      await client.query("set local search_path = definition_check, public");
      await client.query(file.sql);
      const fromFile = (await printed("definition_check")).rows;
      expect(fromFile).toHaveLength(1);
      expect(inDatabase).toHaveLength(1);
      expect(inDatabase[0]!.def).toBe(fromFile[0]!.def.replaceAll("definition_check.", "public."));
    } finally {
      await client.query("rollback");
    }
  });
});

describe("applyRepeatableDefinitions", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "arbiter-functions-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const write = (name: string, body: string) => writeFileSync(path.join(folder, `${name}.sql`), body);
  const probe = (n: number) => `CREATE OR REPLACE FUNCTION probe_definition() RETURNS int LANGUAGE sql AS $$ SELECT ${n} $$;\n`;
  const value = async () => (await client.query<{ v: number }>("select probe_definition() as v")).rows[0]!.v;
  const checksum = async () =>
    (await client.query<{ checksum: string }>("select checksum from drizzle.__repeatable_definitions where name = 'probe_definition'"))
      .rows[0]?.checksum;

  it("applies a new definition and records its checksum", async () => {
    write("probe_definition", probe(1));
    expect(await applyRepeatableDefinitions(client, folder)).toEqual(["probe_definition"]);
    expect(await value()).toBe(1);
    expect(await checksum()).toBe(readRepeatableDefinitions(folder)[0]!.checksum);
  });

  it("leaves an unchanged definition alone", async () => {
    expect(await applyRepeatableDefinitions(client, folder)).toEqual([]);
  });

  it("re-applies a definition whose file changed", async () => {
    write("probe_definition", probe(2));
    expect(await applyRepeatableDefinitions(client, folder)).toEqual(["probe_definition"]);
    expect(await value()).toBe(2);
  });

  it("applies a batch in one transaction: one broken file and nothing changes", async () => {
    const before = await checksum();
    write("probe_definition", probe(3));
    write("probe_definition_z", "CREATE OR REPLACE FUNCTION probe_definition_z() RETURNS int LANGUAGE sql AS $$ SELECT nope $$;\n");
    await expect(applyRepeatableDefinitions(client, folder)).rejects.toThrow(/db\/functions\/probe_definition_z\.sql/);
    expect(await value()).toBe(2);
    expect(await checksum()).toBe(before);
    await client.query("drop function probe_definition()");
  });
});
