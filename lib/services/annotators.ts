/**
 * Annotator management for leads: a project's members with their quality
 * figures (from the dashboard's getProjectStats) and outlier flags; pause / resume, back
 * to qualification, and exclusion of their judgments from exports (reversible, with a
 * preview of what it affects). Permission "annotator.manage"; every change audited.
 */
import type { z } from "zod";
import type { Db } from "@/db/client";
import {
  countAnnotatorWork,
  listMembersWithStanding,
  lockMembershipForUpdate,
  releaseLiveLeases,
  updateMembershipStanding,
  type MemberStatus,
  type ProjectMemberRow,
} from "@/db/queries/annotators";
import { can } from "@/lib/auth/permissions";
import { conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { AnnotatorListInput, AnnotatorWorkInput, SetAnnotatorExcludedInput, SetAnnotatorStatusInput } from "@/lib/validation/review";
import { recordAudit, type AuditAction } from "./audit";
import type { ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";
import { getProjectStats, type AnnotatorStats } from "./stats";

function authorise(ctx: ServiceContext): void {
  if (!can(ctx.actor.role, "annotator.manage")) throw forbiddenError();
}

async function requireProject(ctx: ServiceContext, slug: string) {
  return requireProjectFor(ctx, slug);
}

export type AnnotatorRow = ProjectMemberRow & { stats: AnnotatorStats | null };

/**
 * A project's members with their standing and quality figures (null for a member with no
 * valid pairwise judgment yet), plus the pooled row and the project's gold threshold.
 */
export async function listProjectAnnotators(ctx: ServiceContext, raw: unknown, now: Date = new Date()) {
  authorise(ctx);
  const input = parseInput(AnnotatorListInput, raw);
  const project = await requireProject(ctx, input.projectSlug);
  const [members, stats] = await Promise.all([
    listMembersWithStanding(ctx.db, project.id),
    getProjectStats(ctx, { projectSlug: project.slug }, now),
  ]);
  const byId = new Map(stats.annotators.map((a) => [a.id, a]));
  const rows: AnnotatorRow[] = members.map((m) => ({ ...m, stats: byId.get(m.userId) ?? null }));
  return {
    project: { slug: project.slug, name: project.name, goldMinAccuracy: project.settings.goldMinAccuracy },
    rows,
    overall: stats.overall,
  };
}

/** What excluding or including an annotator would change, shown before the lead confirms. */
export async function previewAnnotatorExclusion(ctx: ServiceContext, raw: unknown) {
  authorise(ctx);
  const input = parseInput(AnnotatorWorkInput, raw);
  const project = await requireProject(ctx, input.projectSlug);
  const member = await lockMembershipForUpdate(ctx.db, project.id, input.userId);
  if (!member) throw notFoundError("The member");
  const work = await countAnnotatorWork(ctx.db, project.id, input.userId);
  return { userId: input.userId, email: member.email, excluded: member.excluded, ...work };
}

const STATUS_ACTION: Record<Exclude<MemberStatus, "removed">, AuditAction> = {
  active: "annotator.resume",
  paused: "annotator.pause",
  qualification: "annotator.qualification",
};

/**
 * Pauses, resumes or sends a member back to qualification. Anything but `active` stops
 * the engine offering them tasks (leaseNextTask refuses non-active members) and releases
 * their live leases, so the places they held go to others. Audited "annotator.pause",
 * "annotator.resume" or "annotator.qualification".
 */
export async function setAnnotatorStatus(ctx: ServiceContext, raw: unknown) {
  return changeMember(ctx, SetAnnotatorStatusInput, raw, async (tx, project, input, member) => {
    // Standing returns with the member if they are added again; it is not changed behind the removal.
    if (member.status === "removed") throw conflictError(`${member.email} was removed from this project; add them again first.`);
    if (member.status === input.status) return { userId: input.userId, status: input.status, releasedLeases: 0 };
    await updateMembershipStanding(tx, project.id, input.userId, { status: input.status });
    const releasedLeases = input.status === "active" ? 0 : await releaseLiveLeases(tx, project.id, input.userId);
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: STATUS_ACTION[input.status],
        targetType: "user",
        targetId: input.userId,
        projectId: project.id,
        details: { email: member.email, from: member.status, to: input.status, releasedLeases, note: input.note },
      },
    );
    return { userId: input.userId, status: input.status, releasedLeases };
  });
}

/**
 * Excludes a member's judgments from this project's exports, or includes them again
 * (project_members.excluded_from_exports; exports read it at build time, so the next build
 * changes). Audited "annotator.exclude" / "annotator.include" with the judgments affected.
 */
export async function setAnnotatorExcluded(ctx: ServiceContext, raw: unknown) {
  return changeMember(ctx, SetAnnotatorExcludedInput, raw, async (tx, project, input, member) => {
    const work = await countAnnotatorWork(tx, project.id, input.userId);
    if (member.excluded === input.excluded) return { userId: input.userId, excluded: input.excluded, ...work };
    await updateMembershipStanding(tx, project.id, input.userId, { excluded: input.excluded });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: input.excluded ? "annotator.exclude" : "annotator.include",
        targetType: "user",
        targetId: input.userId,
        projectId: project.id,
        details: { email: member.email, judgments: work.valid, countedJudgments: work.counted, tasks: work.tasks, note: input.note },
      },
    );
    return { userId: input.userId, excluded: input.excluded, ...work };
  });
}

/**
 * Validates a change to one member's standing and runs it in a transaction with their
 * membership locked, so that two leads' changes to the same member apply one after the other.
 */
async function changeMember<S extends z.ZodType<{ projectSlug: string; userId: number }>, R>(
  ctx: ServiceContext,
  schema: S,
  raw: unknown,
  change: (
    tx: Db,
    project: Awaited<ReturnType<typeof requireProject>>,
    input: z.output<S>,
    member: NonNullable<Awaited<ReturnType<typeof lockMembershipForUpdate>>>,
  ) => Promise<R>,
): Promise<R> {
  authorise(ctx);
  const input = parseInput(schema, raw);
  const project = await requireProject(ctx, input.projectSlug);
  return ctx.db.transaction(async (tx) => {
    const member = await lockMembershipForUpdate(tx, project.id, input.userId);
    if (!member) throw notFoundError("The member");
    return change(tx, project, input, member);
  });
}
