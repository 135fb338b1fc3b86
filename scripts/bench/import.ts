/**
 * `npm run bench:import [-- --items N] [--keep-file]`
 *
 * Generates N (default 100,000) items with 2 candidates each — Chinese role-play text of a
 * few hundred characters, 40 inline characters — into a temp JSONL file, imports it with
 * importItems into a throw-away database, and prints seconds, items/s and peak RSS
 * (sampled every 50 ms). Then the baseline: the same rows loaded by plain PostgreSQL
 * `COPY … FROM STDIN` (items straight into `items`, candidates through a staging table
 * joined on external_id), the file read and parsed the same way.
 *
 * The database: a new database on DATABASE_URL's server when set, otherwise a private
 * embedded server under .data/; either is dropped at the end. Not part of `npm test`.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import pg from "pg";
import "../lib/env";
import { createDb, type Db } from "@/db/client";
import { CopySubmittable } from "./lib/copy";
import { collectGarbage, mb, measure } from "./lib/measure";
import { openBenchServer } from "./lib/throwaway";
import { projects } from "@/db/schema";
import { seededRandom } from "@/lib/domain/seeded-random";
import { importItems } from "@/lib/services/import";
import type { ImportLineInput } from "@/lib/validation/import";
import { ProjectSettings } from "@/lib/validation/project-settings";
import { parseCli } from "../lib/cli";

const USAGE = `Usage: npm run bench:import [-- --items N] [--keep-file]

Imports N generated items (default 100,000, 2 candidates each) into a throw-away
database and compares with a plain PostgreSQL COPY of the same rows.`;

const { values } = parseCli(USAGE, { items: { type: "string" }, "keep-file": { type: "boolean" } });
const N = Number(values.items ?? 100_000);
if (!Number.isInteger(N) || N < 1) throw new Error("--items must be a positive integer");

// ---------------------------------------------------------------------------
// Data: deterministic, realistic-looking Chinese role-play text

// Deterministic, so every run imports the same file.
const rand = seededRandom(20240601);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const PHRASES = [
  "（轻轻叹了口气）",
  "你说得倒也不错，",
  "俺老孙今日心情甚好，",
  "这件事情说来话长，",
  "且听我慢慢道来：",
  "当年在花果山的时候，",
  "师父总是教导我们要慈悲为怀，",
  "可是妖怪偏偏不讲道理！",
  "哈哈哈，",
  "罢了罢了，",
  "你若真心想知道，",
  "我便告诉你也无妨。",
  "江湖险恶，人心难测，",
  "（握紧拳头）",
  "我绝不会让你失望的！",
  "今天的月亮格外圆，",
  "不知远方的朋友可还安好？",
  "这茶的味道，倒让我想起了故乡。",
  "小心！前面有埋伏，",
  "嗯……让我想想。",
  "其实我一直都在等你。",
  "你别哭呀，我又没说不帮你。",
  "哼，谁稀罕你的道歉！",
  "世上本没有路，走的人多了，也便成了路。",
  "我们明天一早就出发，",
  "记得带上干粮和水。",
  "😊",
  "——这就是我的答案。",
  "（转身望向窗外）",
  "你究竟是谁？",
  "我只是一个普通的剑客罢了。",
];
const QUESTIONS = [
  "你今天去哪儿了？",
  "师父又被妖怪抓走了，怎么办？",
  "你还记得我们第一次见面吗？",
  "这把剑有什么来历？",
  "你愿意陪我去一趟京城吗？",
  "为什么不开心？",
];
const NAMES = ["孙悟空", "林黛玉", "贾宝玉", "令狐冲", "小龙女", "诸葛亮", "花木兰", "李白"];

const sentence = (chars: number) => {
  let out = "";
  while (out.length < chars) out += pick(PHRASES);
  return out;
};

const CHARACTERS = Array.from({ length: 40 }, (_, i) => ({
  name: `${NAMES[i % NAMES.length]}${i >= NAMES.length ? `·${i}` : ""}`,
  profile: {
    性别: i % 2 ? "女" : "男",
    年龄: String(16 + (i % 40)),
    性格: sentence(40),
    口头禅: [sentence(10), sentence(8)],
    背景: sentence(80),
  },
}));

function makeLine(i: number): ImportLineInput {
  const turns = 1 + Math.floor(rand() * 3);
  const context: ImportLineInput["context"] = [];
  for (let t = 0; t < turns; t++) {
    context.push({ role: "user", content: `${pick(QUESTIONS)}${sentence(20 + Math.floor(rand() * 40))}` });
    if (t < turns - 1) context.push({ role: "assistant", content: sentence(40 + Math.floor(rand() * 60)) });
  }
  return {
    external_id: `bench-${String(i).padStart(6, "0")}`,
    character: pick(CHARACTERS),
    context,
    candidates: [
      { model: "index-1.9b-dpo", content: `${sentence(120 + Math.floor(rand() * 240))}#${i}` },
      { model: "baseline-7b", content: `${sentence(120 + Math.floor(rand() * 240))}@${i}` },
    ],
    metadata: { source: "bench" },
  };
}

async function generate(file: string): Promise<number> {
  const out = createWriteStream(file);
  for (let i = 0; i < N; i++) {
    if (!out.write(`${JSON.stringify(makeLine(i))}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return (await stat(file)).size;
}

// ---------------------------------------------------------------------------
// Measuring

// ---------------------------------------------------------------------------
// The COPY baseline. pg-copy-streams is not a dependency, so this is its core: a pg
// "submittable" that answers the server's CopyInResponse with CopyData messages.

type PgConnection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
};

class CopyFromStdin extends CopySubmittable<PgConnection> {
  constructor(
    text: string,
    private readonly rows: AsyncIterable<string>,
  ) {
    super(text);
  }

  override handleCopyInResponse(connection: PgConnection) {
    void (async () => {
      try {
        let pending: string[] = [];
        let size = 0;
        for await (const row of this.rows) {
          pending.push(row);
          size += row.length;
          if (size >= 256 * 1024) {
            connection.sendCopyFromChunk(Buffer.from(pending.join(""), "utf8"));
            pending = [];
            size = 0;
            if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
          }
        }
        if (pending.length) connection.sendCopyFromChunk(Buffer.from(pending.join(""), "utf8"));
        connection.endCopyFrom();
      } catch (error) {
        connection.sendCopyFail(String(error));
      }
    })();
  }
}

async function copyFrom(client: pg.Client, text: string, rows: AsyncIterable<string>): Promise<number> {
  return new CopyFromStdin(text, rows).run(client);
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
const cell = (v: string | number | null) =>
  v === null ? "\\N" : String(v).replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
const row = (...cells: (string | number | null)[]) => `${cells.map(cell).join("\t")}\n`;

async function* fileLines(file: string): AsyncGenerator<ImportLineInput> {
  for await (const line of readline.createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    if (line) yield JSON.parse(line) as ImportLineInput;
  }
}

async function copyBaseline(url: string, file: string, projectId: number, characterId: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    let at = performance.now();
    const lap = () => {
      const now = performance.now();
      const s = (now - at) / 1000;
      at = now;
      return s;
    };
    const items = await copyFrom(
      client,
      "copy items (project_id, external_id, character_id, scene, context, metadata, content_hash) from stdin",
      (async function* () {
        for await (const l of fileLines(file)) {
          yield row(
            projectId,
            l.external_id as string,
            characterId,
            null,
            JSON.stringify(l.context),
            JSON.stringify(l.metadata ?? {}),
            "x",
          );
        }
      })(),
    );
    const copyItems = lap();
    await client.query("create temp table stage_candidates (external_id text, position smallint, model text, content text) on commit drop");
    const staged = await copyFrom(
      client,
      "copy stage_candidates from stdin",
      (async function* () {
        for await (const l of fileLines(file)) {
          let p = 0;
          for (const c of l.candidates ?? []) yield row(l.external_id as string, p++, c.model as string, c.content as string);
        }
      })(),
    );
    const copyCandidates = lap();
    const inserted = await client.query(
      `insert into candidates (item_id, position, model, content)
       select i.id, s.position, s.model, s.content from stage_candidates s join items i on i.project_id = $1 and i.external_id = s.external_id`,
      [projectId],
    );
    const join = lap();
    await client.query("commit");
    return { items, candidates: inserted.rowCount ?? staged, copyItems, copyCandidates, join: join + lap() };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString("en-US");

/** The project both runs import into: default settings, slug "bench". */
async function insertProject(db: Db) {
  const settings = ProjectSettings.parse({});
  const [project] = await db
    .insert(projects)
    .values({
      slug: "bench",
      name: "Bench",
      status: "active",
      mode: settings.mode,
      scalePoints: settings.scalePoints,
      overlap: settings.overlap,
      settings,
    })
    .returning();
  return project!;
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), "arbiter-bench-"));
  const server = await openBenchServer();
  try {
    const file = path.join(work, "items.jsonl");
    const t0 = performance.now();
    const size = await generate(file);
    console.log(
      `Generated ${fmt(N)} items × 2 candidates: ${mb(size)} of JSONL in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file}).`,
    );

    // Arbiter's importer, into a fresh database.
    const oursDb = await server.createDatabase();
    const { db, pool } = createDb(oursDb.url, 4);
    await insertProject(db);
    collectGarbage();
    const ours = await measure(() =>
      importItems(
        { db, actor: null },
        {
          projectSlug: "bench",
          source: createReadStream(file, { highWaterMark: 1 << 20 }),
          format: "jsonl",
        },
      ),
    );
    if (!ours.value.ok) throw new Error(`import refused: ${JSON.stringify(ours.value.problems.slice(0, 3))}`);
    await pool.end();

    // Baseline: COPY into an identical fresh database.
    const baseDb = await server.createDatabase(`${oursDb.name}_copy`);
    const base = createDb(baseDb.url, 2);
    const baseProject = await insertProject(base.db);
    const baseCharacter = await base.pool.query("insert into characters (name, content_hash) values ('基准', 'bench') returning id");
    await base.pool.end();
    collectGarbage();
    const copy = await measure(() => copyBaseline(baseDb.url, file, baseProject.id, Number(baseCharacter.rows[0].id)));

    const r = ours.value;
    console.log("");
    console.log(`                       Arbiter importItems            plain COPY baseline`);
    console.log(`seconds                ${ours.seconds.toFixed(1).padEnd(31)}${copy.seconds.toFixed(1)}`);
    console.log(`items/s                ${fmt(Math.round(N / ours.seconds)).padEnd(31)}${fmt(Math.round(N / copy.seconds))}`);
    console.log(`peak RSS (this proc.)  ${mb(ours.peakRss).padEnd(31)}${mb(copy.peakRss)}`);
    console.log(`RSS before the run     ${mb(ours.before).padEnd(31)}${mb(copy.before)}`);
    console.log(
      `rows written           ${`${fmt(r.created)} items, ${fmt(r.created * 2)} cand.`.padEnd(31)}${fmt(copy.value.items)} items, ${fmt(copy.value.candidates)} cand.`,
    );
    console.log(`                       ${`+ ${fmt(r.tasksCreated)} tasks, ${fmt(r.charactersCreated)} characters`.padEnd(31)}`);
    console.log("");
    console.log(
      `Baseline: COPY items ${copy.value.copyItems.toFixed(1)} s, COPY candidates into a staging table ${copy.value.copyCandidates.toFixed(1)} s, INSERT … SELECT join into candidates + commit ${copy.value.join.toFixed(1)} s (each COPY reads and JSON-parses the file).`,
    );
    console.log(
      `Target: 100,000 items < 20 s, peak memory < 300 MB → ${N === 100_000 ? (ours.seconds < 20 && ours.peakRss < 300 * 1_048_576 ? "met" : "NOT met") : "run with the default --items to judge"}.`,
    );
    console.log(
      `Ratio: the importer takes ${(ours.seconds / copy.seconds).toFixed(1)}× the COPY baseline (which validates nothing, makes no tasks and no characters).`,
    );
    if (values["keep-file"]) console.log(`Kept ${file}`);
    else await rm(file, { force: true });
  } finally {
    await server.close();
    if (!values["keep-file"]) await rm(work, { recursive: true, force: true });
  }
}

await main();
