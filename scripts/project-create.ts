/**
 * `npm run project:create -- --slug S --name N [--settings F.json] [--description D] [--guidelines F.md] [--status S]`
 * `npm run project:create -- --slug S --name N --kind live --character NAME[,NAME…] --endpoints E1,E2[,…] --per-turn K [--turns T] [--scene TEXT] [--user-role TEXT] [--status S]`
 */
import { readFile } from "node:fs/promises";
import { getDb } from "@/db/client";
import { createLiveProject } from "@/lib/services/live-projects";
import { createProject } from "@/lib/services/projects";
import { fail, parseCli } from "./lib/cli";
import { openDatabase } from "./lib/database";
import { describeError } from "./lib/report";

const USAGE = `Usage: npm run project:create -- --slug S --name N [--settings F.json] [--description D] [--guidelines F.md] [--status draft|active|paused|archived]
       npm run project:create -- --slug S --name N --kind live --character NAME[,NAME…] --endpoints E1,E2[,…] --per-turn K [--turns T] [--scene TEXT] [--user-role TEXT] [--settings F.json] [--status S]

Creates a project. --settings is a JSON file validated by the same schema as the UI
(keys: mode, scalePoints, overlap, dimensions, goldRatio, goldMinAccuracy,
leaseMinutes, maxLeasesPerAnnotator, editWindowMinutes, rationale, markdown, pairing,
baselineModel, allowRankingTies, allowBothUnacceptable, safetyFlags); omitted keys
take their defaults.

--kind live creates a live project: annotators play the user opposite a character drawn
from --character (names of characters that exist from an import or a card import), and
every turn compares K = 2–4 replies (--per-turn) from the endpoint pool --endpoints
(registered names, at least two), chosen uniformly; --turns is the turn budget of a
session (default 12).`;

const { values } = parseCli(USAGE, {
  slug: { type: "string" },
  name: { type: "string" },
  settings: { type: "string" },
  description: { type: "string" },
  guidelines: { type: "string" },
  status: { type: "string" },
  kind: { type: "string" },
  character: { type: "string" },
  endpoints: { type: "string" },
  "per-turn": { type: "string" },
  turns: { type: "string" },
  scene: { type: "string" },
  "user-role": { type: "string" },
});

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const live = values.kind === "live";

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
} else if (values.kind !== undefined && values.kind !== "live" && values.kind !== "static") {
  fail(`--kind must be live or static (got "${values.kind}").\n\n${USAGE}`, 2);
} else if (live && (!values.character || !values.endpoints || !values["per-turn"])) {
  fail(`--kind live needs --character, --endpoints and --per-turn.\n\n${USAGE}`, 2);
} else if (live && (!/^[2-4]$/.test(values["per-turn"]!) || (values.turns !== undefined && !/^[1-9]\d*$/.test(values.turns)))) {
  fail(`--per-turn must be 2, 3 or 4 and --turns a positive whole number.\n\n${USAGE}`, 2);
} else {
  try {
    const settings = values.settings ? await readJsonFile(values.settings) : undefined;
    const guidelines = values.guidelines ? await readFile(values.guidelines, "utf8") : undefined;
    const db = await openDatabase({ migrate: true, quiet: true });
    try {
      if (live) {
        const project = await createLiveProject(
          { db: getDb(), actor: null },
          {
            slug: values.slug,
            name: values.name,
            description: values.description,
            guidelines,
            status: values.status,
            characters: list(values.character),
            endpoints: list(values.endpoints),
            perTurn: Number(values["per-turn"]),
            turns: values.turns === undefined ? undefined : Number(values.turns),
            scene: values.scene,
            userRole: values["user-role"],
            settings: settings as Record<string, unknown> | undefined,
          },
        );
        const l = project.settings.live!;
        console.log(
          `Created live project ${project.slug} (id ${project.id}): ${l.characterIds.length} character(s), ${l.endpointIds.length} endpoints, ${l.perTurn} replies per turn, ${l.turnBudget} turns per session.`,
        );
      } else {
        const project = await createProject(
          { db: getDb(), actor: null },
          { slug: values.slug, name: values.name, description: values.description, guidelines, status: values.status, settings },
        );
        console.log(
          `Created project ${project.slug} (id ${project.id}): ${project.mode}, ${project.scalePoints}-point scale, overlap ${project.overlap}.`,
        );
      }
    } finally {
      await db.close();
    }
  } catch (error) {
    fail(describeError("project:create", error));
  }
}
