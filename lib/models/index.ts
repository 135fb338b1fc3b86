/**
 * Talking to model endpoints (OpenAI chat-completions protocol).
 *
 * Exported API (everything a caller needs; details in each file):
 *
 * - `modelClient(target, env?)` / `new ModelClient(target)` — the one client over the
 *   `openai` package. `target` is an {@link EndpointTarget} (a `model_endpoints` row fits:
 *   name, baseUrl, model, apiKeyEnv, params, timeoutMs, isDemo, capabilities). Throws
 *   `EndpointError("refused")` when the SSRF guard refuses the URL, `("config")` when the
 *   API key variable is unset.
 *   - `client.stream(messages, opts)` — async generator of
 *     `{type: "delta", index, content}` … then one `{type: "done", reply}`. Breaking out of
 *     the loop or aborting `opts.signal` closes the upstream connection (the endpoint stops
 *     generating). `opts`: `params` (overrides), `seed`, `n`, `signal`, `timeoutMs`
 *     (whole request, first byte to last token), `maxRetries` (the package's own retries
 *     before any reply byte; default 2), `stream`.
 *   - `client.complete(messages, opts)` — one non-streamed `Reply`.
 *   - `client.sample(messages, opts)` — streams when the endpoint streams (so `ttftMs` is
 *     measured), otherwise completes; returns the `Reply`:
 *     `{responseId, model, choices: [{index, content, finishReason}], usage, ttftMs,
 *     totalMs, seed, params, streamed}`.
 * - `EndpointError` — `kind`: http | timeout | network | protocol | refused | config |
 *   aborted; `status`, `retryAfterMs`, `retryable`.
 * - `testEndpoint(target)` — the "Test connection" probe: one-token requests that find
 *   whether the endpoint honours streaming, n > 1, seed and usage-in-stream; returns
 *   `EndpointCapabilities` (with `error` when the endpoint failed).
 * - SSRF guard: `assertEndpointUrlAllowed(url, {allowPrivate})`, `classifyAddress(ip)`,
 *   `privateEndpointsAllowed()` (ARBITER_ALLOW_PRIVATE_ENDPOINTS=1), `guardedLookup`.
 *   Link-local and metadata addresses are refused always; loopback/private unless the
 *   setting is on; redirects are never followed; the demo endpoint (`isDemo`) is trusted.
 * - Demo: `startDemoEndpoint({port, firstTokenDelayMs, tokenDelayMs})` → `ChatServer`
 *   (`baseUrl`, `port`, `stats`, `close()`); `DEMO_MODELS`, `DEMO_ENDPOINTS` (names and
 *   labels registered by the embedded default), `demoReply(model, messages, seed)`.
 * - `startChatServer(options)` — the protocol server both the demo endpoint and the tests'
 *   double (tests/helpers/openai-server.ts, `startTestOpenAIServer`) are built on.
 * - `promptMessages(item)` (lib/domain/generation/prompt.ts) — the messages to send for an
 *   item: the very bytes the DPO export writes as `prompt`.
 */
export * from "@/lib/models/client";
export * from "@/lib/models/errors";
export * from "@/lib/models/ssrf";
export * from "@/lib/models/capabilities";
export * from "@/lib/models/demo-model";
export * from "@/lib/models/chat-server";
export * from "@/lib/models/demo-server";
