import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { generationActor } from "@/lib/generation/route-auth";
import { noStoreJson, readJsonBody, route } from "@/lib/http";
import { retryGeneration } from "@/lib/services/generation";

export const dynamic = "force-dynamic";

/** POST /api/generations/{id}/retry — `{unitIds?: number[]}`: queues failed samples again (all, or these). */
export const POST = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { actor, id } = await generationActor((await params).id);
  const body = ((await readJsonBody(request)) ?? {}) as { unitIds?: unknown };
  if (
    body.unitIds !== undefined &&
    !(Array.isArray(body.unitIds) && body.unitIds.every((n) => Number.isSafeInteger(n) && (n as number) > 0))
  ) {
    throw new AppError("VALIDATION", "unitIds: must be a list of unit ids", { unitIds: ["must be a list of unit ids"] });
  }
  const job = await retryGeneration({ db: getDb(), actor }, { id, unitIds: body.unitIds as number[] | undefined });
  return noStoreJson(job);
});
