"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { runAction } from "@/lib/actions";
import { actorFor } from "@/lib/auth/session";
import { addEndpoint, archiveEndpoint, testEndpointConnection } from "@/lib/services/endpoints";

export async function addEndpointAction(input: Record<string, unknown>) {
  return runAction(async () => {
    const created = await addEndpoint({ db: getDb(), actor: await actorFor("endpoint.write") }, input);
    revalidatePath("/endpoints");
    return created;
  });
}

export async function testEndpointAction(input: { name: string }) {
  return runAction(async () => {
    const result = await testEndpointConnection({ db: getDb(), actor: await actorFor("endpoint.write") }, input);
    revalidatePath("/endpoints");
    return result;
  });
}

export async function archiveEndpointAction(input: { name: string; archived: boolean }) {
  return runAction(async () => {
    const result = await archiveEndpoint({ db: getDb(), actor: await actorFor("endpoint.write") }, input);
    revalidatePath("/endpoints");
    return result;
  });
}
