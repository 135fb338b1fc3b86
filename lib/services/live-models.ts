/**
 * The one implementation of the live stream's reply source: a registered endpoint (issue
 * "Models in the loop, part 1") through the one client (lib/models/client.ts, the `openai`
 * package with the SSRF guard), streaming, aborted with the stream's signal.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelEndpoints, type ModelEndpoint } from "@/db/schema";
import { modelClient } from "@/lib/models/client";
import { targetOf } from "./endpoints";
import type { GeneratedReply, ReplySource } from "./live-stream";

/** Endpoint rows are read at most this often per process: every slot of every turn needs one. */
const ENDPOINT_TTL_MS = 5_000;
const cache = new Map<number, { row: ModelEndpoint; at: number }>();

async function endpointRow(db: Db, id: number): Promise<ModelEndpoint> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < ENDPOINT_TTL_MS) return hit.row;
  const [row] = await db.select().from(modelEndpoints).where(eq(modelEndpoints.id, id));
  if (!row) throw new Error(`endpoint ${id} is no longer registered`);
  cache.set(id, { row, at: Date.now() });
  return row;
}

/** Streams one reply from a registered endpoint (see the module comment). */
export function liveReplySource(db: Db): ReplySource {
  return async ({ endpointId, messages, seed, signal, onDelta }): Promise<GeneratedReply> => {
    const row = await endpointRow(db, endpointId);
    const client = modelClient(targetOf(row));
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
  };
}
