/**
 * The stream of a live turn: replays the replies already stored, generates the ones that
 * are missing (a new turn, a regenerate, a slot that failed, or a generation cut off by a
 * reload or a restart) from the slot's endpoint, and stores each one as soon as it
 * completes. Generation is tied to the request that watches it: when the client goes
 * away, `signal` aborts every upstream request of the stream, so nothing is generated
 * for nobody and no request is left open at the endpoint.
 *
 * Events (docs/api.md): `candidate.delta {label, text}`, `candidate.done {label,
 * finishReason}`, `candidate.error {label, message}`, `turn.ready {turnId}` once every
 * slot holds a reply.
 */
import { insertNode, listTurnNodes, lockTurn } from "@/db/queries/live";
import type { LiveNodeRow } from "@/db/schema";
import { buildPrompt, type ChatMessage } from "@/lib/domain/export";
import { indexNodes, liveTurnItem, sessionLanguage, type LiveSessionExport } from "@/lib/domain/live";
import type { ScalePoints } from "@/lib/domain/preference";
import { notFoundError } from "@/lib/errors";
import type { ServiceContext } from "./context";
import { currentOfSlot, ownSessionWithRecords, parseId, toLiveTree } from "./live";

/** One event of a turn's stream. */
export type LiveStreamEvent =
  | { event: "candidate.delta"; data: { label: string; text: string } }
  | {
      event: "candidate.done";
      data: { label: string; finishReason: string | null; completionTokens: number | null; seconds: number | null };
    }
  | { event: "candidate.error"; data: { label: string; message: string } }
  | { event: "turn.ready"; data: { turnId: number } };

/** What one generation asks of an endpoint. */
export interface ReplyRequest {
  readonly endpointId: number;
  readonly messages: ChatMessage[];
  readonly seed: number;
  readonly signal: AbortSignal;
  /** Called with each piece of text as it arrives. */
  readonly onDelta: (text: string) => void;
}

/** A completed reply and its generation record. */
export interface GeneratedReply {
  readonly text: string;
  readonly endpointName: string;
  readonly model: string;
  readonly params: Record<string, unknown>;
  readonly seed: number | null;
  readonly finishReason: string | null;
  readonly responseId: string | null;
  readonly promptTokens: number | null;
  readonly completionTokens: number | null;
  readonly ttftMs: number | null;
  readonly totalMs: number;
}

/** Generates one reply from a registered endpoint (lib/services/live-models.ts is the one implementation). */
export type ReplySource = (request: ReplyRequest) => Promise<GeneratedReply>;

/** The seed of a slot's k-th generation: fixed by the session, so a session's requests are reproducible. */
export function slotSeed(sessionSeed: number, turnId: number, slot: number, attempt: number): number {
  return (sessionSeed + turnId * 1_009 + slot * 101 + attempt * 7) % 2_147_483_647;
}

/**
 * The messages a turn's endpoints are asked: the same prompt builder, on the same item, as
 * the export writes for the turn, so what a model was asked and what a trainer sees are
 * the same messages.
 */
export function turnPromptMessages(session: LiveSessionExport, turnId: string): ChatMessage[] {
  const byId = indexNodes(session.tree.nodes);
  const turn = session.tree.turns.find((t) => t.id === turnId);
  if (!turn) throw new Error(`turn ${turnId} is not in the session`);
  const language = sessionLanguage(session);
  const prompt = buildPrompt(liveTurnItem(session, byId, turn, language), language);
  if (!prompt.ok) throw new Error(`turn ${turnId} has no prompt (${prompt.reason})`);
  return prompt.messages;
}

/**
 * Streams a turn's replies to its annotator (see the module comment). The generator ends
 * when every slot has settled (replied or failed) or when `signal` aborts.
 */
