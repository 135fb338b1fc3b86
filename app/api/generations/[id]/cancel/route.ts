import { getDb } from "@/db/client";
import { generationActor } from "@/lib/generation/route-auth";
import { noStoreJson, route } from "@/lib/http";
import { cancelGeneration } from "@/lib/services/generation";

export const dynamic = "force-dynamic";

/** POST /api/generations/{id}/cancel — answers the job as GET /api/generations/{id} does. */
export const POST = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { actor, id } = await generationActor((await params).id);
  const job = await cancelGeneration({ db: getDb(), actor }, { id });
  return noStoreJson(job);
});
