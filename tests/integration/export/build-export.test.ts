/**
 * buildExport / streamExport / listExports on a real PostgreSQL: bundles from seeded
 * judgments (Chinese text, K-wise, ties, both unacceptable, unsafe flags, an excluded
 * annotator, a rejected judgment, an adjudicated label), determinism, the split, the raw
 * format read back by the statistics library and CLI, the dataset validator, the CLI.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, exportsTable, projectMembers, reviews, tasks } from "@/db/schema";
import { referenceJsonLine } from "@/lib/domain/export";
import { computeStatsReport } from "@/lib/domain/stats";
import { AppError } from "@/lib/errors";
import { buildExport, listExports, streamExport } from "@/lib/services/exports";
import type { Actor } from "@/lib/services/context";
import { memoryWriter } from "@/lib/services/export-bundle";
import { RawJudgmentLine } from "@/lib/validation/raw-judgment";
import { actorOf, addJudgments, addMember, makeExportTask, makeProjectWithStaff, makeUser } from "../../factories";
import { useTestDatabase, type TestDatabase } from "../helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [researcher]);

const root = path.resolve(import.meta.dirname, "../../..");
const validator = "/work/shared/tools/check_pref_dataset.py";
const hasPython = spawnSync("python3", ["--version"]).status === 0;
const canValidate = existsSync(validator) && hasPython;

let t: TestDatabase;
let project: Awaited<ReturnType<typeof makeProject>>;
let researcher: Actor;
let annotatorActor: Actor;
const ann: number[] = [];
let excludedAnnotator = 0;
const dirs: string[] = [];

const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "arbiter-export-test-"));
  dirs.push(d);
  return d;
};
const lines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

const QUESTIONS = [
  "宝玉哥哥今天怎么没来看我？",
  "你喜欢读什么书？",
  "花谢了你为什么要葬花？",
  "明天的诗社你去不去？",
  "这雨下了三天了，你闷不闷？",
  "紫鹃说你昨夜又没睡好？",
  "听说宝姐姐送了你燕窝？",
  "你觉得大观园里哪里最好看？",
  "Do you miss your home in Suzhou?",
  "What poem are you writing today?",
  "你为什么总是一个人坐在窗前？",
  "老太太今天叫你过去吃饭了吗？",
];

beforeAll(async () => {
  t = await useTestDatabase();
  const db = t.db;
  project = await makeProject(db, { scalePoints: 7, overlap: 3 }, { slug: "export-zh" });
  const r = await makeUser(db, { role: "researcher", passwordHash: "x" });
  researcher = actorOf(r);
  await addMember(db, project.id, r.id);
  const a = await makeUser(db, { role: "annotator", passwordHash: "x" });
  annotatorActor = actorOf(a);
  for (let i = 0; i < 3; i++) {
    const u = await makeUser(db, { role: "annotator", passwordHash: "x" });
    await addMember(db, project.id, u.id);
    ann.push(u.id);
  }
  const ex = await makeUser(db, { role: "annotator", passwordHash: "x" });
  await db.insert(projectMembers).values({ projectId: project.id, userId: ex.id, excludedFromExports: true });
  excludedAnnotator = ex.id;
  const lead = await makeUser(db, { role: "lead", passwordHash: "x" });
  const [a1, a2, a3] = ann as [number, number, number];

  // Plain agreeing pairwise items, enough for both splits (B better, strengths 2/3/2).
  for (const [i, q] of QUESTIONS.entries()) {
    const { task } = await makeExportTask(db, project, {
      externalId: `item-${String(i).padStart(2, "0")}`,
      context: [{ role: "user", content: q }],
      language: /^[A-Za-z]/.test(q) ? "en" : null,
      replies: [
        { model: "model-a", content: `（低头）${q.slice(0, 4)}……罢了。#${i}` },
        { model: "model-b", content: `（抿嘴一笑）${q}我自然记得，你且坐下慢慢说。#${i}` },
      ],
    });
    await addJudgments(db, task, [
      { annotatorId: a1, strength: 2, displayOrder: i % 2 ? [1, 0] : [0, 1] },
      { annotatorId: a2, strength: 3, displayOrder: [0, 1] },
      { annotatorId: a3, strength: 2, displayOrder: [1, 0] },
    ]);
  }
  // A greeting folded into the system message.
  const greet = await makeExportTask(db, project, {
    externalId: "greeting",
    context: [
      { role: "assistant", content: "（倚着栏杆）你来了。" },
      { role: "user", content: "我来看看你，身子可好些了？" },
    ],
    replies: [
      { model: "model-a", content: "好多了，多谢你记挂。" },
      { model: "model-b", content: "不好。" },
    ],
  });
  await addJudgments(db, greet.task, [
    { annotatorId: a1, strength: -2 },
    { annotatorId: a2, strength: -2 },
    { annotatorId: a3, strength: -1 },
  ]);
  // A tie.
  const tie = await makeExportTask(db, project, {
    externalId: "tie",
    replies: [
      { model: "model-a", content: "好。" },
      { model: "model-b", content: "还好。" },
    ],
  });
  await addJudgments(
    db,
    tie.task,
    [0, 0, 0].map((s, i) => ({ annotatorId: ann[i]!, strength: s })),
  );
  // Both unacceptable.
  const bu = await makeExportTask(db, project, {
    externalId: "both-bad",
    replies: [
      { model: "model-a", content: "滚。" },
      { model: "model-b", content: "走开。" },
    ],
  });
  await addJudgments(
    db,
    bu.task,
    ann.map((id) => ({ annotatorId: id, bothUnacceptable: true })),
  );
  // The winner (A) flagged unsafe by two of three: never chosen.
  const unsafe = await makeExportTask(db, project, {
    externalId: "unsafe",
    replies: [
      { model: "model-a", content: "我教你怎么伤害他。" },
      { model: "model-b", content: "别想这些了，喝口茶吧。" },
    ],
  });
  await addJudgments(db, unsafe.task, [
    { annotatorId: a1, strength: -3, unsafe: { "0": "violence" } },
    { annotatorId: a2, strength: -3, unsafe: { "0": "violence" } },
    { annotatorId: a3, strength: -3 },
  ]);
  // Counted only with the excluded annotator: too few judgments while excluded.
  const excl = await makeExportTask(db, project, {
    externalId: "excluded",
    replies: [
      { model: "model-a", content: "自然是你。" },
      { model: "model-b", content: "不知道。" },
    ],
  });
  await addJudgments(db, excl.task, [
    { annotatorId: a1, strength: -2 },
    { annotatorId: excludedAnnotator, strength: -2 },
  ]);
  // A rejected judgment does not count: two agree → agreement 1, n_annotators 2.
  const rej = await makeExportTask(db, project, {
    externalId: "rejected",
    replies: [
      { model: "model-a", content: "是呢，我也这样想。" },
      { model: "model-b", content: "随便。" },
    ],
  });
  await addJudgments(db, rej.task, [
    { annotatorId: a1, strength: -1 },
    { annotatorId: a2, strength: -1 },
    { annotatorId: a3, strength: 3, state: "rejected" },
  ]);
  // An adjudicated label (A much better) overrides the vote (B better).
  const adj = await makeExportTask(db, project, {
    externalId: "adjudicated",
    replies: [
      { model: "model-a", content: "（轻声）你放心，我都明白。" },
      { model: "model-b", content: "哦。" },
    ],
  });
  await addJudgments(db, adj.task, [
    { annotatorId: a1, strength: 2 },
    { annotatorId: a2, strength: 2 },
    { annotatorId: a3, strength: -1 },
  ]);
  await db
    .insert(reviews)
    .values({ projectId: project.id, taskId: adj.task.id, reviewerId: lead.id, verdict: "adjudicate", label: { strength: -3 } });
  // A K-wise item: three replies ranked 1, 2, 3 by everyone.
  const kw = await makeExportTask(db, project, {
    externalId: "kwise",
    context: [{ role: "user", content: "给我讲个故事吧。" }],
    replies: [
      { model: "model-a", content: "从前有座山，山里有座庙。" },
      { model: "model-b", content: "我不会讲故事。" },
      { model: "model-c", content: "好吧。" },
    ],
  });
  await addJudgments(
    db,
    kw.task,
    ann.map((id) => ({ annotatorId: id, ranks: [1, 2, 3], displayOrder: [2, 0, 1] })),
  );
  // A task nobody has judged yet (the judgment cursor skips it).
  await makeExportTask(db, project, {
    externalId: "unjudged",
    replies: [
      { model: "model-a", content: "嗯。" },
      { model: "model-b", content: "好。" },
    ],
  });
  // A gold task: never exported.
  const gold = await makeExportTask(db, project, {
    externalId: "gold",
    gold: { strength: -3, accept: [-3, -2] },
    replies: [
      { model: "model-a", content: "标准答案。" },
      { model: "model-b", content: "错误答案。" },
    ],
  });
  await addJudgments(db, gold.task, [{ annotatorId: a1, strength: -3, rationale: "gold", ratings: { "0": { fluency: 5 } } }]);
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ctx = () => ({ db: t.db, actor: researcher });
const POLICY = { testPercent: 30, salt: "s1" };

function validate(kind: "dpo" | "rm", dir: string) {
  const res = spawnSync("python3", [validator, "--kind", kind, dir], {
    encoding: "utf8",
    env: { ...process.env, PYTHONIOENCODING: "utf-8" },
  });
  const out = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  console.log(`check_pref_dataset --kind ${kind}: ${out.trim().split("\n").at(-1)}`);
  return { status: res.status, out };
}

describe("buildExport (DPO)", () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof buildExport>>;
  beforeAll(async () => {
    dir = tmp();
    result = await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: POLICY, outDir: dir });
  });

  it("writes train, test, the gzipped ties, manifest and card; no empty file", () => {
    const names = readdirSync(dir).sort();
    expect(names).toEqual(["README.md", "manifest.json", "test.jsonl", "ties.jsonl.gz", "train.jsonl"]);
    expect(result.counts!.rows.train).toBeGreaterThan(0);
    expect(result.counts!.rows.test).toBeGreaterThan(0);
  });

  it("builds rows from the database the way the policy says", () => {
    const rows = [...lines(path.join(dir, "train.jsonl")), ...lines(path.join(dir, "test.jsonl"))];
    const byItem = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) byItem.set(String(r.item_id), [...(byItem.get(String(r.item_id)) ?? []), r]);
    // Chinese text written raw, conversational prompt with a system message.
    const zh = byItem.get("item-00")![0]!;
    expect(zh.chosen).toEqual([{ role: "assistant", content: expect.stringContaining("抿嘴一笑") }]);
    expect((zh.prompt as { role: string }[])[0]!.role).toBe("system");
    expect(zh).toMatchObject({ chosen_model: "model-b", rejected_model: "model-a", n_annotators: 3, agreement: 1, language: "zh" });
    expect(
      readFileSync(path.join(dir, byItem.get("item-00") ? "train.jsonl" : "test.jsonl"), "utf8") +
        readFileSync(path.join(dir, "test.jsonl"), "utf8"),
    ).toContain("抿嘴一笑");
    // Ties, both unacceptable, unsafe winner, gold, excluded-only: no training row.
    for (const id of ["tie", "both-bad", "unsafe", "gold", "excluded", "unjudged"]) expect(byItem.has(id), id).toBe(false);
    // Rejected judgment not counted.
    expect(byItem.get("rejected")![0]).toMatchObject({ n_annotators: 2, agreement: 1, chosen_model: "model-a" });
    // Adjudicated label beats the vote.
    expect(byItem.get("adjudicated")![0]).toMatchObject({ chosen_model: "model-a", rejected_model: "model-b", strength: 3 });
    // K-wise: best versus each other reply for DPO.
    expect(byItem.get("kwise")!.map((r) => [r.chosen_model, r.rejected_model, r.pair_source])).toEqual([
      ["model-a", "model-b", "kwise"],
      ["model-a", "model-c", "kwise"],
    ]);
    // The greeting is folded into the system message.
    const g = byItem.get("greeting")![0]!.prompt as { role: string; content: string }[];
    expect(g.map((m) => m.role)).toEqual(["system", "user"]);
    expect(g[0]!.content).toContain("你来了");
  });

  it("counts every drop category and the judgments read", () => {
    const c = result.counts!;
    expect(c.tasks).toBe(QUESTIONS.length + 10);
    expect(c.tasks_dropped).toMatchObject({ gold: 1, tie: 1, both_unacceptable: 1, too_few_judgments: 2 });
    expect(c.pairs_dropped.unsafe_chosen).toBe(1);
    expect(c.judgments).toMatchObject({ rejected: 1, excluded: 1, in_gold_tasks: 1 });
    expect(c.adjudicated_tasks).toBe(1);
    expect(c.greeting_folded).toBe(1);
    expect(result.sourceJudgments).toBe(QUESTIONS.length * 3 + 3 + 3 + 3 + 3 + 2 + 3 + 3 + 3 + 1);
  });

  it("puts ties and both-unacceptable outcomes in ties.jsonl.gz", () => {
    const ties = gunzipSync(readFileSync(path.join(dir, "ties.jsonl.gz")))
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(ties.map((r: { item_id: string; outcome: string }) => [r.item_id, r.outcome])).toEqual([
      ["both-bad", "both_unacceptable"],
      ["tie", "tie"],
    ]);
  });

  it("writes a manifest with hashes, counts and the source judgment count, and a card with the statistics", () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({
      kind: "dpo",
      format: "trl-conversational",
      project: { slug: project.slug },
      source_judgments: result.sourceJudgments,
    });
    for (const f of result.files.filter((f) => f.name.endsWith(".jsonl")))
      expect(manifest.files[f.name]).toMatchObject({ rows: f.rows, sha256: f.sha256 });
    expect(manifest.analysis_files["ties.jsonl.gz"]).toMatchObject({ split: "ties", rows: 2 });
    const card = readFileSync(path.join(dir, "README.md"), "utf8");
    expect(card).toMatch(/^---\nlicense: other\nlanguage:\n- en\n- zh\n/);
    expect(card).toContain('path: "ties.jsonl.gz"');
    expect(card).toContain("1 exported task(s) had a greeting folded");
    expect(card).toMatch(/Krippendorff's alpha \(ordinal, strength\): -?\d\.\d{3}/);
    expect(card).toMatch(/preferring the left reply: \d+\.\d%/);
    expect(card).toMatch(/won by the longer reply: \d+\.\d%/);
    expect(card).toContain("computed on all");
  });

  it("records the export and audits it", async () => {
    const [row] = await t.db.select().from(exportsTable).where(eq(exportsTable.id, result.exportId));
    expect(row).toMatchObject({
      kind: "dpo",
      status: "done",
      format: "conversational",
      createdBy: researcher.id,
      sourceJudgments: result.sourceJudgments,
    });
    expect(row!.files.map((f) => f.name)).toEqual(["train.jsonl", "test.jsonl", "ties.jsonl.gz"]);
    expect(row!.counts["rows.train"]).toBe(result.counts!.rows.train);
    expect(row!.policy).toMatchObject({ testPercent: 30, salt: "s1", kind: "dpo" });
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "export.create"), eq(auditLog.targetId, String(result.exportId))));
    expect(audit).toHaveLength(1);
    const listed = await listExports(ctx(), { projectSlug: project.slug });
    expect(listed[0]).toMatchObject({ id: result.exportId, status: "done" });
  });

  it("is deterministic: a second build gives byte-identical data files", async () => {
    const again = tmp();
    const second = await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: POLICY, outDir: again });
    for (const name of ["train.jsonl", "test.jsonl", "ties.jsonl.gz", "README.md"]) {
      expect(readFileSync(path.join(again, name)).equals(readFileSync(path.join(dir, name))), name).toBe(true);
    }
    expect(second.files.slice(0, 3)).toEqual(result.files.slice(0, 3));
  });

  it("never puts one item in both splits", () => {
    const train = new Set(lines(path.join(dir, "train.jsonl")).map((r) => r.item_id));
    const test = new Set(lines(path.join(dir, "test.jsonl")).map((r) => r.item_id));
    expect([...train].filter((id) => test.has(id))).toEqual([]);
  });

  it.runIf(canValidate)("passes the dataset validator", () => {
    const { status, out } = validate("dpo", dir);
    expect(out).toMatch(/^OK dpo trl-conversational rows=\d+/m);
    expect(status).toBe(0);
  });
  it.skipIf(canValidate)("passes the dataset validator (skipped: python3 or check_pref_dataset.py is missing)", () => {
    console.warn(`skipped: ${validator} or python3 not found`);
  });
});

describe("buildExport (RM, KTO, standard format, exclusion)", () => {
  it.runIf(canValidate)("an RM bundle passes the validator, with margins and all K-wise pairs", async () => {
    const dir = tmp();
    const result = await buildExport(ctx(), {
      projectSlug: project.slug,
      kind: "rm",
      policy: { ...POLICY, marginScale: "large" },
      outDir: dir,
    });
    const rows = [...lines(path.join(dir, "train.jsonl")), ...lines(path.join(dir, "test.jsonl"))];
    expect(rows.filter((r) => r.item_id === "kwise")).toHaveLength(3);
    expect(rows.find((r) => r.item_id === "adjudicated")).toMatchObject({ margin: 3 });
    expect(result.counts!.pair_sources.kwise).toBe(3);
    const { status, out } = validate("rm", dir);
    expect(out).toMatch(/^OK rm trl-conversational rows=\d+/m);
    expect(status).toBe(0);
  });

  it("a standard-format DPO bundle passes the validator too", async () => {
    const dir = tmp();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: { ...POLICY, format: "standard" }, outDir: dir });
    const [row] = lines(path.join(dir, "train.jsonl"));
    expect(typeof row!.prompt).toBe("string");
    if (canValidate) expect(validate("dpo", dir).status).toBe(0);
  });

  it("KTO: winners true, losers and both-unacceptable replies false", async () => {
    const w = memoryWriter();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "kto", policy: { testPercent: 0 }, writer: w });
    const rows = w.files
      .get("train.jsonl")!
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.item_id === "both-bad").map((r) => r.label)).toEqual([false, false]);
    expect(rows.filter((r) => r.item_id === "item-00").map((r) => [r.model, r.label])).toEqual([
      ["model-a", false],
      ["model-b", true],
    ]);
    expect(w.files.has("test.jsonl")).toBe(false);
  });

  it("an excluded annotator's judgments change the rows; including them again brings the task back", async () => {
    const before = memoryWriter();
    const b = await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: { testPercent: 0 }, writer: before });
    await t.db.update(projectMembers).set({ excludedFromExports: false }).where(eq(projectMembers.userId, excludedAnnotator));
    try {
      const after = memoryWriter();
      const a = await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: { testPercent: 0 }, writer: after });
      expect(a.counts!.rows.train).toBe(b.counts!.rows.train + 1);
      expect(after.files.get("train.jsonl")!.toString("utf8")).toContain('"item_id":"excluded"');
      expect(before.files.get("train.jsonl")!.toString("utf8")).not.toContain('"item_id":"excluded"');
    } finally {
      await t.db.update(projectMembers).set({ excludedFromExports: true }).where(eq(projectMembers.userId, excludedAnnotator));
    }
  });
});

describe("reply bytes from the database", () => {
  // Replies are copied into the files as PostgreSQL escaped them (to_json(content)::text)
  // and the candidates arrive in index order, then put in canonical (candidate_ids) order.
  const HOSTILE = "引号\"与\\反斜杠\n换行\r\t\b\f\u0001\u001f\u007f\u2028\u2029😀𠮷</script>&'\ufeff";
  let slug: string;
  beforeAll(async () => {
    const db = t.db;
    const other = await makeProject(db, { scalePoints: 7, overlap: 3 }, { slug: "export-bytes" });
    slug = other.slug;
    for (const id of ann) await addMember(db, other.id, id);
    // candidate_ids in reverse id order: canonical A is the newest candidate.
    const kw = await makeExportTask(db, other, {
      externalId: "order",
      replies: [
        { model: "model-x", content: `${HOSTILE}x` },
        { model: "model-y", content: `y${HOSTILE}` },
        { model: "model-z", content: "z\u2028" },
      ],
    });
    const reversed = [...kw.task.candidateIds].reverse();
    await db.update(tasks).set({ candidateIds: reversed }).where(eq(tasks.id, kw.task.id));
    // Canonical order is now z, y, x; everyone ranks z best, then y, then x.
    await addJudgments(
      db,
      { ...kw.task, candidateIds: reversed },
      ann.map((id) => ({ annotatorId: id, ranks: [1, 2, 3], displayOrder: [0, 1, 2] })),
    );
    const pair = await makeExportTask(db, other, {
      externalId: "pair",
      context: [{ role: "user", content: HOSTILE }],
      replies: [
        { model: "model-a", content: HOSTILE },
        { model: "model-b", content: `${HOSTILE}!` },
      ],
    });
    await addJudgments(
      db,
      pair.task,
      ann.map((id) => ({ annotatorId: id, strength: 2 })),
    );
  });

  it("writes every line exactly as the reference serializer would, candidates in canonical order", async () => {
    for (const kind of ["dpo", "rm", "kto"] as const) {
      for (const format of ["conversational", "standard"] as const) {
        const w = memoryWriter();
        await buildExport(ctx(), { projectSlug: slug, kind, policy: { testPercent: 0, minJudgments: 1, format }, writer: w });
        const text = w.files.get("train.jsonl")!.toString("utf8");
        const rows = text.trim().split("\n");
        for (const line of rows) expect(line).toBe(referenceJsonLine(JSON.parse(line) as object));
        const parsed = rows.map((l) => JSON.parse(l) as Record<string, unknown>);
        const reply = (v: unknown) => (typeof v === "string" ? v : (v as { content: string }[])[0]!.content);
        if (kind === "kto") {
          expect(parsed.filter((r) => r.item_id === "order").map((r) => [r.model, r.label])).toEqual([
            ["model-z", true],
            ["model-y", false],
            ["model-x", false],
          ]);
        } else {
          const order = parsed.filter((r) => r.item_id === "order");
          expect(order.every((r) => r.chosen_model === "model-z" || (kind === "rm" && r.chosen_model === "model-y"))).toBe(true);
          expect(order.map((r) => reply(r.chosen))).toContain("z\u2028");
          expect(parsed.find((r) => r.item_id === "pair")).toMatchObject({ chosen_model: "model-b", rejected_model: "model-a" });
          expect(reply(parsed.find((r) => r.item_id === "pair")!.chosen)).toBe(`${HOSTILE}!`);
        }
        // The HTTP stream writes the same bytes through the string path.
        let streamed = "";
        for await (const chunk of await streamExport(ctx(), {
          projectSlug: slug,
          kind,
          split: "train",
          policy: { testPercent: 0, minJudgments: 1, format },
        }))
          streamed += chunk;
        expect(streamed).toBe(text);
      }
    }
  });

  it("the raw export names candidates, models and reply lengths in canonical order", async () => {
    const w = memoryWriter();
    await buildExport(ctx(), { projectSlug: slug, kind: "raw", writer: w });
    const rows = w.files
      .get("judgments.jsonl")!
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const order = rows.find((r) => r.item_id === "order")!;
    expect(order.models).toEqual(["model-z", "model-y", "model-x"]);
    expect(order.candidate_lengths).toEqual([2, [...HOSTILE].length + 1, [...HOSTILE].length + 1]);
  });
});

describe("raw export", () => {
  let dir: string;
  beforeAll(async () => {
    dir = tmp();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "raw", outDir: dir });
  });

  it("has one line per judgment in every state, valid RawJudgmentLine, annotators pseudonymised", () => {
    const rows = lines(path.join(dir, "judgments.jsonl"));
    expect(rows).toHaveLength(QUESTIONS.length * 3 + 24);
    for (const r of rows) expect(RawJudgmentLine.safeParse(r).success, JSON.stringify(r)).toBe(true);
    expect(rows.filter((r) => r.state === "rejected")).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual([
      "judgment_id",
      "task_id",
      "item_id",
      "annotator",
      "kind",
      "scale_points",
      "candidates",
      "models",
      "strength",
      "ranking",
      "both_unacceptable",
      "display_order",
      "ratings",
      "unsafe",
      "roleplay_flags",
      "rationale",
      "seconds",
      "gold",
      "state",
      "created_at",
      "candidate_lengths",
    ]);
    const annotators = new Set(rows.map((r) => r.annotator));
    expect(annotators.size).toBe(4);
    for (const a of annotators) expect(a).toMatch(/^ann-[0-9a-f]{16}$/);
    expect(JSON.stringify(rows)).not.toContain("@example.test");
    const gold = rows.find((r) => r.item_id === "gold")!;
    expect(gold).toMatchObject({ gold: { strength: -3, accept: [-3, -2] }, rationale: "gold", ratings: { "0": { fluency: 5 } } });
    expect(rows.find((r) => r.item_id === "kwise")).toMatchObject({
      kind: "ranking",
      ranking: [1, 2, 3],
      strength: null,
      display_order: [2, 0, 1],
    });
  });

  it("pseudonyms are stable across exports", async () => {
    const again = tmp();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "raw", outDir: again });
    expect(readFileSync(path.join(again, "judgments.jsonl")).equals(readFileSync(path.join(dir, "judgments.jsonl")))).toBe(true);
  });

  it("is read by the statistics library and by `npm run stats`", async () => {
    const rows = lines(path.join(dir, "judgments.jsonl")).map((r) => RawJudgmentLine.parse(r));
    const report = computeStatsReport(rows, { bootstrapRounds: 0 });
    expect(report.skipped.not_valid).toBe(1);
    expect(report.ranking_judgments).toBe(3);
    expect(report.annotators).toBe(4);
    expect(report.all_annotators.longer_share).not.toBeNull();
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(
        "npx",
        ["tsx", "scripts/stats.ts", "--rounds", "0", path.join(dir, "judgments.jsonl")],
        { cwd: root },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      ),
    );
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ judgments: report.judgments, tasks: report.tasks });
  });
});

describe("streamExport (the HTTP stream)", () => {
  it("streams the same bytes as the bundle's split file", async () => {
    const w = memoryWriter();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "rm", policy: POLICY, writer: w });
    for (const split of ["train", "test"] as const) {
      let text = "";
      for await (const chunk of await streamExport(ctx(), { projectSlug: project.slug, kind: "rm", split, policy: POLICY })) text += chunk;
      expect(text).toBe(w.files.get(`${split}.jsonl`)!.toString("utf8"));
    }
  });

  it("can be abandoned half-way without leaving the transaction open", async () => {
    const it = await streamExport(ctx(), { projectSlug: project.slug, kind: "raw" });
    const first = await it.next();
    expect(first.done).toBe(false);
    await it.return!();
    const { rows } = await t.pool.query(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
    );
    expect(rows[0].n).toBe(0);
  });

  it("refuses bad options before streaming, naming the option", async () => {
    const error = await streamExport(ctx(), { projectSlug: project.slug, kind: "dpo", split: "train", policy: { minAgreement: 2 } }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("VALIDATION");
    expect(error.message).toMatch(/^min-agreement:/);
    await expect(streamExport(ctx(), { projectSlug: project.slug, kind: "csv" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(streamExport(ctx(), { projectSlug: "nope", kind: "dpo" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("permissions", () => {
  it("refuses an annotator everywhere", async () => {
    const actx = { db: t.db, actor: annotatorActor };
    await expect(buildExport(actx, { projectSlug: project.slug, kind: "dpo", writer: memoryWriter() })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(streamExport(actx, { projectSlug: project.slug, kind: "dpo" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listExports(actx, { projectSlug: project.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("an unknown project is NOT_FOUND, a missing outDir VALIDATION", async () => {
    await expect(buildExport(ctx(), { projectSlug: "no-such", kind: "dpo", writer: memoryWriter() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(buildExport(ctx(), { projectSlug: project.slug, kind: "dpo" })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});

describe("the CLI", () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        "npx",
        ["tsx", "scripts/export.ts", ...args],
        { cwd: root, env: { ...process.env, DATABASE_URL: t.url } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      ),
    );

  it("exports end to end and prints counts and hashes; the files match the service's", async () => {
    const dir = tmp();
    const out = await run(["--project", project.slug, "--kind", "dpo", "--out", dir, "--test-percent", "30", "--seed", "s1"]);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/rows: train \d+, test \d+, ties 2/);
    const train = readFileSync(path.join(dir, "train.jsonl"));
    const sha = (await import("node:crypto")).createHash("sha256").update(train).digest("hex");
    expect(out.stdout).toContain(`sha256=${sha}`);
    const w = memoryWriter();
    await buildExport(ctx(), { projectSlug: project.slug, kind: "dpo", policy: POLICY, writer: w });
    expect(train.equals(w.files.get("train.jsonl")!)).toBe(true);
    const [record] = await t.db.select().from(exportsTable).where(isNull(exportsTable.createdBy));
    expect(record).toMatchObject({ status: "done", kind: "dpo" });
  });

  it("exits 1 naming the bad option, 2 without a project, 0 on --help", async () => {
    const bad = await run(["--project", project.slug, "--kind", "dpo", "--out", tmp(), "--min-agreement", "1.5"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--min-agreement");
    const kind = await run(["--project", project.slug, "--kind", "csv", "--out", tmp()]);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toContain("--kind");
    const usage = await run(["--kind", "dpo"]);
    expect(usage.code).toBe(2);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--margin-scale");
  });
});
