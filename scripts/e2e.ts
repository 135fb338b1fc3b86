/**
 * `npm run test:e2e`: makes sure a Chromium is there (Debian's, or Playwright's own where
 * the network allows installing it), builds the production app, then runs Playwright.
 * Set E2E_SKIP_BUILD=1 to reuse an existing build.
 *
 * On the same build, before Playwright: the production tests (tests/production: two
 * instances on one database, database faults under load). They are skipped with
 * E2E_SKIP_PRODUCTION=1, or when arguments pick Playwright specs.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status ?? 1;
}

const system = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!system) {
  const { chromium } = await import("@playwright/test");
  if (!existsSync(chromium.executablePath())) {
    console.log("[e2e] No system Chromium found: installing Playwright's Chromium …");
    if (run("npx", ["playwright", "install", "chromium"]) !== 0) {
      console.error("[e2e] Could not install a browser. Install Chromium (e.g. `apt-get install chromium`) or set CHROMIUM_PATH.");
      process.exit(1);
    }
  }
}

if (process.env.E2E_SKIP_BUILD !== "1") {
  // The production build must not depend on a database: pages are dynamic.
  const status = run("npx", ["next", "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  if (status !== 0) process.exit(status);
}
if (process.env.E2E_SKIP_PRODUCTION !== "1" && process.argv.length <= 2) {
  const status = run("npx", ["vitest", "run", "--config", "vitest.production.config.ts"]);
  if (status !== 0) process.exit(status);
}
process.exit(run("npx", ["playwright", "test", ...process.argv.slice(2)]));
