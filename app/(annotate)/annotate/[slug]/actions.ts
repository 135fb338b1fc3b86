"use server";

import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { editJudgment, leaseNextTask, skipAssignment, submitJudgment } from "@/lib/services/annotation";

/** The next task (or the live lease, resumed); null when nothing is left. */
export async function nextTaskAction(input: { slug: string; exclude?: number[]; todaySince?: string }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return leaseNextTask({ db: getDb(), actor }, { projectSlug: input.slug, exclude: input.exclude, todaySince: input.todaySince });
  });
}

export async function submitJudgmentAction(input: { assignmentId: number; answer: unknown }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return submitJudgment({ db: getDb(), actor }, { assignmentId: input.assignmentId, input: input.answer });
  });
}

export async function skipAssignmentAction(input: { assignmentId: number; reason: string; note?: string }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return skipAssignment(
      { db: getDb(), actor },
      { assignmentId: input.assignmentId, input: { reason: input.reason, note: input.note || undefined } },
    );
  });
}

export async function editJudgmentAction(input: { judgmentId: number; answer: unknown }) {
  return runAction(async () => {
    const actor = await actorFor("task.annotate");
    return editJudgment({ db: getDb(), actor }, { judgmentId: input.judgmentId, input: input.answer });
  });
}
