import { asc, eq, inArray, isNull, and, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelEndpoints, type EndpointCapabilities, type ModelEndpoint, type NewModelEndpoint } from "@/db/schema/models";

export async function listEndpointRows(db: Db, options: { includeArchived?: boolean } = {}): Promise<ModelEndpoint[]> {
  return db
    .select()
    .from(modelEndpoints)
    .where(options.includeArchived ? undefined : isNull(modelEndpoints.archivedAt))
    .orderBy(asc(modelEndpoints.isDemo), asc(modelEndpoints.name));
}

export async function getEndpointByName(db: Db, name: string): Promise<ModelEndpoint | undefined> {
  const [row] = await db.select().from(modelEndpoints).where(eq(modelEndpoints.name, name));
  return row;
}

export async function getEndpointsByNames(db: Db, names: string[]): Promise<ModelEndpoint[]> {
  if (names.length === 0) return [];
  return db.select().from(modelEndpoints).where(inArray(modelEndpoints.name, names));
}

export async function insertEndpoint(db: Db, row: NewModelEndpoint): Promise<ModelEndpoint> {
  const [created] = await db.insert(modelEndpoints).values(row).returning();
  return created!;
}

export async function updateEndpointRow(db: Db, id: number, patch: Partial<NewModelEndpoint>): Promise<ModelEndpoint> {
  const [updated] = await db
    .update(modelEndpoints)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(modelEndpoints.id, id))
    .returning();
  return updated!;
}

export async function setEndpointCapabilities(db: Db, id: number, capabilities: EndpointCapabilities): Promise<void> {
  await db.update(modelEndpoints).set({ capabilities, updatedAt: sql`now()` }).where(eq(modelEndpoints.id, id));
}

/**
 * Registers (or re-points) the built-in demo endpoints at the demo server's current URL.
 * Only rows marked demo are touched: an admin's endpoint of the same name is left alone.
 */
export async function upsertDemoEndpoints(
  db: Db,
  endpoints: readonly { name: string; model: string }[],
  baseUrl: string,
  capabilities: EndpointCapabilities,
): Promise<void> {
  for (const e of endpoints) {
    await db
      .insert(modelEndpoints)
      .values({
        name: e.name,
        baseUrl,
        model: e.model,
        isDemo: true,
        concurrency: 8,
        timeoutMs: 60_000,
        params: { temperature: 0.8, max_tokens: 200 },
        capabilities,
      })
      .onConflictDoUpdate({
        target: modelEndpoints.name,
        set: { baseUrl, model: e.model, capabilities, archivedAt: null, updatedAt: sql`now()` },
        setWhere: and(eq(modelEndpoints.isDemo, true)),
      });
  }
}
