import { insertAuditEntry } from "@/db/queries/audit";
import type { Db } from "@/db/client";
import type { ServiceContext } from "./context";

/** Audit actions, one vocabulary for the log page's filter. */
export type AuditAction =
  | "user.create"
  | "user.role.change"
  | "user.deactivate"
  | "user.activate"
  | "character.create"
  | "character.update"
  | "character.import_card"
  | "project.create"
  | "project.update"
  | "project.status"
  | "project.members.add"
  | "project.members.remove"
  | "items.import"
  | "export.create"
  | "export.fail"
  | "judgment.accept"
  | "judgment.reject"
  | "judgment.restore"
  | "task.adjudicate"
  | "task.extend"
  | "annotator.pause"
  | "annotator.resume"
  | "annotator.exclude"
  | "annotator.include"
  | "annotator.qualification"
  | "gold.set"
  | "gold.retire"
  | "token.create"
  | "token.revoke"
  | "endpoint.create"
  | "endpoint.update"
  | "endpoint.archive"
  | "generation.start"
  | "generation.cancel"
  | "generation.resume"
  | "generation.retry"
  | "auth.oidc.link"
  | "auth.oidc.refused";

/** Records who did what to which target; runs inside the caller's transaction. */
export async function recordAudit(
  ctx: ServiceContext,
  entry: { action: AuditAction; targetType: string; targetId?: string | number; projectId?: number; details?: Record<string, unknown> },
): Promise<void> {
  await insertAuditEntry(ctx.db, {
    actorId: ctx.actor.id,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    projectId: entry.projectId ?? null,
    details: entry.details ?? {},
  });
}

/** Records a change to a whole project: the project is both the entry's target and its scope. */
export async function recordProjectAudit(
  ctx: ServiceContext,
  action: AuditAction,
  projectId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(ctx, { action, targetType: "project", targetId: projectId, projectId, details });
}

/**
 * Records a change the platform made to a project by itself (background upkeep): no actor,
 * so the audit page shows it as nobody's.
 */
export async function recordSystemProjectAudit(
  db: Db,
  action: AuditAction,
  projectId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await insertAuditEntry(db, { actorId: null, action, targetType: "project", targetId: String(projectId), projectId, details });
}

/** Records a change to one task, in its project's scope. */
export async function recordTaskAudit(
  ctx: ServiceContext,
  action: AuditAction,
  task: { id: number; projectId: number },
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(ctx, { action, targetType: "task", targetId: task.id, projectId: task.projectId, details });
}
