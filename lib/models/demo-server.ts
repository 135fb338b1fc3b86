/**
 * The built-in demo endpoint: a protocol server (chat-server.ts) whose "models" are the
 * template writers of demo-model.ts. `npm run dev` starts it on loopback and registers
 * it as demo endpoints, so a new user sees generation and streaming work with no GPU and
 * no network. Everything it writes is labelled a demo model wherever it appears.
 */
import { startChatServer, type ChatServer, type ChatServerOptions } from "@/lib/models/chat-server";
import { DEMO_MODELS, demoReply, isDemoModel } from "@/lib/models/demo-model";

export interface DemoEndpointOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** ms before the first token (default 120) and between tokens (default 18): it reads like a model streaming. */
  firstTokenDelayMs?: number;
  tokenDelayMs?: number;
  /** The server's own time to first token of each streamed reply (see chat-server.ts). */
  onFirstToken?: ChatServerOptions["onFirstToken"];
}

/** Starts the demo endpoint. */
export function startDemoEndpoint(options: DemoEndpointOptions = {}): Promise<ChatServer> {
  return startChatServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    models: DEMO_MODELS,
    firstTokenDelayMs: options.firstTokenDelayMs ?? 120,
    tokenDelayMs: options.tokenDelayMs ?? 18,
    onFirstToken: options.onFirstToken,
    reply: (request, seed) => (isDemoModel(request.model) ? demoReply(request.model, request.messages, seed) : ""),
  });
}

/** The demo endpoints registered by the embedded default: name, model and label. */
export const DEMO_ENDPOINTS = [
  { name: "demo-model-strong", model: "arbiter-demo-strong", label: "demo model (stronger)" },
  { name: "demo-model-plain", model: "arbiter-demo-plain", label: "demo model (plain)" },
  { name: "demo-model-weak", model: "arbiter-demo-weak", label: "demo model (weaker)" },
] as const;
