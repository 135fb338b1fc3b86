/** `npm run endpoint:test -- --name N`: "Test connection" from the command line. */
import { getDb } from "@/db/client";
import { testEndpointConnection } from "@/lib/services/endpoints";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run endpoint:test -- --name N

Sends one-token requests to the endpoint and prints (and records) what it honours:
streaming, n > 1, seed, usage in the stream. Exits 1 when the endpoint fails.`;

const { values } = parseCli(USAGE, { name: { type: "string" } });
if (!values.name) {
  fail(`--name is required.\n\n${USAGE}`, 2);
} else {
  const db = await openDatabase({ migrate: true, quiet: true });
  try {
    const c = await testEndpointConnection({ db: getDb(), actor: null }, { name: values.name });
    if (c.error) {
      fail(`${values.name}: the endpoint failed: ${c.error}`, 1);
    } else {
      const yes = (b: boolean) => (b ? "yes" : "no");
      console.log(`${values.name}: reachable in ${c.latencyMs} ms`);
      console.log(`  streaming        ${yes(c.streaming)}`);
      console.log(`  n > 1            ${yes(c.n)}`);
      console.log(`  seed             ${yes(c.seed)}`);
      console.log(`  usage in stream  ${yes(c.streamUsage)}`);
    }
  } catch (error) {
    fail(describeError("endpoint:test", error), 2);
  } finally {
    await db.close();
  }
}
