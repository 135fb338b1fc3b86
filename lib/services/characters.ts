import { z } from "zod";
import {
  getCharacterByHash,
  getCharacterById,
  insertCharacter,
  listCharacterProjects,
  listCharacters,
  updateCharacterRow,
} from "@/db/queries/characters";
import { can } from "@/lib/auth/permissions";
import { contentHash } from "@/lib/domain/canonical";
import { AppError, conflict, forbidden, notFound } from "@/lib/errors";
import { CharacterFormInput, CharacterInput } from "@/lib/validation/characters";
import { parseInput } from "@/lib/validation/parse";
import { recordAudit } from "./audit";
import type { ServiceContext } from "./context";

export const CharacterListInput = z.object({
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "items", "projects", "created"]).default("name"),
  desc: z.preprocess((v) => v === "1" || v === true, z.boolean()).default(false),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One page of the character library (names search as substrings, Chinese included). */
export async function listCharactersPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.read")) throw forbidden();
  const input = parseInput(CharacterListInput, raw);
  const { rows, total } = await listCharacters(ctx.db, {
    search: input.search || undefined,
    sort: input.sort,
    desc: input.desc,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { rows, total, page: input.page, pageSize: input.pageSize, sort: input.sort, desc: input.desc };
}

/** A character with the projects that use it. */
export async function getCharacterDetail(ctx: ServiceContext, params: { id: number }) {
  if (!can(ctx.actor.role, "character.read")) throw forbidden();
  const character = await getCharacterById(ctx.db, params.id);
  if (!character) throw notFound("The character");
  return { character, projects: await listCharacterProjects(ctx.db, character.id) };
}

/** Name + profile from the form's JSON text, with errors naming the field. */
export function parseCharacterForm(raw: unknown): CharacterInput {
  const form = parseInput(CharacterFormInput, raw);
  let profile: unknown;
  try {
    profile = form.profileJson.trim() ? JSON.parse(form.profileJson) : {};
  } catch (error) {
    throw new AppError("VALIDATION", `profile: is not valid JSON (${(error as Error).message})`, {
      profile: [`is not valid JSON: ${(error as Error).message}`],
    });
  }
  return parseInput(CharacterInput, { name: form.name, profile });
}

/** Creates a character; identical name + profile already stored is a conflict. */
export async function createCharacter(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.write")) throw forbidden();
  const input = parseInput(CharacterInput, raw);
  const hash = contentHash({ name: input.name, profile: input.profile });
  return ctx.db.transaction(async (tx) => {
    const same = await getCharacterByHash(tx, hash);
    if (same) throw conflict(`This character already exists (id ${same.id}).`);
    const character = await insertCharacter(tx, { name: input.name, profile: input.profile, contentHash: hash, createdBy: ctx.actor.id });
    await recordAudit({ db: tx, actor: ctx.actor }, { action: "character.create", targetType: "character", targetId: character.id, details: { name: character.name } });
    return character;
  });
}

/** Edits a character's name and profile (what annotators see from now on). */
export async function updateCharacter(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.write")) throw forbidden();
  const input = parseInput(z.object({ id: z.coerce.number().int().positive(), character: CharacterInput }), raw);
  const hash = contentHash({ name: input.character.name, profile: input.character.profile });
  return ctx.db.transaction(async (tx) => {
    const existing = await getCharacterById(tx, input.id);
    if (!existing) throw notFound("The character");
    if (existing.contentHash === hash) return existing;
    const same = await getCharacterByHash(tx, hash);
    if (same) throw conflict(`Another character has exactly this name and profile (id ${same.id}).`);
    const updated = await updateCharacterRow(tx, existing.id, { name: input.character.name, profile: input.character.profile, contentHash: hash });
    await recordAudit({ db: tx, actor: ctx.actor }, {
      action: "character.update",
      targetType: "character",
      targetId: existing.id,
      details: { name: input.character.name, previousName: existing.name },
    });
    return updated!;
  });
}
