/**
 * The model client against the local protocol double: every failure mode ends in a
 * reply or a typed, correctly classified EndpointError, and a consumer that goes away
 * closes the upstream request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BlockedAddressError, EndpointError, guardedLookup, ModelClient, testEndpoint, type EndpointTarget } from "@/lib/models";
import { startTestOpenAIServer, type TestOpenAIServer } from "@/tests/helpers/openai-server";

let server: TestOpenAIServer;
const env = { ...process.env, ARBITER_ALLOW_PRIVATE_ENDPOINTS: "1" };
const messages = [
  { role: "system" as const, content: "Character: Mira" },
  { role: "user" as const, content: "Where were you last night?" },
];

function target(overrides: Partial<EndpointTarget> = {}): EndpointTarget {
  return {
    name: "t",
    baseUrl: server.baseUrl,
    model: "test-model",
    apiKeyEnv: null,
    params: {},
    timeoutMs: 5_000,
    isDemo: false,
    capabilities: null,
    ...overrides,
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

beforeAll(async () => {
  server = await startTestOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.setFaultRule(null);
});

describe("model client", () => {
  it("streams deltas, then the finished reply with usage, seed and time to first token", async () => {
    const client = new ModelClient(target(), env);
    const deltas: string[] = [];
    // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the stream's final event below
    let reply;
    for await (const e of client.stream(messages, { seed: 7, params: { temperature: 0.5 } })) {
      if (e.type === "delta") deltas.push(e.content);
      else reply = e.reply;
    }
    expect(reply!.choices).toEqual([
      { index: 0, content: 'test-model answers "Where were you last night?" with seed 7.', finishReason: "stop" },
    ]);
    expect(deltas.join("")).toBe(reply!.choices[0]!.content);
    expect(deltas.length).toBeGreaterThan(3);
    expect(reply!.usage!.completionTokens).toBe(deltas.length);
    expect(reply!.seed).toBe(7);
    expect(reply!.params).toEqual({ temperature: 0.5, seed: 7 });
    expect(reply!.ttftMs).not.toBeNull();
    expect(reply!.responseId).toMatch(/^chatcmpl-/);
    const sent = server.stats.requests.at(-1)!;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(sent.messages).toEqual(messages);
  });

  it("completes without streaming, with n > 1 and max_tokens (finish reason length)", async () => {
    const client = new ModelClient(target({ params: { max_tokens: 2 } }), env);
    const reply = await client.complete(messages, { n: 2, seed: 1 });
    expect(reply.choices).toHaveLength(2);
    expect(reply.choices.every((c) => c.finishReason === "length")).toBe(true);
    expect(reply.ttftMs).toBeNull();
  });

  it("sends no Authorization header without a key, and the key from the named variable with one", async () => {
    const keyed = await startTestOpenAIServer({ apiKey: "sk-test-secret" });
    try {
      const missing = new ModelClient(target({ baseUrl: keyed.baseUrl }), env);
      await expect(missing.complete(messages)).rejects.toMatchObject({ kind: "http", status: 401 });
      expect(() => new ModelClient(target({ baseUrl: keyed.baseUrl, apiKeyEnv: "ARBITER_TEST_KEY" }), env)).toThrow(/ARBITER_TEST_KEY/);
      const ok = new ModelClient(target({ baseUrl: keyed.baseUrl, apiKeyEnv: "ARBITER_TEST_KEY" }), {
        ...env,
        ARBITER_TEST_KEY: "sk-test-secret",
      });
      expect((await ok.complete(messages)).choices).toHaveLength(1);
    } finally {
      await keyed.close();
    }
  });

  it("retries a 500 and a 429 with Retry-After inside the package, then answers", async () => {
    const client = new ModelClient(target(), env);
    const before = server.stats.received;
    server.queueFaults({ kind: "status", status: 500 }, { kind: "status", status: 429, retryAfter: "0" });
    const reply = await client.sample(messages, { seed: 3 });
    expect(reply.choices[0]!.content).toContain("seed 3");
    expect(server.stats.received - before).toBe(3);
  });

  it("reports a 429 it may not retry with its Retry-After, as retryable", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "status", status: 429, retryAfter: "7" });
    const error = await client.sample(messages, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointError);
    expect(error).toMatchObject({ kind: "http", status: 429, retryAfterMs: 7000, retryable: true });
  });

  it("classifies a 400 as not retryable", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "status", status: 400, message: "bad temperature" });
    await expect(client.sample(messages)).rejects.toMatchObject({
      kind: "http",
      status: 400,
      retryable: false,
      message: "HTTP 400: bad temperature",
    });
  });

  it("turns a stream cut mid-reply into a retryable network or protocol error", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "cut", afterTokens: 2 });
    const error = (await client.sample(messages).catch((e: unknown) => e)) as EndpointError;
    expect(error).toBeInstanceOf(EndpointError);
    expect(["network", "protocol"]).toContain(error.kind);
    expect(error.retryable).toBe(true);
  });

  it("turns malformed JSON into a retryable protocol error, streamed or not", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "malformed" }, { kind: "malformed" });
    await expect(client.complete(messages, { maxRetries: 0 })).rejects.toMatchObject({ kind: "protocol", retryable: true });
    await expect(
      client
        .stream(messages, { maxRetries: 0 })
        .next()
        .then(async function drain(r): Promise<unknown> {
          return r;
        }),
    ).resolves.toBeDefined();
    const it = client.stream(messages, { maxRetries: 0 });
    server.queueFaults({ kind: "malformed" });
    const err = await (async () => {
      try {
        for await (const _ of it) void _;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ kind: "protocol", retryable: true });
  });

  it("times out a request that never answers, and closes it upstream", async () => {
    const client = new ModelClient(target({ timeoutMs: 1_000 }), env);
    const aborted = server.stats.aborted;
    server.queueFaults({ kind: "hang" });
    await expect(client.sample(messages, { maxRetries: 0 })).rejects.toMatchObject({ kind: "timeout", retryable: true });
    await until(() => server.stats.aborted > aborted);
    expect(server.stats.aborted).toBe(aborted + 1);
  });

  it("a slow first token within the timeout still answers", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "slow", firstTokenMs: 300 });
    const reply = await client.sample(messages);
    expect(reply.choices[0]!.finishReason).toBe("stop");
    expect(reply.ttftMs).not.toBeNull();
  });

  it("a consumer that stops reading aborts the upstream request", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "slow", firstTokenMs: 0, tokenMs: 50 });
    const aborted = server.stats.aborted;
    for await (const e of client.stream(messages)) {
      if (e.type === "delta" && e.content.trim()) break;
    }
    await until(() => server.stats.aborted > aborted);
    expect(server.stats.aborted).toBe(aborted + 1);
  });

  it("an aborted signal is reported as aborted, not retryable", async () => {
    const client = new ModelClient(target(), env);
    server.queueFaults({ kind: "slow", firstTokenMs: 2_000 });
    const controller = new AbortController();
    const pending = client.sample(messages, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ kind: "aborted", retryable: false });
  });

  it("does not follow redirects", async () => {
    const client = new ModelClient(target(), env);
    const before = server.stats.received;
    server.queueFaults({ kind: "redirect", location: "http://169.254.169.254/latest/meta-data/" });
    const error = await client.sample(messages, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "http", status: 307, retryable: false });
    expect(server.stats.received - before).toBe(1);
  });

  it("refuses loopback endpoints unless private endpoints are allowed; the demo endpoint is trusted", async () => {
    const strict = { ...process.env, ARBITER_ALLOW_PRIVATE_ENDPOINTS: "" };
    expect(() => new ModelClient(target(), strict)).toThrow(/ARBITER_ALLOW_PRIVATE_ENDPOINTS/);
    expect(() => new ModelClient(target({ baseUrl: server.baseUrl.replace("127.0.0.1", "localhost") }), strict)).toThrow(/loopback/);
    const lookup = guardedLookup(false);
    const refused = await new Promise<unknown>((resolve) => lookup("localhost", {}, (err) => resolve(err)));
    expect(refused).toBeInstanceOf(BlockedAddressError);
    const allowed = await new Promise<unknown>((resolve) =>
      guardedLookup(true)("localhost", {}, (err, address) => resolve(err ?? address)),
    );
    expect(allowed).toMatch(/^(127\.0\.0\.1|::1)$/);
    const demo = new ModelClient(target({ isDemo: true }), strict);
    expect((await demo.complete(messages)).choices).toHaveLength(1);
  });

  it("Test connection records what the endpoint honours", async () => {
    const caps = await testEndpoint(target(), { env });
    expect(caps).toMatchObject({ streaming: true, n: true, seed: true, streamUsage: true, error: null });
    const down = await testEndpoint(target({ baseUrl: "http://127.0.0.1:9/v1" }), { env });
    expect(down.error).toMatch(/connection failed/);
    expect(down.streaming).toBe(false);
  });

  it("adapts to what the endpoint honours: no stream, no seed, no usage chunk", async () => {
    const client = new ModelClient(
      target({ capabilities: { streaming: false, n: false, seed: false, streamUsage: false, testedAt: "", latencyMs: 1, error: null } }),
      env,
    );
    const reply = await client.sample(messages, { seed: 5 });
    expect(reply.streamed).toBe(false);
    expect(reply.seed).toBeNull();
    const sent = server.stats.requests.at(-1)!;
    expect(sent.stream).toBeFalsy();
    expect(sent.seed).toBeUndefined();
  });
});
