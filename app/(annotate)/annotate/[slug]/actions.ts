"use server";

import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { editJudgment, leaseNextTask, skipAndLeaseNext, submitJudgmentAndLeaseNext } from "@/lib/services/annotation";

/** The next task (or the live lease, resumed); null when nothing is left. */
export async function nextTaskAction(input: { slug: string; exclude?: number[]; todaySince?: string }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return leaseNextTask({ db: getDb(), actor }, { projectSlug: input.slug, exclude: input.exclude, todaySince: input.todaySince });
  });
}

/** The answer for a lease, and the next task in the same request (the workspace renders it in place). */
export async function submitAndNextAction(input: { slug: string; assignmentId: number; answer: unknown; todaySince?: string }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return submitJudgmentAndLeaseNext(
      { db: getDb(), actor },
      { assignmentId: input.assignmentId, input: input.answer, projectSlug: input.slug, todaySince: input.todaySince },
    );
  });
}

/** A skip, and the next task in the same request. */
export async function skipAndNextAction(input: { slug: string; assignmentId: number; reason: string; note?: string; todaySince?: string }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return skipAndLeaseNext(
      { db: getDb(), actor },
      {
        assignmentId: input.assignmentId,
        input: { reason: input.reason, note: input.note || undefined },
        projectSlug: input.slug,
        todaySince: input.todaySince,
      },
    );
  });
}

export async function editJudgmentAction(input: { judgmentId: number; answer: unknown }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return editJudgment({ db: getDb(), actor }, { judgmentId: input.judgmentId, input: input.answer });
  });
}
