import { getDb } from "@/db/client";
import { actorFor } from "@/lib/auth/session";
import { noStoreJson, route } from "@/lib/http";
import { testEndpointConnection } from "@/lib/services/endpoints";

export const dynamic = "force-dynamic";

/** POST /api/endpoints/{name}/test — "Test connection": what the endpoint honours (admins). */
export const POST = route(async (_request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const actor = await actorFor("endpoint.write");
  const capabilities = await testEndpointConnection({ db: getDb(), actor }, { name: (await params).name });
  return noStoreJson(capabilities);
});
