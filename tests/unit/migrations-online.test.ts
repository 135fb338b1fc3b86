/**
 * Migrations are applied while the previous release still serves requests (docs/schema-
 * changes.md), so every migration after the initial schema must be safe to run under a
 * live app: additive, no long exclusive locks, nothing the running code still uses
 * removed. This test reads every migration after the baseline and refuses the statements
 * that are not, unless the statement is preceded by a reviewed `-- online-safe: <why>`
 * comment (e.g. a contract step whose column no released code reads any more).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const folder = path.resolve(import.meta.dirname, "../../db/migrations");
const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };

/** 0000–0003: the initial schema, applied to an empty database before the first release. */
const BASELINE = 3;

/** [what is wrong, pattern]. Patterns see one statement with comments removed, upper-cased. */
const RULES: [string, RegExp][] = [
  [
    "drops a table or column the running release may still use (contract step)",
    /\bDROP\s+(TABLE|COLUMN)\b|\bALTER\s+TABLE\b[^;]*\bDROP\s+(?!CONSTRAINT|DEFAULT|NOT\s+NULL)\w+/,
  ],
  ["renames what the running release uses (add the new name, copy, switch, then drop)", /\bRENAME\b/],
  ["changes a column type: rewrites the table under an exclusive lock", /\bALTER\s+COLUMN\s+\S+\s+(SET\s+DATA\s+)?TYPE\b/],
  [
    "SET NOT NULL scans the table under an exclusive lock (add a CHECK … NOT VALID, VALIDATE it, then SET NOT NULL)",
    /\bSET\s+NOT\s+NULL\b/,
  ],
  [
    "a NOT NULL column without a default breaks the running release's inserts",
    /\bADD\s+(COLUMN\s+)?(?![^;]*\bDEFAULT\b)[^;]*\bNOT\s+NULL\b/,
  ],
  [
    "a foreign key or check on an existing table must be added NOT VALID, then validated",
    /\bADD\s+CONSTRAINT\b[^;]*\b(FOREIGN\s+KEY|CHECK)\b(?![^;]*\bNOT\s+VALID\b)/,
  ],
  [
    "an index on an existing table blocks writes while it builds (create it CONCURRENTLY beforehand; see docs)",
    /\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)(?!IF\s+NOT\s+EXISTS)/,
  ],
];

/** The statements of a migration file, each with whether a reviewed marker precedes it. */
function statements(sql: string): { text: string; reviewed: boolean }[] {
  return sql
    .split(/-->\s*statement-breakpoint/)
    .flatMap((chunk) => splitOutsideDollarQuotes(chunk))
    .map((raw) => ({
      reviewed: /--\s*online-safe:\s*\S/.test(raw),
      // Function bodies run later, not as DDL of this migration.
      text: raw
        .replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, "$$$$")
        .replace(/--[^\n]*/g, " ")
        .replace(/\s+/g, " ")
        .trim()
        .toUpperCase(),
    }))
    .filter((s) => s.text);
}

/** Splits on `;` outside dollar-quoted bodies ($$ … $$, $tag$ … $tag$). */
function splitOutsideDollarQuotes(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const tag = /^\$\w*\$/.exec(sql.slice(i))?.[0];
    if (tag) {
      const close = sql.indexOf(tag, i + tag.length);
      const stop = close < 0 ? sql.length : close + tag.length;
      current += sql.slice(i, stop);
      i = stop;
    } else if (sql[i] === ";") {
      out.push(current);
      current = "";
      i++;
    } else {
      current += sql[i++];
    }
  }
  out.push(current);
  return out;
}

/** Tables created in this file: their indexes and constraints lock nobody. */
function createdTables(sql: string): Set<string> {
  return new Set([...sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/gi)].map((m) => m[1]!.toUpperCase()));
}

function problems(sql: string): string[] {
  const fresh = createdTables(sql);
  const found: string[] = [];
  for (const { text, reviewed } of statements(sql)) {
    if (reviewed) continue;
    const table =
      /^(?:ALTER TABLE|CREATE (?:UNIQUE )?INDEX \S+ ON)(?: ONLY)? "?(\w+)"?/.exec(text)?.[1] ?? /\bON "?(\w+)"?/.exec(text)?.[1];
    if (table && fresh.has(table)) continue;
    for (const [why, pattern] of RULES) if (pattern.test(text)) found.push(`${why}: ${text.slice(0, 120)}`);
  }
  return found;
}

describe("migrations are safe to apply while the app runs", () => {
  const later = journal.entries.filter((e) => e.idx > BASELINE);

  it.each(later.length ? later.map((e) => [e.tag]) : [["(none after the baseline yet)"]])("%s", (tag) => {
    if (tag.startsWith("(")) return;
    expect(problems(readFileSync(path.join(folder, `${tag}.sql`), "utf8"))).toEqual([]);
  });

  it("the check catches what would lock or break a running release", () => {
    const unsafe = [
      `ALTER TABLE "judgments" DROP COLUMN "seconds";`,
      `ALTER TABLE "users" RENAME COLUMN "name" TO "display_name";`,
      `ALTER TABLE "characters" ALTER COLUMN "profile" SET DATA TYPE json;`,
      `ALTER TABLE "items" ALTER COLUMN "scene" SET NOT NULL;`,
      `ALTER TABLE "items" ADD COLUMN "language" text NOT NULL;`,
      `ALTER TABLE "judgments" ADD CONSTRAINT "j_fk" FOREIGN KEY ("task_id") REFERENCES "tasks"("id");`,
      `CREATE INDEX "judgments_created_idx" ON "judgments" USING btree ("created_at");`,
      `DROP TABLE "audit_log";`,
    ];
    for (const sql of unsafe) expect(problems(sql), sql).not.toEqual([]);
  });

  it("lets additive changes and reviewed contract steps through", () => {
    const safe = [
      `ALTER TABLE "items" ADD COLUMN "language" text;`,
      `ALTER TABLE "items" ADD COLUMN "weight" real DEFAULT 1 NOT NULL;`,
      `CREATE TABLE "notes" ("id" bigint PRIMARY KEY NOT NULL, "task_id" bigint NOT NULL);--> statement-breakpoint
       CREATE INDEX "notes_task_idx" ON "notes" USING btree ("task_id");--> statement-breakpoint
       ALTER TABLE "notes" ADD CONSTRAINT "notes_task_fk" FOREIGN KEY ("task_id") REFERENCES "tasks"("id");`,
      `ALTER TABLE "judgments" ADD CONSTRAINT "j_fk" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") NOT VALID;`,
      `CREATE INDEX IF NOT EXISTS "judgments_created_idx" ON "judgments" ("created_at");`,
      `-- online-safe: no release since 0.4 reads legacy_flag
       ALTER TABLE "judgments" DROP COLUMN "legacy_flag";`,
      `CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE x DROP COLUMN y; END $$;`,
    ];
    for (const sql of safe) expect(problems(sql), sql).toEqual([]);
  });
});
