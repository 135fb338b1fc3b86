/** Project verbs: who sees which projects (with progress), creation. */
import {
  addProjectMembers,
  getProjectBySlug,
  getProjectWorkCounts,
  insertProject,
  listProjectMembers,
  listProjectsWithProgress,
  removeProjectMembers,
  setTaskOverlap,
  updateProjectRow,
} from "@/db/queries/projects";
import { releaseLiveLeases } from "@/db/queries/annotators";
import { insertProjectCharacters } from "@/db/queries/live";
import { getUsersByEmails } from "@/db/queries/users";
import { can } from "@/lib/auth/permissions";
import { AppError, conflictError, forbiddenError } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { withDefaultSettings } from "@/lib/validation/project-settings";
import { CreateProjectInput, SetProjectStatusInput, UpdateMembersInput, UpdateProjectInput } from "@/lib/validation/projects";
import { recordProjectAudit } from "./audit";
import type { ServiceContext, CliContext } from "./context";
import { refreshPairSamplingOf } from "./pair-sampling";
import { reachableProjectIds, requireProjectFor } from "./project-access";

/**
 * The projects on the actor's home page with real progress figures: every project for
 * admins, the projects they are a member of for everyone else.
 */
export async function listMyProjects(ctx: ServiceContext, params: { todaySince: Date }) {
  const projectIds = await reachableProjectIds(ctx);
  const rows = await listProjectsWithProgress(ctx.db, { projectIds, userId: ctx.actor.id, todaySince: params.todaySince });
  // Annotators do not see drafts or archived projects they cannot work on.
  return can(ctx.actor.role, "project.read") ? rows : rows.filter((p) => p.status === "active" || p.status === "paused");
}

/**
 * Creates a project with validated settings. Actor null = the command line.
 */
export async function createProject(ctx: ServiceContext | CliContext, raw: unknown) {
  const input = parseInput(CreateProjectInput, raw);
  if (ctx.actor && !can(ctx.actor.role, "project.write")) throw forbiddenError();
  return ctx.db.transaction(async (tx) => {
    if (await getProjectBySlug(tx, input.slug)) throw conflictError(`A project with the slug "${input.slug}" already exists.`);
    const project = await insertProject(tx, {
      slug: input.slug,
      name: input.name,
      description: input.description,
      guidelines: input.guidelines,
      status: input.status,
      mode: input.settings.mode,
      scalePoints: input.settings.scalePoints,
      overlap: input.settings.overlap,
      settings: input.settings,
      // A project with live settings runs sessions (its characters are its pool).
      kind: input.settings.live ? "live" : "static",
      createdBy: ctx.actor?.id ?? null,
    });
    if (input.settings.live) {
      await insertProjectCharacters(tx, project.id, input.settings.live.characterIds);
    }
    // The creator works on what they create: researchers and leads reach only their projects.
    if (ctx.actor) await addProjectMembers(tx, project.id, [ctx.actor.id], ctx.actor.id);
    if (ctx.actor) {
      await recordProjectAudit({ db: tx, actor: ctx.actor }, "project.create", project.id, { slug: project.slug });
    }
    return project;
  });
}

/** A project with its settings, members and progress figures, for staff. */
export async function getProjectOverview(ctx: ServiceContext, params: { slug: string }) {
  if (!can(ctx.actor.role, "project.read")) throw forbiddenError();
  const project = await requireProjectFor(ctx, params.slug);
  const todaySince = new Date();
  todaySince.setHours(0, 0, 0, 0);
  const [members, [progress], work] = await Promise.all([
    listProjectMembers(ctx.db, project.id),
    listProjectsWithProgress(ctx.db, { projectIds: [project.id], userId: ctx.actor.id, todaySince }),
    getProjectWorkCounts(ctx.db, project.id),
  ]);
  return { project, members, progress: progress!, work };
}

/**
 * Edits a project's texts and settings. What the data already depends on is guarded:
 * the comparison mode is fixed once tasks exist, the scale once judgments exist, and the
 * overlap cannot drop below what a task already has. Overlap changes follow into the
 * (non-gold) tasks.
 */
