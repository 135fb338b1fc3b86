/**
 * Model endpoints: admins register, change, test and archive them (the app calls their
 * URLs, so this is the SSRF surface); staff list them to choose for generation. An API
 * key is never stored: the endpoint names the environment variable that holds it, and
 * that name is shown to admins only.
 */
import type { z } from "zod";
import type { Db } from "@/db/client";
import {
  getEndpointByName,
  insertEndpoint,
  listEndpointRows,
  setEndpointCapabilities,
  updateEndpointRow,
  upsertDemoEndpoints,
} from "@/db/queries/endpoints";
import type { EndpointCapabilities, ModelEndpoint } from "@/db/schema/models";
import { can } from "@/lib/auth/permissions";
import { AppError, conflictError, forbiddenError, notFoundError, postgresErrorOf } from "@/lib/errors";
import { assertEndpointUrlAllowed, BlockedAddressError, privateEndpointsAllowed, testEndpoint, type EndpointTarget } from "@/lib/models";
import { DEMO_ENDPOINTS } from "@/lib/models/demo-server";
import { EndpointInput } from "@/lib/validation/endpoints";
import { parseInput } from "@/lib/validation/parse";
import { recordAudit } from "./audit";
import type { ServiceContext, CliContext } from "./context";

/** Actor null = the command line (an operator with shell access to the server). */
type Ctx = ServiceContext | CliContext;

function audit(ctx: Ctx, entry: Parameters<typeof recordAudit>[1]): Promise<void> {
  return ctx.actor ? recordAudit(ctx, entry) : Promise.resolve();
}

/** An endpoint as the UI, API and CLI show it. */
export type EndpointView = {
  id: number;
  name: string;
  baseUrl: string;
  model: string;
  /** The environment variable's NAME (admins only; null for others and when there is none). */
  apiKeyEnv: string | null;
  hasApiKey: boolean;
  params: ModelEndpoint["params"];
  timeoutS: number;
  concurrency: number;
  rpm: number | null;
  capabilities: EndpointCapabilities | null;
  isDemo: boolean;
  archived: boolean;
};

function viewOf(row: ModelEndpoint, admin: boolean): EndpointView {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    model: row.model,
    apiKeyEnv: admin ? row.apiKeyEnv : null,
    hasApiKey: row.apiKeyEnv !== null,
    params: row.params,
    timeoutS: Math.round(row.timeoutMs / 1000),
    concurrency: row.concurrency,
    rpm: row.rpm,
    capabilities: row.capabilities,
    isDemo: row.isDemo,
    archived: row.archivedAt !== null,
  };
}

/** What the model client needs of a row. */
export function targetOf(row: ModelEndpoint): EndpointTarget {
  return {
    name: row.name,
    baseUrl: row.baseUrl,
    model: row.model,
    apiKeyEnv: row.apiKeyEnv,
    params: row.params,
    timeoutMs: row.timeoutMs,
    isDemo: row.isDemo,
    capabilities: row.capabilities,
  };
}

/** The SSRF check of a base URL at registration, with the field named. */
function checkUrl(baseUrl: string): void {
  try {
    assertEndpointUrlAllowed(baseUrl, { allowPrivate: privateEndpointsAllowed() });
  } catch (error) {
    const message = error instanceof BlockedAddressError || error instanceof TypeError ? error.message : String(error);
    throw new AppError("VALIDATION", `baseUrl: ${message}`, { baseUrl: [message] });
  }
}

/** Endpoints (not archived unless asked), for anyone with "endpoint.read". */
export async function listEndpoints(ctx: Ctx, input: { includeArchived?: boolean } = {}): Promise<EndpointView[]> {
  if (ctx.actor && !can(ctx.actor.role, "endpoint.read")) throw forbiddenError();
  const admin = !ctx.actor || can(ctx.actor.role, "endpoint.write");
  return (await listEndpointRows(ctx.db, input)).map((r) => viewOf(r, admin));
}

/** Registers an endpoint (admins). The URL is checked against the SSRF rules now and again at every connection. */
export async function addEndpoint(ctx: Ctx, input: unknown): Promise<EndpointView> {
  if (ctx.actor && !can(ctx.actor.role, "endpoint.write")) throw forbiddenError("Only admins add model endpoints.");
  const v = parseInput(EndpointInput, input);
  checkUrl(v.baseUrl);
  return writeEndpoint(ctx, "endpoint.create", v.name, () =>
    insertEndpoint(ctx.db, { ...rowFieldsOf(v), createdBy: ctx.actor?.id ?? null }),
  );
}

