/** The item browser: what researchers see of a project's items, as annotators will see them. */
import { getItemDetail as getItemDetailRow, listItems } from "@/db/queries/items";
import { can } from "@/lib/auth/permissions";
import { forbiddenError, notFoundError } from "@/lib/errors";
import { ItemDetailInput, ItemListInput } from "@/lib/validation/items";
import { parseInput } from "@/lib/validation/parse";
import type { ServiceContext } from "./context";
import { requireProjectFor } from "./project-access";

/**
 * One page of a project's items: external id, character, models, candidate count and
 * progress (valid judgments / judgments needed over the item's non-gold tasks), filtered
 * by character, model, state (open / complete) and a search, sorted server-side. Staff only.
 */
export async function listItemsPage(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "project.read")) throw forbiddenError();
  const input = parseInput(ItemListInput, raw);
  const project = await requireProjectFor(ctx, input.projectSlug);
  const { rows, total } = await listItems(ctx.db, {
    projectId: project.id,
    characterId: input.characterId,
    characterName: input.character || undefined,
    model: input.model || undefined,
    state: input.state,
    search: input.search || undefined,
    sort: input.sort,
    desc: input.desc,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { rows, total, page: input.page, pageSize: input.pageSize };
}

/** One item with its character (name and profile), scene, dialogue, candidates and tasks. Staff only. */
export async function getItemDetail(ctx: ServiceContext, raw: unknown) {
  if (!can(ctx.actor.role, "project.read")) throw forbiddenError();
  const input = parseInput(ItemDetailInput, raw);
  const project = await requireProjectFor(ctx, input.projectSlug);
  const item = await getItemDetailRow(ctx.db, { projectId: project.id, itemId: input.itemId });
  if (!item) throw notFoundError("The item");
  return item;
}
