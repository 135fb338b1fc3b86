/** `npm run user:create -- --email E --role R [--name N]` */
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/services/users";
import { fail, parseCli, readStdin } from "./lib/cli";
import { openDatabase } from "./lib/database";

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
    if (error instanceof AppError) {
      const fields = error.fields ? Object.entries(error.fields).map(([f, m]) => `  --${f}: ${m.join("; ")}`).join("\n") : "";
      fail(`user:create: ${error.message}${fields && error.code === "VALIDATION" ? `\n${fields}` : ""}`);
    } else {
      fail(`user:create failed: ${(error as Error).message}`);
    }
  } finally {
    await db.close();
  }
}
