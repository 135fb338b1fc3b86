import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { actorFor } from "@/lib/auth/session";
import { readJsonBody, route } from "@/lib/http";
import { archiveEndpoint, updateEndpoint } from "@/lib/services/endpoints";

export const dynamic = "force-dynamic";

/**
 * PUT /api/endpoints/{name} — changes an endpoint (admins; session only, as adding one): the
 * body is the whole registration (`newName` renames); the SSRF rules apply to the new URL.
 */
export const PUT = route(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const actor = await actorFor("endpoint.write");
  const body = (await readJsonBody(request)) as Record<string, unknown>;
  const endpoint = await updateEndpoint({ db: getDb(), actor }, { ...body, name: (await params).name });
  return NextResponse.json(endpoint);
});

/** PATCH /api/endpoints/{name} `{archived: boolean}` — archives or restores an endpoint (admins). */
export const PATCH = route(async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
  const actor = await actorFor("endpoint.write");
  const body = (await readJsonBody(request)) as { archived?: unknown };
  const endpoint = await archiveEndpoint({ db: getDb(), actor }, { name: (await params).name, archived: body.archived === true });
  return NextResponse.json(endpoint);
});
