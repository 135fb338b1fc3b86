import { getProjectForAnnotator } from "@/db/queries/assignments";
import { can } from "@/lib/auth/permissions";
import { forbiddenError, notFoundError } from "@/lib/errors";
import type { ServiceContext } from "./context";

/**
 * The project as the workspace shows it around the tasks (name, guidelines, status) —
 * for its members only; staff who are not members see it through /projects instead.
 */
export async function getWorkspaceProject(ctx: ServiceContext, params: { slug: string }) {
  if (!can(ctx.actor.role, "task.annotate")) throw forbiddenError();
  const project = await getProjectForAnnotator(ctx.db, { slug: params.slug, userId: ctx.actor.id });
  if (!project) throw notFoundError("The project");
  if (project.memberStatus === null || project.memberStatus === "removed") throw forbiddenError("You are not a member of this project.");
  return {
    slug: project.slug,
    name: project.name,
    guidelines: project.guidelines,
    status: project.status,
    memberStatus: project.memberStatus,
    mode: project.mode,
    scalePoints: project.scalePoints,
  };
}
