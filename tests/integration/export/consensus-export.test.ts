/**
 * Model-based consensus in exports on a real PostgreSQL: the bundle's labels are what the
 * pure in-memory build gives on the same judgments (excluded annotators and rejected
 * judgments left out of the fit), the manifest records the method, the same data gives the
 * same bytes, and the streamed split agrees with the bundle.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { projectMembers } from "@/db/schema";
import { consensusInputOf, fitExportConsensus, type ExportTask } from "@/lib/domain/export";
import { createRng } from "@/lib/domain/stats";
import { buildExport, streamExport } from "@/lib/services/exports";
import type { Actor } from "@/lib/services/context";
import { memoryWriter } from "@/lib/services/export-bundle";
import { actorOf, addJudgments, addMember, makeExportTask, makeProject, makeUser } from "../../factories";
import { useTestDatabase, type TestDatabase } from "../helpers/db";

let t: TestDatabase;
let slug: string;
let researcher: Actor;
const memory: ExportTask[] = [];

beforeAll(async () => {
  t = await useTestDatabase();
  const project = await makeProject(t.db, { scalePoints: 5, overlap: 5 });
  slug = project.slug;
  const r = await makeUser(t.db, { role: "researcher", passwordHash: "x" });
  researcher = actorOf(r);
  // Researchers reach only the projects they are members of.
  await addMember(t.db, project.id, r.id);
  const people: number[] = [];
  for (let i = 0; i < 4; i++) {
    const u = await makeUser(t.db, { role: "annotator", passwordHash: "x" });
    await addMember(t.db, project.id, u.id);
    people.push(u.id);
  }
  const excluded = await makeUser(t.db, { role: "annotator", passwordHash: "x" });
  await t.db.insert(projectMembers).values({ projectId: project.id, userId: excluded.id, excludedFromExports: true });
  const rng = createRng(9);
  for (let k = 0; k < 30; k++) {
    const made = await makeExportTask(t.db, project, {
      replies: [
        { model: "m-a", content: `甲 ${k}` },
        { model: "m-b", content: `乙 ${k}` },
      ],
    });
    const aBetter = rng.next() < 0.5;
    // Two careful annotators, two who always answer A, an excluded one who always answers B.
    const specs = people.map((id, i) => ({
      annotatorId: id,
      strength: i >= 2 ? -1 : aBetter === rng.next() < 0.9 ? -2 : 2,
      displayOrder: rng.next() < 0.5 ? [0, 1] : [1, 0],
    }));
    const rows = await addJudgments(t.db, made.task, [...specs, { annotatorId: excluded.id, strength: 2 }]);
    memory.push({
      taskId: String(made.task.id),
      itemId: String(made.item.id),
      kind: "pairwise",
      scalePoints: 5,
      candidates: [],
      item: { externalId: "", character: { name: "", profile: {} }, context: [] },
      isGold: false,
      judgments: rows.map((row) => ({
        annotatorKey: String(row.annotatorId),
        strength: row.strength,
        bothUnacceptable: false,
        unsafe: {},
        state: "valid" as const,
        excluded: row.annotatorId === excluded.id,
      })),
    });
  }
}, 120_000);

const ctx = () => ({ db: t.db, actor: researcher });

describe("export with consensus: dawid-skene", () => {
  it("labels every pair as the in-memory fit does, records the method and gives the same bytes twice", async () => {
    const policy = { consensus: "dawid-skene" as const, minPosterior: 0, testPercent: 0 };
    const first = memoryWriter();
    await buildExport(ctx(), { projectSlug: slug, kind: "dpo", policy, writer: first });
    const second = memoryWriter();
    await buildExport(ctx(), { projectSlug: slug, kind: "dpo", policy, writer: second });
    expect(second.files.get("train.jsonl")!.equals(first.files.get("train.jsonl")!)).toBe(true);

    const manifest = JSON.parse(first.files.get("manifest.json")!.toString("utf8")) as { policy: Record<string, unknown> };
    expect(manifest.policy).toMatchObject({ consensus: "dawid-skene", min_posterior: 0, consensus_seed: 1 });
    expect(first.files.get("README.md")!.toString("utf8")).toMatch(/Dawid–Skene \(1979\) annotator model/);

    const fitted = fitExportConsensus(consensusInputOf(memory), "dawid-skene");
    const rows = first.files
      .get("train.jsonl")!
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; chosen_model: string; agreement: number });
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      const m = fitted.get(row.id.split("/")[0]!)!;
      expect(row.chosen_model).toBe(m.label === 0 ? "m-a" : "m-b");
      expect(row.agreement).toBe(m.posterior[m.label]);
    }
    // The excluded annotator always said B; the model was fitted without them.
    expect(rows.filter((r) => r.chosen_model === "m-a").length).toBeGreaterThan(5);

    const streamed: string[] = [];
    for await (const chunk of await streamExport(ctx(), { projectSlug: slug, kind: "dpo", split: "train", policy })) streamed.push(chunk);
    expect(streamed.join("")).toBe(first.files.get("train.jsonl")!.toString("utf8"));
  });
});
