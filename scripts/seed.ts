/** `npm run db:seed`: demo users, characters, items and projects (idempotent). */
import { getDb } from "@/db/client";
import { DEMO_USERS, seedDemo } from "@/db/seed/seed";
import { assertLocalOrForced, openDatabase } from "./lib/database";

if (process.argv.includes("--help")) {
  console.log(`Usage: npm run db:seed [-- --force]

Adds the demo users (one per role), characters, items and the demo projects,
one of them (demo-simulated) already judged by five simulated annotators through
the annotation services. Running it again adds nothing that is already there. Refuses a non-local
DATABASE_URL unless --force is given.`);
  process.exit(0);
}

const db = await openDatabase({ migrate: true });
try {
  assertLocalOrForced(db.url, process.argv.includes("--force"));
  const summary = await seedDemo(getDb());
  console.log(
    `Seeded: ${summary.users} users, ${summary.projects} projects, ${summary.characters} characters, ${summary.items} items, ${summary.tasks} tasks, ${summary.judgments} simulated judgments added.`,
  );
  console.log("Demo accounts:");
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(10)} ${u.email.padEnd(28)} ${u.password}`);
} catch (error) {
  console.error(`db:seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
