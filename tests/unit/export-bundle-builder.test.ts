/**
 * lib/domain/export/bundle.ts: the per-kind builders every export path goes through. The
 * preference builder writes exactly the in-memory reference's files; the raw builder's
 * lines, pseudonyms, counts, manifest and card; rendering only some files changes no count.
 */
import { describe, expect, it } from "vitest";
import {
  annotatorPseudonym,
  buildExportInMemory,
  createBundleBuilder,
  dataFilesOf,
  JsonText,
  lineText,
  resolvePolicy,
  SourceCandidate,
  toExportTask,
  type BundleBuilder,
  type ExportJudgmentRecord,
  type ExportSourceTask,
} from "@/lib/domain/export";
import { sha256Hex } from "@/lib/domain/canonical";
import { RawJudgmentLine } from "@/lib/validation/raw-judgment";

const character = { name: "林黛玉", profile: { 性别: "女", 口头禅: ["罢了"] } };

function judgment(id: number, annotator: number, extra: Partial<ExportJudgmentRecord> = {}): ExportJudgmentRecord {
  return {
    id: String(id),
    task_id: "0",
    annotator_id: String(annotator),
    strength: -2,
    ranks: null,
    both_unacceptable: false,
    unsafe: {},
    state: "valid",
    excluded: false,
    display_order: [0, 1],
    ratings: null,
    rationale: null,
    seconds: 12.5,
    created_at: "2026-01-02T03:04:05.678Z",
    ...extra,
  };
}

function task(i: number, judgments: ExportJudgmentRecord[], question = `第${i}个问题：你今天好吗？`): ExportSourceTask {
  const replies = [`（低头）好。#${i}`, `（抿嘴一笑）我自然好，你且坐下。#${i}`];
  return {
    record: {
      task_id: String(100 + i),
      kind: "pairwise",
      scale_points: 7,
      gold: null,
      item_id: String(i),
      external_id: `item-${String(i).padStart(3, "0")}`,
      scene: null,
      context: [{ role: "user", content: question }],
      language: null,
      character_id: "1",
      candidates: [
        [String(2 * i), "model-a"],
        [String(2 * i + 1), "model-b"],
      ],
      adjudication: null,
      judgments: [],
    },
    candidates: replies.map(
      (text, k) => new SourceCandidate(String(2 * i + k), k === 0 ? "model-a" : "model-b", new JsonText(Buffer.from(JSON.stringify(text)))),
    ),
    character,
    judgments: judgments.map((j) => ({ ...j, task_id: String(100 + i) })),
  };
}

const TASKS = Array.from({ length: 30 }, (_, i) =>
  task(i, [
    judgment(3 * i, 1, { strength: i % 3 === 0 ? 0 : 2 }),
    judgment(3 * i + 1, 2, { strength: i % 3 === 0 ? 0 : 3 }),
    judgment(3 * i + 2, 3),
  ]),
);

/** Feeds every task and returns each data file's text (files without lines left out). */
function run(builder: BundleBuilder, tasks: ExportSourceTask[]): Map<string, string> {
  const text = builder.dataFiles.map(() => "");
  for (const t of tasks) builder.addTask(t).forEach((lines, i) => lines.forEach((line) => (text[i] += `${lineText(line)}\n`)));
  return new Map(builder.dataFiles.map((f, i) => [f.name, text[i]!] as const).filter(([, t]) => t !== ""));
}

const META = {
  project: { slug: "daiyu", name: "黛玉", guidelines: "" },
  exportId: 7,
  generatedAt: "2026-01-01T00:00:00.000Z",
  appVersion: "0.1.0",
};

