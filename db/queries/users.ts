import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type NewUser, type User } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { queryPrepared } from "./prepared";
import type { RawRow } from "./rows";

export async function getUserById(db: Db, id: number): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** What every request needs to know about its signed-in user: one primary-key read, as a prepared statement. */
export type SessionUserRow = Pick<User, "id" | "email" | "name" | "role" | "locale" | "active" | "sessionVersion">;

export async function getSessionUserRow(db: Db, id: number): Promise<SessionUserRow | undefined> {
  const [row] = await queryPrepared<RawRow<typeof users, "id" | "email" | "name" | "role" | "locale" | "active" | "sessionVersion">>(
    db,
    "arbiter_session_user",
    "select id, email, name, role, locale, active, session_version from users where id = $1",
    [id],
  );
  if (!row) return undefined;
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    active: row.active,
    sessionVersion: row.session_version,
  };
}

export async function getUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

export async function insertUser(db: Db, user: NewUser): Promise<User> {
  const [row] = await db.insert(users).values(user).returning();
  return row!;
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<Pick<User, "name" | "role" | "active" | "locale" | "passwordHash" | "lastSignInAt" | "oidcSubject">>,
): Promise<User | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export type UserListParams = {
  search?: string;
  role?: Role;
  active?: boolean;
  limit: number;
  offset: number;
};

export async function listUsers(db: Db, params: UserListParams) {
  const filters: SQL[] = [];
  if (params.search) {
    const pattern = `%${params.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(users.email, pattern), ilike(users.name, pattern))!);
  }
  if (params.role) filters.push(eq(users.role, params.role));
  if (params.active !== undefined) filters.push(eq(users.active, params.active));
  const where = filters.length ? and(...filters) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        active: users.active,
        createdAt: users.createdAt,
        lastSignInAt: users.lastSignInAt,
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.email))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function countUsersByRole(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ role: users.role, n: sql<number>`count(*)::int` }).from(users).groupBy(users.role);
  return Object.fromEntries(rows.map((r) => [r.role, r.n]));
}

/** Invalidates every session of a user minted before now. */
export async function bumpSessionVersion(db: Db, id: number): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, id));
}

export async function getUsersByEmails(db: Db, emails: string[]) {
  if (!emails.length) return [];
  return db
    .select({ id: users.id, email: users.email, role: users.role, active: users.active })
    .from(users)
    .where(inArray(users.email, emails));
}

/** The user linked to an OpenID Connect subject, if any. */
export async function getUserByOidcSubject(db: Db, subject: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.oidcSubject, subject)).limit(1);
  return row;
}
