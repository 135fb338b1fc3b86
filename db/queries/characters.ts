import { asc, count, desc, eq, ilike, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { characters, type NewCharacter, projectCharacters, projects } from "@/db/schema";

/** Characters with how many projects and items use them (character table). */
export type CharacterSort = "name" | "items" | "projects" | "created";

export async function listCharacters(
  db: Db,
  params: { search?: string; sort?: CharacterSort; desc?: boolean; limit: number; offset: number },
) {
  const where = params.search ? ilike(characters.name, `%${params.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined;
  const projectsCount = sql<number>`(select count(*)::int from project_characters pc where pc.character_id = ${characters.id})`;
  const itemsCount = sql<number>`(select count(*)::int from items i where i.character_id = ${characters.id})`;
  const key = { name: characters.name, items: itemsCount, projects: projectsCount, created: characters.createdAt }[params.sort ?? "name"];
  const [rows, [total]] = await Promise.all([
    db
      .select({ id: characters.id, name: characters.name, profile: characters.profile, projects: projectsCount, items: itemsCount })
      .from(characters)
      .where(where)
      .orderBy(params.desc ? desc(key) : asc(key), asc(characters.id))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(characters).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function getCharacterById(db: Db, id: number) {
  const [row] = await db.select().from(characters).where(eq(characters.id, id)).limit(1);
  return row;
}

export async function getCharacterByHash(db: Db, hash: string) {
  const [row] = await db.select().from(characters).where(eq(characters.contentHash, hash)).limit(1);
  return row;
}

export async function insertCharacter(db: Db, values: NewCharacter) {
  const [row] = await db.insert(characters).values(values).returning();
  return row!;
}

export async function updateCharacterRow(db: Db, id: number, patch: Partial<NewCharacter>) {
  const [row] = await db
    .update(characters)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(characters.id, id))
    .returning();
  return row;
}

/** Projects using a character, with how many of their items do. */
export async function listCharacterProjects(db: Db, characterId: number) {
  return db
    .select({
      slug: projects.slug,
      name: projects.name,
      items: sql<number>`(select count(*)::int from items i where i.project_id = ${projects.id} and i.character_id = ${characterId})`,
    })
    .from(projectCharacters)
    .innerJoin(projects, eq(projects.id, projectCharacters.projectId))
    .where(eq(projectCharacters.characterId, characterId))
    .orderBy(projects.name);
}
