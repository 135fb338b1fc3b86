import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildDatasetCard,
  buildExportInMemory,
  buildManifest,
  datasetCardHeader,
  meanAgreement,
  PAIR_DROP_REASONS,
  renderManifest,
  sizeCategory,
  TASK_DROP_REASONS,
  type InMemoryExport,
  type ExportJudgment,
  type ExportKind,
  type ExportPolicyInput,
  type ExportTask,
} from "@/lib/domain/export";
import { judgmentBuilders } from "./export-fixtures";

const VALIDATOR = join(process.cwd(), "..", "shared", "tools", "check_pref_dataset.py");
const validatorPath = existsSync(VALIDATOR) ? VALIDATOR : "/work/shared/tools/check_pref_dataset.py";

// Five annotators in rotation.
let a = 0;
const { vote: v, rank: r } = judgmentBuilders(() => `ann${a++ % 5}`);

const characters = [
  { name: "孙悟空", profile: { 性别: "男", 年龄: "五百余岁", 性格: "桀骜不驯", 口头禅: ["俺老孙来也！"], 人物关系: { 师父: "唐僧" } } },
  { name: "佟湘玉", profile: { 姓名: "佟湘玉", 性别: "女", 年龄: "二十七", 身份: "同福客栈掌柜", 口头禅: ["额滴神啊"] } },
  { name: "Captain Mira Voss", profile: { gender: "female", personality: "gruff but kind", "speaking style": "short orders" } },
];

/** A seeded mix: Chinese and English, pairwise and K-wise, ties, unsafe flags, excluded annotators, gold, greetings. */
function seededTasks(): ExportTask[] {
  const tasks: ExportTask[] = [];
  for (let i = 0; i < 36; i++) {
    const character = characters[i % 3]!;
    const zh = i % 3 !== 2;
    const context = [
      ...(i % 5 === 0 ? [{ role: "assistant" as const, content: zh ? "客官里边请～" : "*The captain looks up.* What now?" }] : []),
      { role: "user" as const, content: zh ? `第${i}个问题：今天吃什么？` : `Captain, question ${i}: the reactor is failing!` },
      ...(i % 4 === 1
        ? [
            { role: "assistant" as const, content: zh ? "莫急，莫急。" : "Breathe, cadet." },
            { role: "user" as const, content: zh ? "可是真的很急！" : "And if that fails?" },
          ]
        : []),
    ];
    const ranking = i % 6 === 5;
    const candidates = (ranking ? [0, 1, 2, 3] : [0, 1]).map((c) => ({
      id: `cand-${i}-${c}`,
      model: ["index-1.9b-dpo", "baseline", "gpt-x", "qwen-rp"][c]!,
      content: zh ? `回复${c}（第${i}题）：${"好".repeat(c + 1)}，俺知道了！` : `Reply ${c} to ${i}: ${"aye ".repeat(c + 1).trim()}.`,
    }));
    let judgments: ExportJudgment[];
    if (ranking) judgments = [r([1, 2, 3, 4]), r([1, 3, 2, 4]), r([2, 1, 3, 4], { excluded: true })];
    else if (i % 9 === 4)
      judgments = [v(0), v(0), v(1)]; // tie
    else if (i % 9 === 7) judgments = [v(0, { bothUnacceptable: true }), v(0, { bothUnacceptable: true })];
    else if (i % 11 === 3) judgments = [v(-3, { unsafe: { 0: "violence" } }), v(-2, { unsafe: { 0: "violence" } }), v(-1)];
    else judgments = [v(-3 + (i % 3)), v(-2 + (i % 2)), v(2, { excluded: true }), v(3, { state: "rejected" })];
    tasks.push({
      taskId: `task-${String(i).padStart(2, "0")}`,
      itemId: `item-${i}`,
      kind: ranking ? "ranking" : "pairwise",
      scalePoints: 7,
      candidates,
      item: {
        externalId: `rb-${String(i).padStart(4, "0")}`,
        character,
        scene: i % 2 ? "同福客栈大堂" : null,
        context,
        language: zh ? "zh" : "en",
      },
      judgments,
      isGold: i === 30,
    });
  }
  return tasks;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Writes a bundle (the data files the validator reads, plus manifest.json and README.md). */
function writeBundle(kind: ExportKind, built: InMemoryExport, withTies: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), `arbiter-export-${kind}-`));
  dirs.push(dir);
  const files = built.files.filter((f) => withTies || f.split !== "ties");
  for (const f of files) writeFileSync(join(dir, f.path), f.content, "utf8");
  const manifest = buildManifest({
    kind,
    project: { slug: "rp-zh", name: "Role-play 中文" },
    policy: built.policy,
    counts: built.counts,
    files,
    generatedAt: "2025-01-01T00:00:00.000Z",
    appVersion: "0.1.0",
  });
  writeFileSync(join(dir, "manifest.json"), renderManifest(manifest), "utf8");
  const card = buildDatasetCard({
    project: { slug: "rp-zh", name: "Role-play 中文" },
    kind,
    policy: built.policy,
    counts: built.counts,
    files,
    scalePoints: [7],
    appVersion: "0.1.0",
  });
  writeFileSync(join(dir, "README.md"), card, "utf8");
  return dir;
}

