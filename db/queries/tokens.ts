import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, projects, type ApiToken } from "@/db/schema";

export type NewApiToken = typeof apiTokens.$inferInsert;

export async function insertApiToken(db: Db, row: NewApiToken): Promise<ApiToken> {
  const [created] = await db.insert(apiTokens).values(row).returning();
  return created!;
}

export async function getApiTokenByHash(db: Db, tokenHash: string): Promise<ApiToken | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function getApiTokenById(db: Db, id: number): Promise<ApiToken | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return row;
}

/** A user's tokens, newest first, with the slug of the project each is limited to. Never the hash. */
export async function listApiTokensOfUser(db: Db, userId: number) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      tokenPrefix: apiTokens.tokenPrefix,
      scopes: apiTokens.scopes,
      projectSlug: projects.slug,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .leftJoin(projects, eq(projects.id, apiTokens.projectId))
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Sets revoked_at once; a second revoke changes nothing. Returns whether a row changed. */
export async function markApiTokenRevoked(db: Db, id: number, at: Date): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/**
 * Records a use, at most once per `minIntervalMs`: the condition is in the WHERE, so busy
 * clients do not turn every request into a row write.
 */
export async function touchApiTokenLastUsed(db: Db, id: number, at: Date, minIntervalMs: number): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(at.getTime() - minIntervalMs)))));
}
