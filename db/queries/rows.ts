/**
 * Helpers for rows that node-postgres hands back from raw SQL (`db.execute`): bigint and
 * numeric columns arrive as strings, and so do timestamps (drizzle's driver turns pg's date
 * parsing off so that its own mapping sees the text).
 */
import { getTableColumns, type Column, type Table } from "drizzle-orm";

/** A bigint, numeric or count column as a number (ids stay far below 2^53). */
export const num = (v: unknown): number => Number(v);

/** A timestamp column (its text, or a Date where one was built already) as a Date. */
export const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

/**
 * Column kinds raw SQL returns as text: pg leaves int8 and numeric unparsed (db/client.ts sets no
 * type parsers), and drizzle's node-postgres driver leaves timestamps, dates and intervals so.
 */
type TextualColumnType =
  | "PgBigInt53"
  | "PgBigInt64"
  | "PgBigSerial53"
  | "PgBigSerial64"
  | "PgNumeric"
  | "PgTimestamp"
  | "PgTimestampString"
  | "PgDate"
  | "PgDateString"
  | "PgInterval";

type WireValue<C extends Column> = C["_"]["columnType"] extends TextualColumnType
  ? string
  : C["_"] extends { columnType: "PgArray"; baseColumn: { _: { columnType: TextualColumnType } } }
    ? string[]
    : C["_"]["data"];

/**
 * One column's value as raw SQL receives it: what drizzle's schema says, with int8, numeric and
 * time values (alone or in arrays) as strings, and null where the column is nullable.
 */
export type Wire<C extends Column> = C["_"]["notNull"] extends true ? WireValue<C> : WireValue<C> | null;

/**
 * A raw SQL row of some columns of a table, keyed by their SQL names: select them by these names
 * (or through the table object in the template) and a renamed or retyped column fails the type check.
 * It describes `db.execute`; pg's own `client.query` (queryPrepared, the generation queue) parses
 * timestamps to Date, so there it serves only for rows without time columns.
 */
export type RawRow<T extends Table, K extends keyof T["_"]["columns"]> = {
  [P in K as T["_"]["columns"][P]["_"]["name"]]: Wire<T["_"]["columns"][P]>;
};

const columnsOf = new WeakMap<Table, [string, Column][]>();

/**
 * A row that came through `to_json(alias)` (keys are column names) as the table's typed
 * row, as drizzle's own select would give it: property names, timestamps as Dates.
 */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): T["$inferSelect"] {
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = Object.entries(getTableColumns(table))));
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const v = json[column.name] ?? null;
    row[key] = v !== null && column.columnType === "PgTimestamp" ? toDate(v as string) : v;
  }
  return row as T["$inferSelect"];
}
