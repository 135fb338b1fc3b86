/**
 * The README's architecture table names every top-level folder of lib/, db/, components/
 * and scripts/, so that a newcomer finds each one explained.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

it("names every folder of lib/, db/, components/ and scripts/ in the architecture table", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Architecture"));
  const missing: string[] = [];
  for (const top of ["lib", "db", "components", "scripts"]) {
    for (const entry of readdirSync(path.join(root, top), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = `${top}/${entry.name}/`;
      // Its own row (`db/seed/`), or its name (`ui/`) in the row of its parent (`components/`).
      const named =
        table.includes(`\`${full}\``) ||
        table.split("\n").some((line) => line.startsWith(`| \`${top}/\``) && line.includes(`\`${entry.name}/\``));
      if (!named) missing.push(full);
    }
  }
  expect(missing).toEqual([]);
});
