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

test("the page, the CLI and the API build the same DPO bundle from the defaults", async ({ browser, page }) => {
  test.setTimeout(180_000);
  // Two annotators agree on a few tasks, so that the bundles have rows to split.
  for (const who of ["annotator", "annotator2"] as const) {
    const context = await browser.newContext();
    const annotator = await context.newPage();
    await new SignInPage(annotator).signInAs(who);
    for (let k = 0; k < 8; k++) {
      const next = await annotator.request.post(`/api/projects/${PROJECT}/tasks/next`, { data: {} });
      if (next.status() !== 200) break;
      const lease = (await next.json()) as { assignment: { id: number }; task: { kind: string }; candidates: { content: string }[] };
      // Both prefer the longer reply, wherever it is shown: their answers agree.
      const [left, right] = lease.candidates.map((c) => c.content.length);
      const answer =
        lease.task.kind === "pairwise"
          ? { strength: left! >= right! ? -2 : 2, seconds: 9 }
          : { ranking: lease.candidates.map((_, i) => i + 1), seconds: 9 };
      const res = await annotator.request.post(`/api/assignments/${lease.assignment.id}/judgment`, { data: answer });
      if (res.status() >= 300) await annotator.request.post(`/api/assignments/${lease.assignment.id}/skip`, { data: { reason: "other" } });
    }
    await context.close();
  }
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
    expect(Object.keys(dataHashes(fromCli)), JSON.stringify(fromCli.files)).toContain("train.jsonl");
    expect(manifest.files).toBeDefined();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
