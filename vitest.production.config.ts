import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Tests against the production build (`next start`): several instances on one database,
 * and database faults under load. They need `npm run build` first, so they are not part
 * of `vitest run`; `npm run test:e2e` runs them right after its build
 * (`npm run test:production` runs them alone on an existing build).
 */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    name: "production",
    include: ["tests/production/**/*.test.ts"],
    // One file at a time: each starts app servers, and the machine has 2 cores.
    fileParallelism: false,
    globalSetup: ["tests/setup/global-db.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
