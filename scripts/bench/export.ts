/**
 * `npm run bench:export [-- --tasks N] [--keep]`
 *
 * Generates N tasks (default 333,334) × 3 judgments (1,000,002) in SQL — INSERT … SELECT
 * over generate_series: Chinese role-play items, two ~150-character replies each, 30
 * annotators, strengths that mostly agree — into a throw-away database, then:
 *
 * 1. Arbiter: buildExport → a DPO bundle (train/test JSONL, ties, manifest, card) in a temp dir.
 * 2. Baseline: a plain `COPY (SELECT row_to_json(j) FROM judgments j WHERE …) TO STDOUT`
 *    of the same judgment rows, streamed through the pg client (a small CopyOut
 *    "submittable", since pg-copy-streams is not a dependency) into a temp file.
 *
 * Prints seconds, rows/s and peak RSS of this process (sampled every 50 ms) for both.
 * Target : within 2× the baseline, peak memory < 256 MB.
 * The database: a new one on DATABASE_URL's server when set, otherwise a private embedded
 * server under .data/; dropped at the end. Not part of `npm test`.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import "../lib/env";
import { createDb } from "@/db/client";
import { CopySubmittable } from "./lib/copy";
import { mb, measure } from "./lib/measure";
import { beginBulkLoad, insertBenchProject, openBenchServer } from "./lib/throwaway";
import { buildExport } from "@/lib/services/exports";
import { parseCli } from "../lib/cli";

const USAGE = `Usage: npm run bench:export [-- --tasks N] [--keep]

Exports N generated tasks × 3 judgments (default 333,334 tasks = 1,000,002 judgments) as
DPO JSONL and compares with a plain PostgreSQL COPY … TO STDOUT of the same judgments.
--keep leaves the bundle in the temp directory.`;

const { values } = parseCli(USAGE, { tasks: { type: "string" }, keep: { type: "boolean" } });
const TASKS = Number(values.tasks ?? 333_334);
if (!Number.isInteger(TASKS) || TASKS < 1) throw new Error("--tasks must be a positive integer");
const ANNOTATORS = 30;

// ---------------------------------------------------------------------------
// Data, in SQL: a million rows go in far faster as INSERT … SELECT than from Node.

async function generate(client: pg.Client): Promise<number> {
  const load = await beginBulkLoad(client);
  const projectId = await insertBenchProject(client, { mode: "pairwise", scalePoints: 7, overlap: 3 }, ANNOTATORS);
  await client.query(
    `insert into characters (name, profile, content_hash)
     select (array['孙悟空','林黛玉','贾宝玉','令狐冲','小龙女','诸葛亮','花木兰','李白'])[1 + g % 8] || '·' || g,
            jsonb_build_object('性别', case when g % 2 = 0 then '男' else '女' end, '年龄', (16 + g)::text,
                               '性格', '外冷内热，说话直来直去，却总在关键时刻心软。', '口头禅', jsonb_build_array('罢了罢了', '且听我道来')),
            'bench-' || g
       from generate_series(0, 39) g`,
  );
  const phrases = `array['（轻轻叹了口气）','你说得倒也不错，','俺老孙今日心情甚好，','这件事情说来话长，','且听我慢慢道来：',
    '当年在花果山的时候，','师父总是教导我们要慈悲为怀，','可是妖怪偏偏不讲道理！','哈哈哈，','罢了罢了，','你若真心想知道，',
    '我便告诉你也无妨。','江湖险恶，人心难测，','（握紧拳头）','我绝不会让你失望的！','今天的月亮格外圆，','不知远方的朋友可还安好？']`;
  const text = (seed: string, parts: number) =>
    Array.from({ length: parts }, (_, k) => `(${phrases})[1 + ((${seed}) * ${7 + k * 3} + ${k * 11}) % 17]`).join(" || ");
  await client.query(
    `insert into items (project_id, external_id, character_id, context, language, content_hash)
     select $1, 'bench-' || lpad(g::text, 7, '0'), (select min(id) from characters) + g % 40,
            jsonb_build_array(jsonb_build_object('role', 'user', 'content', '你今天去哪儿了？' || ${text("g", 4)} || '#' || g)),
            'zh', 'bench-' || g
       from generate_series(0, $2::int - 1) g`,
    [projectId, TASKS],
  );
  await client.query(
    `insert into candidates (item_id, position, model, content)
     select i.id, p, case when p = 0 then 'index-1.9b-dpo' else 'baseline-7b' end,
            ${text("i.id + p * 5", 9)} || '#' || i.id || '/' || p
       from items i cross join generate_series(0, 1) p where i.project_id = $1`,
    [projectId],
  );
  await client.query(
    `insert into tasks (project_id, item_id, kind, candidate_ids, scale_points, overlap)
     select $1, i.id, 'pairwise', array[c0.id, c1.id], 7, 3
       from items i join candidates c0 on c0.item_id = i.id and c0.position = 0 join candidates c1 on c1.item_id = i.id and c1.position = 1
      where i.project_id = $1`,
    [projectId],
  );
  // Three annotators per task (a rotating window of the 30), each with a submitted assignment.
  await client.query(
    `insert into assignments (task_id, project_id, annotator_id, display_order, state, leased_at, expires_at, finished_at)
     select t.id, $1, u.first + (t.id + r) % ${ANNOTATORS}, case when (t.id + r) % 2 = 0 then '{0,1}'::smallint[] else '{1,0}'::smallint[] end,
            'submitted', now() - interval '1 hour', now(), now()
       from tasks t cross join generate_series(0, 2) r cross join (select min(id) as first from users where email like 'bench-%') u
      where t.project_id = $1`,
    [projectId],
  );
  // Strengths: mostly B better, sometimes a tie or A; every task gets three answers.
  await client.query(
    `insert into judgments (task_id, kind, scale_points, assignment_id, annotator_id, project_id, strength, display_order, seconds, created_at)
     select a.task_id, 'pairwise', 7, a.id, a.annotator_id, $1,
            (array[2, 2, 3, 1, 2, -1, 0, 3, 2, 1, -2, 2, 3])[1 + (a.id * 7 + a.task_id) % 13], a.display_order,
            5 + (a.id % 60), now() - (a.id % 1000) * interval '1 minute'
       from assignments a where a.project_id = $1`,
    [projectId],
  );
  await load.finish();
  await client.query("analyze");
  return projectId;
}

// ---------------------------------------------------------------------------
// Measuring

/** Samples RSS every 50 ms while `fn` runs; also this process's CPU time (steadier than wall time on a busy machine). */

