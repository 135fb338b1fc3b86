/**
 * The one client for every model endpoint: OpenAI's own `openai` package with the
 * endpoint's base URL. No hand-rolled SSE parsing: streams are the package's async
 * iterator. Its connections go through an undici Agent whose `lookup` is the SSRF guard,
 * redirects are never followed, and every request carries an AbortSignal and a deadline.
 */
import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionCreateParams } from "openai/resources/chat/completions";
import { Agent, fetch as undiciFetch } from "undici";
import type { EndpointCapabilities, SamplingParams } from "@/db/schema/models";
import { EndpointError, toEndpointError } from "@/lib/models/errors";
import { assertEndpointUrlAllowed, BlockedAddressError, guardedLookup, privateEndpointsAllowed } from "@/lib/models/ssrf";

/** A message sent to the endpoint (system, then the dialogue). */
export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** What the client needs to know of an endpoint (a `model_endpoints` row fits). */
export interface EndpointTarget {
  name: string;
  baseUrl: string;
  model: string;
  apiKeyEnv: string | null;
  params: SamplingParams;
  timeoutMs: number;
  isDemo: boolean;
  capabilities: EndpointCapabilities | null;
}

/** Per-request options. */
export interface SampleOptions {
  /** Overrides of the endpoint's default sampling parameters. */
  params?: SamplingParams;
  /** Seed to send (overrides params.seed); left out when the endpoint does not honour seeds. */
  seed?: number | null;
  /** Choices to ask for (n); only sent when > 1. */
  n?: number;
  /** Aborts the request (and closes the upstream connection). */
  signal?: AbortSignal;
  /** Whole-request deadline in ms (connect → last token); the endpoint's timeout by default. */
  timeoutMs?: number;
  /** Retries of the package itself on 408/409/429/5xx and connection errors before a byte of reply (default 2). */
  maxRetries?: number;
  /** Stream (true), do not (false), or as the endpoint's test found (default). */
  stream?: boolean;
}

/** One choice of a finished reply. */
export interface ReplyChoice {
  index: number;
  content: string;
  finishReason: string | null;
}

/** A finished reply with what generation records about it. */
export interface Reply {
  responseId: string | null;
  /** The model name the endpoint reported. */
  model: string | null;
  choices: ReplyChoice[];
  usage: { promptTokens: number; completionTokens: number } | null;
  /** ms from sending to the first content token; null when not streamed. */
  ttftMs: number | null;
  totalMs: number;
  /** The seed sent, or null when none was. */
  seed: number | null;
  /** The sampling parameters sent (endpoint defaults merged with the request's). */
  params: SamplingParams;
  streamed: boolean;
}

/** Events of {@link ModelClient.stream}. */
export type StreamEvent = { type: "delta"; index: number; content: string } | { type: "done"; reply: Reply };

/** Redirects are refused: a 3xx reply is an error, never a second request to somewhere else. */
const NO_REDIRECTS = { redirect: "manual" } as const;

const agents = new Map<string, Agent>();

/** One connection pool per trust level: guarded (public only / private allowed) or trusted (the demo endpoint). */
function agentFor(trusted: boolean, allowPrivate: boolean): Agent {
  const key = trusted ? "trusted" : allowPrivate ? "private" : "public";
  let agent = agents.get(key);
  if (!agent) {
    agent = trusted
      ? new Agent({ keepAliveTimeout: 10_000, connections: null })
      : new Agent({ keepAliveTimeout: 10_000, connect: { lookup: guardedLookup(allowPrivate) } });
    agents.set(key, agent);
  }
  return agent;
}

function apiKeyOf(target: EndpointTarget, env: NodeJS.ProcessEnv): string | null {
  if (!target.apiKeyEnv) return null;
  const value = env[target.apiKeyEnv];
  if (!value) {
    throw new EndpointError("config", `the environment variable ${target.apiKeyEnv} (this endpoint's API key) is not set in this process`);
  }
  return value;
}

/** Removes keys whose value is undefined (the request body is sent as JSON). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A client for one endpoint; cheap to make (connections are pooled per process). */
export class ModelClient {
  readonly openai: OpenAI;

