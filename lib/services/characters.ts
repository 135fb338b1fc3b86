import { listCharacters } from "@/db/queries/characters";
import { can } from "@/lib/auth/permissions";
import { forbidden } from "@/lib/errors";
import { parseInput } from "@/lib/validation/parse";
import { z } from "zod";
import type { ServiceContext } from "./context";

export const CharacterListInput = z.object({
  search: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One page of the character library (names search as substrings, Chinese included). */
export async function listCharactersPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "character.read")) throw forbidden();
  const input = parseInput(CharacterListInput, raw);
  const { rows, total } = await listCharacters(ctx.db, {
    search: input.search || undefined,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { rows, total, page: input.page, pageSize: input.pageSize };
}