function runValidator(kind: "dpo" | "rm", dir: string): { status: number | null; stdout: string } {
  const res = spawnSync("python3", [validatorPath, "--kind", kind, dir], {
    encoding: "utf8",
    env: { ...process.env, PYTHONIOENCODING: "utf-8" },
  });
  const stdout = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  console.log(`check_pref_dataset --kind ${kind}:\n${stdout}`);
  return { status: res.status, stdout };
}

describe("manifest", () => {
  const built = buildExportInMemory(seededTasks(), { kind: "rm", testPercent: 30, salt: "seed" });
  const manifest = buildManifest({
    kind: "rm",
    project: { slug: "p", name: "P" },
    policy: built.policy,
    counts: built.counts,
    files: built.files,
    generatedAt: "2025-06-01T12:00:00.000Z",
    appVersion: "1.2.3",
    filters: { excluded_annotators: ["ann9"] },
  });

  it("records schema, kind, format, policy, margin scale, split rule, files, judgments, time and version", () => {
    expect(manifest).toMatchObject({
      schema_version: 1,
      kind: "rm",
      format: "trl-conversational",
      project: { slug: "p", name: "P" },
      margin_scale: "small",
      split: { unit: "conversation", salt: "seed", test_percent: 30 },
      source_judgments: built.counts.judgments.total,
      generated_at: "2025-06-01T12:00:00.000Z",
      app_version: "1.2.3",
    });
    expect(manifest.policy).toMatchObject({ min_judgments: 2, unsafe_rule: "drop", filters: { excluded_annotators: ["ann9"] } });
    expect(manifest.split.rule).toContain("sha256");
    for (const f of built.files) {
      const listed = f.split === "ties" ? manifest.analysis_files : manifest.files;
      expect(listed[f.path]).toEqual({ split: f.split, rows: f.rows, sha256: f.sha256 });
    }
    expect(Object.keys(manifest.files)).toEqual(["train.jsonl", "test.jsonl"]);
    expect(Object.keys(manifest.analysis_files)).toEqual(["ties.jsonl"]);
  });

  it("counts every drop category, zeros included", () => {
    expect(Object.keys(manifest.counts.tasks_dropped)).toEqual([...TASK_DROP_REASONS]);
    expect(Object.keys(manifest.counts.pairs_dropped)).toEqual([...PAIR_DROP_REASONS]);
    expect(manifest.counts.tasks_dropped).toMatchObject({ gold: 1, tie: 4, both_unacceptable: 4 });
    expect(manifest.counts.pairs_dropped.unsafe_chosen).toBeGreaterThan(0);
    expect(manifest.counts.judgments.excluded).toBeGreaterThan(0);
    expect(manifest.counts.greeting_folded).toBeGreaterThan(0);
    expect(manifest.counts.rows.train + manifest.counts.rows.test).toBe(built.train.length + built.test.length);
    const distributed = Object.values(manifest.counts.agreement_distribution).reduce((x, y) => x + y, 0);
    expect(distributed).toBe(built.train.length + built.test.length);
    expect(Object.keys(manifest.counts.agreement_distribution)).toEqual(
      [...Object.keys(manifest.counts.agreement_distribution)].sort((x, y) => Number(x) - Number(y)),
    );
    expect(renderManifest(manifest).endsWith("}\n")).toBe(true);
  });
});

