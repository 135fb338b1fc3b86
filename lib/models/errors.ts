/**
 * One error type for everything that can go wrong talking to an endpoint, with what the
 * caller needs to decide: retry now, retry later, or give up. Messages carry the status
 * and the endpoint's own message, never a header or a key.
 */
import OpenAI from "openai";
import { BlockedAddressError } from "@/lib/models/ssrf";

export type EndpointErrorKind =
  /** The endpoint answered with an error status. */
  | "http"
  /** No reply (or no complete reply) within the endpoint's timeout. */
  | "timeout"
  /** Connection refused, reset or cut mid-reply. */
  | "network"
  /** A reply that does not follow the protocol (malformed JSON, a stream that stops short). */
  | "protocol"
  /** The SSRF guard refused the address; retrying cannot help. */
  | "refused"
  /** The endpoint's configuration is unusable here (e.g. its API key variable is unset). */
  | "config"
  /** The caller aborted (a closed browser tab, a cancelled job). */
  | "aborted";

export class EndpointError extends Error {
  constructor(
    readonly kind: EndpointErrorKind,
    message: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "EndpointError";
  }

  get status(): number | undefined {
    return this.options.status;
  }

  /** Delay the endpoint asked for (Retry-After / retry-after-ms), when it did. */
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }

  /** Whether the same request may succeed later: overload, server faults, timeouts, cut streams. */
  get retryable(): boolean {
    switch (this.kind) {
      case "timeout":
      case "network":
      case "protocol":
        return true;
      case "http": {
        const s = this.status ?? 0;
        return s === 408 || s === 409 || s === 425 || s === 429 || s >= 500;
      }
      default:
        return false;
    }
  }
}

/** Parses Retry-After (seconds or an HTTP date) and retry-after-ms into milliseconds. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function messageOfBody(error: unknown): string | undefined {
  if (error && typeof error === "object" && "message" in error && typeof (error as { message: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return undefined;
}

function causeChain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = error;
  while (e && out.length < 8) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** Maps whatever the client threw to an {@link EndpointError}. */
export function toEndpointError(error: unknown, context: { timedOut: boolean; aborted: boolean; timeoutMs: number }): EndpointError {
  if (error instanceof EndpointError && !context.aborted) return error;
  const chain = causeChain(error);
  const blocked = chain.find((e) => e instanceof BlockedAddressError) as BlockedAddressError | undefined;
  if (blocked) return new EndpointError("refused", blocked.message, { cause: error });
  if (context.timedOut)
    return new EndpointError("timeout", `no complete reply within ${Math.round(context.timeoutMs / 1000)} s`, { cause: error });
  if (context.aborted) return new EndpointError("aborted", "the request was aborted", { cause: error });
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new EndpointError("timeout", `no reply within ${Math.round(context.timeoutMs / 1000)} s`, { cause: error });
  }
  if (error instanceof OpenAI.APIUserAbortError) return new EndpointError("aborted", "the request was aborted", { cause: error });
  if (error instanceof OpenAI.APIConnectionError) {
    const inner = chain.find((e) => e !== error && e instanceof Error) as Error | undefined;
    return new EndpointError("network", `connection failed: ${inner?.message ?? error.message}`, { cause: error });
  }
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const bodyMessage = messageOfBody(error.error) ?? error.message;
    const redirect = error.status >= 300 && error.status < 400;
    return new EndpointError(
      "http",
      redirect
        ? `HTTP ${error.status}: the endpoint redirects, and redirects are not followed (use the final URL)`
        : `HTTP ${error.status}: ${bodyMessage}`.slice(0, 500),
      { status: error.status, retryAfterMs: retryAfterMs(error.headers), cause: error },
    );
  }
  if (error instanceof SyntaxError)
    return new EndpointError("protocol", `malformed reply: ${error.message}`.slice(0, 500), { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  // undici reports a socket closed mid-body as "terminated"; other errors here are network faults.
  return new EndpointError("network", `connection failed: ${message}`.slice(0, 500), { cause: error });
}
