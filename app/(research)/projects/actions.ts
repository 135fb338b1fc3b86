"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { createProject, setProjectStatus, updateProject, updateProjectMembers } from "@/lib/services/projects";
import { splitEmails } from "@/lib/validation/projects";

export async function createProjectAction(input: unknown) {
  return runAction(async () => {
    const actor = await actorFor("project.write");
    const project = await createProject({ db: getDb(), actor }, input);
    revalidatePath("/projects");
    return { slug: project.slug };
  });
}

export async function updateProjectAction(input: unknown) {
  return runAction(async () => {
    const actor = await actorFor("project.write");
    const project = await updateProject({ db: getDb(), actor }, input);
    revalidatePath(`/projects/${project.slug}`);
    return { slug: project.slug };
  });
}

export async function setProjectStatusAction(input: { slug: string; status: string }) {
  return runAction(async () => {
    const actor = await actorFor("project.write");
    const project = await setProjectStatus({ db: getDb(), actor }, input);
    revalidatePath(`/projects/${project.slug}`);
    return { status: project.status };
  });
}

export async function updateMembersAction(input: { slug: string; add?: string; remove?: string[] }) {
  return runAction(async () => {
    const actor = await actorFor("project.write");
    const result = await updateProjectMembers(
      { db: getDb(), actor },
      { slug: input.slug, add: splitEmails(input.add), remove: input.remove ?? [] },
    );
    revalidatePath(`/projects/${input.slug}`);
    return result;
  });
}
