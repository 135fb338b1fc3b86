/** `npm run db:migrate`: applies pending migrations (DATABASE_URL, or the embedded server). */
import { openDatabase } from "./lib/database";

if (process.argv.includes("--help")) {
  console.log(
    "Usage: npm run db:migrate\n\nApplies pending migrations to DATABASE_URL, or to the embedded server under .data/ when it is unset.",
  );
  process.exit(0);
}

const db = await openDatabase({ migrate: true });
console.log(`Migrations applied (${db.embedded ? "embedded server" : "DATABASE_URL"}).`);
await db.close();
