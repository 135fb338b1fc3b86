/** `npm run project:members -- --project S --add E1,E2 [--remove E3]` */
import { getDb } from "@/db/client";
import { updateProjectMembers } from "@/lib/services/projects";
import { splitEmails } from "@/lib/validation/projects";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run project:members -- --project S [--add E1,E2] [--remove E3]

Adds and removes project members by email (comma-separated). All or nothing: an
unknown email changes nothing and is named.`;

const { values } = parseCli(USAGE, {
  project: { type: "string" },
  add: { type: "string" },
  remove: { type: "string" },
});

if (!values.project || (!values.add && !values.remove)) {
  fail(`--project and at least one of --add / --remove are required.\n\n${USAGE}`, 2);
} else {
  const db = await openDatabase({ migrate: true, quiet: true });
  try {
    const result = await updateProjectMembers(
      { db: getDb(), actor: null },
      { slug: values.project, add: splitEmails(values.add), remove: splitEmails(values.remove) },
    );
    console.log(
      `${values.project}: added ${result.added.length}${result.added.length ? ` (${result.added.join(", ")})` : ""}, removed ${result.removed.length}${result.removed.length ? ` (${result.removed.join(", ")})` : ""}, unchanged ${result.unchanged}.`,
    );
  } catch (error) {
    fail(describeError("project:members", error));
  } finally {
    await db.close();
  }
}
