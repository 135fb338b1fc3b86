/**
 * Helpers for rows that node-postgres hands back from raw SQL (`db.execute`): bigint and
 * numeric columns arrive as strings, timestamps as Date objects or, inside JSON, as text.
 */

/** A bigint, numeric or count column as a number (ids stay far below 2^53). */
export const num = (v: unknown): number => Number(v);

/** A timestamp column (a Date, or ISO text when it came through JSON) as a Date. */
export const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
