import { and, desc, eq, gte, inArray, isNull, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, users, type NewAuditEntry } from "@/db/schema";

/** Appends one entry. The table has no update or delete path, in code or in the database. */
export async function insertAuditEntry(db: Db, entry: NewAuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export type AuditListParams = {
  projectId?: number;
  /** Entries of these projects and entries of no project; undefined = all. */
  projectIds?: number[];
  actorId?: number;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

export async function listAuditEntries(db: Db, params: AuditListParams) {
  const filters: SQL[] = [];
  if (params.projectId !== undefined) filters.push(eq(auditLog.projectId, params.projectId));
  if (params.projectIds !== undefined) {
    filters.push(
      params.projectIds.length
        ? or(isNull(auditLog.projectId), inArray(auditLog.projectId, params.projectIds))!
        : isNull(auditLog.projectId),
    );
  }
  if (params.actorId !== undefined) filters.push(eq(auditLog.actorId, params.actorId));
  if (params.action) filters.push(eq(auditLog.action, params.action));
  if (params.from) filters.push(gte(auditLog.at, params.from));
  if (params.to) filters.push(lte(auditLog.at, params.to));
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      projectId: auditLog.projectId,
      details: auditLog.details,
      actorEmail: users.email,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(params.limit)
    .offset(params.offset);
}

/** The actions recorded so far (for the filter menu). */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}
