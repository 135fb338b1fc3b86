/**
 * Which projects an actor reaches: the one rule behind every project verb (see
 * ALL_PROJECTS in lib/auth/permissions.ts). Admins and the command line reach every
 * project; everyone else only those they are a member of. A project out of reach is
 * answered exactly as a missing one, so its slug, items and figures leak nothing.
 */
import type { Db } from "@/db/client";
import { getProjectBySlug, isProjectMember, listProjectIdsForMember } from "@/db/queries/projects";
import { listProjectChoices } from "@/db/queries/review";
import type { Project } from "@/db/schema";
import { actsOnAllProjects } from "@/lib/auth/permissions";
import { notFoundError } from "@/lib/errors";
import type { Actor } from "./context";

type AccessContext = { db: Db; actor: Actor | null };

function reachesAll(actor: Actor | null): actor is null {
  return actor === null || actsOnAllProjects(actor.role);
}

/** The project, if it exists and the actor reaches it. */
export async function findProjectFor(ctx: AccessContext, slug: string): Promise<Project | undefined> {
  const project = await getProjectBySlug(ctx.db, slug);
  if (!project || reachesAll(ctx.actor)) return project;
  return (await isProjectMember(ctx.db, project.id, ctx.actor!.id)) ? project : undefined;
}

/** The project, or NOT_FOUND — for a missing project and for one out of reach alike. */
export async function requireProjectFor(ctx: AccessContext, slug: string): Promise<Project> {
  const project = await findProjectFor(ctx, slug);
  if (!project) throw notFoundError(`The project "${slug}"`);
  return project;
}

/**
 * For verbs addressed by a task, judgment or export id: NOT_FOUND (naming `what`) unless
 * the actor reaches the project it belongs to.
 */
export async function assertReachesProject(ctx: AccessContext, projectId: number, what: string): Promise<void> {
  if (reachesAll(ctx.actor)) return;
  if (!(await isProjectMember(ctx.db, projectId, ctx.actor!.id))) throw notFoundError(what);
}

/** The ids of the projects the actor reaches, or undefined for all (for lists). */
export async function reachableProjectIds(ctx: AccessContext): Promise<number[] | undefined> {
  if (reachesAll(ctx.actor)) return undefined;
  return listProjectIdsForMember(ctx.db, ctx.actor!.id);
}

/** Projects to pick from in the lead pages (not archived), limited to those the actor reaches. */
export async function listProjectChoicesFor(ctx: AccessContext) {
  return listProjectChoices(ctx.db, await reachableProjectIds(ctx));
}
