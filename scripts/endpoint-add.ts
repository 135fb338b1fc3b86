/** `npm run endpoint:add -- --name N --base-url URL --model M [--api-key-env VAR] [--param key=value …] [--concurrency C] [--rpm R] [--timeout-s S]` */
import { getDb } from "@/db/client";
import { addEndpoint } from "@/lib/services/endpoints";
import { paramsFromPairs } from "@/lib/validation/endpoints";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run endpoint:add -- --name N --base-url URL --model M [--api-key-env VAR]
         [--param key=value …] [--concurrency C] [--rpm R] [--timeout-s S]

Registers an OpenAI-compatible chat-completions endpoint (vLLM, SGLang, TGI, Ollama,
LM Studio, OpenAI, gateways). --base-url is the API root (usually ending in /v1).
--api-key-env names the environment variable holding the key (never the key itself);
the worker reads it. --param sets a default sampling parameter: temperature, top_p,
max_tokens, stop (repeatable), seed, presence_penalty, frequency_penalty.
Loopback and private addresses need ARBITER_ALLOW_PRIVATE_ENDPOINTS=1 (docs/endpoints.md).
Then: npm run endpoint:test -- --name N`;

const { values } = parseCli(USAGE, {
  name: { type: "string" },
  "base-url": { type: "string" },
  model: { type: "string" },
  "api-key-env": { type: "string" },
  param: { type: "string", multiple: true },
  concurrency: { type: "string" },
  rpm: { type: "string" },
  "timeout-s": { type: "string" },
});

if (!values.name || !values["base-url"] || !values.model) {
  fail(`--name, --base-url and --model are required.\n\n${USAGE}`, 2);
} else {
  let params: Record<string, unknown>;
  try {
    params = paramsFromPairs(values.param ?? []);
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`, 2);
    process.exit();
  }
  const db = await openDatabase({ migrate: true, quiet: true });
  try {
    const e = await addEndpoint(
      { db: getDb(), actor: null },
      {
        name: values.name,
        baseUrl: values["base-url"],
        model: values.model,
        apiKeyEnv: values["api-key-env"],
        params,
        concurrency: values.concurrency,
        rpm: values.rpm,
        timeoutS: values["timeout-s"],
      },
    );
    console.log(
      `Added endpoint "${e.name}": ${e.baseUrl} model ${e.model}, concurrency ${e.concurrency}${e.rpm ? `, ${e.rpm} rpm` : ""}, timeout ${e.timeoutS} s${e.apiKeyEnv ? `, key from $${e.apiKeyEnv}` : ""}.`,
    );
    console.log(`Test it: npm run endpoint:test -- --name ${e.name}`);
  } catch (error) {
    fail(describeError("endpoint:add", error), 2);
  } finally {
    await db.close();
  }
}
