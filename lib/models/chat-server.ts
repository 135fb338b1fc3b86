/**
 * A small HTTP server that speaks the OpenAI chat-completions protocol exactly as the
 * official API does: `POST /v1/chat/completions` (streaming as SSE `data:` chunks ending in
 * `data: [DONE]`, with a usage chunk when `stream_options.include_usage` is set; or one
 * JSON body), `n`, `seed`, `max_tokens`, `stop`, errors as `{error: {message, type, code}}`,
 * and `GET /v1/models`. The demo endpoint (demo-server.ts) and the tests' protocol double
 * (tests/helpers/openai-server.ts) are both built on it; only the latter injects faults.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens, tokenize } from "@/lib/models/demo-model";

/** The request fields the server reads. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  n?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  stop?: string | string[] | null;
  temperature?: number;
  top_p?: number;
}

/** A fault the test double asks for (the demo endpoint never does). */
export type ChatFault =
  /** Answer with this status and an OpenAI-style error body (429 with `retryAfter` sets Retry-After). */
  | { kind: "status"; status: number; message?: string; retryAfter?: string }
  /** Stream `afterTokens` tokens, then destroy the socket. */
  | { kind: "cut"; afterTokens: number }
  /** Accept the request and never answer (the client's timeout must fire). */
  | { kind: "hang" }
  /** Answer 200 with a body that is not JSON (or SSE data that is not JSON). */
  | { kind: "malformed" }
  /** Answer with a redirect (clients must not follow it). */
  | { kind: "redirect"; location: string }
  /** Delay the first token by `ms` (then stream normally). */
  | { kind: "slow"; firstTokenMs: number; tokenMs?: number };

export interface ChatServerOptions {
  host?: string;
  port?: number;
  /** Model ids this server answers for (others get 404 model_not_found). */
  models: readonly string[];
  /** The reply text of one choice. */
  reply: (request: ChatRequest, seed: number) => string;
  /** Delay before the first token and between tokens, in ms (0 = none). */
  firstTokenDelayMs?: number;
  tokenDelayMs?: number;
  /** Bearer token required on every request (none required when unset). */
  apiKey?: string;
  /**
   * Called once per streamed reply with the server's own time to first token: from the
   * request's arrival to the first token's write (bench:live subtracts it from what its
   * client sees).
   */
  onFirstToken?: (request: ChatRequest, ms: number) => void;
  /** Test doubles only: the fault (if any) for the n-th request (1-based). */
  fault?: (request: ChatRequest, ordinal: number) => ChatFault | null;
}

/** Request counters (tests read them to check that a disconnect aborts upstream). */
export interface ChatServerStats {
  /** Chat requests received. */
  received: number;
  /** Requests answered completely. */
  completed: number;
  /** Requests whose client went away before the answer was complete. */
  aborted: number;
  /** Requests open right now, and the most open at once. */
  inFlight: number;
  maxInFlight: number;
  /** The parsed bodies, in arrival order (the last 1,000). */
  requests: ChatRequest[];
}

