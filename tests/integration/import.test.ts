import { and, asc, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, candidates, characters, items, judgments, projectCharacters, tasks } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/services/context";
import { importItems, importUpload, type ImportResult } from "@/lib/services/import";
import type { ImportLineInput } from "@/lib/validation/import";
import type { ProjectSettings } from "@/lib/validation/project-settings";
import { makeActors, makeAssignment, makeProjectWithStaff, makeUser } from "../factories";
import { codeOf } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [actors.researcher, actors.lead]);

let t: TestDatabase;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db, { locale: "zh-CN" });
});

const ctx = (role: Role = "researcher") => ({ db: t.db, actor: actors[role] });

const WUKONG = {
  name: "孙悟空",
  profile: { 性别: "男", 性格: "桀骜不驯，重情重义！", 口头禅: ["俺老孙来也～", "吃俺老孙一棒！"], 关系: { 师父: "唐僧" } },
};

/** A valid line; `over` replaces fields. */
function line(id: string, over: Partial<ImportLineInput> = {}): ImportLineInput {
  return {
    external_id: id,
    character: WUKONG,
    scene: "花果山水帘洞，夜。（全角括号）",
    context: [
      { role: "user", content: "大圣，你今天去哪儿了？🙂" },
      { role: "assistant", content: "俺老孙去南天门溜达了一圈！" },
      { role: "user", content: "那边好玩吗？ＡＢＣ，１２３。" },
    ],
    candidates: [
      { model: "index-1.9b-dpo", content: `（挠头）好玩得很！🐒🍑 ${id}` },
      { model: "baseline", content: `还行吧。  ${id}\n第二行` },
    ],
    ...over,
  };
}

const jsonl = (lines: unknown[]) => `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`;

