"use server";

import { serviceAction } from "@/lib/actions";
import { addEndpoint, archiveEndpoint, testEndpointConnection } from "@/lib/services/endpoints";

export async function addEndpointAction(input: Record<string, unknown>) {
  return serviceAction("endpoint.write", (ctx) => addEndpoint(ctx, input), ["/endpoints"]);
}

export async function testEndpointAction(input: { name: string }) {
  return serviceAction("endpoint.write", (ctx) => testEndpointConnection(ctx, input), ["/endpoints"]);
}

export async function archiveEndpointAction(input: { name: string; archived: boolean }) {
  return serviceAction("endpoint.write", (ctx) => archiveEndpoint(ctx, input), ["/endpoints"]);
}