  constructor(
    readonly target: EndpointTarget,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    // IP-literal hosts never reach the guarded lookup (sockets skip DNS for them): check here.
    if (!target.isDemo) {
      try {
        assertEndpointUrlAllowed(target.baseUrl, { allowPrivate: privateEndpointsAllowed(env) });
      } catch (error) {
        throw new EndpointError(error instanceof BlockedAddressError ? "refused" : "config", (error as Error).message, { cause: error });
      }
    }
    const apiKey = apiKeyOf(target, env);
    const dispatcher = agentFor(target.isDemo, privateEndpointsAllowed(env));
    this.openai = new OpenAI({
      baseURL: target.baseUrl.replace(/\/+$/, ""),
      // The package insists on a key; without one the header is removed below.
      apiKey: apiKey ?? "none",
      // Never read OPENAI_* variables implicitly: the endpoint names its own key variable.
      organization: null,
      project: null,
      webhookSecret: null,
      timeout: target.timeoutMs,
      maxRetries: 2,
      // undici's own fetch, so that the dispatcher (with the guarded lookup) is honoured.
      fetch: undiciFetch as unknown as typeof globalThis.fetch,
      fetchOptions: { ...NO_REDIRECTS, dispatcher } as unknown as NonNullable<ConstructorParameters<typeof OpenAI>[0]>["fetchOptions"],
      // No `Authorization` header at all when the endpoint has no key (a local vLLM).
      ...(apiKey === null ? { defaultHeaders: { Authorization: null } } : {}),
    });
  }

  /** The request body for `messages` under `options`, as it is sent. */
  requestBody(messages: readonly ChatMessage[], options: SampleOptions, stream: boolean): ChatCompletionCreateParams & { seed?: number } {
    const caps = this.target.capabilities;
    const params: SamplingParams = { ...this.target.params, ...options.params };
    const seed = options.seed !== undefined ? options.seed : params.seed;
    const sendSeed = seed !== undefined && seed !== null && (caps === null || caps.seed || caps.error !== null);
    const body = defined({
      model: this.target.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      temperature: params.temperature,
      top_p: params.top_p,
      max_tokens: params.max_tokens,
      stop: params.stop && params.stop.length > 0 ? params.stop : undefined,
      presence_penalty: params.presence_penalty,
      frequency_penalty: params.frequency_penalty,
      seed: sendSeed ? seed : undefined,
      n: options.n && options.n > 1 ? options.n : undefined,
      stream: stream ? true : undefined,
      stream_options: stream && (caps === null || caps.streamUsage) ? { include_usage: true } : undefined,
    });
    return body as ChatCompletionCreateParams & { seed?: number };
  }

  /** Whether a request streams by default: as the endpoint's last test found (streaming if untested). */
  streamsByDefault(): boolean {
    const caps = this.target.capabilities;
    return caps === null || caps.error !== null || caps.streaming;
  }