export async function updateProject(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "project.write")) throw forbiddenError();
  const input = parseInput(UpdateProjectInput, raw);
  let sampling: { projectId: number; changed: boolean } = { projectId: 0, changed: false };
  const result = await ctx.db.transaction(async (tx) => {
    const project = await requireProjectFor({ db: tx, actor: ctx.actor }, input.slug);
    sampling = { projectId: project.id, changed: withDefaultSettings(project.settings).pairSampling !== input.settings.pairSampling };
    const work = await getProjectWorkCounts(tx, project.id);
    const s = input.settings;
    if (s.mode !== project.mode && work.tasks > 0) {
      throw new AppError("CONFLICT", "The comparison mode cannot change once items have been imported.", {
        "settings.mode": ["is fixed once tasks exist"],
      });
    }
    if (s.scalePoints !== project.scalePoints && work.judgments > 0) {
      throw new AppError("CONFLICT", "The preference scale cannot change once judgments exist.", {
        "settings.scalePoints": ["is fixed once judgments exist"],
      });
    }
    if (s.overlap < work.maxValid) {
      throw new AppError("CONFLICT", `A task already has ${work.maxValid} judgments; the overlap cannot be lower.`, {
        "settings.overlap": [`must be at least ${work.maxValid}`],
      });
    }
    const updated = await updateProjectRow(tx, project.id, {
      name: input.name,
      description: input.description,
      guidelines: input.guidelines,
      mode: s.mode,
      scalePoints: s.scalePoints,
      overlap: s.overlap,
      settings: s,
    });
    if (s.overlap !== project.overlap) await setTaskOverlap(tx, project.id, s.overlap);
    await recordProjectAudit({ db: tx, actor: ctx.actor }, "project.update", project.id, {
      changed: changedKeys(project.settings as Record<string, unknown>, s as Record<string, unknown>),
    });
    return updated;
  });
  // After the commit, in batches of its own (lib/services/pair-sampling.ts): the serving
  // order follows the new policy at once rather than at the next refresh.
  if (sampling.changed) await refreshPairSamplingOf(ctx.db, sampling.projectId, input.settings.pairSampling);
  return result;
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k])).sort();
}

/** Moves a project between draft, active, paused and archived. */
export async function setProjectStatus(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "project.write")) throw forbiddenError();
  const input = parseInput(SetProjectStatusInput, raw);
  return ctx.db.transaction(async (tx) => {
    const project = await requireProjectFor({ db: tx, actor: ctx.actor }, input.slug);
    if (project.status === input.status) return project;
    const updated = await updateProjectRow(tx, project.id, { status: input.status });
    await recordProjectAudit({ db: tx, actor: ctx.actor }, "project.status", project.id, { from: project.status, to: input.status });
    return updated;
  });
}

/**
 * Adds and removes members by email, all or nothing: an unknown email refuses the whole
 * change and names it. Actor null = the command line.
 */
export async function updateProjectMembers(ctx: ServiceContext | CliContext, raw: unknown) {
  if (ctx.actor && !can(ctx.actor.role, "project.write")) throw forbiddenError();
  const input = parseInput(UpdateMembersInput, raw);
  return ctx.db.transaction(async (tx) => {
    const project = await requireProjectFor({ db: tx, actor: ctx.actor }, input.slug);
    const wanted = [...new Set([...input.add, ...input.remove])];
    const found = await getUsersByEmails(tx, wanted);
    const byEmail = new Map(found.map((u) => [u.email, u]));
    const missing = wanted.filter((e) => !byEmail.has(e));
    if (missing.length) {
      throw new AppError("VALIDATION", `No user has the email ${missing.join(", ")}.`, {
        [input.add.some((e) => missing.includes(e)) ? "add" : "remove"]: missing.map((e) => `${e} is not a user`),
      });
    }
    // Staff membership decides who reaches the project's data: a lead's or admin's call.
    const staff = found.filter((u) => u.role !== "annotator").map((u) => u.email);
    if (ctx.actor && staff.length && !can(ctx.actor.role, "project.members.staff")) {
      throw forbiddenError(`Only a lead or an admin adds or removes staff (${staff.join(", ")}).`);
    }
    const added = await addProjectMembers(
      tx,
      project.id,
      input.add.map((e) => byEmail.get(e)!.id),
      ctx.actor?.id ?? null,
    );
    const removed = await removeProjectMembers(
      tx,
      project.id,
      input.remove.map((e) => byEmail.get(e)!.id),
    );
    // The places a removed member held go to others at once.
    for (const r of removed) await releaseLiveLeases(tx, project.id, r.userId);
    const emailOf = new Map(found.map((u) => [u.id, u.email]));
    // What a lead decided stays with the row: the audit says what was kept and what came back.
    const standing = (rows: { userId: number; status: string | null; excludedFromExports: boolean }[]) =>
      rows.map((r) => ({ email: emailOf.get(r.userId), status: r.status, excludedFromExports: r.excludedFromExports }));
    if (ctx.actor) {
      if (added.length) {
        await recordProjectAudit({ db: tx, actor: ctx.actor }, "project.members.add", project.id, {
          emails: added.map((a) => emailOf.get(a.userId)),
          restored: standing(added.filter((a) => a.status !== "active" || a.excludedFromExports)),
        });
      }
      if (removed.length) {
        await recordProjectAudit({ db: tx, actor: ctx.actor }, "project.members.remove", project.id, {
          emails: removed.map((r) => emailOf.get(r.userId)),
          kept: standing(removed.filter((r) => r.status !== "active" || r.excludedFromExports)),
        });
      }
    }
    return {
      added: added.map((a) => emailOf.get(a.userId)!),
      removed: removed.map((r) => emailOf.get(r.userId)!),
      unchanged: wanted.length - added.length - removed.length,
    };
  });
}
