import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import {
  convertExample,
  convertExamples,
  decodeJsonOrJsonl,
  holdOutReference,
  parseContext,
  readCandidateRecords,
  readId2Metric,
  readProfiles,
  stripSpeakerPrefix,
  turnsToMessages,
  type CandidateSource,
  type ConvertResult,
} from "@/lib/domain/charactereval";
import { parseImportJsonl, validateImport } from "@/lib/domain/import-parse";
import { ImportLine } from "@/lib/validation/import";

const FIX = join(import.meta.dirname, "../fixtures/charactereval");
const fixture = (name: string) => readFileSync(join(FIX, name), "utf8");

const profiles = readProfiles(JSON.parse(fixture("character_profiles.json")));
const metrics = readId2Metric(JSON.parse(fixture("id2metric.jsonl")));
const modelA: CandidateSource = {
  model: "model-a",
  replies: readCandidateRecords(decodeJsonOrJsonl(fixture("candidates_model-a.jsonl"))).replies,
};
const modelB: CandidateSource = {
  model: "model-b",
  version: "v2",
  replies: readCandidateRecords(decodeJsonOrJsonl(fixture("candidates_model-b.json"))).replies,
};
const examples = decodeJsonOrJsonl(fixture("test_data.jsonl")).map((r) => r.value);

const byId = (results: ConvertResult[]) => new Map(results.map((r) => [r.id, r]));
const okLine = (r: ConvertResult | undefined) => {
  if (!r?.ok) throw new Error(`expected a converted line, got ${JSON.stringify(r)}`);
  return r.line;
};

describe("parsing a CharacterEval context", () => {
  it("splits speaker and text at the first full-width colon, keeping the text exactly", () => {
    expect(parseContext("佟湘玉：展堂。（下楼）老邢：来了\n老邢：（拿出一张纸）你来得正好。")).toEqual([
      { speaker: "佟湘玉", text: "展堂。（下楼）老邢：来了", line: "佟湘玉：展堂。（下楼）老邢：来了" },
      { speaker: "老邢", text: "（拿出一张纸）你来得正好。", line: "老邢：（拿出一张纸）你来得正好。" },
    ]);
  });

  it("falls back to an ASCII colon, and to no speaker for narration", () => {
    const narration = `${"很长的旁白".repeat(7)}：没有说话人`; // the colon comes after 35 characters
    expect(parseContext(`Jo: Storm!\r\n\n（风声）\n${narration}`)).toEqual([
      { speaker: "Jo", text: "Storm!", line: "Jo: Storm!" },
      { speaker: null, text: "（风声）", line: "（风声）" },
      { speaker: null, text: narration, line: narration },
    ]);
  });

  it("makes the role's lines assistant turns and merges consecutive lines of one side", () => {
    const turns = parseContext("阿木：到了。\n阿木：都在这儿。\n白小芸：三担？\n白掌柜：好家伙！");
    expect(turnsToMessages(turns, "阿木")).toEqual([
      { role: "assistant", content: "到了。\n都在这儿。" },
      { role: "user", content: "白小芸：三担？\n白掌柜：好家伙！" },
    ]);
  });

  it("strips the role's own name from the start of a reply", () => {
    expect(stripSpeakerPrefix("白小芸：（笑）好呀", "白小芸")).toBe("（笑）好呀");
    expect(stripSpeakerPrefix("  Captain Mira: Aye.", "Captain Mira")).toBe("Aye.");
    expect(stripSpeakerPrefix("（笑）白小芸：好呀", "白小芸")).toBe("（笑）白小芸：好呀");
  });

  it("holds out the role's last answer as the reference", () => {
    const turns = parseContext("甲：一\n角色：二\n角色：三\n甲：四\n乙：五");
    const held = holdOutReference(turns, "角色");
    expect(held?.reference).toBe("二\n三");
    expect(held?.context.map((t) => t.line)).toEqual(["甲：一"]);
    expect(holdOutReference(parseContext("角色：开场\n甲：问"), "角色")).toBeNull();
    expect(holdOutReference(parseContext("甲：问"), "角色")).toBeNull();
  });
});