/** The stored fields of a validated endpoint input. */
function rowFieldsOf(v: z.output<typeof EndpointInput>) {
  return {
    name: v.name,
    baseUrl: v.baseUrl,
    model: v.model,
    apiKeyEnv: v.apiKeyEnv ?? null,
    params: v.params,
    timeoutMs: v.timeoutS * 1000,
    concurrency: v.concurrency,
    rpm: v.rpm ?? null,
  };
}

/** Writes an endpoint row and audits it; a name taken already is a conflict that names it. */
async function writeEndpoint(
  ctx: Ctx,
  action: "endpoint.create" | "endpoint.update",
  name: string,
  write: () => Promise<ModelEndpoint>,
): Promise<EndpointView> {
  try {
    const row = await write();
    await audit(ctx, {
      action,
      targetType: "endpoint",
      targetId: row.id,
      details: { name: row.name, baseUrl: row.baseUrl, model: row.model },
    });
    return viewOf(row, true);
  } catch (error) {
    if (postgresErrorOf(error)?.code === "23505") throw conflictError(`An endpoint named "${name}" exists already.`);
    throw error;
  }
}

/** Changes an endpoint (admins); every field is replaced by the input's. Capabilities are cleared: test again. */
export async function updateEndpoint(ctx: Ctx, input: { name: string } & Record<string, unknown>): Promise<EndpointView> {
  if (ctx.actor && !can(ctx.actor.role, "endpoint.write")) throw forbiddenError("Only admins change model endpoints.");
  const row = await getEndpointByName(ctx.db, String(input.name ?? ""));
  if (!row) throw notFoundError(`The endpoint "${String(input.name)}"`);
  if (row.isDemo) throw conflictError("The built-in demo endpoints are managed by the app.");
  const v = parseInput(EndpointInput, { ...input, name: input.newName ?? input.name });
  checkUrl(v.baseUrl);
  return writeEndpoint(ctx, "endpoint.update", v.name, () =>
    updateEndpointRow(ctx.db, row.id, {
      ...rowFieldsOf(v),
      capabilities: row.baseUrl === v.baseUrl && row.model === v.model ? row.capabilities : null,
    }),
  );
}

/** Archives (or restores) an endpoint: it takes no new jobs; its candidates keep pointing at it. */
export async function archiveEndpoint(ctx: Ctx, input: { name: string; archived: boolean }): Promise<EndpointView> {
  if (ctx.actor && !can(ctx.actor.role, "endpoint.write")) throw forbiddenError("Only admins archive model endpoints.");
  const row = await getEndpointByName(ctx.db, input.name);
  if (!row) throw notFoundError(`The endpoint "${input.name}"`);
  const updated = await updateEndpointRow(ctx.db, row.id, { archivedAt: input.archived ? new Date() : null });
  await audit(ctx, {
    action: "endpoint.archive",
    targetType: "endpoint",
    targetId: row.id,
    details: { name: row.name, archived: input.archived },
  });
  return viewOf(updated, true);
}

/**
 * "Test connection" (admins): one-token requests that find what the endpoint honours;
 * the result is stored so that generation adapts. An unreachable endpoint is a result
 * (with `error`), not a failure of this call.
 */
export async function testEndpointConnection(ctx: Ctx, input: { name: string }): Promise<EndpointCapabilities> {
  if (ctx.actor && !can(ctx.actor.role, "endpoint.write")) throw forbiddenError("Only admins test model endpoints.");
  const row = await getEndpointByName(ctx.db, input.name);
  if (!row) throw notFoundError(`The endpoint "${input.name}"`);
  const capabilities = await testEndpoint(targetOf(row));
  await setEndpointCapabilities(ctx.db, row.id, capabilities);
  return capabilities;
}

/**
 * Registers the built-in demo endpoints at the demo server's URL (the embedded default;
 * no actor: the app does it at start-up). Their capabilities are known: the demo server
 * honours everything.
 */
export async function registerDemoEndpoints(db: Db, baseUrl: string): Promise<void> {
  await upsertDemoEndpoints(db, DEMO_ENDPOINTS, baseUrl, {
    streaming: true,
    n: true,
    seed: true,
    streamUsage: true,
    testedAt: new Date().toISOString(),
    latencyMs: null,
    error: null,
  });
}