export async function* streamLiveTurn(
  ctx: ServiceContext,
  params: { sessionId: unknown; turnId: unknown },
  signal: AbortSignal,
  source: ReplySource,
): AsyncGenerator<LiveStreamEvent> {
  const sessionId = parseId(params.sessionId, "The session");
  const turnId = parseId(params.turnId, "The turn");
  // One statement before the first upstream request: the session, its project and every record.
  const { context: c, records } = await ownSessionWithRecords(ctx, sessionId);
  const turn = records.turns.find((t) => t.id === turnId);
  if (!turn) throw notFoundError("The turn");
  const own = records.nodes.filter((n) => n.turnId === turnId);
  const judgment = records.judgments.find((j) => j.turnId === turnId);

  const labels = turn.labels;
  const pending: number[] = [];
  for (let slot = 0; slot < labels.length; slot++) {
    const label = labels[slot]!;
    const judgedId = judgment?.candidateNodeIds[slot];
    const current = judgedId !== undefined ? (own.find((n) => n.id === judgedId) ?? null) : currentOfSlot(own, slot);
    const regenerating = !turn.judged && current !== null && records.regenerations.some((r) => r.replacesNodeId === current.id);
    if (current && !regenerating) {
      yield { event: "candidate.delta", data: { label, text: current.text } };
      yield done(label, current);
    } else if (!turn.judged && c.session.state === "active") {
      pending.push(slot);
    } else {
      yield { event: "candidate.error", data: { label, message: "This reply was never completed." } };
    }
  }
  if (pending.length === 0) {
    if (labels.every((_, slot) => own.some((n) => n.kind === "candidate" && n.slot === slot)))
      yield { event: "turn.ready", data: { turnId } };
    return;
  }

  const session: LiveSessionExport = {
    sessionId: String(sessionId),
    character: { name: c.character.name, profile: c.character.profile },
    scene: c.session.scene,
    userRole: c.session.userRole,
    scalePoints: c.project.scalePoints as ScalePoints,
    tree: toLiveTree(c.session, records),
  };
  const messages = turnPromptMessages(session, String(turnId));

  // Generations push their events into one queue; this generator drains it in order.
  const queue: LiveStreamEvent[] = [];
  let wake: (() => void) | null = null;
  const push = (e: LiveStreamEvent) => {
    queue.push(e);
    wake?.();
  };
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  controller.signal.addEventListener("abort", () => wake?.(), { once: true });
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener("abort", onAbort, { once: true });

  let failed = 0;
  let settled = 0;
  const runs = pending.map(async (slot) => {
    const label = labels[slot]!;
    const startedFrom = currentOfSlot(own, slot);
    const attempt = own.filter((n) => n.kind === "candidate" && n.slot === slot).length;
    try {
      const reply = await source({
        endpointId: turn.slotEndpointIds[slot]!,
        messages,
        seed: slotSeed(c.session.seed, turnId, slot, attempt),
        signal: controller.signal,
        onDelta: (text) => {
          if (text !== "" && !controller.signal.aborted) push({ event: "candidate.delta", data: { label, text } });
        },
      });
      if (controller.signal.aborted) return;
      const stored = await storeReply(ctx, { sessionId, turnId, slot, startedFrom, reply });
      push(done(label, stored));
    } catch (error) {
      if (controller.signal.aborted) return;
      failed++;
      push({ event: "candidate.error", data: { label, message: errorMessage(error) } });
    } finally {
      settled++;
      wake?.();
    }
  });

  try {
    while (settled < runs.length || queue.length > 0) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (queue.length > 0 || settled >= runs.length || controller.signal.aborted) resolve();
        });
        wake = null;
        if (controller.signal.aborted) break;
        continue;
      }
      yield queue.shift()!;
    }
    if (!controller.signal.aborted && failed === 0) yield { event: "turn.ready", data: { turnId } };
  } finally {
    // The consumer stopped (the client went away) or every slot settled: no generation outlives the stream.
    controller.abort(new Error("stream closed"));
    signal.removeEventListener("abort", onAbort);
    await Promise.allSettled(runs);
  }
}

function done(label: string, node: Pick<LiveNodeRow, "finishReason" | "completionTokens" | "totalMs">): LiveStreamEvent {
  return {
    event: "candidate.done",
    data: {
      label,
      finishReason: node.finishReason,
      completionTokens: node.completionTokens,
      seconds: node.totalMs === null ? null : Math.round(node.totalMs) / 1000,
    },
  };
}

/**
 * Stores a completed reply under the turn's lock. When the slot changed meanwhile (another
 * stream of the same turn stored its reply first) or the turn was judged, nothing is
 * stored and the reply the slot holds is returned.
 */
async function storeReply(
  ctx: ServiceContext,
  p: { sessionId: number; turnId: number; slot: number; startedFrom: LiveNodeRow | null; reply: GeneratedReply },
): Promise<LiveNodeRow> {
  return ctx.db.transaction(async (tx) => {
    const turn = await lockTurn(tx, p.turnId);
    const nodes = await listTurnNodes(tx, p.turnId);
    const current = currentOfSlot(nodes, p.slot);
    if (!turn || turn.judged || (current?.id ?? null) !== (p.startedFrom?.id ?? null)) {
      if (current) return current;
      throw new Error("the turn was closed before this reply completed");
    }
    const user = nodes.find((n) => n.kind === "user")!;
    return insertNode(tx, {
      sessionId: p.sessionId,
      parentId: user.id,
      turnId: p.turnId,
      kind: "candidate",
      slot: p.slot,
      text: p.reply.text,
      endpointId: turn.slotEndpointIds[p.slot] ?? null,
      endpointName: p.reply.endpointName,
      model: p.reply.model,
      params: p.reply.params,
      seed: p.reply.seed,
      finishReason: p.reply.finishReason,
      responseId: p.reply.responseId,
      promptTokens: p.reply.promptTokens,
      completionTokens: p.reply.completionTokens,
      ttftMs: p.reply.ttftMs,
      totalMs: p.reply.totalMs,
    });
  });
}

/** A message safe to show the annotator: the endpoint's error kind, never a URL, key or model name. */
function errorMessage(error: unknown): string {
  const e = error as { kind?: unknown; status?: unknown; message?: unknown };
  if (typeof e?.kind === "string") {
    const status = typeof e.status === "number" ? ` (HTTP ${e.status})` : "";
    return `The model endpoint failed: ${e.kind.replace(/_/g, " ")}${status}. Retry this reply.`;
  }
  return "The model endpoint failed. Retry this reply.";
}
