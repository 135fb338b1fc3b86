/**
 * Reads of the item browser. Each list is one statement: per-item figures come from
 * lateral subqueries served by candidates_item_position_key and tasks_item_candidates_key
 * (both lead with item_id), never from a query per row.
 */
import { and, eq, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow, Wire } from "@/db/queries/rows";
import { type CharacterProfile, type ContextMessage, candidates, characters, type GoldAnswer, items, tasks } from "@/db/schema";
import type { TaskKind } from "@/lib/domain/enums";

export type ItemListParams = {
  projectId: number;
  characterId?: number;
  characterName?: string;
  model?: string;
  state?: "open" | "complete";
  search?: string;
  sort: "id" | "external_id" | "character" | "candidates" | "progress";
  desc: boolean;
  limit: number;
  offset: number;
};

export type ItemListRow = {
  id: number;
  externalId: string;
  characterId: number;
  character: string;
  /** Models of the candidates, in canonical order. */
  models: string[];
  candidates: number;
  /** Non-gold tasks, valid judgments on them (each capped at its overlap), and judgments needed. */
  tasks: number;
  judgments: number;
  needed: number;
  gold: boolean;
  createdAt: string;
};

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filters(p: ItemListParams): SQL {
  const parts: SQL[] = [sql`i.project_id = ${p.projectId}`];
  if (p.characterId !== undefined) parts.push(sql`i.character_id = ${p.characterId}`);
  if (p.characterName !== undefined) parts.push(sql`c.name = ${p.characterName}`);
  if (p.model !== undefined) parts.push(sql`exists (select 1 from candidates m where m.item_id = i.id and m.model = ${p.model})`);
  // open: a non-gold task still needs judgments; complete: none does (gold-only items too).
  const open = sql`exists (select 1 from tasks o where o.item_id = i.id and o.gold is null and o.valid_judgments < o.overlap)`;
  if (p.state === "open") parts.push(open);
  if (p.state === "complete") parts.push(sql`not ${open}`);
  if (p.search) {
    const like = likePattern(p.search);
    // ILIKE on the jsonb text: slow only on very large projects, and needs no extension.
    parts.push(sql`(i.external_id ilike ${like} or c.name ilike ${like} or i.scene ilike ${like} or i.context::text ilike ${like})`);
  }
  return sql.join(parts, sql` and `);
}

const ORDER: Record<ItemListParams["sort"], SQL> = {
  id: sql`i.id`,
  external_id: sql`i.external_id`,
  character: sql`c.name`,
  candidates: sql`k.n`,
  progress: sql`(coalesce(t.judged, 0)::float8 / nullif(t.needed, 0))`,
};

/** One page of a project's items with their progress, and the total matching the filters. */
export async function listItems(db: Db, p: ItemListParams): Promise<{ rows: ItemListRow[]; total: number }> {
  const where = filters(p);
  const dir = p.desc ? sql`desc nulls last` : sql`asc nulls first`;
  const [page, count] = await Promise.all([
    db.execute<
      RawRow<typeof items, "id" | "externalId" | "characterId" | "createdAt"> & {
        character: Wire<typeof characters.name>;
        models: Wire<typeof candidates.model>[] | null;
        candidates: number;
        tasks: number;
        judged: number;
        needed: number;
        gold: boolean;
      }
    >(sql`
      select i.id, i.external_id, i.character_id, c.name as character, k.models, k.n as candidates,
             coalesce(t.tasks, 0) as tasks, coalesce(t.judged, 0) as judged, coalesce(t.needed, 0) as needed,
             i.gold is not null as gold, i.created_at
      from items i
      join characters c on c.id = i.character_id
      cross join lateral (
        select array_agg(cd.model order by cd.position) as models, count(*)::int as n
        from candidates cd where cd.item_id = i.id) k
      left join lateral (
        select count(*)::int as tasks, sum(least(tk.valid_judgments, tk.overlap))::int as judged, sum(tk.overlap)::int as needed
        from tasks tk where tk.item_id = i.id and tk.gold is null) t on true
      where ${where}
      order by ${ORDER[p.sort]} ${dir}, i.id ${p.desc ? sql`desc` : sql`asc`}
      limit ${p.limit} offset ${p.offset}`),
    db.execute<{ n: number }>(sql`
      select count(*)::int as n from items i join characters c on c.id = i.character_id where ${where}`),
  ]);
  return {
    rows: page.rows.map((r) => ({
      id: Number(r.id),
      externalId: r.external_id,
      characterId: Number(r.character_id),
      character: r.character,
      models: r.models ?? [],
      candidates: r.candidates,
      tasks: r.tasks,
      judgments: r.judged,
      needed: r.needed,
      gold: r.gold,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    total: count.rows[0]?.n ?? 0,
  };
}

export type ItemDetail = {
  id: number;
  externalId: string;
  scene: string | null;
  context: ContextMessage[];
  gold: GoldAnswer | null;
  metadata: Record<string, unknown>;
  language: string | null;
  createdAt: string;
  updatedAt: string;
  character: { id: number; name: string; profile: CharacterProfile };
  candidates: {
    id: number;
    position: number;
    model: string;
    modelVersion: string | null;
    content: string;
    metadata: Record<string, unknown>;
  }[];
  tasks: {
    id: number;
    kind: TaskKind;
    candidateIds: number[];
    overlap: number;
    validJudgments: number;
    gold: GoldAnswer | null;
    goldRetired: boolean;
  }[];
};

/** One item of a project with its character, candidates and tasks (three statements), or undefined. */
export async function getItemDetail(db: Db, params: { projectId: number; itemId: number }): Promise<ItemDetail | undefined> {
  const [item] = await db
    .select({
      id: items.id,
      externalId: items.externalId,
      scene: items.scene,
      context: items.context,
      gold: items.gold,
      metadata: items.metadata,
      language: items.language,
      createdAt: items.createdAt,
      updatedAt: items.updatedAt,
      character: { id: characters.id, name: characters.name, profile: characters.profile },
    })
    .from(items)
    .innerJoin(characters, eq(characters.id, items.characterId))
    .where(and(eq(items.id, params.itemId), eq(items.projectId, params.projectId)));
  if (!item) return undefined;
  const [cands, itemTasks] = await Promise.all([
    db
      .select({
        id: candidates.id,
        position: candidates.position,
        model: candidates.model,
        modelVersion: candidates.modelVersion,
        content: candidates.content,
        metadata: candidates.metadata,
      })
      .from(candidates)
      .where(eq(candidates.itemId, params.itemId))
      .orderBy(candidates.position),
    db
      .select({
        id: tasks.id,
        kind: tasks.kind,
        candidateIds: tasks.candidateIds,
        overlap: tasks.overlap,
        validJudgments: tasks.validJudgments,
        gold: tasks.gold,
        goldRetired: isNotNull(tasks.goldRetiredAt).mapWith(Boolean),
      })
      .from(tasks)
      .where(eq(tasks.itemId, params.itemId))
      .orderBy(tasks.id),
  ]);
  return {
    ...item,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    candidates: cands,
    tasks: itemTasks,
  };
}
