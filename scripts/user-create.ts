/** `npm run user:create -- --email E --role R [--name N]` */
import { getDb } from "@/db/client";
import { createUser } from "@/lib/services/users";
import { fail, parseCli, readStdin } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run user:create -- --email E --role annotator|researcher|lead|admin [--name N]

Creates a user. The password is read from standard input when it is piped
(echo 'a long password' | npm run user:create -- ...); otherwise one is
generated and printed once.`;

const { values } = parseCli(USAGE, {
  email: { type: "string" },
  role: { type: "string" },
  name: { type: "string" },
});

if (!values.email || !values.role) {
  fail(`--email and --role are required.\n\n${USAGE}`, 2);
} else {
  const password = process.stdin.isTTY ? undefined : (await readStdin()).replace(/\r?\n$/, "") || undefined;
  const db = await openDatabase({ migrate: true, quiet: true });
  try {
    const { user, generatedPassword } = await createUser(
      { db: getDb(), actor: null },
      { email: values.email, role: values.role, name: values.name ?? "", password },
    );
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
    if (generatedPassword) console.log(`Password (shown once): ${generatedPassword}`);
  } catch (error) {
    fail(describeError("user:create", error));
  } finally {
    await db.close();
  }
}
