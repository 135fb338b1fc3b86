import { getDb } from "@/db/client";
import { generationActor } from "@/lib/generation/route-auth";
import { noStoreJson, route } from "@/lib/http";
import { getGeneration } from "@/lib/services/generation";

export const dynamic = "force-dynamic";

/** GET /api/generations/{id} — `{state, total, done, failed, errors: [...], ratePerSecond, etaSeconds, …}`. */
export const GET = route(async (_request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { actor, id } = await generationActor((await params).id);
  const job = await getGeneration({ db: getDb(), actor }, { id });
  return noStoreJson(job);
});
