/**
 * The one implementation of the live stream's reply source: a registered endpoint (issue
 * "Models in the loop, part 1") through the one client (lib/models/client.ts, the `openai`
 * package with the SSRF guard), streaming, aborted with the stream's signal.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelEndpoints, type ModelEndpoint } from "@/db/schema";
import { modelClient, type ModelClient } from "@/lib/models/client";
import { targetOf } from "./endpoints";
import type { GeneratedReply, ReplyRequest, ReplySource } from "./live-stream";

/** Endpoint rows are read at most this often per process: every slot of every turn needs one. */
const ENDPOINT_TTL_MS = 5_000;
const cache = new Map<number, { row: ModelEndpoint; client: ModelClient; at: number }>();

/** The endpoint's row and a client for it, both kept as long as the row (a client is reusable). */
async function endpointOf(db: Db, id: number): Promise<{ row: ModelEndpoint; client: ModelClient }> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < ENDPOINT_TTL_MS) return hit;
  const [row] = await db.select().from(modelEndpoints).where(eq(modelEndpoints.id, id));
  if (!row) throw new Error(`endpoint ${id} is no longer registered`);
  const entry = { row, client: modelClient(targetOf(row)), at: Date.now() };
  cache.set(id, entry);
  return entry;
}

/**
 * `work`, settled as soon as `signal` aborts. On a machine starved of CPU an aborted
 * streaming request's iteration now and then never settles, and the turn stream awaits
 * every generation before it ends: a generation settles when its stream is abandoned
 * (bench:live's leak check counts whatever the endpoint still finishes for nobody).
 */
function settledOnAbort<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Streams one reply from a registered endpoint (see the module comment). */
export function liveReplySource(db: Db): ReplySource {
  return (request) => settledOnAbort(request.signal, () => generate(db, request));
}

async function generate(db: Db, { endpointId, messages, seed, signal, onDelta }: ReplyRequest): Promise<GeneratedReply> {
  const { row, client } = await endpointOf(db, endpointId);
  for await (const event of client.stream(messages, { seed, signal })) {
    if (event.type === "delta") {
      onDelta(event.content);
      continue;
    }
    const reply = event.reply;
    const choice = reply.choices[0];
    return {
      text: choice?.content ?? "",
      endpointName: row.name,
      model: row.model,
      params: reply.params as Record<string, unknown>,
      seed: reply.seed,
      finishReason: choice?.finishReason ?? null,
      responseId: reply.responseId,
      promptTokens: reply.usage?.promptTokens ?? null,
      completionTokens: reply.usage?.completionTokens ?? null,
      ttftMs: reply.ttftMs,
      totalMs: reply.totalMs,
    };
  }
  throw new Error("the stream ended without a reply");
}
