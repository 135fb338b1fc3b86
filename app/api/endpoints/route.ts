import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { actorFor } from "@/lib/auth/session";
import { noStoreJson, readJsonBody, route } from "@/lib/http";
import { addEndpoint, listEndpoints } from "@/lib/services/endpoints";

export const dynamic = "force-dynamic";

/** GET /api/endpoints — the model endpoints (staff; the key variable's name to admins only, never a key). */
export const GET = route(async () => {
  const actor = await actorFor("endpoint.read");
  return noStoreJson({ endpoints: await listEndpoints({ db: getDb(), actor }) });
});

/** POST /api/endpoints — registers an endpoint (admins; session only: an SSRF surface stays off tokens). */
export const POST = route(async (request: Request) => {
  const actor = await actorFor("endpoint.write");
  const endpoint = await addEndpoint({ db: getDb(), actor }, await readJsonBody(request));
  return NextResponse.json(endpoint, { status: 201 });
});
