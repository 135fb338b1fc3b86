/**
 * "Test connection": a few one-token requests that find what an endpoint honours, so
 * generation adapts (no stream, no seed, no usage chunk) instead of failing.
 */
import type { EndpointCapabilities } from "@/db/schema/models";
import { ModelClient, type EndpointTarget } from "@/lib/models/client";
import { EndpointError } from "@/lib/models/errors";

const PROBE = [{ role: "user" as const, content: "Say OK." }];

/**
 * Probes `target`: a plain one-token request first (its failure is the endpoint's error,
 * reported as such), then streaming with usage, n = 2, and the same seed twice. A probe
 * the endpoint rejects marks that capability false; it never fails the test.
 */
export async function testEndpoint(
  target: EndpointTarget,
  options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<EndpointCapabilities> {
  const testedAt = new Date().toISOString();
  const none = { streaming: false, n: false, seed: false, streamUsage: false, testedAt };
  let client: ModelClient;
  try {
    // Untested capabilities: every probe decides for itself what it sends.
    client = new ModelClient({ ...target, capabilities: null }, options.env);
  } catch (error) {
    return { ...none, latencyMs: null, error: (error as Error).message };
  }
  const base = { params: { max_tokens: 1, temperature: 0 }, signal: options.signal, maxRetries: 0 } as const;
  const started = performance.now();
  try {
    await client.complete(PROBE, { ...base, seed: null });
  } catch (error) {
    return { ...none, latencyMs: null, error: error instanceof EndpointError ? error.message : String(error) };
  }
  const latencyMs = Math.round(performance.now() - started);

  let streaming = false;
  let streamUsage = false;
  try {
    const reply = await client.sample(PROBE, { ...base, seed: null, stream: true });
    streaming = reply.streamed;
    streamUsage = reply.usage !== null;
  } catch {
    /* not honoured */
  }
  let n = false;
  try {
    const reply = await client.complete(PROBE, { ...base, seed: null, n: 2 });
    n = reply.choices.length === 2;
  } catch {
    /* not honoured */
  }
  let seed = false;
  try {
    const probe = { ...base, params: { max_tokens: 8, temperature: 1 }, seed: 1234 };
    const a = await client.complete(PROBE, probe);
    const b = await client.complete(PROBE, probe);
    seed = a.choices[0]?.content === b.choices[0]?.content;
  } catch {
    /* not honoured */
  }
  return { streaming, n, seed, streamUsage, testedAt, latencyMs, error: null };
}
