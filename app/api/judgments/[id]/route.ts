import { apiRoute, noStoreJson } from "@/lib/http";
import { getMyJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** GET /api/judgments/{id} — one of the caller's judgments with its task as shown (for the edit form). */
export const GET = apiRoute<{ id: string }>("task.annotate", async ({ params, ctx }) =>
  noStoreJson(await getMyJudgment(ctx, { judgmentId: params.id })),
);
