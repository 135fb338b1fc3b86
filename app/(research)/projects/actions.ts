"use server";

import { serviceAction } from "@/lib/actions";
import { createProject, setProjectStatus, updateProject, updateProjectMembers } from "@/lib/services/projects";
import { splitEmails } from "@/lib/validation/projects";

export async function createProjectAction(input: unknown) {
  return serviceAction("project.write", async (ctx) => ({ slug: (await createProject(ctx, input)).slug }), ["/projects"]);
}

export async function updateProjectAction(input: unknown) {
  return serviceAction(
    "project.write",
    async (ctx) => ({ slug: (await updateProject(ctx, input)).slug }),
    ({ slug }) => [`/projects/${slug}`],
  );
}

export async function setProjectStatusAction(input: { slug: string; status: string }) {
  return serviceAction("project.write", async (ctx) => ({ status: (await setProjectStatus(ctx, input)).status }), [
    `/projects/${input.slug}`,
  ]);
}

export async function updateMembersAction(input: { slug: string; add?: string; remove?: string[] }) {
  return serviceAction(
    "project.write",
    (ctx) => updateProjectMembers(ctx, { slug: input.slug, add: splitEmails(input.add), remove: input.remove ?? [] }),
    [`/projects/${input.slug}`],
  );
}
