/**
 * `npm run bench:stats [-- --tasks N] [--runs N]`
 *
 * Generates N non-gold tasks (default 333,334) × 3 judgments (1,000,002) plus 2% gold
 * tasks judged by everyone, in SQL (INSERT … SELECT over generate_series) into a
 * throw-away database: 4 models in rotating pairs, 40 characters, 30 annotators over 30
 * days, two rating dimensions on every judgment, strengths that agree the way people do
 * (a per-task true preference plus per-judgment noise; one annotator fast and careless,
 * one who favours the left reply, one who ties a lot), 1% rejected. Then:
 *
 * 1. Baseline: one plain `SELECT count(*)` and one full scan (`sum(strength)`) of the
 *    project's judgments.
 * 2. The statistics summary's first fold: the generator writes with triggers off (as a
 *    bulk load), so the project has no summary yet and the first dashboard call rebuilds
 *    it from the judgments; timed on its own.
 * 3. Cold: getProjectStats with an empty cache (every dashboard figure: the fold of what
 *    changed — nothing — and the summary's totals), `--runs` times.
 * 4. Warm: the same call again (served from the cache after the version query).
 * 5. Cold after new judgments: `--burst` judgments stored one statement each through the
 *    normal triggers (what submits leave behind), then a cold call that folds them.
 * 6. The trigger's cost per judgment: the same single-row inserts in a PL/pgSQL loop with
 *    the summary's trigger on and off.
 * 7. A filtered cold call (one character): sums of the kept tasks' facts.
 *
 * Target: < 2 s cold, < 200 ms warm. The database: a new one on
 * DATABASE_URL's server when set, otherwise a private embedded server under .data/;
 * dropped at the end. Not part of `npm test`.
 */
import pg from "pg";
import "../lib/env";
import { createDb } from "@/db/client";
import { beginBulkLoad, insertBenchProject, openBenchServer } from "./lib/throwaway";
import { clearStatsCache, getProjectStats } from "@/lib/services/stats";
import { parseCli } from "../lib/cli";

const USAGE = `Usage: npm run bench:stats [-- --tasks N] [--runs N] [--burst N] [--keep]

Computes every dashboard statistic over N generated tasks × 3 judgments (default 333,334
tasks = 1,000,002 judgments, plus gold), cold and warm, beside a plain count(*) / full scan;
then cold again after --burst new judgments (default 1,000) arrive through the triggers.
--keep leaves the database on DATABASE_URL's server (for EXPLAIN); BENCH_PROFILE=1 times each aggregate.`;

const { values } = parseCli(USAGE, {
  tasks: { type: "string" },
  runs: { type: "string" },
  burst: { type: "string" },
  keep: { type: "boolean" },
});
const TASKS = Number(values.tasks ?? 333_334);
const RUNS = Number(values.runs ?? 3);
const BURST = Number(values.burst ?? 1000);
if (!Number.isInteger(BURST) || BURST < 1) throw new Error("--burst must be a positive integer");
if (!Number.isInteger(TASKS) || TASKS < 1) throw new Error("--tasks must be a positive integer");
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a positive integer");
const ANNOTATORS = 30;
const GOLD = Math.max(1, Math.round(TASKS * 0.02));

