import { fail, parseCli } from "./cli";
import { openDatabase } from "./database";
import { describeError } from "./report";

/**
 * A command about one project (`--project SLUG`, required): opens the database (migrated),
 * runs `run` with the slug, reports a failure as `name: …` with a failing exit code, and
 * closes the database whatever happens.
 */
export async function runProjectCommand(usage: string, name: string, run: (projectSlug: string) => Promise<void>): Promise<void> {
  const { values } = parseCli(usage, { project: { type: "string" } });
  if (!values.project) {
    fail(`--project is required\n\n${usage}`, 2);
    return;
  }
  const handle = await openDatabase({ migrate: true, quiet: true });
  try {
    await run(values.project);
  } catch (error) {
    fail(describeError(name, error));
  } finally {
    await handle.close();
  }
}
