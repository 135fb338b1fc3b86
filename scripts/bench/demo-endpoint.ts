/**
 * The demo endpoint in a process of its own (bench:generate and bench:live), so that the
 * server's CPU is not charged to either side. Prints its base URL on stdout's first line.
 * With TIMINGS=1 it also prints, per streamed reply, `{"model", "seed", "ownTtftMs"}` (the
 * server's own time to first token), and answers a `stats` line on stdin with
 * `{"stats": {received, completed, aborted, inFlight}}`.
 */
import { createInterface } from "node:readline";
import { startDemoEndpoint } from "@/lib/models/demo-server";

const timings = process.env.TIMINGS === "1";
const server = await startDemoEndpoint({
  port: 0,
  firstTokenDelayMs: Number(process.env.FIRST_TOKEN_MS ?? 0),
  tokenDelayMs: Number(process.env.TOKEN_MS ?? 0),
  onFirstToken: timings
    ? (request, ms) => console.log(JSON.stringify({ model: request.model, seed: request.seed ?? null, ownTtftMs: ms }))
    : undefined,
});
console.log(server.baseUrl);
if (timings) {
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() !== "stats") return;
    const { received, completed, aborted, inFlight } = server.stats;
    console.log(JSON.stringify({ stats: { received, completed, aborted, inFlight } }));
  });
}
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
