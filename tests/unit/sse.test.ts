import { describe, expect, it } from "vitest";
import { sseEvent, sseResponse } from "@/lib/sse";

describe("server-sent events", () => {
  it("writes an event line and one data line per event", () => {
    expect(sseEvent("candidate.delta", { label: "A", text: "line one\nline two" })).toBe(
      'event: candidate.delta\ndata: {"label":"A","text":"line one\\nline two"}\n\n',
    );
  });

  it("streams a generator and returns it when the client cancels", async () => {
    let returned = false;
    async function* events() {
      try {
        yield { event: "a", data: 1 };
        yield { event: "b", data: 2 };
        await new Promise((r) => setTimeout(r, 10_000));
        yield { event: "c", data: 3 };
      } finally {
        returned = true;
      }
    }
    const gen = events();
    const res = sseResponse(await gen.next(), gen);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("event: a\ndata: 1\n\n");
    expect(decoder.decode((await reader.read()).value)).toBe("event: b\ndata: 2\n\n");
    const pending = reader.read();
    await reader.cancel();
    await pending.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(returned).toBe(true);
  });
});
