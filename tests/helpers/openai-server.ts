/**
 * TEST DOUBLE — the local OpenAI-compatible server the tests start (nothing in a test
 * reaches the internet). It speaks the protocol exactly (lib/models/chat-server.ts: SSE
 * `data:` chunks, `[DONE]`, a usage chunk, n > 1, seed) and can be told to fail: 500s,
 * 429 with Retry-After, a stream cut mid-reply, a slow first token, a request that never
 * answers (timeouts), malformed JSON, redirects, per-token delays. It counts received,
 * completed and aborted requests, so a test can check that a disconnect aborted upstream.
 */
import { startChatServer, type ChatFault, type ChatRequest, type ChatServer } from "@/lib/models/chat-server";

export type { ChatFault, ChatRequest };

export interface TestOpenAIServer extends ChatServer {
  /** Faults for the next requests, in order (one per request; `null` = answer normally). */
  queueFaults(...faults: (ChatFault | null)[]): void;
  /** A fault rule consulted when the queue is empty (e.g. "every request for item X fails"). */
  setFaultRule(rule: ((request: ChatRequest, ordinal: number) => ChatFault | null) | null): void;
  /** Faults still queued. */
  pendingFaults(): number;
}

export interface TestOpenAIServerOptions {
  models?: string[];
  firstTokenDelayMs?: number;
  tokenDelayMs?: number;
  apiKey?: string;
  /** The reply text; by default a deterministic echo of the last user turn, the model and the seed. */
  reply?: (request: ChatRequest, seed: number) => string;
}

/** The default reply: deterministic in (model, last user turn, seed), so tests can predict it. */
export function echoReply(request: ChatRequest, seed: number): string {
  const last = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  return `${request.model} answers "${last.slice(0, 40)}" with seed ${seed}.`;
}

export async function startTestOpenAIServer(options: TestOpenAIServerOptions = {}): Promise<TestOpenAIServer> {
  const queue: (ChatFault | null)[] = [];
  let rule: ((request: ChatRequest, ordinal: number) => ChatFault | null) | null = null;
  const server = await startChatServer({
    models: options.models ?? ["test-model", "test-model-b"],
    firstTokenDelayMs: options.firstTokenDelayMs ?? 0,
    tokenDelayMs: options.tokenDelayMs ?? 0,
    apiKey: options.apiKey,
    reply: options.reply ?? echoReply,
    fault: (request, ordinal) => (queue.length > 0 ? (queue.shift() ?? null) : (rule?.(request, ordinal) ?? null)),
  });
  return {
    ...server,
    queueFaults: (...faults) => void queue.push(...faults),
    setFaultRule: (r) => void (rule = r),
    pendingFaults: () => queue.length,
  };
}