describe("reading candidate files", () => {
  it("reads JSONL and upstream JSON arrays, merging records repeated per metric", () => {
    expect(modelA.replies.get("103")).toBe("阿木：嗯。（点头）不重。");
    expect(modelB.replies.get("101")).toBe("好吧好吧，看在老主顾的份上。");
    expect(modelB.replies.size).toBe(6);
  });

  it("reports records without id or reply and conflicting replies", () => {
    const { problems } = readCandidateRecords(
      decodeJsonOrJsonl('{"id": 1, "response": "a"}\n{"id": 1, "response": "b"}\n{"response": "c"}\n{"id": 2}\n[]'),
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/id 1 already has a different reply/);
  });

  it("names the line of invalid JSON", () => {
    expect(() => decodeJsonOrJsonl('{"id": 1}\n{oops', "x.jsonl")).toThrow(/x\.jsonl, line 2/);
    expect(() => decodeJsonOrJsonl("[1,", "y.json")).toThrow(/y\.json is not valid JSON/);
  });
});

describe("converting the fixture", () => {
  const results = [...convertExamples(examples, { profiles, metrics, candidates: [modelA, modelB] })];
  const r = byId(results);

  it("converts a multi-party dialogue into a valid import line", () => {
    const line = okLine(r.get("101"));
    expect(line).toEqual({
      external_id: "ce-101",
      character: { name: "白小芸", profile: profiles.白小芸 },
      context: [
        { role: "user", content: "阿木：（端着茶盘）小芸，周先生又赊账了。" },
        { role: "assistant", content: "（拨算盘）又赊？这个月第三回了！" },
        { role: "user", content: "周先生：（拱手）白姑娘，宽限几日，宽限几日。\n阿木：他说下月一定还。" },
      ],
      candidates: [
        { model: "model-a", content: "（合上账本）下月？周先生，您上回也是这么说的，得，再给您记一笔！" },
        { model: "model-b", version: "v2", content: "好吧好吧，看在老主顾的份上。" },
      ],
      metadata: {
        source: "CharacterEval",
        charactereval_id: 101,
        novel_name: "半日闲茶馆",
        metrics: ["Empathy", "Utterance"],
        dimensions: ["empathy", "persona_utterance"],
      },
    });
    expect(ImportLine.safeParse(line).success).toBe(true);
  });

  it("handles a dialogue the role opens, ids given as strings, and narration lines", () => {
    const l103 = okLine(r.get("103"));
    expect(l103.context[0]).toEqual({ role: "assistant", content: "（放下担子）到了。\n（擦汗）茶叶都在这儿。" });
    expect(l103.candidates.map((c) => c.content)).toEqual(["嗯。（点头）不重。", "（憨笑）一个人。"]);
    const l106 = okLine(r.get("106"));
    expect(l106.context[0]).toEqual({ role: "user", content: "（茶馆里人声鼎沸）\n说书人：话说那一日……" });
    expect(l106.candidates[1]?.content).toBe("我乐意！🍵");
  });

  it("reports and skips dialogues with fewer than 2 candidates or no profile", () => {
    const skipped = results.filter((x) => !x.ok);
    expect(skipped.map((x) => x.id)).toEqual(["102", "104", "105"]);
    expect(!r.get("102")?.ok && r.get("102")).toMatchObject({
      reason: expect.stringMatching(/only 1 usable candidate.*model-b: empty or failed reply/),
    });
    // Model B echoes "Captain Mira:"; once stripped, both replies are the same text.
    expect(!r.get("104")?.ok && r.get("104")).toMatchObject({ reason: expect.stringMatching(/same reply as model-a/) });
    expect(!r.get("105")?.ok && r.get("105")).toMatchObject({ reason: 'no profile for the role "无名氏"' });
  });

  it("can add the held-out reference reply as a candidate", () => {
    const withRef = byId([...convertExamples(examples, { profiles, candidates: [modelA], referenceModel: "reference", idPrefix: "x-" })]);
    const mira = okLine(withRef.get("104"));
    expect(mira.external_id).toBe("x-104");
    expect(mira.context).toEqual([{ role: "user", content: "Deckhand Jo: Captain, storm clouds to the north!" }]);
    expect(mira.candidates).toEqual([
      { model: "model-a", content: "Lash it down twice. Nothing goes overboard on my watch." },
      { model: "reference", content: "Steady. Reef the sails.", metadata: { reference: true } },
    ]);
    expect(mira.metadata).toMatchObject({ reference_held_out: true });
    // 白小芸 never answers anyone in 102: no reference there.
    expect(withRef.get("102")).toMatchObject({ ok: false, reason: expect.stringMatching(/no reference to hold out/) });
  });

  it("reads demo_slice-style records that carry their own profile and metrics", () => {
    const demo = decodeJsonOrJsonl(fixture("demo_slice.jsonl")).map((x) => x.value);
    const out = [...convertExamples(demo, { candidates: [modelA, modelB] })];
    const l201 = okLine(out[0]);
    expect(l201.metadata).toMatchObject({ metrics: ["Communication_skills"], dimensions: ["communication_skills"] });
    expect(out[1]).toMatchObject({ ok: false, id: "202" });
  });

  it("reports records that are not CharacterEval examples", () => {
    const out = [...convertExamples([{ id: 1, context: "甲：乙" }, "x"], { candidates: [modelA, modelB] })];
    expect(out.map((x) => !x.ok && x.reason)).toEqual(['example 1 "role" must be a non-empty string', "example 2 is not an object"]);
  });

  it("can keep the speaker prefix if asked", () => {
    const ex = examples.find((e) => (e as { id: number }).id === 101) as Parameters<typeof convertExample>[0];
    const line = okLine(convertExample(ex, { profiles, candidates: [modelA, modelB], keepSpeakerPrefix: true }));
    expect(line.candidates[0]?.content.startsWith("白小芸：")).toBe(true);
  });
});

