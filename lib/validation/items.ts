import { z } from "zod";
import { pageNumber, pageSize, queryFlag } from "./list-query";
import { ProjectSlugInput } from "./projects";

const slug = ProjectSlugInput.shape.projectSlug;

/** The options of an import (the file itself travels as a stream, beside them). */
export const ImportRequest = z.object({
  projectSlug: slug,
  format: z.enum(["jsonl", "csv"], { message: 'must be "jsonl" or "csv"' }),
  /** Replace items whose content changed, if they have no judgments yet. */
  update: z.boolean().default(false),
  /** Validate and count only; write nothing. */
  dryRun: z.boolean().default(false),
});
export type ImportRequest = z.infer<typeof ImportRequest>;

/** Columns the item browser sorts by. */
export const ITEM_SORTS = ["id", "external_id", "character", "candidates", "progress"] as const;

/** Filters, sort and page of the item browser (values may arrive as URL strings). */
export const ItemListInput = z.object({
  projectSlug: slug,
  /** Exact character name. */
  character: z.string().trim().max(200).optional(),
  characterId: z.coerce.number().int().positive().optional(),
  /** Items with at least one candidate from this model. */
  model: z.string().trim().max(200).optional(),
  /** open: some non-gold task still needs judgments; complete: none does. */
  state: z.enum(["open", "complete"]).optional(),
  /** Substring of the external id, the character name, the scene or the dialogue. */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(ITEM_SORTS).default("id"),
  desc: queryFlag(false),
  page: pageNumber(),
  pageSize: pageSize(50),
});
export type ItemListInput = z.infer<typeof ItemListInput>;

/** One item of a project. */
export const ItemDetailInput = z.object({
  projectSlug: slug,
  itemId: z.coerce.number().int().positive(),
});
export type ItemDetailInput = z.infer<typeof ItemDetailInput>;

/**
 * Largest import body the HTTP route accepts (512 MiB, roughly 200,000 items with a few
 * thousand characters each); bigger files go through the CLI, which has no limit.
 */
export const IMPORT_MAX_BODY_BYTES = 512 * 1024 * 1024;
