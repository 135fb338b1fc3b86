/**
 * Creating a live project from names, as `npm run project:create -- --kind live` takes them:
 * characters by name (as an import or a card import stored them; of several characters with
 * one name, the newest), endpoints by their registry name. Everything else is the common
 * project path (createProject: the same settings schema as the UI).
 */
import { getCharactersByNames, getEndpointsByNames } from "@/db/queries/live";
import { AppError } from "@/lib/errors";
import type { ServiceContext } from "./context";
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

export async function createLiveProject(ctx: ServiceContext | { db: ServiceContext["db"]; actor: null }, input: CreateLiveProjectInput) {
  const names = [...new Set(input.characters.map((n) => n.trim()).filter(Boolean))];
  const found = await getCharactersByNames(ctx.db, names);
  const missingCharacters = names.filter((n) => !found.some((c) => c.name === n));
  if (missingCharacters.length > 0) {
    throw new AppError(
      "VALIDATION",
      `characters: no character named ${missingCharacters.map((n) => `"${n}"`).join(", ")} (import it or its card first)`,
      {
        characters: [`no character named ${missingCharacters.join(", ")}`],
      },
    );
  }
  const characterIds = names.map((n) => found.find((c) => c.name === n)!.id);
  const endpointNames = [...new Set(input.endpoints.map((n) => n.trim()).filter(Boolean))];
  const endpoints = await getEndpointsByNames(ctx.db, endpointNames);
  const missingEndpoints = endpointNames.filter((n) => !endpoints.some((e) => e.name === n));
  if (missingEndpoints.length > 0) {
    throw new AppError(
      "VALIDATION",
      `endpoints: no active endpoint named ${missingEndpoints.map((n) => `"${n}"`).join(", ")} (npm run endpoint:add)`,
      {
        endpoints: [`no active endpoint named ${missingEndpoints.join(", ")}`],
      },
    );
  }
  const settings = {
    mode: input.perTurn === 2 ? "pairwise" : "ranking",
    overlap: 1,
    ...(input.settings ?? {}),
    live: {
      characterIds,
      endpointIds: endpointNames.map((n) => endpoints.find((e) => e.name === n)!.id),
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