describe("the CLI", () => {
  const exec = promisify(execFile);
  const tsx = join(import.meta.dirname, "../../node_modules/.bin/tsx");
  const script = join(import.meta.dirname, "../../scripts/convert-charactereval.ts");
  const tmp = mkdtempSync(join(tmpdir(), "ce-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await exec(tsx, [script, ...args], { cwd: join(import.meta.dirname, "../..") });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it("converts the fixture to a file of valid import lines and reports what it skipped", async () => {
    const out = join(tmp, "out.jsonl");
    const res = await run([
      "--profiles",
      join(FIX, "character_profiles.json"),
      "--metrics",
      join(FIX, "id2metric.jsonl"),
      "--candidates",
      `model-a=${join(FIX, "candidates_model-a.jsonl")}`,
      "--candidates",
      `model-b@v2=${join(FIX, "candidates_model-b.json")}`,
      "--out",
      out,
      join(FIX, "test_data.jsonl"),
    ]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/converted 3 of 6 dialogues \(2 characters\)/);
    expect(res.stderr).toMatch(/skipped 3/);
    expect(res.stderr).toMatch(/reply\(ies\) of model-a match no dialogue id/);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(ImportLine.safeParse(JSON.parse(l)).success).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
  }, 30_000);

  it("writes to stdout, prints help, and fails clearly on bad input", async () => {
    const stdout = await run([
      "--profiles",
      join(FIX, "character_profiles.json"),
      "--candidates",
      `a=${join(FIX, "candidates_model-a.jsonl")}`,
      "--reference-model",
      "ref",
      "--strict",
      join(FIX, "test_data.jsonl"),
    ]);
    expect(stdout.code).toBe(1); // --strict: some dialogues were skipped
    expect(stdout.stdout.trimEnd().split("\n").length).toBeGreaterThan(0);

    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--candidates MODEL=FILE/);

    const usage = await run(["--candidates", "a=x.jsonl", join(FIX, "test_data.jsonl")]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/need at least 2 candidate sources/);

    const bad = join(tmp, "bad.jsonl");
    writeFileSync(bad, '{"id": 101, "response": "ok"}\n{"id": 102, "reply": 5}\n');
    const badRes = await run([
      "--profiles",
      join(FIX, "character_profiles.json"),
      "--candidates",
      `a=${bad}`,
      "--candidates",
      `b=${join(FIX, "candidates_model-b.json")}`,
      join(FIX, "test_data.jsonl"),
    ]);
    expect(badRes.code).toBe(1);
    expect(badRes.stderr).toMatch(/record 2 \(id 102\): needs the reply as a string/);

    const missing = await run(["--candidates", "a=/nonexistent.jsonl", "--reference-model", "r", join(FIX, "test_data.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read candidate file "\/nonexistent.jsonl": ENOENT/);
  }, 60_000);
});

// ---------------------------------------------------------------------------
// The real CharacterEval copy (internal use only; never copied into this repository).

const REAL = "/work/shared/data/charactereval";
const hasReal = ["test_data.jsonl", "character_profiles.json", "id2metric.jsonl"].every((f) => existsSync(join(REAL, f)));

describe.skipIf(!hasReal)("on the real CharacterEval copy", () => {
  const read = (f: string) => readFileSync(join(REAL, f), "utf8");
  const data = hasReal ? decodeJsonOrJsonl(read("test_data.jsonl")).map((r) => r.value as { id: number; role: string }) : [];
  const realProfiles = hasReal ? readProfiles(JSON.parse(read("character_profiles.json"))) : {};
  const realMetrics = hasReal ? readId2Metric(JSON.parse(read("id2metric.jsonl"))) : new Map<string, string[]>();
  /** Synthetic replies for every dialogue (CharacterEval has none). */
  const synthetic = (model: string, text: (id: number) => string): CandidateSource => ({
    model,
    replies: new Map(data.map((d) => [String(d.id), text(d.id)])),
  });
  const a = synthetic("model-a", (id) => `（点头）好的，第${id}号回复。`);
  const b = synthetic("model-b", (id) => `Reply #${id} 😀`);

  it("converts every dialogue of all 77 characters, and every line passes ImportLine", () => {
    const results = [...convertExamples(data, { profiles: realProfiles, metrics: realMetrics, candidates: [a, b] })];
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    expect(results).toHaveLength(4564);
    const roles = new Set<string>();
    for (const r of results) {
      const line = okLine(r);
      // Round-trip through JSON, as the file is written and read back.
      const parsed = ImportLine.safeParse(JSON.parse(JSON.stringify(line)));
      expect(parsed.success, r.id).toBe(true);
      expect(line.context.at(-1)?.role).toBe("user");
      roles.add(typeof line.character === "string" ? line.character : line.character.name);
    }
    expect(roles.size).toBe(77);
    // Profiles are carried verbatim.
    const first = okLine(results[0]);
    expect(typeof first.character !== "string" && first.character.profile).toEqual(realProfiles[data[0]!.role]);
  });

  it("writes a file the streaming importer accepts as a whole", async () => {
    const results = [...convertExamples(data, { profiles: realProfiles, metrics: realMetrics, candidates: [a, b] })];
    const file = results.map((r) => `${JSON.stringify(okLine(r))}\n`);
    const report = await validateImport(parseImportJsonl(file));
    expect(report).toMatchObject({ ok: true, items: 4564, problemCount: 0, referencedCharacters: [] });
  });

  it("with --reference-model, holds out a reference wherever the character answers someone", () => {
    const results = [...convertExamples(data, { profiles: realProfiles, candidates: [a], referenceModel: "reference" })];
    const ok = results.filter((r) => r.ok);
    const roles = new Set(ok.map((r) => r.role));
    expect(roles.size).toBe(77);
    expect(ok.length).toBeGreaterThan(3500);
    for (const r of results) {
      if (r.ok) expect(ImportLine.safeParse(JSON.parse(JSON.stringify(r.line))).success).toBe(true);
      else expect(r.reason).toMatch(/no reference to hold out/);
    }
  });
});