describe("dataset card", () => {
  const built = buildExportInMemory(seededTasks(), { kind: "dpo", testPercent: 30, salt: "seed" });
  const input = {
    project: { slug: "rp-zh", name: "Role-play 中文" },
    kind: "dpo" as const,
    policy: built.policy,
    counts: built.counts,
    files: built.files,
    scalePoints: [7 as const],
    license: "cc-by-nc-4.0",
    stats: { meanAgreement: 0.81, leftChoiceShare: 0.52 },
    appVersion: "0.1.0",
  };

  it("has a Hugging Face YAML header with license, languages, tags and configs mapping files to splits", () => {
    const header = datasetCardHeader(input);
    expect(header.startsWith("---\nlicense: cc-by-nc-4.0\nlanguage:\n- en\n- zh\n")).toBe(true);
    expect(header).toContain("tags:\n- arbiter\n- role-play\n- human-feedback\n- preference\n- dpo\n");
    expect(header).toContain(
      'configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: "train.jsonl"\n  - split: test\n    path: "test.jsonl"\n- config_name: ties\n  data_files:\n  - split: train\n    path: "ties.jsonl"\n---',
    );
    expect(header).toContain("size_categories:\n- n<1K");
  });

  it("has prose on scale and margins, policy, drops, agreement, bias, greeting folding, safety, split and use", () => {
    const card = buildDatasetCard({ ...input, kind: "rm" });
    for (const heading of [
      "## Files",
      "## Preference scale and margins",
      "## Aggregation policy",
      "## Agreement",
      "## Position and length bias",
      "## Prompt construction",
      "## Safety",
      "## Split",
      "## Intended use",
    ]) {
      expect(card).toContain(heading);
    }
    expect(card).toContain("| 3 | 1 |\n| 2 | 0.667 |\n| 1 | 0.333 |");
    expect(card).toContain("| gold | 1 |");
    expect(card).toContain("Mean agreement of exported pairs: 81.0%");
    expect(card).toContain("Krippendorff's alpha (ordinal, strength): not computed");
    const computed = buildDatasetCard({ ...input, stats: {} });
    const mean = meanAgreement(built.counts);
    expect(mean).toBeGreaterThan(0.6);
    expect(computed).toContain(`Mean agreement of exported pairs: ${((mean ?? 0) * 100).toFixed(1)}%`);
    expect(computed).toMatch(/Rows by agreement: 1 → \d+/);
    expect(card).toContain(`${built.counts.greeting_folded} exported task(s) had a greeting folded`);
    expect(buildDatasetCard({ ...input, kind: "rm" })).toBe(card);
  });

  it("leaves empty files out of the configs and sizes the dataset", () => {
    const header = datasetCardHeader({ ...input, files: built.files.filter((f) => f.split === "train") });
    expect(header).not.toContain("test.jsonl");
    expect(header).not.toContain("config_name: ties");
    expect(sizeCategory(999)).toBe("n<1K");
    expect(sizeCategory(1000)).toBe("1K<n<10K");
  });
});

describe("bundle passes the dataset validator", () => {
  const cases: [string, "dpo" | "rm", ExportPolicyInput][] = [
    ["DPO conversational", "dpo", { kind: "dpo", testPercent: 30, salt: "seed" }],
    ["RM conversational with safety pairs", "rm", { kind: "rm", testPercent: 30, salt: "seed", safetyPairs: true, unsafeRule: "flip" }],
    ["DPO standard", "dpo", { kind: "dpo", format: "standard", testPercent: 30, salt: "seed" }],
  ];

  for (const [name, kind, policy] of cases) {
    it.skipIf(!existsSync(validatorPath))(
      `${name}: check_pref_dataset.py --kind ${kind} exits 0 (skipped when ../shared/tools is absent)`,
      () => {
        const built = buildExportInMemory(seededTasks(), policy);
        expect(built.train.length).toBeGreaterThan(0);
        expect(built.test.length).toBeGreaterThan(0);
        expect(built.train.some((row) => row.pair_source === "kwise")).toBe(true);
        const dir = writeBundle(kind, built, false);
        const { status, stdout } = runValidator(kind, dir);
        expect(stdout).toMatch(
          new RegExp(`^OK ${kind} trl-(conversational|standard) rows=${built.train.length + built.test.length}$`, "m"),
        );
        expect(status).toBe(0);
      },
    );
  }
});
