/**
 * One set of export defaults: a bundle built from the export page with untouched settings,
 * the same request by the command line and by the API give the same policy and the same
 * data files (train and test split by the same salt, held to the same agreement). The
 * manifest and card are compared by their recorded policy, not their bytes: they carry the
 * time they were generated.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { E2E_BASE_URL, E2E_STATE_FILE } from "./config";
import { queryAppDb } from "./db";
import { ExportPage } from "./pages/research-pages";
import { SignInPage } from "./pages/sign-in-page";

const run = promisify(execFile);
const PROJECT = "demo-roleplay";

type ExportRecord = { id: string; policy: Record<string, unknown>; files: { name: string; sha256: string }[] };

async function exportRecord(id: number | string): Promise<ExportRecord> {
  const [row] = await queryAppDb<ExportRecord>("select id, policy, files from exports where id = $1 and status = 'done'", [id]);
  expect(row, `export ${id} is recorded as done`).toBeDefined();
  return row!;
}

/** The data files' hashes by name (the manifest and the card carry the build time). */
function dataHashes(record: ExportRecord): Record<string, string> {
  return Object.fromEntries(record.files.filter((f) => f.name.endsWith(".jsonl")).map((f) => [f.name, f.sha256]));
}

test("the page, the CLI and the API build the same DPO bundle from the defaults", async ({ page }) => {
  test.setTimeout(120_000);
  await new SignInPage(page).signInAs("researcher");

  // The page, settings untouched.
  const exports = new ExportPage(page);
  await exports.open(PROJECT);
  await exports.build();
  const ready = exports.ready();
  await expect(ready).toBeVisible({ timeout: 60_000 });
  const pageId = /Export #(\d+) is ready/.exec((await ready.textContent()) ?? "")?.[1];
  expect(pageId).toBeDefined();

  // The API, no policy given.
  const response = await page.request.post(`/api/projects/${PROJECT}/exports`, {
    data: { kind: "dpo" },
    headers: { Origin: E2E_BASE_URL },
  });
  expect(response.status()).toBe(200);
  const events = (await response.text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string; exportId?: number });
  const apiId = events.find((e) => e.type === "done")?.exportId;
  expect(apiId, JSON.stringify(events.at(-1))).toBeDefined();

  // The command line, no policy options.
  const { databaseUrl } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { databaseUrl: string };
  const out = mkdtempSync(path.join(os.tmpdir(), "arbiter-export-defaults-"));
  try {
    await run("npx", ["tsx", "scripts/export.ts", "--project", PROJECT, "--kind", "dpo", "--out", out], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    const manifest = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")) as { files: unknown };
    const [cliRow] = await queryAppDb<{ id: string }>("select max(id) as id from exports where kind = 'dpo' and created_by is null");
    const cliId = cliRow?.id;
    expect(cliId).toBeDefined();

    const [fromPage, fromApi, fromCli] = await Promise.all([exportRecord(pageId!), exportRecord(apiId!), exportRecord(cliId!)]);
    expect(fromPage.policy).toEqual(fromCli.policy);
    expect(fromApi.policy).toEqual(fromCli.policy);
    expect(dataHashes(fromPage)).toEqual(dataHashes(fromCli));
    expect(dataHashes(fromApi)).toEqual(dataHashes(fromCli));
    // An empty split writes no file; the train split is always there.
    expect(Object.keys(dataHashes(fromCli))).toContain("train.jsonl");
    expect(manifest.files).toBeDefined();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