/** Streams text as small byte chunks, splitting multi-byte characters across chunks. */
function chunks(text: string, size = 7): Uint8Array[] {
  const bytes = Buffer.from(text, "utf8");
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function run(
  slug: string,
  text: string,
  options: { format?: "jsonl" | "csv"; update?: boolean; dryRun?: boolean; role?: Role } = {},
): Promise<ImportResult> {
  return importItems(ctx(options.role), {
    projectSlug: slug,
    source: chunks(text),
    format: options.format ?? "jsonl",
    update: options.update,
    dryRun: options.dryRun,
  });
}

/** Row counts of everything an import writes. */
async function snapshot(db: Db) {
  const c = async (
    table: typeof items | typeof candidates | typeof tasks | typeof characters | typeof projectCharacters | typeof auditLog,
  ) => (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    items: await c(items),
    candidates: await c(candidates),
    tasks: await c(tasks),
    characters: await c(characters),
    projectCharacters: await c(projectCharacters),
    audit: await c(auditLog),
  };
}

async function itemTasks(projectId: number, externalId: string) {
  const [item] = await t.db
    .select()
    .from(items)
    .where(and(eq(items.projectId, projectId), eq(items.externalId, externalId)));
  const cands = await t.db.select().from(candidates).where(eq(candidates.itemId, item!.id)).orderBy(asc(candidates.position));
  const ts = await t.db.select().from(tasks).where(eq(tasks.itemId, item!.id)).orderBy(asc(tasks.id));
  const models = (ids: number[]) => ids.map((id) => cands.find((c) => c.id === id)!.model);
  return { item: item!, candidates: cands, tasks: ts.map((x) => ({ ...x, models: models(x.candidateIds) })) };
}

describe("importItems", () => {
  it("imports JSONL and keeps Chinese, emoji and full-width text exactly, with tasks, characters and an audit entry", async () => {
    const p = await makeProject(t.db, { overlap: 3 });
    const lines = [line("u-1"), line("u-2", { metadata: { source: "测试", language: "zh" } }), line("u-3")];
    const progress: number[] = [];
    const result = await importItems(ctx(), {
      projectSlug: p.slug,
      source: chunks(jsonl(lines)),
      format: "jsonl",
      onProgress: (x) => progress.push(x.lines),
    });
    expect(result).toMatchObject({
      ok: true,
      created: 3,
      updated: 0,
      unchanged: 0,
      tasksCreated: 3,
      charactersCreated: 1,
      problemCount: 0,
      lines: 3,
    });
    expect(progress.length).toBeGreaterThan(0);

    for (const src of lines) {
      const { item, candidates: cands, tasks: ts } = await itemTasks(p.id, src.external_id as string);
      expect(item.scene).toBe(src.scene);
      expect(item.context).toEqual(src.context);
      expect(cands.map((c) => [c.model, c.content])).toEqual(src.candidates!.map((c) => [c.model, c.content]));
      // Byte for byte, not just string equality after a round trip through JS.
      expect(Buffer.from(cands[0]!.content, "utf8").equals(Buffer.from(src.candidates![0]!.content as string, "utf8"))).toBe(true);
      expect(ts).toHaveLength(1);
      expect(ts[0]).toMatchObject({ kind: "pairwise", overlap: 3, gold: null, scalePoints: 7, candidateIds: [cands[0]!.id, cands[1]!.id] });
    }
    const [u2] = await t.db
      .select()
      .from(items)
      .where(and(eq(items.projectId, p.id), eq(items.externalId, "u-2")));
    expect(u2).toMatchObject({ metadata: { source: "测试", language: "zh" }, language: "zh" });

    const chars = await t.db
      .select({ id: characters.id, name: characters.name, profile: characters.profile })
      .from(projectCharacters)
      .innerJoin(characters, eq(characters.id, projectCharacters.characterId))
      .where(eq(projectCharacters.projectId, p.id));
    expect(chars).toHaveLength(1);
    expect(chars[0]!.profile).toEqual(WUKONG.profile);

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, p.id), eq(auditLog.action, "items.import")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: actors.researcher.id, details: { created: 3, tasksCreated: 3, format: "jsonl" } });
  });

  it("stores an identical inline character once across projects", async () => {
    const p1 = await makeProject(t.db);
    const p2 = await makeProject(t.db);
    const other = { name: "林黛玉", profile: { 性别: "女", 口头禅: ["罢了"] } };
    expect((await run(p1.slug, jsonl([line("d-1", { character: other })]))).charactersCreated).toBe(1);
    expect((await run(p2.slug, jsonl([line("d-1", { character: other })]))).charactersCreated).toBe(0);
    expect(await t.db.select({ n: count() }).from(characters).where(eq(characters.name, "林黛玉"))).toEqual([{ n: 1 }]);
  });

  it("imports the CSV form, quotes and line breaks kept exactly", async () => {
    const p = await makeProject(t.db);
    const csv = [
      "external_id,character,profile,prompt,candidate_a,model_a,candidate_b,model_b,gold_strength,gold_accept,metadata.source",
      `c-1,孙悟空,"{""性别"": ""男""}",师兄，师父又被抓走了！,"（跳起来）什么？""又""被抓了？\r\n八戒看好行李！",m-a,好的，我这就去。😀,m-b,,,csv`,
      `c-2,孙悟空,"{""性别"": ""男""}",大圣？,俺在！,m-a,谁叫我？,m-b,-2,-3;-2;-1,csv`,
    ].join("\r\n");
    const result = await run(p.slug, csv, { format: "csv" });
    expect(result).toMatchObject({ ok: true, created: 2, tasksCreated: 2, charactersCreated: 1 });
    const c1 = await itemTasks(p.id, "c-1");
    expect(c1.candidates[0]!.content).toBe('（跳起来）什么？"又"被抓了？\r\n八戒看好行李！');
    expect(c1.item.context).toEqual([{ role: "user", content: "师兄，师父又被抓走了！" }]);
    expect(c1.item.metadata).toEqual({ source: "csv" });
    const c2 = await itemTasks(p.id, "c-2");
    expect(c2.tasks[0]).toMatchObject({ overlap: 1000, gold: { strength: -2, accept: [-3, -2, -1] } });
  });

  it("refuses a file with one broken line in the middle: nothing imported, the line and field named", async () => {
    const p = await makeProject(t.db);
    const before = await snapshot(t.db);
    const bad = line("b-3", {
      candidates: [
        { model: "a", content: "甲" },
        { model: "", content: "乙" },
      ],
    });
    const text = jsonl([line("b-1"), line("b-2"), bad, line("b-4"), line("b-5")]);
    const result = await run(p.slug, text);
    expect(result).toMatchObject({ ok: false, created: 0, tasksCreated: 0, problemCount: 1, truncated: false, lines: 5, items: 4 });
    expect(result.problems).toEqual([{ line: 3, field: "candidates[1].model", message: "must not be empty" }]);
    expect(await snapshot(t.db)).toEqual(before);

    // Invalid JSON in the middle is named too.
    const broken = await run(p.slug, jsonl([line("b-1"), '{"external_id": "b-2",', line("b-3")]));
    expect(broken.problems).toEqual([expect.objectContaining({ line: 2, field: "(line)" })]);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("reports every problem, capped at 100 and all counted", async () => {
    const p = await makeProject(t.db);
    const text = jsonl(Array.from({ length: 150 }, (_, i) => line(`cap-${i}`, { context: [] })));
    const result = await run(p.slug, text);
    expect(result).toMatchObject({ ok: false, problemCount: 150, truncated: true });
    expect(result.problems).toHaveLength(100);
    expect(result.problems[99]).toMatchObject({ line: 100, field: "context" });
  });

  it("refuses an oversize line without reading it into memory", async () => {
    const p = await makeProject(t.db);
    const huge = line("big", { metadata: { blob: "长".repeat(400_000) } }); // ~1.2 MB of UTF-8
    const result = await run(p.slug, jsonl([line("ok-1"), huge]));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ line: 2, field: "(line)", message: expect.stringMatching(/limit is 1,048,576 bytes/) }]);
    expect(await t.db.select({ n: count() }).from(items).where(eq(items.projectId, p.id))).toEqual([{ n: 0 }]);
  });

  it("is idempotent: re-importing the same file adds nothing and says so", async () => {
    const p = await makeProject(t.db);
    const text = jsonl([line("i-1"), line("i-2")]);
    expect((await run(p.slug, text)).created).toBe(2);
    const before = await snapshot(t.db);
    // Same content, other formatting and key order: still unchanged.
    const reordered = jsonl([line("i-1"), line("i-2")].map((l) => Object.fromEntries(Object.entries(l).reverse())));
    const again = await run(p.slug, reordered);
    expect(again).toMatchObject({ ok: true, created: 0, updated: 0, unchanged: 2, tasksCreated: 0, charactersCreated: 0 });
    const after = await snapshot(t.db);
    expect({ ...after, audit: before.audit }).toEqual(before);
  });

  it("reports changed content as a conflict unless asked to update, then replaces candidates and tasks", async () => {
    const p = await makeProject(t.db);
    await run(p.slug, jsonl([line("x-1"), line("x-2")]));
    const old = await itemTasks(p.id, "x-1");
    const changed = line("x-1", {
      candidates: [
        { model: "m-new", content: "新的回复" },
        { model: "baseline", content: "另一个" },
      ],
    });

    const refused = await run(p.slug, jsonl([line("x-2"), changed]));
    expect(refused.ok).toBe(false);
    expect(refused.problems).toEqual([
      { line: 2, field: "external_id", message: expect.stringMatching(/already exists in this project with different content/) },
    ]);
    expect((await itemTasks(p.id, "x-1")).candidates.map((c) => c.id)).toEqual(old.candidates.map((c) => c.id));

    const dry = await run(p.slug, jsonl([line("x-2"), changed]), { update: true, dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, updated: 1, unchanged: 1, tasksCreated: 1 });
    expect((await itemTasks(p.id, "x-1")).candidates[0]!.model).toBe("index-1.9b-dpo");

    const updated = await run(p.slug, jsonl([line("x-2"), changed]), { update: true });
    expect(updated).toMatchObject({ ok: true, created: 0, updated: 1, unchanged: 1, tasksCreated: 1 });
    const now = await itemTasks(p.id, "x-1");
    expect(now.item.id).toBe(old.item.id);
    expect(now.candidates.map((c) => c.model)).toEqual(["m-new", "baseline"]);
    expect(now.tasks).toHaveLength(1);
    expect(now.tasks[0]!.candidateIds).toEqual(now.candidates.map((c) => c.id));
    expect(
      await t.db
        .select({ n: count() })
        .from(candidates)
        .where(
          inArray(
            candidates.id,
            old.candidates.map((c) => c.id),
          ),
        ),
    ).toEqual([{ n: 0 }]);
  });

  it("refuses to update an item that has judgments", async () => {
    const p = await makeProject(t.db);
    await run(p.slug, jsonl([line("j-1")]));
    const { tasks: ts } = await itemTasks(p.id, "j-1");
    const annotator = await makeUser(t.db);
    const assignment = await makeAssignment(t.db, ts[0]!.id, p.id, annotator.id, { state: "submitted" });
    await t.db.insert(judgments).values({
      taskId: ts[0]!.id,
      kind: "pairwise",
      scalePoints: 7,
      assignmentId: assignment.id,
      annotatorId: annotator.id,
      projectId: p.id,
      strength: -1,
      displayOrder: [0, 1],
    });
    const result = await run(p.slug, jsonl([line("j-1", { scene: "改了场景" })]), { update: true });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ line: 1, field: "external_id", message: expect.stringMatching(/has judgments/) }]);
    expect((await itemTasks(p.id, "j-1")).item.scene).toBe(line("j-1").scene);
  });

  it("resolves a character given by name to one in the project, and names the line when it is absent", async () => {
    const p = await makeProject(t.db);
    const absent = await run(p.slug, jsonl([line("n-1", { character: "孙悟空" }), line("n-2", { character: "孙悟空" })]));
    expect(absent.ok).toBe(false);
    expect(absent.problems).toEqual([
      { line: 1, field: "character", message: expect.stringMatching(/"孙悟空" is not a character of this project.*2 lines/) },
    ]);

    await run(p.slug, jsonl([line("n-0")])); // brings 孙悟空 into the project
    const present = await run(p.slug, jsonl([line("n-1", { character: "孙悟空" })]));
    expect(present).toMatchObject({ ok: true, created: 1, charactersCreated: 0 });
    const [n0, n1] = [await itemTasks(p.id, "n-0"), await itemTasks(p.id, "n-1")];
    expect(n1.item.characterId).toBe(n0.item.characterId);

    // A name defined inline later in the same file resolves to that definition.
    const q = await makeProject(t.db);
    const sameFile = await run(q.slug, jsonl([line("s-1", { character: "孙悟空" }), line("s-2")]));
    expect(sameFile).toMatchObject({ ok: true, created: 2, charactersCreated: 0 });
  });

  it("makes gold tasks from gold items and checks gold against the project's scale", async () => {
    const p = await makeProject(t.db, { scalePoints: 5 });
    const ok = await run(p.slug, jsonl([line("g-1", { gold: { strength: -2, accept: [-2, -1] } }), line("g-2")]));
    expect(ok).toMatchObject({ ok: true, created: 2, tasksCreated: 2 });
    const g1 = await itemTasks(p.id, "g-1");
    expect(g1.tasks[0]).toMatchObject({ gold: { strength: -2, accept: [-2, -1] }, overlap: 1000, scalePoints: 5 });
    expect(g1.item.gold).toEqual({ strength: -2, accept: [-2, -1] });
    expect((await itemTasks(p.id, "g-2")).tasks[0]!.gold).toBeNull();

    const off = await run(p.slug, jsonl([line("g-3", { gold: { strength: 3 } })]));
    expect(off.ok).toBe(false);
    expect(off.problems).toContainEqual({ line: 1, field: "gold.strength", message: expect.stringMatching(/not on the scale/) });
  });

  it("turns K-candidate items into the right tasks in pairwise (all pairs, baseline) and ranking projects", async () => {
    const three = (id: string, over: Partial<ImportLineInput> = {}) =>
      line(id, {
        candidates: [
          { model: "m-a", content: "甲回复" },
          { model: "base", content: "乙回复" },
          { model: "m-c", content: "丙回复" },
        ],
        ...over,
      });

    const allPairs = await makeProject(t.db, { mode: "pairwise", pairing: "all_pairs" });
    expect(await run(allPairs.slug, jsonl([three("k-1"), line("k-2")]))).toMatchObject({ ok: true, tasksCreated: 4 });
    expect((await itemTasks(allPairs.id, "k-1")).tasks.map((x) => [x.kind, x.models])).toEqual([
      ["pairwise", ["m-a", "base"]],
      ["pairwise", ["m-a", "m-c"]],
      ["pairwise", ["base", "m-c"]],
    ]);

    const baseline = await makeProject(t.db, { mode: "pairwise", pairing: "baseline", baselineModel: "base" } as Partial<ProjectSettings>);
    expect(await run(baseline.slug, jsonl([three("k-1")]))).toMatchObject({ ok: true, tasksCreated: 2 });
    expect((await itemTasks(baseline.id, "k-1")).tasks.map((x) => x.models)).toEqual([
      ["base", "m-a"],
      ["base", "m-c"],
    ]);
    const noBase = await run(
      baseline.slug,
      jsonl([
        three("k-2", {
          candidates: [
            { model: "x", content: "1" },
            { model: "y", content: "2" },
            { model: "z", content: "3" },
          ],
        }),
      ]),
    );
    expect(noBase.problems).toEqual([{ line: 1, field: "candidates", message: expect.stringMatching(/baseline model "base"/) }]);
    const rankingGoldInPairs = await run(allPairs.slug, jsonl([three("k-3", { gold: { ranks: [1, 2, 3] } })]));
    expect(rankingGoldInPairs.problems).toEqual([{ line: 1, field: "gold.ranks", message: expect.stringMatching(/ranking project/) }]);

    const ranking = await makeProject(t.db, { mode: "ranking", overlap: 2 });
    const r = await run(ranking.slug, jsonl([three("k-1"), three("k-2", { gold: { ranks: [2, 1, 3] } }), line("k-3")]));
    expect(r).toMatchObject({ ok: true, created: 3, tasksCreated: 3 });
    expect((await itemTasks(ranking.id, "k-1")).tasks).toEqual([
      expect.objectContaining({ kind: "ranking", models: ["m-a", "base", "m-c"], overlap: 2, gold: null }),
    ]);
    expect((await itemTasks(ranking.id, "k-2")).tasks).toEqual([
      expect.objectContaining({ kind: "ranking", overlap: 1000, gold: { ranks: [2, 1, 3] } }),
    ]);
    expect((await itemTasks(ranking.id, "k-3")).tasks).toEqual([
      expect.objectContaining({ kind: "pairwise", models: ["index-1.9b-dpo", "baseline"] }),
    ]);
    const ties = await run(ranking.slug, jsonl([three("k-4", { gold: { ranks: [1, 1, 3] } })]));
    expect(ties.problems).toEqual([{ line: 1, field: "gold.ranks", message: expect.stringMatching(/does not allow ties/) }]);
  });

  it("counts without writing on a dry run", async () => {
    const p = await makeProject(t.db);
    const before = await snapshot(t.db);
    const result = await run(p.slug, jsonl([line("dry-1", { character: { name: "新角色", profile: { 性别: "女" } } }), line("dry-2")]), {
      dryRun: true,
    });
    expect(result).toMatchObject({ ok: true, dryRun: true, created: 2, tasksCreated: 2, charactersCreated: 1 });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("refuses the wrong role, an unknown project and an archived one", async () => {
    const p = await makeProject(t.db);
    expect(await codeOf(run(p.slug, jsonl([line("r-1")]), { role: "annotator" }))).toBe("FORBIDDEN");
    for (const role of ["researcher", "lead", "admin"] as const) {
      expect((await run(p.slug, jsonl([line(`r-${role}`)]), { role })).ok).toBe(true);
    }
    expect(await codeOf(run("no-such-project", jsonl([line("r-1")])))).toBe("NOT_FOUND");
    const archived = await makeProject(t.db);
    await t.db.execute(`update projects set status = 'archived' where id = ${archived.id}`);
    expect(await codeOf(run(archived.slug, jsonl([line("r-1")])))).toBe("CONFLICT");
  });

  it("reports an empty file", async () => {
    const p = await makeProject(t.db);
    const result = await run(p.slug, "\n\n");
    expect(result).toMatchObject({ ok: false, problems: [{ line: 0, field: "(file)", message: "contains no items" }] });
  });

  it("imports an upload (a web stream) and refuses one over the size limit, declared or actual", async () => {
    const p = await makeProject(t.db);
    const body = (text: string) => new Blob([text]).stream();
    const text = jsonl([line("up-1"), line("up-2")]);
    const ok = await importUpload(ctx(), { projectSlug: p.slug, format: "jsonl", body: body(text) });
    expect(ok).toMatchObject({ ok: true, created: 2 });
    expect(
      await codeOf(importUpload(ctx(), { projectSlug: p.slug, format: "jsonl", body: body(text), declaredBytes: 2048, maxBytes: 1024 })),
    ).toBe("PAYLOAD_TOO_LARGE");
    expect(
      await codeOf(
        importUpload(ctx(), { projectSlug: p.slug, format: "jsonl", body: body(jsonl([line("up-3"), line("up-4")])), maxBytes: 1024 }),
      ),
    ).toBe("PAYLOAD_TOO_LARGE");
    expect(await codeOf(importUpload(ctx("annotator"), { projectSlug: p.slug, format: "jsonl", body: body(text) }))).toBe("FORBIDDEN");
    expect(await t.db.select({ n: count() }).from(items).where(eq(items.projectId, p.id))).toEqual([{ n: 2 }]);
  });

  it("leaves nothing behind when the source fails halfway, with batches already written", async () => {
    const p = await makeProject(t.db);
    const before = await snapshot(t.db);
    async function* failing() {
      for (let i = 0; i < 2500; i++) yield `${JSON.stringify(line(`f-${i}`))}\n`;
      throw new Error("connection reset by peer");
    }
    await expect(importItems(ctx(), { projectSlug: p.slug, source: failing(), format: "jsonl" })).rejects.toThrow(
      "connection reset by peer",
    );
    expect(await snapshot(t.db)).toEqual(before);
    // The pool is healthy afterwards and the project imports normally.
    expect((await run(p.slug, jsonl([line("f-ok")]))).created).toBe(1);
  });
});