export interface ChatServer {
  /** Base URL to configure (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  port: number;
  stats: ChatServerStats;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sendError(
  res: http.ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ error: { message, type, param: null, code } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Cuts a reply at max_tokens (finish "length") or at the first stop string (finish "stop"). */
function shape(text: string, request: ChatRequest): { tokens: string[]; finish: "stop" | "length" } {
  let content = text;
  const stops = request.stop == null ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
  for (const s of stops) {
    const at = s ? content.indexOf(s) : -1;
    if (at >= 0) content = content.slice(0, at);
  }
  const tokens = tokenize(content);
  const max = request.max_completion_tokens ?? request.max_tokens;
  if (typeof max === "number" && max >= 0 && tokens.length > max) return { tokens: tokens.slice(0, max), finish: "length" };
  return { tokens, finish: "stop" };
}

/** Starts a protocol server; resolves once it listens. */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const stats: ChatServerStats = { received: 0, completed: 0, aborted: 0, inFlight: 0, maxInFlight: 0, requests: [] };
  const firstDelay = options.firstTokenDelayMs ?? 0;
  const tokenDelay = options.tokenDelayMs ?? 0;

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, error instanceof Error ? error.message : "internal error", "server_error", null);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    if (req.method === "GET" && url.pathname === "/v1/models") {
      const body = JSON.stringify({
        object: "list",
        data: options.models.map((id) => ({ id, object: "model", created: 0, owned_by: "arbiter-demo" })),
      });
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(body);
    }
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") {
      return sendError(res, 404, `Unknown request URL: ${req.method} ${url.pathname}`, "invalid_request_error", "unknown_url");
    }
    let request: ChatRequest;
    try {
      request = JSON.parse(await readBody(req, 8 * 1024 * 1024)) as ChatRequest;
    } catch {
      return sendError(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    }
    if (!request || typeof request.model !== "string" || !Array.isArray(request.messages) || request.messages.length === 0) {
      return sendError(res, 400, "'messages' and 'model' are required properties", "invalid_request_error", null);
    }
    if (!options.models.includes(request.model)) {
      return sendError(res, 404, `The model \`${request.model}\` does not exist.`, "invalid_request_error", "model_not_found");
    }
    const n = request.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 16) return sendError(res, 400, "'n' must be between 1 and 16", "invalid_request_error", null);

    stats.received++;
    stats.requests.push(request);
    if (stats.requests.length > 1000) stats.requests.shift();
    const fault = options.fault?.(request, stats.received) ?? null;

    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let finished = false;
    res.on("close", () => {
      stats.inFlight--;
      if (finished) stats.completed++;
      else stats.aborted++;
    });
    const closed = () => res.destroyed || res.writableEnded || req.socket.destroyed;

    if (fault?.kind === "status") {
      finished = true;
      return sendError(
        res,
        fault.status,
        fault.message ?? `injected ${fault.status}`,
        fault.status === 429 ? "rate_limit_exceeded" : "server_error",
        null,
        fault.retryAfter ? { "retry-after": fault.retryAfter } : {},
      );
    }
    if (fault?.kind === "redirect") {
      finished = true;
      res.writeHead(307, { location: fault.location, "content-length": 0 });
      return void res.end();
    }
    if (fault?.kind === "hang") return; // the socket stays open until the client gives up

    const id = `chatcmpl-${randomBytes(12).toString("hex")}`;
    const created = Math.floor(Date.now() / 1000);
    const baseSeed = typeof request.seed === "number" ? request.seed : randomBytes(4).readUInt32BE(0);
    const choices = Array.from({ length: n }, (_, i) => shape(options.reply(request, baseSeed + i), request));
    const promptTokens = request.messages.reduce((sum, m) => sum + countTokens(String(m.content ?? "")), 0);
    const completionTokens = choices.reduce((sum, c) => sum + c.tokens.length, 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    const head = { id, created, model: request.model, system_fingerprint: "fp_arbiter_demo" };

    if (!request.stream) {
      if (fault?.kind === "slow") await sleep(fault.firstTokenMs);
      else if (firstDelay > 0) await sleep(firstDelay);
      if (closed()) return;
      if (fault?.kind === "malformed") {
        finished = true;
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(
          `{"id": "${id}", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": "unterminated`,
        );
      }
      const body = JSON.stringify({
        ...head,
        object: "chat.completion",
        choices: choices.map((c, index) => ({
          index,
          message: { role: "assistant", content: c.tokens.join(""), refusal: null },
          logprobs: null,
          finish_reason: c.finish,
        })),
        usage,
      });
      finished = true;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      return void res.end(body);
    }

    const includeUsage = request.stream_options?.include_usage === true;
    const chunk = (choicesPart: unknown[], withUsage: unknown = includeUsage ? null : undefined) =>
      `data: ${JSON.stringify({ ...head, object: "chat.completion.chunk", choices: choicesPart, ...(withUsage === undefined ? {} : { usage: withUsage }) })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();

    const first = fault?.kind === "slow" ? fault.firstTokenMs : firstDelay;
    const between = fault?.kind === "slow" ? (fault.tokenMs ?? tokenDelay) : tokenDelay;
    const cutAfter = fault?.kind === "cut" ? fault.afterTokens : Infinity;
    const opening = choices.map((_, index) => ({ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }));
    const maxLen = Math.max(...choices.map((c) => c.tokens.length));

    if (first === 0 && between === 0 && cutAfter === Infinity && fault?.kind !== "malformed") {
      // No delays: the whole stream in one write (the benchmark's zero-delay endpoint).
      let out = chunk(opening);
      for (let t = 0; t < maxLen; t++) {
        out += chunk(
          choices.flatMap((c, index) =>
            t < c.tokens.length ? [{ index, delta: { content: c.tokens[t] }, logprobs: null, finish_reason: null }] : [],
          ),
        );
      }
      out += chunk(choices.map((c, index) => ({ index, delta: {}, logprobs: null, finish_reason: c.finish })));
      if (includeUsage) out += chunk([], usage);
      out += "data: [DONE]\n\n";
      finished = true;
      options.onFirstToken?.(request, performance.now() - arrived);
      return void res.end(out);
    }

    res.write(chunk(opening));
    if (first > 0) await sleep(first);
    let sent = 0;
    for (let t = 0; t < maxLen; t++) {
      if (closed()) return;
      if (sent >= cutAfter) {
        res.destroy();
        return;
      }
      if (fault?.kind === "malformed" && t === 1) {
        res.write(`data: {"id": "${id}", "choices": [{"index": 0, "delta": {"content": \n\n`);
        continue;
      }
      res.write(
        chunk(
          choices.flatMap((c, index) =>
            t < c.tokens.length ? [{ index, delta: { content: c.tokens[t] }, logprobs: null, finish_reason: null }] : [],
          ),
        ),
      );
      if (sent++ === 0) options.onFirstToken?.(request, performance.now() - arrived);
      if (between > 0 && t < maxLen - 1) await sleep(between);
    }
    if (closed()) return;
    if (sent >= cutAfter) {
      res.destroy();
      return;
    }
    let tail = chunk(choices.map((c, index) => ({ index, delta: {}, logprobs: null, finish_reason: c.finish })));
    if (includeUsage) tail += chunk([], usage);
    tail += "data: [DONE]\n\n";
    finished = true;
    res.end(tail);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? "127.0.0.1";
  return {
    baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/v1`,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
