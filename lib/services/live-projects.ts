/**
 * Creating a live project from names, as `npm run project:create -- --kind live` takes them:
 * characters by name (as an import or a card import stored them; of several characters with
 * one name, the newest), endpoints by their registry name. Everything else is the common
 * project path (createProject: the same settings schema as the UI).
 */
import { getCharactersByNames, getEndpointsByNames } from "@/db/queries/live";
import { AppError } from "@/lib/errors";
import type { ServiceContext, CliContext } from "./context";
import { createProject } from "./projects";

export type CreateLiveProjectInput = {
  slug: string;
  name: string;
  characters: string[];
  endpoints: string[];
  perTurn: number;
  turns?: number;
  status?: string;
  scene?: string;
  userRole?: string;
  description?: string;
  guidelines?: string;
  /** Further settings (dimensions, rationale, …) as in --settings. */
  settings?: Record<string, unknown>;
};

export async function createLiveProject(ctx: ServiceContext | CliContext, input: CreateLiveProjectInput) {
  const names = distinctNames(input.characters);
  const characterIds = idsOf("characters", "character", "(import it or its card first)", names, await getCharactersByNames(ctx.db, names));
  const endpointNames = distinctNames(input.endpoints);
  const endpointIds = idsOf(
    "endpoints",
    "active endpoint",
    "(npm run endpoint:add)",
    endpointNames,
    await getEndpointsByNames(ctx.db, endpointNames),
  );
  const settings = {
    mode: input.perTurn === 2 ? "pairwise" : "ranking",
    overlap: 1,
    ...(input.settings ?? {}),
    live: {
      characterIds,
      endpointIds,
      perTurn: input.perTurn,
      ...(input.turns !== undefined ? { turnBudget: input.turns } : {}),
      ...(input.scene ? { scene: input.scene } : {}),
      ...(input.userRole ? { userRole: input.userRole } : {}),
    },
  };
  return createProject(ctx, {
    slug: input.slug,
    name: input.name,
    description: input.description,
    guidelines: input.guidelines,
    status: input.status,
    settings,
  });
}

const distinctNames = (names: string[]) => [...new Set(names.map((n) => n.trim()).filter(Boolean))];

/**
 * The ids of `names` in their order, from the rows found (the first row of a name wins: the
 * queries list the newest first); a validation error on `field` naming every name not found.
 */
function idsOf(field: string, what: string, hint: string, names: string[], found: { id: number; name: string }[]): number[] {
  const missing = names.filter((n) => !found.some((r) => r.name === n));
  if (missing.length > 0) {
    throw new AppError("VALIDATION", `${field}: no ${what} named ${missing.map((n) => `"${n}"`).join(", ")} ${hint}`, {
      [field]: [`no ${what} named ${missing.join(", ")}`],
    });
  }
  return names.map((n) => found.find((r) => r.name === n)!.id);
}
