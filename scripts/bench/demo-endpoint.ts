/**
 * The demo endpoint in a process of its own (used by bench:generate so that the server's
 * CPU is not charged to either side). Prints its base URL on stdout's first line.
 */
import { startDemoEndpoint } from "@/lib/models/demo-server";

const server = await startDemoEndpoint({
  port: 0,
  firstTokenDelayMs: Number(process.env.FIRST_TOKEN_MS ?? 0),
  tokenDelayMs: Number(process.env.TOKEN_MS ?? 0),
});
console.log(server.baseUrl);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
