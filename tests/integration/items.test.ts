import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { tasks } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { importItems } from "@/lib/services/import";
import { getItemDetail, listItemsPage } from "@/lib/services/items";
import { actorOf, addMember, makeProject, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
const actors = {} as Record<Role, Actor>;
let slug = "";

const wukong = { name: "孙悟空", profile: { 性别: "男", 口头禅: ["俺老孙来也"] } };
const daiyu = { name: "林黛玉", profile: { 性别: "女" } };

beforeAll(async () => {
  t = await useTestDatabase();
  for (const role of ["annotator", "researcher"] as const) {
    const u = await makeUser(t.db, { role });
    actors[role] = actorOf(u);
  }
  const p = await makeProject(t.db, { overlap: 2 });
  slug = p.slug;
  // Researchers reach only the projects they are members of.
  await addMember(t.db, p.id, actors.researcher!.id);

  const lines = [
    {
      external_id: "a-1",
      character: wukong,
      scene: "花果山",
      context: [{ role: "user", content: "大圣好！" }],
      candidates: [
        { model: "m-a", content: "你好 🐒" },
        { model: "m-b", content: "嗯" },
      ],
    },
    {
      external_id: "a-2",
      character: daiyu,
      context: [{ role: "user", content: "妹妹今日可好？" }],
      candidates: [
        { model: "m-a", content: "罢了" },
        { model: "m-c", content: "好" },
        { model: "m-b", content: "还行" },
      ],
    },
    {
      external_id: "b-3",
      character: wukong,
      context: [{ role: "user", content: "去哪儿？" }],
      candidates: [
        { model: "m-c", content: "天宫" },
        { model: "m-b", content: "龙宫" },
      ],
      gold: { strength: -1 },
    },
  ];
  const result = await importItems(
    { db: t.db, actor: actors.researcher },
    { projectSlug: slug, source: [lines.map((l) => JSON.stringify(l)).join("\n")], format: "jsonl" },
  );
  expect(result.ok).toBe(true);
});

const ctx = (role: Role = "researcher") => ({ db: t.db, actor: actors[role] });

describe("item browser", () => {
  it("lists items with character, models, candidate count and progress over non-gold tasks", async () => {
    const page = await listItemsPage(ctx(), { projectSlug: slug, sort: "external_id" });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => [r.externalId, r.character, r.models, r.candidates, r.tasks, r.judgments, r.needed, r.gold])).toEqual([
      ["a-1", "孙悟空", ["m-a", "m-b"], 2, 1, 0, 2, false],
      ["a-2", "林黛玉", ["m-a", "m-c", "m-b"], 3, 3, 0, 6, false],
      ["b-3", "孙悟空", ["m-c", "m-b"], 2, 0, 0, 0, true],
    ]);
  });

  it("filters by character, model, state and search, sorts and pages", async () => {
    const ids = async (q: Record<string, unknown>) =>
      (await listItemsPage(ctx(), { projectSlug: slug, sort: "external_id", ...q })).rows.map((r) => r.externalId);
    expect(await ids({ character: "孙悟空" })).toEqual(["a-1", "b-3"]);
    expect(await ids({ model: "m-c" })).toEqual(["a-2", "b-3"]);
    expect(await ids({ search: "黛" })).toEqual(["a-2"]);
    expect(await ids({ search: "龙宫" })).toEqual([]); // candidates are not searched, the dialogue is
    expect(await ids({ search: "去哪" })).toEqual(["b-3"]);
    expect(await ids({ sort: "candidates", desc: "true" })).toEqual(["a-2", "b-3", "a-1"]);
    const second = await listItemsPage(ctx(), { projectSlug: slug, sort: "external_id", page: "2", pageSize: "2" });
    expect([second.total, second.rows.map((r) => r.externalId)]).toEqual([3, ["b-3"]]);

    // Complete the one task of a-1: it leaves "open".
    const a1 = (await listItemsPage(ctx(), { projectSlug: slug, search: "a-1" })).rows[0]!;
    await t.db.update(tasks).set({ validJudgments: 2 }).where(eq(tasks.itemId, a1.id));
    expect(await ids({ state: "open" })).toEqual(["a-2"]);
    expect(await ids({ state: "complete" })).toEqual(["a-1", "b-3"]);
    expect((await listItemsPage(ctx(), { projectSlug: slug, search: "a-1" })).rows[0]).toMatchObject({ judgments: 2, needed: 2 });
  });

  it("shows one item with its character card, dialogue, candidates and tasks", async () => {
    const a2 = (await listItemsPage(ctx(), { projectSlug: slug, search: "a-2" })).rows[0]!;
    const item = await getItemDetail(ctx(), { projectSlug: slug, itemId: a2.id });
    expect(item).toMatchObject({
      externalId: "a-2",
      character: { name: "林黛玉", profile: { 性别: "女" } },
      context: [{ role: "user", content: "妹妹今日可好？" }],
      scene: null,
    });
    expect(item.candidates.map((c) => [c.position, c.model, c.content])).toEqual([
      [0, "m-a", "罢了"],
      [1, "m-c", "好"],
      [2, "m-b", "还行"],
    ]);
    expect(item.tasks).toHaveLength(3);
    expect(item.tasks[0]).toMatchObject({
      kind: "pairwise",
      candidateIds: [item.candidates[0]!.id, item.candidates[1]!.id],
      overlap: 2,
      validJudgments: 0,
    });
  });

  it("is staff only, and scoped to the project", async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => "OK",
        (e: unknown) => (e instanceof AppError ? e.code : "ERR"),
      );
    expect(await code(listItemsPage(ctx("annotator"), { projectSlug: slug }))).toBe("FORBIDDEN");
    const a1 = (await listItemsPage(ctx(), { projectSlug: slug, search: "a-1" })).rows[0]!;
    expect(await code(getItemDetail(ctx("annotator"), { projectSlug: slug, itemId: a1.id }))).toBe("FORBIDDEN");
    const other = await makeProject(t.db);
    expect(await code(getItemDetail(ctx(), { projectSlug: other.slug, itemId: a1.id }))).toBe("NOT_FOUND");
    expect(await code(listItemsPage(ctx(), { projectSlug: "nope-nope" }))).toBe("NOT_FOUND");
  });
});