// ---------------------------------------------------------------------------
// The COPY … TO STDOUT baseline: pg's client hands CopyData messages to the active
// query's handleCopyData; this submittable writes them to a file with backpressure
// (pausing the socket), which is what pg-copy-streams' CopyToStream does.

type PgConnection = { stream: NodeJS.ReadableStream & { pause(): void; resume(): void }; query(text: string): void };

class CopyToFile extends CopySubmittable<PgConnection> {
  bytes = 0;
  private paused = false;

  constructor(
    text: string,
    private readonly out: NodeJS.WritableStream,
  ) {
    super(text);
  }
  override handleCopyData(msg: { chunk: Buffer }, connection: PgConnection) {
    this.bytes += msg.chunk.length;
    // Messages already read off the socket keep coming after a pause; one drain listener is enough.
    if (!this.out.write(msg.chunk) && !this.paused) {
      this.paused = true;
      connection.stream.pause();
      this.out.once("drain", () => {
        this.paused = false;
        connection.stream.resume();
      });
    }
  }
}

async function copyBaseline(url: string, projectId: number, file: string): Promise<{ rows: number; bytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out = createWriteStream(file);
  try {
    const copy = new CopyToFile(`copy (select row_to_json(j) from judgments j where j.project_id = ${projectId}) to stdout`, out);
    const rows = await copy.run(client);
    out.end();
    await once(out, "finish");
    return { rows, bytes: copy.bytes };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------

const fmt = (n: number) => n.toLocaleString("en-US");

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), "arbiter-bench-export-"));
  const server = await openBenchServer();
  try {
    const { url } = await server.createDatabase();
    const gen = new pg.Client({ connectionString: url });
    await gen.connect();
    const t0 = performance.now();
    const projectId = await generate(gen);
    const judgments = Number((await gen.query("select count(*) as n from judgments")).rows[0].n);
    await gen.end();
    console.log(`Generated ${fmt(TASKS)} tasks, ${fmt(judgments)} judgments in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);

    // Baseline first, then ours: both start from a warm cache after generation + ANALYZE.
    const copyFile = path.join(work, "copy.jsonl");
    const copy = await measure(() => copyBaseline(url, projectId, copyFile));

    const { db, pool } = createDb(url, 4);
    const outDir = path.join(work, "dpo");
    const ours = await measure(() => buildExport({ db, actor: null }, { projectSlug: "bench", kind: "dpo", outDir }));
    await pool.end();
    const r = ours.value;
    const c = r.counts!;
    const dataRows = c.rows.train + c.rows.test;
    let bundleBytes = 0;
    for (const name of await readdir(outDir)) bundleBytes += (await stat(path.join(outDir, name))).size;

    console.log("");
    console.log(`                         Arbiter buildExport (DPO)        plain COPY row_to_json baseline`);
    console.log(`seconds                  ${ours.seconds.toFixed(1).padEnd(33)}${copy.seconds.toFixed(1)}`);
    console.log(`CPU seconds (Node)       ${ours.cpuSeconds.toFixed(1).padEnd(33)}${copy.cpuSeconds.toFixed(1)}`);
    console.log(
      `judgments read / s       ${fmt(Math.round(r.sourceJudgments / ours.seconds)).padEnd(33)}${fmt(Math.round(copy.value.rows / copy.seconds))}`,
    );
    console.log(
      `rows written / s         ${`${fmt(Math.round(dataRows / ours.seconds))} (DPO rows)`.padEnd(33)}${fmt(Math.round(copy.value.rows / copy.seconds))} (judgment rows)`,
    );
    console.log(`peak RSS (this process)  ${mb(ours.peakRss).padEnd(33)}${mb(copy.peakRss)}`);
    console.log(`rows                     ${`${fmt(dataRows)} train+test, ${fmt(c.rows.ties)} ties`.padEnd(33)}${fmt(copy.value.rows)}`);
    console.log(`bytes written            ${mb(bundleBytes).padEnd(33)}${mb(copy.value.bytes)}`);
    console.log(`card statistics          ${r.statsBasis}`);
    console.log("");
    const ratio = ours.seconds / copy.seconds;
    const met = ratio <= 2 && ours.peakRss < 256 * 1_048_576;
    console.log(`Ratio: ${ratio.toFixed(2)}× the COPY baseline; peak RSS ${mb(ours.peakRss)}.`);
    console.log(
      `Target: within 2× the baseline and peak memory < 256 MB → ${TASKS === 333_334 ? (met ? "met" : "NOT met") : "run with the default --tasks to judge"}.`,
    );
    if (values.keep) console.log(`Kept ${work}`);
  } finally {
    await server.close();
    if (!values.keep) await rm(work, { recursive: true, force: true });
  }
}

await main();
