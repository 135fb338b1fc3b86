import { apiRoute, noStoreJson, readJsonBody } from "@/lib/http";
import { editJudgment } from "@/lib/services/annotation";

export const dynamic = "force-dynamic";

/** POST /api/judgments/{id}/edit — a whole new answer (display terms); 200 with the new judgment. */
export const POST = apiRoute<{ id: string }>("task.annotate", async ({ request, params, ctx }) =>
  noStoreJson(await editJudgment(ctx, { judgmentId: params.id, input: await readJsonBody(request) })),
);
