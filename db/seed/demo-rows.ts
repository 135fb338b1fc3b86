/** Row writers the demo seeds share (seed.ts, simulated-project.ts). */
import type { Db } from "@/db/client";
import { candidates, items, projectCharacters, type GoldAnswer } from "@/db/schema";
import type { DemoMessage } from "./demo-content";

/**
 * Links the item's character to the project and inserts the item with its candidates;
 * returns the item's id and the candidates' ids by position, or null when the project
 * already has the item (a second seeding).
 */
export async function insertDemoItem(
  db: Db,
  row: {
    projectId: number;
    characterId: number;
    item: { externalId: string; scene?: string; context: DemoMessage[]; gold?: GoldAnswer };
    language: string | null;
    metadata: Record<string, unknown>;
    contentHash: string;
    candidates: readonly { model: string; content: string }[];
  },
): Promise<{ itemId: number; candidateIds: number[] } | null> {
  const { projectId, characterId, item } = row;
  await db.insert(projectCharacters).values({ projectId, characterId }).onConflictDoNothing();
  const [inserted] = await db
    .insert(items)
    .values({
      projectId,
      externalId: item.externalId,
      characterId,
      scene: item.scene ?? null,
      context: item.context,
      gold: item.gold ?? null,
      metadata: row.metadata,
      language: row.language,
      contentHash: row.contentHash,
    })
    .onConflictDoNothing()
    .returning({ id: items.id });
  if (!inserted) return null;
  if (row.candidates.length === 0) return { itemId: inserted.id, candidateIds: [] };
  const rows = await db
    .insert(candidates)
    .values(row.candidates.map((c, position) => ({ itemId: inserted.id, position, model: c.model, content: c.content })))
    .returning({ id: candidates.id, position: candidates.position });
  return { itemId: inserted.id, candidateIds: rows.sort((a, b) => a.position - b.position).map((c) => c.id) };
}
