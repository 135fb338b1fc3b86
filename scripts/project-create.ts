/** `npm run project:create -- --slug S --name N [--settings F.json] [--description D] [--guidelines F.md] [--status S]` */
import { readFile } from "node:fs/promises";
import { getDb } from "@/db/client";
import { createProject } from "@/lib/services/projects";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run project:create -- --slug S --name N [--settings F.json] [--description D] [--guidelines F.md] [--status draft|active|paused|archived]

Creates a project. --settings is a JSON file validated by the same schema as the UI
(keys: mode, scalePoints, overlap, dimensions, goldRatio, goldMinAccuracy,
leaseMinutes, maxLeasesPerAnnotator, editWindowMinutes, rationale, markdown, pairing,
baselineModel, allowRankingTies, allowBothUnacceptable, safetyFlags); omitted keys
take their defaults.`;

const { values } = parseCli(USAGE, {
  slug: { type: "string" },
  name: { type: "string" },
  settings: { type: "string" },
  description: { type: "string" },
  guidelines: { type: "string" },
  status: { type: "string" },
});

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read --settings ${path}: ${e.code ?? e.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`--settings ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

if (!values.slug || !values.name) {
  fail(`--slug and --name are required.\n\n${USAGE}`, 2);
} else {
  try {
    const settings = values.settings ? await readJsonFile(values.settings) : undefined;
    const guidelines = values.guidelines ? await readFile(values.guidelines, "utf8") : undefined;
    const db = await openDatabase({ migrate: true, quiet: true });
    try {
      const project = await createProject(
        { db: getDb(), actor: null },
        { slug: values.slug, name: values.name, description: values.description, guidelines, status: values.status, settings },
      );
      console.log(`Created project ${project.slug} (id ${project.id}): ${project.mode}, ${project.scalePoints}-point scale, overlap ${project.overlap}.`);
    } finally {
      await db.close();
    }
  } catch (error) {
    fail(describeError("project:create", error));
  }
}
