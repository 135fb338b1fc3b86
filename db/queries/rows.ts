/**
 * Helpers for rows that node-postgres hands back from raw SQL (`db.execute`): bigint and
 * numeric columns arrive as strings, timestamps as Date objects or, inside JSON, as text.
 */
import { getTableColumns, type Column, type Table } from "drizzle-orm";

/** A bigint, numeric or count column as a number (ids stay far below 2^53). */
export const num = (v: unknown): number => Number(v);

/** A timestamp column (a Date, or ISO text when it came through JSON) as a Date. */
export const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

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