  /**
   * Streams one request: `delta` events as tokens arrive, then one `done` with the whole
   * reply. Breaking out of the loop or aborting `options.signal` closes the upstream
   * connection. Throws {@link EndpointError}.
   */
  async *stream(messages: readonly ChatMessage[], options: SampleOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const body = this.requestBody(messages, options, true);
    const deadline = this.deadline(options);
    const started = performance.now();
    let ttftMs: number | null = null;
    const choices = new Map<number, ReplyChoice>();
    let responseId: string | null = null;
    let model: string | null = null;
    let usage: Reply["usage"] = null;
    let stream: AsyncIterable<ChatCompletionChunk> & { controller: AbortController };
    try {
      stream = (await this.openai.chat.completions.create(
        { ...(body as ChatCompletionCreateParams), stream: true },
        { signal: deadline.signal, maxRetries: options.maxRetries ?? 2, timeout: deadline.timeoutMs },
      )) as unknown as AsyncIterable<ChatCompletionChunk> & { controller: AbortController };
    } catch (error) {
      deadline.dispose();
      throw toEndpointError(error, deadline.state());
    }
    let finished = false;
    try {
      for await (const chunk of stream) {
        responseId ??= chunk.id ?? null;
        model ??= chunk.model ?? null;
        if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        for (const c of chunk.choices ?? []) {
          let choice = choices.get(c.index);
          if (!choice) choices.set(c.index, (choice = { index: c.index, content: "", finishReason: null }));
          const text = c.delta?.content;
          if (text) {
            ttftMs ??= Math.round(performance.now() - started);
            choice.content += text;
            yield { type: "delta", index: c.index, content: text };
          }
          if (c.finish_reason) choice.finishReason = c.finish_reason;
        }
      }
      // The package ends the iteration quietly when the signal aborts: say why it ended.
      if (deadline.signal.aborted) throw toEndpointError(deadline.signal.reason, deadline.state());
      const list = [...choices.values()].sort((a, b) => a.index - b.index);
      if (list.length === 0 || list.some((c) => c.finishReason === null)) {
        throw new EndpointError("protocol", "the stream ended before the reply finished (no finish_reason)");
      }
      finished = true;
      yield {
        type: "done",
        reply: {
          responseId,
          model,
          choices: list,
          usage,
          ttftMs,
          totalMs: Math.round(performance.now() - started),
          seed: body.seed ?? null,
          params: paramsSent(body),
          streamed: true,
        },
      };
    } catch (error) {
      throw toEndpointError(error, deadline.state());
    } finally {
      // A consumer that stops early (or an error) must not leave the upstream generating.
      if (!finished) stream.controller.abort();
      deadline.dispose();
    }
  }

  /** One request without streaming. Throws {@link EndpointError}. */
  async complete(messages: readonly ChatMessage[], options: SampleOptions = {}): Promise<Reply> {
    const body = this.requestBody(messages, options, false);
    const deadline = this.deadline(options);
    const started = performance.now();
    try {
      const res = await this.openai.chat.completions.create(
        { ...(body as ChatCompletionCreateParams), stream: false },
        { signal: deadline.signal, maxRetries: options.maxRetries ?? 2, timeout: deadline.timeoutMs },
      );
      if (!res || !Array.isArray(res.choices) || res.choices.length === 0) {
        throw new EndpointError("protocol", "malformed reply: no choices");
      }
      return {
        responseId: res.id ?? null,
        model: res.model ?? null,
        choices: res.choices.map((c) => ({ index: c.index, content: c.message?.content ?? "", finishReason: c.finish_reason ?? null })),
        usage: res.usage ? { promptTokens: res.usage.prompt_tokens, completionTokens: res.usage.completion_tokens } : null,
        ttftMs: null,
        totalMs: Math.round(performance.now() - started),
        seed: body.seed ?? null,
        params: paramsSent(body),
        streamed: false,
      };
    } catch (error) {
      throw toEndpointError(error, deadline.state());
    } finally {
      deadline.dispose();
    }
  }

  /** One finished reply: streamed when the endpoint streams (to measure time to first token), otherwise not. */
  async sample(messages: readonly ChatMessage[], options: SampleOptions = {}): Promise<Reply> {
    const stream = options.stream ?? this.streamsByDefault();
    if (!stream) return this.complete(messages, options);
    for await (const event of this.stream(messages, options)) if (event.type === "done") return event.reply;
    throw new EndpointError("protocol", "the stream ended without a reply");
  }

  /** The caller's signal joined with a whole-request deadline, and which of the two fired. */
  private deadline(options: SampleOptions) {
    const timeoutMs = options.timeoutMs ?? this.target.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new EndpointError("timeout", `no complete reply within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    return {
      signal: controller.signal,
      timeoutMs,
      state: () => ({ timedOut, aborted: options.signal?.aborted ?? false, timeoutMs }),
      dispose: () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      },
    };
  }
}

function paramsSent(request: object): SamplingParams {
  const body = request as Record<string, unknown>;
  const keys = ["temperature", "top_p", "max_tokens", "stop", "seed", "presence_penalty", "frequency_penalty"] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (body[k] !== undefined) out[k] = body[k];
  return out as SamplingParams;
}

/** A client for `target` (see {@link ModelClient}). */
export function modelClient(target: EndpointTarget, env: NodeJS.ProcessEnv = process.env): ModelClient {
  return new ModelClient(target, env);
}
