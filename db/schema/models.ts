import { sql } from "drizzle-orm";
import { boolean, check, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./users";
import { createdAt, identity, instant, optionalReference, updatedAt } from "./columns";

/**
 * Default sampling parameters of an endpoint, in the chat-completions request's own
 * names. Every field is optional: an endpoint's server defaults apply to the rest.
 */
export type SamplingParams = {
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
};

/** What "Test connection" found the endpoint to honour; generation adapts to it. */
export type EndpointCapabilities = {
  /** `stream: true` answered with SSE chunks ending in `[DONE]`. */
  streaming: boolean;
  /** `n: 2` answered with two choices. */
  n: boolean;
  /** The same `seed` twice gave the same reply (or the server accepted it and echoed a fingerprint). */
  seed: boolean;
  /** `stream_options.include_usage` gave a usage chunk at the end of a stream. */
  streamUsage: boolean;
  /** When the test ran (ISO 8601). */
  testedAt: string;
  /** Round-trip time of the one-token request, in ms. */
  latencyMs: number | null;
  /** The error of the last test, when it failed (no capability is then assumed). */
  error: string | null;
};

/**
 * An OpenAI-compatible chat-completions endpoint (vLLM, SGLang, TGI, Ollama, LM Studio,
 * OpenAI and gateways). The API key is never stored: `api_key_env` names the environment
 * variable that holds it, read by the process that sends the request.
 */
export const modelEndpoints = pgTable(
  "model_endpoints",
  {
    id: identity(),
    name: text("name").notNull(),
    /** The API root, ending in `/v1` (the client appends `/chat/completions`). */
    baseUrl: text("base_url").notNull(),
    /** The `model` field of every request. */
    model: text("model").notNull(),
    apiKeyEnv: text("api_key_env"),
    params: jsonb("params").$type<SamplingParams>().notNull().default({}),
    timeoutMs: integer("timeout_ms").notNull().default(120_000),
    /** Requests in flight at once, across every worker. */
    concurrency: integer("concurrency").notNull().default(4),
    /** Requests started per minute, across every worker; null = no limit. */
    rpm: integer("rpm"),
    capabilities: jsonb("capabilities").$type<EndpointCapabilities>(),
    /**
     * The earliest time the next request may start, shared by every worker: advanced by
     * 60/rpm seconds per request when `rpm` is set, and pushed out by a 429's Retry-After.
     */
    rateNextAt: instant("rate_next_at"),
    /**
     * The built-in demo endpoint (a template writer, not a language model): trusted
     * without ARBITER_ALLOW_PRIVATE_ENDPOINTS and labelled "demo model" wherever shown.
     */
    isDemo: boolean("is_demo").notNull().default(false),
    /** Archived endpoints take no new jobs; their candidates keep pointing at them. */
    archivedAt: instant("archived_at"),
    createdBy: optionalReference("created_by", () => users.id, "set null"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("model_endpoints_name_key").on(t.name),
    check("model_endpoints_name_format", sql`${t.name} ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'`),
    check("model_endpoints_base_url_http", sql`${t.baseUrl} ~ '^https?://'`),
    check("model_endpoints_model_nonempty", sql`length(btrim(${t.model})) between 1 and 200`),
    check("model_endpoints_api_key_env_name", sql`${t.apiKeyEnv} is null or ${t.apiKeyEnv} ~ '^[A-Za-z_][A-Za-z0-9_]{0,127}$'`),
    check("model_endpoints_timeout_range", sql`${t.timeoutMs} between 1000 and 3600000`),
    check("model_endpoints_concurrency_range", sql`${t.concurrency} between 1 and 1024`),
    check("model_endpoints_rpm_positive", sql`${t.rpm} is null or ${t.rpm} between 1 and 1000000`),
    check("model_endpoints_params_object", sql`jsonb_typeof(${t.params}) = 'object'`),
  ],
);

export type ModelEndpoint = typeof modelEndpoints.$inferSelect;
export type NewModelEndpoint = typeof modelEndpoints.$inferInsert;
