/**
 * The generation commands as scripts use them: endpoint:add, endpoint:test and
 * generate --wait with its exit codes (0 all generated, 1 some failed and listed, 2 bad input).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importItems } from "@/lib/services/import";
import { makeProject } from "../factories";
import { startTestOpenAIServer, type TestOpenAIServer } from "../helpers/openai-server";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const ROOT = join(import.meta.dirname, "../..");
const tsx = join(ROOT, "node_modules/.bin/tsx");
const exec = promisify(execFile);
let t: TestDatabase;
let server: TestOpenAIServer;

beforeAll(async () => {
  t = await useTestDatabase();
  server = await startTestOpenAIServer({ models: ["cli-model"] });
});
afterAll(async () => {
  await server?.close();
});

async function run(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await exec(tsx, [join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url, ARBITER_ALLOW_PRIVATE_ENDPOINTS: "1" },
      maxBuffer: 16 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("generation CLI", () => {
  it("adds and tests an endpoint, generates with --wait (exit 0), reports failures (exit 1) and bad input (exit 2)", async () => {
    const add = await run("scripts/endpoint-add.ts", [
      "--name",
      "cli-ep",
      "--base-url",
      server.baseUrl,
      "--model",
      "cli-model",
      "--param",
      "temperature=0.5",
      "--param",
      "stop=###",
      "--concurrency",
      "3",
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/Added endpoint "cli-ep"/);
    const tested = await run("scripts/endpoint-test.ts", ["--name", "cli-ep"]);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/streaming\s+yes/);
    expect(tested.stdout).toMatch(/usage in stream\s+yes/);

    const project = await makeProject(t.db);
    const lines = ["c-1", "c-2", "c-3"].map((id) =>
      JSON.stringify({ external_id: id, character: { name: "Mira", profile: {} }, context: [{ role: "user", content: `About ${id}?` }] }),
    );
    expect(
      (await importItems({ db: t.db, actor: null }, { projectSlug: project.slug, format: "jsonl", source: [lines.join("\n")] })).ok,
    ).toBe(true);

    const ok = await run("scripts/generate.ts", ["--project", project.slug, "--endpoint", "cli-ep", "--samples", "2", "--wait"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/6 sample\(s\) queued/);
    expect(ok.stdout).toMatch(/finished: 6 sample\(s\) generated/);
    // Not a terminal: one line per 10 %, ending with the final line.
    expect(ok.stderr).toMatch(/6\/6 \(100 %\)/);

    server.setFaultRule((r) =>
      r.messages.at(-1)!.content === "About c-2?" ? { kind: "status", status: 400, message: "context too long" } : null,
    );
    try {
      const failed = await run("scripts/generate.ts", ["--project", project.slug, "--endpoint", "cli-ep", "--samples", "3", "--wait"]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/c-2 · cli-ep · sample 2: HTTP 400: context too long/);
    } finally {
      server.setFaultRule(null);
    }

    const bad = await run("scripts/generate.ts", ["--project", project.slug, "--endpoint", "no-such", "--wait"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/endpoints: no such endpoint: no-such/);
    expect((await run("scripts/generate.ts", ["--project", project.slug])).code).toBe(2);
    expect((await run("scripts/endpoint-add.ts", ["--name", "x", "--base-url", "http://169.254.169.254/v1", "--model", "m"])).code).toBe(2);
  }, 120_000);
});
