/**
 * Server-sent events for route handlers: each event as an `event: NAME` line and a
 * `data: JSON` line, then a blank line; a comment line every `heartbeatMs` keeps proxies
 * from closing a quiet stream. The response body pulls from an async generator, so a
 * client that goes away cancels the body, which returns the generator (and whatever it
 * runs stops: see lib/services/live-stream.ts).
 */

/** One event as written on the wire. */
export function sseEvent(event: string, data: unknown): string {
  // JSON.stringify never emits a raw newline, so one `data:` line always suffices.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-store, no-transform",
  Connection: "keep-alive",
  // nginx: do not buffer the stream.
  "X-Accel-Buffering": "no",
} as const;

/**
 * A streaming Response of `events`. `first` is the generator's first result, pulled by the
 * caller before answering, so that a refusal (404, 403) still becomes a JSON error and not
 * a broken stream.
 */
export function sseResponse<E extends { event: string; data: unknown }>(
  first: IteratorResult<E>,
  events: AsyncGenerator<E>,
  options: { heartbeatMs?: number } = {},
): Response {
  const encoder = new TextEncoder();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(sseEvent(first.value.event, first.value.data)));
      else controller.close();
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch {
          clearInterval(heartbeat);
        }
      }, options.heartbeatMs ?? 15_000);
      heartbeat.unref?.();
    },
    async pull(controller) {
      if (first.done) return;
      try {
        const next = await events.next();
        if (next.done) {
          clearInterval(heartbeat);
          controller.close();
        } else controller.enqueue(encoder.encode(sseEvent(next.value.event, next.value.data)));
      } catch (error) {
        clearInterval(heartbeat);
        controller.error(error);
      }
    },
    async cancel() {
      clearInterval(heartbeat);
      await events.return(undefined);
    },
  });
  if (first.done) clearInterval(heartbeat);
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
