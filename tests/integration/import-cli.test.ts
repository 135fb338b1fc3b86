import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, items, projectCharacters, tasks } from "@/db/schema";
import { decodeJsonOrJsonl } from "@/lib/domain/charactereval";
import { makeProject } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const ROOT = join(import.meta.dirname, "../..");
const tsx = join(ROOT, "node_modules/.bin/tsx");
const exec = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), "import-cli-"));
let t: TestDatabase;

beforeAll(async () => {
  t = await useTestDatabase();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await exec(tsx, [join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: t.url },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const importCli = (args: string[]) => run("scripts/import.ts", args);

const line = (id: string, model = "baseline") =>
  JSON.stringify({
    external_id: id,
    character: { name: "孙悟空", profile: { 性别: "男" } },
    context: [{ role: "user", content: "大圣，你今天去哪儿了？" }],
    candidates: [
      { model: "index-1.9b-dpo", content: `俺老孙去南天门溜达了一圈！🐒 ${id}` },
      { model, content: "我去看望了一位老朋友。" },
    ],
  });

describe("npm run import", () => {
  it("imports a small file, then reports it unchanged", async () => {
    const p = await makeProject(t.db);
    const file = join(tmp, "small.jsonl");
    writeFileSync(file, `${[line("cli-1"), line("cli-2"), line("cli-3")].join("\n")}\n`);
    const first = await importCli(["--project", p.slug, file]);
    expect(first.stderr).toMatch(/^(reading:.*\n)*$/); // progress lines only
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Imported into p-\w+: 3 created, 0 updated, 0 unchanged; 3 tasks and 1 characters created/);
    const again = await importCli(["--project", p.slug, file]);
    expect(again.stdout).toMatch(/0 created, 0 updated, 3 unchanged/);
    expect(await t.db.select({ n: count() }).from(items).where(eq(items.projectId, p.id))).toEqual([{ n: 3 }]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.projectId, p.id));
    expect(audit.map((a) => [a.action, a.actorId, (a.details as { via: string }).via])).toEqual([
      ["items.import", null, "cli"],
      ["items.import", null, "cli"],
    ]);
  }, 60_000);

  it("refuses a file with a bad line: exit 1, the line and field named, nothing imported", async () => {
    const p = await makeProject(t.db);
    const file = join(tmp, "bad.jsonl");
    writeFileSync(file, `${[line("bad-1"), line("bad-2"), line("bad-3", ""), line("bad-4")].join("\n")}\n`);
    const res = await importCli(["--project", p.slug, file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nothing was imported\. 1 problem:\nline 3: candidates\[1\]\.model: must not be empty/);
    expect(await t.db.select({ n: count() }).from(items).where(eq(items.projectId, p.id))).toEqual([{ n: 0 }]);
  }, 60_000);

  it("prints help, and fails clearly on bad usage and unknown projects", async () => {
    const help = await importCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run import -- --project SLUG/);
    expect((await importCli([join(tmp, "x.jsonl")])).code).toBe(2);
    const format = await importCli(["--project", "x", join(tmp, "file.txt")]);
    expect([format.code, format.stderr]).toEqual([2, expect.stringMatching(/cannot tell the format/)]);
    const file = join(tmp, "one.jsonl");
    writeFileSync(file, `${line("one")}\n`);
    const missing = await importCli(["--project", "no-such-project", file]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/The project "no-such-project" was not found/)]);
  }, 60_000);
});

// ---------------------------------------------------------------------------
// The real CharacterEval copy (internal use only; never copied into this repository).

const REAL = "/work/shared/data/charactereval";
const hasReal = ["test_data.jsonl", "character_profiles.json", "id2metric.jsonl"].every((f) => existsSync(join(REAL, f)));

describe.skipIf(!hasReal)("importing the real CharacterEval copy through the CLI", () => {
  it("imports all 77 characters and 4,564 dialogues, then nothing on a second run", async () => {
    const ids = decodeJsonOrJsonl(readFileSync(join(REAL, "test_data.jsonl"), "utf8")).map((r) => (r.value as { id: number }).id);
    // CharacterEval has no candidate replies: two generated sets, as the converter's tests use.
    const a = join(tmp, "model-a.jsonl");
    const b = join(tmp, "model-b.jsonl");
    writeFileSync(a, ids.map((id) => JSON.stringify({ id, response: `（点头）好的，第${id}号回复。` })).join("\n"));
    writeFileSync(b, ids.map((id) => JSON.stringify({ id, response: `Reply #${id} 😀` })).join("\n"));
    const out = join(tmp, "charactereval-import.jsonl");
    const converted = await run("scripts/convert-charactereval.ts", [
      "--profiles",
      join(REAL, "character_profiles.json"),
      "--metrics",
      join(REAL, "id2metric.jsonl"),
      "--candidates",
      `model-a=${a}`,
      "--candidates",
      `model-b=${b}`,
      "--out",
      out,
      join(REAL, "test_data.jsonl"),
    ]);
    expect(converted.code).toBe(0);

    const p = await makeProject(t.db);
    const first = await importCli(["--project", p.slug, out]);
    expect(first.stderr).toMatch(/^(reading:.*\n)*$/); // progress lines only
    expect(first.stdout).toMatch(/4,564 created, 0 updated, 0 unchanged; 4,564 tasks and 77 characters created/);
    expect(await t.db.select({ n: count() }).from(items).where(eq(items.projectId, p.id))).toEqual([{ n: 4564 }]);
    expect(await t.db.select({ n: count() }).from(projectCharacters).where(eq(projectCharacters.projectId, p.id))).toEqual([{ n: 77 }]);
    expect(await t.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, p.id))).toEqual([{ n: 4564 }]);

    const again = await importCli(["--project", p.slug, out]);
    expect(again.stdout).toMatch(/0 created, 0 updated, 4,564 unchanged; 0 tasks and 0 characters created/);
  }, 60_000);
});
