"use server";

import { serviceAction } from "@/lib/actions";
import { editJudgment, leaseNextTask, skipAndLeaseNext, submitJudgmentAndLeaseNext } from "@/lib/services/annotation";

/** The next task (or the live lease, resumed); null when nothing is left. */
export async function nextTaskAction(input: { slug: string; exclude?: number[]; todaySince?: string }) {
  return serviceAction("task.annotate", (ctx) =>
    leaseNextTask(ctx, { projectSlug: input.slug, exclude: input.exclude, todaySince: input.todaySince }),
  );
}

/** The answer for a lease, and the next task in the same request (the workspace renders it in place). */
export async function submitAndNextAction(input: { slug: string; assignmentId: number; answer: unknown; todaySince?: string }) {
  return serviceAction("task.annotate", (ctx) =>
    submitJudgmentAndLeaseNext(ctx, {
      assignmentId: input.assignmentId,
      input: input.answer,
      projectSlug: input.slug,
      todaySince: input.todaySince,
    }),
  );
}

/** A skip, and the next task in the same request. */
export async function skipAndNextAction(input: { slug: string; assignmentId: number; reason: string; note?: string; todaySince?: string }) {
  return serviceAction("task.annotate", (ctx) =>
    skipAndLeaseNext(ctx, {
      assignmentId: input.assignmentId,
      input: { reason: input.reason, note: input.note || undefined },
      projectSlug: input.slug,
      todaySince: input.todaySince,
    }),
  );
}

export async function editJudgmentAction(input: { judgmentId: number; answer: unknown }) {
  return serviceAction("task.annotate", (ctx) => editJudgment(ctx, { judgmentId: input.judgmentId, input: input.answer }));
}
