/** Project verbs: who sees which projects (with progress), creation. */
import { getProjectBySlug, insertProject, listProjectIdsForMember, listProjectsWithProgress } from "@/db/queries/projects";
import { can } from "@/lib/auth/permissions";
import { conflict, forbidden } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { CreateProjectInput } from "@/lib/validation/projects";
import { recordAudit } from "./audit";
import type { ServiceContext } from "./context";

/**
 * The projects on the actor's home page with real progress figures: every project for
 * staff, the projects they are a member of for annotators.
 */
export async function listMyProjects(ctx: ServiceContext, params: { todaySince: Date }) {
  const projectIds = can(ctx.actor.role, "project.read") ? undefined : await listProjectIdsForMember(ctx.db, ctx.actor.id);
  const rows = await listProjectsWithProgress(ctx.db, { projectIds, userId: ctx.actor.id, todaySince: params.todaySince });
  // Annotators do not see drafts or archived projects they cannot work on.
  return projectIds ? rows.filter((p) => p.status === "active" || p.status === "paused") : rows;
}

/**
 * Creates a project with validated settings. Actor null = the command line.
 */
export async function createProject(ctx: ServiceContext | { db: ServiceContext["db"]; actor: null }, raw: unknown) {
  const input = parseInput(CreateProjectInput, raw);
  if (ctx.actor && !can(ctx.actor.role, "project.write")) throw forbidden();
  return ctx.db.transaction(async (tx) => {
    if (await getProjectBySlug(tx, input.slug)) throw conflict(`A project with the slug "${input.slug}" already exists.`);
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
      createdBy: ctx.actor?.id ?? null,
    });
    if (ctx.actor) {
      await recordAudit({ db: tx, actor: ctx.actor }, {
        action: "project.create",
        targetType: "project",
        targetId: project.id,
        projectId: project.id,
        details: { slug: project.slug },
      });
    }
    return project;
  });
}
