import { asc, count, ilike, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { characters } from "@/db/schema";

/** Characters with how many projects and items use them (character table). */
export async function listCharacters(db: Db, params: { search?: string; limit: number; offset: number }) {
  const where = params.search
    ? ilike(characters.name, `%${params.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: characters.id,
        name: characters.name,
        profile: characters.profile,
        projects: sql<number>`(select count(*)::int from project_characters pc where pc.character_id = ${characters.id})`,
        items: sql<number>`(select count(*)::int from items i where i.character_id = ${characters.id})`,
      })
      .from(characters)
      .where(where)
      .orderBy(asc(characters.name), asc(characters.id))
      .limit(params.limit)
      .offset(params.offset),
    db.select({ n: count() }).from(characters).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}
