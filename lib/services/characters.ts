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
import { CardFileError, cardToCharacter, readCardFile } from "@/lib/domain/character-card";
import { AppError, conflictError, forbiddenError, notFoundError } from "@/lib/errors";
import { parseCharacterCard } from "@/lib/validation/character-card";
import { CardCharacterInput, CharacterFormInput, CharacterInput } from "@/lib/validation/characters";
import { parseInput } from "@/lib/validation/parse";
import { insertAuditEntry } from "@/db/queries/audit";
import { recordAudit, type AuditAction } from "./audit";
import type { ServiceContext, CliContext } from "./context";

export const CharacterListInput = z.object({
  search: z.string().trim().max(200).optional(),
  sort: z.enum(["name", "items", "projects", "created"]).default("name"),
  desc: z.preprocess((v) => v === "1" || v === true, z.boolean()).default(false),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One page of the character library (names search as substrings, Chinese included). */
export async function listCharactersPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.read")) throw forbiddenError();
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
  if (!can(ctx.actor.role, "character.read")) throw forbiddenError();
  const character = await getCharacterById(ctx.db, params.id);
  if (!character) throw notFoundError("The character");
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
  if (!can(ctx.actor.role, "character.write")) throw forbiddenError();
  const input = parseInput(CharacterInput, raw);
  const hash = contentHash({ name: input.name, profile: input.profile });
  return ctx.db.transaction(async (tx) => {
    const same = await getCharacterByHash(tx, hash);
    if (same) throw conflictError(`This character already exists (id ${same.id}).`);
    const character = await insertCharacter(tx, { name: input.name, profile: input.profile, contentHash: hash, createdBy: ctx.actor.id });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      { action: "character.create", targetType: "character", targetId: character.id, details: { name: character.name } },
    );
    return character;
  });
}

/** Edits a character's name and profile (what annotators see from now on). */
export async function updateCharacter(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.write")) throw forbiddenError();
  const input = parseInput(z.object({ id: z.coerce.number().int().positive(), character: CharacterInput }), raw);
  const hash = contentHash({ name: input.character.name, profile: input.character.profile });
  return ctx.db.transaction(async (tx) => {
    const existing = await getCharacterById(tx, input.id);
    if (!existing) throw notFoundError("The character");
    if (existing.contentHash === hash) return existing;
    const same = await getCharacterByHash(tx, hash);
    if (same) throw conflictError(`Another character has exactly this name and profile (id ${same.id}).`);
    const updated = await updateCharacterRow(tx, existing.id, {
      name: input.character.name,
      profile: input.character.profile,
      contentHash: hash,
    });
    await recordAudit(
      { db: tx, actor: ctx.actor },
      {
        action: "character.update",
        targetType: "character",
        targetId: existing.id,
        details: { name: input.character.name, previousName: existing.name },
      },
    );
    return updated!;
  });
}

/** Most card files one import takes, and the largest file (PNG cards carry the image). */
export const CARD_IMPORT_LIMITS = { maxFiles: 100, maxFileBytes: 20 * 1024 * 1024 } as const;

/** One card file to import: its name (for messages) and bytes. */
export interface CardFile {
  name: string;
  bytes: Uint8Array;
}

export const CardImportOptions = z.object({
  userName: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
});

/** What became of one imported card. */
export interface CardImportResult {
  file: string;
  id: number;
  name: string;
  status: "created" | "unchanged";
  /** spec of the card and where it was found: "json", "png:chara" or "png:ccv3". */
  spec: string;
  source: string;
}

/** A card file's problem as a VALIDATION error naming the file and the field. */
function cardProblem(file: string, error: unknown): AppError {
  if (error instanceof CardFileError) {
    return new AppError("VALIDATION", `${file}: ${error.field}: ${error.message}`, { [`${file}: ${error.field}`]: [error.message] });
  }
  if (error instanceof AppError && error.code === "VALIDATION") {
    const fields = Object.fromEntries(Object.entries(error.fields ?? {}).map(([k, v]) => [`${file}: ${k}`, v]));
    return new AppError("VALIDATION", `${file}: ${error.message}`, fields);
  }
  throw error;
}

/**
 * Imports Character Card V1/V2/V3 files (JSON, or PNG with a `chara` / `ccv3` chunk) as
 * characters, all or nothing: every file is read and checked first, and one bad card
 * refuses the whole import with a message naming the file and the field. A card whose
 * character is already stored (same name and profile) is reported unchanged, so that
 * importing a folder twice is harmless.
 */
export async function importCharacterCards(
  ctx: ServiceContext | CliContext,
  input: { files: readonly CardFile[]; userName?: string },
): Promise<{ characters: CardImportResult[] }> {
  // actor null: the command line, run by whoever operates the server.
  if (ctx.actor && !can(ctx.actor.role, "character.write")) throw forbiddenError();
  const options = parseInput(CardImportOptions, { userName: input.userName });
  if (input.files.length === 0)
    throw new AppError("VALIDATION", "files: choose at least one card file", { files: ["choose at least one card file"] });
  if (input.files.length > CARD_IMPORT_LIMITS.maxFiles) {
    throw new AppError("VALIDATION", `files: at most ${CARD_IMPORT_LIMITS.maxFiles} cards at once`, {
      files: [`at most ${CARD_IMPORT_LIMITS.maxFiles} cards at once`],
    });
  }
  const parsed = input.files.map((file) => {
    if (file.bytes.length > CARD_IMPORT_LIMITS.maxFileBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", `${file.name}: the file is larger than ${CARD_IMPORT_LIMITS.maxFileBytes / 1024 / 1024} MB`);
    }
    try {
      const { json, container } = readCardFile(file.bytes);
      const card = parseCharacterCard(json);
      const character = parseInput(CardCharacterInput, cardToCharacter(card, { userName: options.userName }));
      return { file: file.name, card, character, source: container.kind === "png" ? `png:${container.chunk}` : "json" };
    } catch (error) {
      throw cardProblem(file.name, error);
    }
  });
  return ctx.db.transaction(async (tx) => {
    const results: CardImportResult[] = [];
    const seen = new Map<string, number>();
    for (const p of parsed) {
      const hash = contentHash({ name: p.character.name, profile: p.character.profile });
      const existingId = seen.get(hash) ?? (await getCharacterByHash(tx, hash))?.id;
      const base = { file: p.file, name: p.character.name, spec: p.card.spec, source: p.source };
      if (existingId !== undefined) {
        results.push({ ...base, id: existingId, status: "unchanged" });
        continue;
      }
      const row = await insertCharacter(tx, {
        name: p.character.name,
        profile: p.character.profile,
        contentHash: hash,
        createdBy: ctx.actor?.id ?? null,
      });
      seen.set(hash, row.id);
      await insertAuditEntry(tx, {
        actorId: ctx.actor?.id ?? null,
        action: "character.import_card" satisfies AuditAction,
        targetType: "character",
        targetId: String(row.id),
        projectId: null,
        details: { name: row.name, file: p.file, spec: p.card.spec, source: p.source, via: ctx.actor ? "app" : "cli" },
      });
      results.push({ ...base, id: row.id, status: "created" });
    }
    return { characters: results };
  });
}
