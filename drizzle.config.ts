import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are applied by scripts/migrate.ts (db/migrate.ts),
// which also knows how to reach the embedded server.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: undefined,
  strict: true,
});