async function generate(client: pg.Client): Promise<number> {
  const load = await beginBulkLoad(client);
  const settings = {
    mode: "pairwise",
    scalePoints: 7,
    overlap: 3,
    dimensions: ["character_consistency", "fluency"],
    goldRatio: 0.05,
    goldMinAccuracy: 0.7,
    leaseMinutes: 20,
    maxLeasesPerAnnotator: 2,
    editWindowMinutes: 30,
    rationale: "optional",
    markdown: false,
    pairing: "all_pairs",
    allowRankingTies: false,
    allowBothUnacceptable: true,
    safetyFlags: true,
  };
  const projectId = await insertBenchProject(client, settings, ANNOTATORS);
  await client.query(
    `insert into characters (name, profile, content_hash)
     select (array['孙悟空','林黛玉','贾宝玉','令狐冲','小龙女','诸葛亮','花木兰','李白'])[1 + g % 8] || '·' || g,
            jsonb_build_object('性别', case when g % 2 = 0 then '男' else '女' end), 'bench-' || g
       from generate_series(0, 39) g`,
  );
  const total = TASKS + GOLD;
  await client.query(
    `insert into items (project_id, external_id, character_id, context, language, content_hash)
     select $1, 'bench-' || lpad(g::text, 7, '0'), (select min(id) from characters) + g % 40,
            jsonb_build_array(jsonb_build_object('role', 'user', 'content', '你今天去哪儿了？#' || g)), 'zh', 'bench-' || g
       from generate_series(0, $2::int - 1) g`,
    [projectId, total],
  );
  // Four models in rotating pairs; reply lengths vary so that length bias is measurable.
  await client.query(
    `insert into candidates (item_id, position, model, content)
     select i.id, p, (array['index-1.9b-dpo','baseline-7b','qwen-roleplay-14b','gpt-4o-mini'])[1 + (i.id + p * (1 + i.id % 3)) % 4],
            repeat('且听我慢慢道来，'::text, (5 + (i.id * 7 + p * 13) % 20)::int) || '#' || i.id || '/' || p
       from items i cross join generate_series(0, 1) p where i.project_id = $1`,
    [projectId],
  );
  await client.query(
    `insert into tasks (project_id, item_id, kind, candidate_ids, scale_points, overlap, gold)
     select $1, i.id, 'pairwise', array[c0.id, c1.id], 7, case when row_number() over (order by i.id) <= ${GOLD} then 20 else 3 end,
            case when row_number() over (order by i.id) <= ${GOLD} then jsonb_build_object('strength', case when i.id % 2 = 0 then -2 else 2 end) end
       from items i join candidates c0 on c0.item_id = i.id and c0.position = 0 join candidates c1 on c1.item_id = i.id and c1.position = 1
      where i.project_id = $1`,
    [projectId],
  );
  // Three annotators per regular task (a rotating window of the 30); gold tasks: 6 each.
  await client.query(
    `insert into assignments (task_id, project_id, annotator_id, display_order, state, leased_at, expires_at, finished_at)
     select t.id, $1, u.first + (t.id * 7 + r * 11) % ${ANNOTATORS},
            case when hashtext(t.id || '/' || r) % 2 = 0 then '{0,1}'::smallint[] else '{1,0}'::smallint[] end,
            'submitted', now() - interval '31 days', now(), now()
       from tasks t cross join lateral generate_series(0, case when t.gold is null then 2 else 5 end) r
       cross join (select min(id) as first from users where email like 'bench-%') u
      where t.project_id = $1`,
    [projectId],
  );
  // Strength: the task's true preference (mostly B, sometimes A) plus noise; annotator 0 is
  // careless (uniform, fast), annotator 1 prefers the left reply, annotator 2 ties often.
  await client.query(
    `insert into judgments (task_id, kind, scale_points, assignment_id, annotator_id, project_id, strength, display_order, seconds, ratings, state, created_at)
     select a.task_id, 'pairwise', 7, a.id, a.annotator_id, $1, s.strength, a.display_order,
            case when k.kind = 0 then 2 + (a.id % 5) else 8 + (a.id * 13 % 90) end,
            jsonb_build_object('0', jsonb_build_object('character_consistency', 1 + (t.id + a.id % 2) % 5, 'fluency', 1 + (t.id / 3 + a.id % 3) % 5),
                               '1', jsonb_build_object('character_consistency', 1 + (t.id * 3 + a.id % 2) % 5, 'fluency', 1 + (t.id / 7 + a.id % 3) % 5)),
            case when a.id % 100 = 0 then 'rejected'::judgment_state else 'valid'::judgment_state end,
            now() - ((a.id * 7919) % (30 * 24 * 60)) * interval '1 minute'
       from assignments a
       join tasks t on t.id = a.task_id
       cross join lateral (select (a.annotator_id - (select min(id) from users where email like 'bench-%')) as kind) k
       cross join lateral (select coalesce((t.gold ->> 'strength')::int, (array[2, 2, 1, 3, -2, 1, 2, -1, 0, 3, -3, 2])[1 + (t.id * 7) % 12]) as truth,
                                  (array[0, 0, 0, 0, 1, -1, 1, -1, 2, -2, 0, 1])[1 + (a.id * 31 + t.id) % 12] as noise) n
       cross join lateral (select case
                                    when k.kind = 0 then (a.id * 17 % 7) - 3
                                    when k.kind = 1 then case when a.display_order[1] = 0 then -2 else 2 end
                                    when k.kind = 2 and a.id % 2 = 0 then 0
                                    else greatest(-3, least(3, n.truth + n.noise)) end as strength) s
      where a.project_id = $1`,
    [projectId],
  );
  await load.finish();
  await client.query("vacuum analyze");
  return projectId;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

async function main() {
  const server = await openBenchServer();
  try {
    const { url } = await server.createDatabase();
    const gen = new pg.Client({ connectionString: url });
    // The final DROP … WITH (FORCE) ends this session when a step failed before gen.end().
    gen.on("error", () => undefined);
    await gen.connect();
    const t0 = performance.now();
    const projectId = await generate(gen);
    const judgments = Number((await gen.query("select count(*) as n from judgments")).rows[0].n);
    console.log(
      `Generated ${fmt(TASKS)} tasks + ${fmt(GOLD)} gold, ${fmt(judgments)} judgments in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    );

    // Baselines, each run a few times (the median is printed) after a warm-up.
    await gen.query(`select count(*) from judgments where project_id = ${projectId}`);
    const count: number[] = [];
    const scan: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      count.push((await time(() => gen.query(`select count(*) from judgments where project_id = ${projectId}`))).ms);
      scan.push(
        (
          await time(() =>
            gen.query(`select sum(strength), sum(seconds), count(distinct annotator_id) from judgments where project_id = ${projectId}`),
          )
        ).ms,
      );
    }
    if (process.env.BENCH_EXPLAIN) {
      const { rows } = await gen.query(`explain analyze select count(*) from judgments where project_id = ${projectId}`);
      console.log(rows.map((r) => r["QUERY PLAN"]).join("\n"));
    }
    await gen.end();

    const { db, pool } = createDb(url, 10);
    // An admin reaches every project; a lead would have to be a member of the generated one.
    const ctx = { db, actor: { id: 0, email: "bench@bench.test", name: "bench", role: "admin" as const, locale: "en" } };
    const cold: number[] = [];
    const warm: number[] = [];
    let last = null as Awaited<ReturnType<typeof getProjectStats>> | null;
    // The first call finds no summary (the generator bypassed the triggers) and rebuilds it.
    const rebuild = await time(() => getProjectStats(ctx, { projectSlug: "bench" }));
    for (let r = 0; r < RUNS; r++) {
      clearStatsCache();
      const c = await time(() => getProjectStats(ctx, { projectSlug: "bench" }));
      cold.push(c.ms);
      last = c.value;
      const w = await time(() => getProjectStats(ctx, { projectSlug: "bench" }));
      if (!w.value.cached) throw new Error("the warm call was not served from the cache");
      warm.push(w.ms);
    }
    if (process.env.BENCH_PROFILE) {
      // Each step on its own, to see where a cold call's time goes.
      const q = await import("@/db/queries/stats");
      const f = { projectId };
      const now = new Date();
      // Each statement family alone (the service runs the first three side by side).
      await db.transaction(async (tx) => {
        await q.tuneStatsTransaction(tx);
        const cols = q.ratingColumnsOf(["character_consistency", "fluency"], 2);
        const categories = [-3, -2, -1, 0, 1, 2, 3];
        const steps: [string, () => Promise<unknown>][] = [
          ["per task", () => q.selectTaskAggregate(tx, f, categories)],
          ["per judgment", () => q.selectAnnotatorFamily(tx, f, categories, now, now)],
          ["dimensions", () => q.selectDimensionPatterns(tx, f, cols)],
          ["progress", () => q.selectProgress(tx, f)],
          ["options", () => q.selectFilterOptions(tx, projectId)],
          ["version", () => q.selectStatsVersion(tx, projectId)],
        ];
        for (const [name, run] of steps) console.log(`  ${name.padEnd(12)} ${ms((await time(run)).ms)}`);
      });
    }
    // New judgments through the normal triggers, one statement each, on tasks with a free
    // slot (those with a rejected judgment), by an annotator who has not judged them.
    const late = await pool.query<{ id: string }>(
      `insert into users (email, name, role, password_hash) values ('bench-late@bench.test', '迟到的标注员', 'annotator', 'x') returning id`,
    );
    const lateId = Number(late.rows[0]!.id);
    const open = await pool.query<{ id: string }>(
      `select id from tasks where project_id = $1 and gold is null and valid_judgments < overlap order by id limit $2`,
      [projectId, 2 * BURST],
    );
    if (open.rows.length < 2 * BURST) throw new Error(`only ${open.rows.length} tasks have room for --burst ${BURST} (twice)`);
    const store = (taskIds: string[]) =>
      pool.query(
        `do $$
         declare tid bigint; aid bigint;
         begin
           foreach tid in array '{${taskIds.join(",")}}'::bigint[] loop
             insert into assignments (task_id, project_id, annotator_id, display_order, state, leased_at, expires_at, finished_at)
             values (tid, ${projectId}, ${lateId}, '{1,0}', 'submitted', now(), now() + interval '20 minutes', now()) returning id into aid;
             insert into judgments (task_id, kind, scale_points, assignment_id, annotator_id, project_id, strength, display_order, seconds, ratings, state)
             values (tid, 'pairwise', 7, aid, ${lateId}, ${projectId}, (tid % 7)::int - 3, '{1,0}', 15,
                     '{"0": {"fluency": 4}, "1": {"fluency": 2}}'::jsonb, 'valid');
           end loop;
         end $$`,
      );
    const ids = open.rows.map((r) => r.id);
    // The trigger's cost: the same loop with the summary's trigger off, then on.
    await pool.query("alter table judgments disable trigger judgments_stats_log");
    const without = await time(() => store(ids.slice(BURST)));
    await pool.query("alter table judgments enable trigger judgments_stats_log");
    const withTrigger = await time(() => store(ids.slice(0, BURST)));
    // The un-logged half would be missed by the fold: log it by hand (what the trigger does).
    await pool.query(
      `insert into stats_dirty (project_id, task_id) select ${projectId}, unnest('{${ids.slice(BURST).join(",")}}'::bigint[])`,
    );
    clearStatsCache();
    const afterBurst = await time(() => getProjectStats(ctx, { projectSlug: "bench" }));
    const check = await getProjectStats(ctx, { projectSlug: "bench" }, new Date(), "judgments");
    const strip = (x: typeof check) => JSON.stringify({ ...x, computeMs: 0, generatedAt: 0, cached: 0, source: 0 });
    const same = strip(afterBurst.value) === strip(check);

    clearStatsCache();
    const character = last!.options.characters[0]!;
    const filtered = await time(() => getProjectStats(ctx, { projectSlug: "bench", character }));
    await pool.end();

    const s = last!;
    console.log("");
    console.log(`                              median of ${RUNS}   runs (ms)`);
    console.log(`baseline count(*)             ${ms(median(count)).padEnd(14)}${count.map((x) => x.toFixed(0)).join(", ")}`);
    console.log(`baseline full scan            ${ms(median(scan)).padEnd(14)}${scan.map((x) => x.toFixed(0)).join(", ")}`);
    console.log(`summary first fold (rebuild)  ${ms(rebuild.ms)}`);
    console.log(`dashboard cold (all figures)  ${ms(median(cold)).padEnd(14)}${cold.map((x) => x.toFixed(0)).join(", ")}`);
    console.log(`dashboard warm (cached)       ${ms(median(warm)).padEnd(14)}${warm.map((x) => x.toFixed(0)).join(", ")}`);
    console.log(
      `cold after ${fmt(2 * BURST)} new judgments ${ms(afterBurst.ms)} (same figures as from the judgments: ${same ? "yes" : "NO"})`,
    );
    console.log(`judgment insert, trigger off  ${((1000 * without.ms) / BURST).toFixed(0)} µs each (${fmt(BURST)} in a loop)`);
    console.log(`judgment insert, trigger on   ${((1000 * withTrigger.ms) / BURST).toFixed(0)} µs each`);
    console.log(`dashboard cold, one character ${ms(filtered.ms)} (from the ${filtered.value.source})`);
    console.log("");
    console.log(
      `figures: ${fmt(s.counted.judgments)} counted judgments on ${fmt(s.counted.tasks)} tasks; ` +
        `agreement ${s.agreement.percentWithTies.value} [${s.agreement.percentWithTies.ci?.join(", ")}] over ${fmt(s.agreement.percentWithTies.n)} pairs; ` +
        `alpha ordinal ${s.agreement.alphaOrdinal.value}; Fleiss ${s.agreement.fleiss.value} (${fmt(s.agreement.fleiss.tasks)} tasks); ` +
        `${s.annotators.length} annotators (${s.annotators.filter((a) => a.flags.length > 0).length} flagged); ` +
        `${s.leaderboard?.rows.length ?? 0} models; ${s.dimensions.length} dimensions.`,
    );
    const met = median(cold) < 2000 && median(warm) < 200;
    console.log(
      `Target: < 2 s cold, < 200 ms warm → ${TASKS === 333_334 ? (met ? "met" : "NOT met") : "run with the default --tasks to judge"}.`,
    );
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await server.close({ keep: Boolean(values.keep) });
  }
}

await main();