describe("the preference builder", () => {
  const policy = resolvePolicy({ kind: "dpo", testPercent: 30, salt: "s" });

  it("writes the in-memory reference's train and test files, byte for byte", () => {
    const files = run(createBundleBuilder("dpo", { policy }), TASKS);
    const reference = buildExportInMemory(TASKS.map(toExportTask), { kind: "dpo", testPercent: 30, salt: "s" });
    expect(reference.files.map((f) => f.path)).toEqual(["train.jsonl", "test.jsonl", "ties.jsonl"]);
    expect(files.get("train.jsonl")).toBe(reference.files[0]!.content);
    expect(files.get("test.jsonl")).toBe(reference.files[1]!.content);
    expect(files.get("ties.jsonl.gz")).toBe(reference.files[2]!.content);
  });

  it("renders only the files asked for, and counts the same", () => {
    const all = createBundleBuilder("dpo", { policy });
    const full = run(all, TASKS);
    const onlyTest = createBundleBuilder("dpo", { policy, render: ["test.jsonl"], withCard: false });
    const none = createBundleBuilder("dpo", { policy, render: [], withCard: false });
    const some = run(onlyTest, TASKS);
    expect([...some.keys()]).toEqual(["test.jsonl"]);
    expect(some.get("test.jsonl")).toBe(full.get("test.jsonl"));
    expect(run(none, TASKS).size).toBe(0);
    expect(none.summary().counts).toEqual(all.summary().counts);
    expect(full.size).toBe(3);
  });

  it("lists the written files in the manifest and the card", () => {
    const builder = createBundleBuilder("dpo", { policy });
    const files = run(builder, TASKS);
    const written = [...files].map(([name, text]) => ({ name, rows: text.split("\n").length - 1, sha256: sha256Hex(text) }));
    const manifest = JSON.parse(builder.manifest(written, META)) as {
      files: Record<string, unknown>;
      analysis_files: Record<string, unknown>;
      generated_at: string;
    };
    expect(Object.keys(manifest.files)).toEqual(["train.jsonl", "test.jsonl"]);
    expect(Object.keys(manifest.analysis_files)).toEqual(["ties.jsonl.gz"]);
    expect(manifest.generated_at).toBe(META.generatedAt);
    const card = builder.card(written, META);
    for (const f of written) expect(card).toContain(f.sha256);
    expect(card).toContain("all 30 pairwise non-gold tasks with counted judgments (90 judgments)");
  });

  it("refuses a policy of another kind, and a card it kept no sample for", () => {
    expect(() => createBundleBuilder("rm", { policy })).toThrow(/policy is for dpo/);
    const builder = createBundleBuilder("dpo", { policy, withCard: false });
    expect(() => builder.card([], META)).toThrow();
  });
});

describe("the raw builder", () => {
  const keys = { secret: "ab".repeat(32), projectId: 3 };
  const tasks = [
    task(1, [judgment(10, 1), judgment(11, 2, { state: "rejected" }), judgment(12, 1, { state: "superseded" })]),
    task(2, []),
    task(3, [judgment(13, 2, { both_unacceptable: true, strength: null })]),
  ];

  it("writes one line per judgment, every state, in the stats format", () => {
    const builder = createBundleBuilder("raw", { pseudonyms: keys });
    const text = run(builder, tasks).get("judgments.jsonl")!;
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.judgment_id)).toEqual([10, 11, 12, 13]);
    expect(lines.map((l) => l.state)).toEqual(["valid", "rejected", "superseded", "valid"]);
    for (const l of lines) expect(RawJudgmentLine.safeParse(l).success).toBe(true);
    expect(lines[0]!.annotator).toBe(annotatorPseudonym(keys.secret, 3, "1"));
    expect(lines[0]!.annotator).toBe(lines[2]!.annotator);
    expect(lines[0]!.annotator).not.toBe(lines[1]!.annotator);
    expect(lines[0]!.candidate_lengths).toEqual([[..."（低头）好。#1"].length, [..."（抿嘴一笑）我自然好，你且坐下。#1"].length]);
    expect(builder.summary().rawCounts).toEqual({ rows: 4, valid: 2, rejected: 1, superseded: 1 });
  });

  it("scopes pseudonyms to the project", () => {
    expect(annotatorPseudonym(keys.secret, 3, "1")).toMatch(/^ann-[0-9a-f]{16}$/);
    expect(annotatorPseudonym(keys.secret, 4, "1")).not.toBe(annotatorPseudonym(keys.secret, 3, "1"));
  });

  it("builds its manifest and card from the same counts", () => {
    const builder = createBundleBuilder("raw", { pseudonyms: keys });
    const text = run(builder, tasks).get("judgments.jsonl")!;
    const written = [{ name: "judgments.jsonl", rows: 4, sha256: sha256Hex(text) }];
    const manifest = JSON.parse(builder.manifest(written, META)) as Record<string, unknown>;
    expect(Object.keys(manifest)).toEqual([
      "schema_version",
      "kind",
      "format",
      "project",
      "annotators",
      "counts",
      "files",
      "source_judgments",
      "generated_at",
      "app_version",
      "export_id",
    ]);
    expect(manifest.counts).toEqual({ tasks: 3, judgments: { rows: 4, valid: 2, rejected: 1, superseded: 1 } });
    expect(manifest.project).toEqual({ slug: "daiyu", name: "黛玉" });
    expect(manifest.export_id).toBe(7);
    expect(builder.card(written, META)).toContain("4 judgments (2 valid, 1 rejected, 1 superseded) of 3 tasks");
    expect(dataFilesOf("raw").map((f) => f.name)).toEqual(["judgments.jsonl"]);
  });
});
