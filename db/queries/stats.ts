/**
 * Reads of the statistics dashboard. Every figure comes from a GROUP BY over a
 * project's judgments; nothing returns one row per judgment, and nothing returns one row
 * per task either: per-task counts are grouped again into "patterns" (distinct count
 * vectors with their multiplicity), which is all the agreement coefficients, their
 * bootstrap and the leaderboard need (they are sums over tasks / items).
 *
 * Conventions shared by every query here:
 * - only `state = 'valid'` judgments count;
 * - agreement, majority agreement, rating dimensions and the leaderboard use non-gold
 *   tasks; gold accuracy uses gold tasks; the behaviour figures (tie rate, position and
 *   length bias, speed) and throughput use both;
 * - the filters narrow the set of judgments (see {@link StatsFilter}).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Which judgments the dashboard looks at. */
export type StatsFilter = {
  projectId: number;
  /** Judgments created at or after this instant. */
  from?: Date;
  /** Judgments created before this instant (exclusive). */
  to?: Date;
  /** Tasks of items of the character with this exact name. */
  character?: string;
  /** Tasks with a candidate from this model. */
  model?: string;
  /** Tasks this annotator judged (all their judgments, so agreement stays defined). */
  annotatorId?: number;
};

export type GoldScope = "non-gold" | "gold" | "any";

/** The WHERE clause on `judgments j` for a filter and gold scope. */
export function judgmentWhere(f: StatsFilter, gold: GoldScope): SQL {
  const parts: SQL[] = [sql`j.project_id = ${f.projectId}`, sql`j.state = 'valid'`];
  if (f.from) parts.push(sql`j.created_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) parts.push(sql`j.created_at < ${f.to.toISOString()}::timestamptz`);
  // Gold tasks are few: NOT IN over them is a hashed subplan, cheaper than joining tasks.
  const goldTasks = sql`(select g.id from tasks g where g.project_id = ${f.projectId} and g.gold is not null)`;
  if (gold === "non-gold") parts.push(sql`j.task_id not in ${goldTasks}`);
  if (gold === "gold") parts.push(sql`j.task_id in ${goldTasks}`);
  if (f.annotatorId !== undefined) {
    parts.push(
      sql`j.task_id in (select x.task_id from judgments x where x.project_id = ${f.projectId} and x.annotator_id = ${f.annotatorId} and x.state = 'valid')`,
    );
  }
  if (f.character !== undefined || f.model !== undefined) {
    const taskParts: SQL[] = [sql`t.project_id = ${f.projectId}`];
    if (f.character !== undefined) {
      taskParts.push(sql`i.character_id in (select ch.id from characters ch where ch.name = ${f.character})`);
    }
    if (f.model !== undefined) {
      taskParts.push(sql`exists (select 1 from candidates c where c.id = any(t.candidate_ids) and c.model = ${f.model})`);
    }
    parts.push(sql`j.task_id in (select t.id from tasks t join items i on i.id = t.item_id where ${sql.join(taskParts, sql` and `)})`);
  }
  return sql.join(parts, sql` and `);
}

/** Integer literals of a scale's strengths (from the validated project scale, never user text). */
function strengthColumns(categories: readonly number[], alias = "c"): { select: SQL; names: SQL } {
  const select = categories.map((s, k) => sql.raw(`count(*) filter (where strength = ${Math.trunc(s)})::int as ${alias}${k}`));
  const names = categories.map((_, k) => sql.raw(`${alias}${k}`));
  return { select: sql.join(select, sql`, `), names: sql.join(names, sql`, `) };
}

/** The rating columns of a dimension table: one per (dimension, canonical candidate). */
export type RatingColumn = { dimension: string; candidate: number; column: string };

export function ratingColumnsOf(dimensions: readonly string[], candidateCount: number): RatingColumn[] {
  const out: RatingColumn[] = [];
  dimensions.forEach((dimension, d) => {
    for (let c = 0; c < candidateCount; c++) out.push({ dimension, candidate: c, column: `r${d}_${c}` });
  });
  return out;
}

/**
 * Settings of a statistics transaction: memory for the hash aggregates (a million
 * judgments group into a few hundred thousand tasks), and no parallel workers — the
 * statement families already run side by side on separate connections.
 */
export async function tuneStatsTransaction(db: Db): Promise<void> {
  await db.execute(sql`set local work_mem = '256MB'`);
  await db.execute(sql`set local max_parallel_workers_per_gather = 0`);
  // These statements are planned with rough row estimates (CTEs, arrays): JIT would spend
  // hundreds of milliseconds compiling plans that run in a fraction of that.
  await db.execute(sql`set local jit = off`);
}

/** Distinct per-unit count vectors and how many units have each. */
export type CountPattern = { n: number; counts: number[] };

/** One item's comparisons, as a pattern: [models, outcome, count] triples and how many items share them. */
export type ItemPattern = {
  n: number;
  /**
   * Per task of the item and outcome: the task's models (canonical order), the outcome
   * (pairwise: direction −1/0/1; ranking: the ranks) and how many valid judgments gave it.
   */
  entries: [string[], number | number[], number][];
};

export type AgreementAggregate = {
  /** Per-task strength counts (over `categories`) of tasks with ≥ 2 judgments, as patterns. */
  patterns: CountPattern[];
  /** Non-gold tasks with at least one counted judgment, and those judgments. */
  tasks: number;
  judgments: number;
  /** Per annotator, own direction (−1/0/1) and the task's direction counts [A, tie, B]: judgments. */
  majority: { annotatorId: number; own: number; a: number; t: number; b: number; n: number }[];
  /** Leaderboard input over the same non-gold tasks (see {@link ItemPattern}); unordered. */
  items: ItemPattern[];
};

/**
 * The per-task family in one statement over the filtered non-gold judgments (reading only
 * task, annotator, strength and ranks — an index-only scan where a covering index exists):
 * one GROUP BY task gives the strength counts (grouped again into patterns), the task's
 * direction counts beside each annotator's own direction (the leave-one-out majority:
 * annotators travel through the group as arrays instead of a join back to the
 * judgments), and the leaderboard's per-item outcome patterns — items with one judged
 * pairwise task (the usual case) grouped directly by (models, direction counts), the rest
 * (several tasks or rankings) as per-item JSON as before.
 */
export async function selectTaskAggregate(db: Db, f: StatsFilter, categories: readonly number[]): Promise<AgreementAggregate> {
  const cols = strengthColumns(categories);
  const sign = (pred: (s: number) => boolean) =>
    sql.raw(
      categories
        .map((s, k) => (pred(s) ? `c${k}` : null))
        .filter(Boolean)
        .join(" + ") || "0",
    );
  const { rows } = await db.execute<{
    patterns: number[][];
    tasks: number;
    judgments: number;
    majority: number[][];
    fast: [string, string, number, number, number, number][] | null;
    slow: { n: number; entries: ItemPattern["entries"] }[] | null;
  }>(sql`
    with jj as (
      select j.task_id, j.annotator_id, j.strength, j.ranks from judgments j
       where ${judgmentWhere(f, "non-gold")} and (j.strength is not null or j.ranks is not null)
    ),
    counted as materialized (
      select task_id, ${cols.select}, count(*)::int as m,
             array_agg(annotator_id) as anns, array_agg(sign(strength)::int) as owns
        from jj where strength is not null group by task_id
    ),
    per_task as materialized (
      select task_id, ${cols.names}, m, anns, owns,
             (${sign((s) => s < 0)})::int as a, (${sign((s) => s === 0)})::int as t, (${sign((s) => s > 0)})::int as b
        from counted
    ),
    patterns as (
      select ${cols.names}, count(*)::int as n from per_task where m >= 2 group by ${cols.names}
    ),
    majority as (
      select x.annotator_id, x.own, pt.a, pt.t, pt.b, count(*)::int as n
        from per_task pt cross join lateral unnest(pt.anns, pt.owns) as x(annotator_id, own)
       where pt.m >= 2
       group by 1, 2, 3, 4, 5
    ),
    ranked as (
      select task_id, ranks, count(*)::int as n from jj where ranks is not null and strength is null group by 1, 2
    ),
    -- Every task with an outcome, with its item; items with exactly one such task, pairwise, take the fast path.
    judged as materialized (
      select t.id as task_id, t.item_id, t.kind, t.candidate_ids
        from tasks t
       where t.id in (select task_id from per_task union select task_id from ranked)
    ),
    single as materialized (
      select item_id from judged group by item_id having count(*) = 1 and bool_and(kind = 'pairwise')
    ),
    -- The project's candidates narrowed to (id, model) by a scan (a lookup per candidate id costs more).
    c as materialized (
      select c.id, c.model from candidates c
       where c.item_id in (select i.id from items i where i.project_id = ${f.projectId})
    ),
    fast as (
      select ca.model as ma, cb.model as mb, pt.a, pt.t, pt.b, count(*)::int as n
        from judged jd
        join per_task pt on pt.task_id = jd.task_id
        join c ca on ca.id = jd.candidate_ids[1]
        join c cb on cb.id = jd.candidate_ids[2]
       where jd.item_id in (select item_id from single)
       group by 1, 2, 3, 4, 5
    ),
    slow_outcomes as (
      select task_id, to_jsonb(-1) as outcome, a as n from per_task where a > 0
      union all select task_id, to_jsonb(0), t from per_task where t > 0
      union all select task_id, to_jsonb(1), b from per_task where b > 0
      union all select task_id, to_jsonb(ranks), n from ranked
    ),
    slow_items as (
      select jd.item_id,
             jsonb_agg(jsonb_build_array(
               case when jd.kind = 'pairwise' then array[(select model from c where c.id = jd.candidate_ids[1]), (select model from c where c.id = jd.candidate_ids[2])]
                    else array(select c2.model from unnest(jd.candidate_ids) with ordinality u(id, ord) join c c2 on c2.id = u.id order by u.ord) end,
               o.outcome, o.n) order by jd.task_id, o.outcome)::text as entries
        from judged jd join slow_outcomes o on o.task_id = jd.task_id
       where jd.item_id not in (select item_id from single)
       group by jd.item_id
    )
    select (select coalesce(json_agg(json_build_array(n, ${cols.names})), '[]') from patterns) as patterns,
           (select count(*)::int from per_task) as tasks,
           (select coalesce(sum(m), 0)::int from per_task) as judgments,
           (select coalesce(json_agg(json_build_array(annotator_id, own, a, t, b, n)), '[]') from majority) as majority,
           (select json_agg(json_build_array(ma, mb, a, t, b, n)) from fast) as fast,
           (select json_agg(json_build_object('n', n, 'entries', entries::jsonb))
              from (select count(*)::int as n, entries from slow_items group by entries) s) as slow
  `);
  const r = rows[0]!;
  const items: ItemPattern[] = (r.slow ?? []).map((p) => ({ n: p.n, entries: p.entries }));
  // The fast path's items as the per-item JSON would spell them: outcomes −1, 0, 1 with a count.
  for (const [ma, mb, a, t, b, n] of r.fast ?? []) {
    const models = [ma, mb];
    const entries: ItemPattern["entries"] = [];
    if (a > 0) entries.push([models, -1, a]);
    if (t > 0) entries.push([models, 0, t]);
    if (b > 0) entries.push([models, 1, b]);
    items.push({ n, entries });
  }
  return {
    patterns: r.patterns.map(([n, ...counts]) => ({ n: n!, counts })),
    tasks: Number(r.tasks),
    judgments: Number(r.judgments),
    majority: r.majority.map(([annotatorId, own, a, t, b, n]) => ({
      annotatorId: Number(annotatorId),
      own: own!,
      a: a!,
      t: t!,
      b: b!,
      n: n!,
    })),
    items,
  };
}

/** Per-annotator sums behind the quality table (and one row, annotatorId null, over everyone). */
export type AnnotatorAggregate = {
  annotatorId: number | null;
  name: string | null;
  email: string | null;
  judgments: number;
  /** Judgments created since `todaySince`. */
  today: number;
  ties: number;
  /** Judgments on scales with a tie point. */
  tieN: number;
  /** Non-tie votes for the reply shown on the left, and all non-tie votes. */
  left: number;
  leftN: number;
  /** Non-tie votes for the longer reply, and non-tie votes where the lengths differ. */
  longer: number;
  longerN: number;
  medianSeconds: number | null;
  goldCorrect: number;
  goldN: number;
  /** How often each strength was given. */
  scaleUse: Record<string, number>;
};

/** An annotator (or the pool, annotatorId null) with no judgments yet: where sums start. */
export const emptyAnnotatorAggregate = (annotatorId: number | null): AnnotatorAggregate => ({
  annotatorId,
  name: null,
  email: null,
  judgments: 0,
  today: 0,
  ties: 0,
  tieN: 0,
  left: 0,
  leftN: 0,
  longer: 0,
  longerN: 0,
  medianSeconds: null,
  goldCorrect: 0,
  goldN: 0,
  scaleUse: {},
});

/** Valid judgments per day (UTC) and per hour (last 48 hours of the range). */
export type Throughput = { perDay: { day: string; judgments: number }[]; perHour: { hour: string; judgments: number }[] };

/**
 * The per-judgment family in one statement over the filtered valid judgments (gold tasks
 * included): per annotator and pooled (GROUPING SETS) counts, ties, position and length
 * bias, median seconds (percentile_cont), gold accuracy, judgments since `todaySince` and
 * scale use (one FILTER count per strength of `categories`); and throughput — judgments
 * per UTC day, and per hour over the 48 hours before `hoursUntil` (every valid judgment,
 * "both unacceptable" included). Which reply is longer comes from the candidates' lengths
 * (code points), read narrowed before the join.
 */
export async function selectAnnotatorFamily(
  db: Db,
  f: StatsFilter,
  categories: readonly number[],
  todaySince: Date,
  hoursUntil: Date,
): Promise<{ annotators: AnnotatorAggregate[]; throughput: Throughput }> {
  const since = new Date(hoursUntil.getTime() - 48 * 3600_000);
  const use = categories.map((s, k) => sql.raw(`count(*) filter (where strength = ${Math.trunc(s)})::int as s${k}`));
  const { rows } = await db.execute<{
    annotators:
      | {
          annotator_id: string | null;
          name: string | null;
          email: string | null;
          judgments: number;
          today: number;
          ties: number;
          tie_n: number;
          left_votes: number;
          left_n: number;
          longer: number;
          longer_n: number;
          median_seconds: number | null;
          gold_correct: number;
          gold_n: number;
          use: number[];
        }[]
      | null;
    per_day: [string, number][] | null;
    per_hour: [string, number][] | null;
  }>(sql`
    with gold as (
      select g.id, (g.gold ->> 'strength')::int as strength,
             case when g.gold ? 'accept' then array(select jsonb_array_elements_text(g.gold -> 'accept')::int) end as accept
        from tasks g
       where g.project_id = ${f.projectId} and g.gold is not null and g.gold ? 'strength'
    ),
    jj as materialized (
      select j.task_id, j.annotator_id, j.strength, j.seconds, j.created_at, j.scale_points,
             -- Shown strength < 0 means the left reply won (display_order[1] is the left slot).
             (j.strength <> 0 and ((j.display_order[1] = 0) = (j.strength < 0))) as chose_left
        from judgments j
       where ${judgmentWhere(f, "any")}
    ),
    pairwise as materialized (
      select t.id, t.candidate_ids[1] as ca, t.candidate_ids[2] as cb
        from tasks t where t.id in (select task_id from jj where strength is not null) and t.kind = 'pairwise'
    ),
    c as materialized (
      select c.id, char_length(c.content) as len from candidates c
       where c.item_id in (select i.id from items i where i.project_id = ${f.projectId})
    ),
    -- Which canonical reply is longer (code points, as candidate_lengths): -1 = A, 1 = B, 0 = equal.
    longer as (
      select p.id as task_id, sign(lb.len - la.len)::int as longer_side
        from pairwise p join c la on la.id = p.ca join c lb on lb.id = p.cb
    ),
    per_judgment as (
      select j.annotator_id, j.strength, j.seconds, j.created_at, j.scale_points, j.chose_left, l.longer_side,
             g.id is not null as is_gold,
             case when g.id is null then null
                  when g.accept is not null then j.strength = any(g.accept)
                  else sign(j.strength) = sign(g.strength) end as gold_correct
        from jj j
        left join longer l on l.task_id = j.task_id
        left join gold g on g.id = j.task_id
       where j.strength is not null
    ),
    a as (
      select annotator_id,
             count(*)::int as judgments,
             count(*) filter (where created_at >= ${todaySince.toISOString()}::timestamptz)::int as today,
             count(*) filter (where scale_points % 2 = 1 and strength = 0)::int as ties,
             count(*) filter (where scale_points % 2 = 1)::int as tie_n,
             count(*) filter (where chose_left)::int as left_votes,
             count(*) filter (where strength <> 0)::int as left_n,
             count(*) filter (where strength <> 0 and longer_side <> 0 and (longer_side < 0) = (strength < 0))::int as longer,
             count(*) filter (where strength <> 0 and longer_side <> 0)::int as longer_n,
             percentile_cont(0.5) within group (order by seconds) as median_seconds,
             count(*) filter (where gold_correct)::int as gold_correct,
             count(*) filter (where is_gold)::int as gold_n,
             ${sql.join(use, sql`, `)}
        from per_judgment
       group by grouping sets ((annotator_id), ())
    )
    select (select json_agg(json_build_object(
              'annotator_id', a.annotator_id, 'name', u.name, 'email', u.email, 'judgments', a.judgments, 'today', a.today, 'ties', a.ties,
              'tie_n', a.tie_n, 'left_votes', a.left_votes, 'left_n', a.left_n, 'longer', a.longer, 'longer_n', a.longer_n,
              'median_seconds', a.median_seconds, 'gold_correct', a.gold_correct, 'gold_n', a.gold_n,
              'use', json_build_array(${sql.raw(categories.map((_, k) => `a.s${k}`).join(", "))})) order by a.annotator_id nulls first)
              from a left join users u on u.id = a.annotator_id) as annotators,
           (select json_agg(json_build_array(to_char(d, 'YYYY-MM-DD'), n) order by d)
              from (select date_trunc('day', created_at at time zone 'UTC') as d, count(*)::int as n from jj group by 1) x) as per_day,
           (select json_agg(json_build_array(to_char(h, 'YYYY-MM-DD"T"HH24:00"Z"'), n) order by h)
              from (select date_trunc('hour', created_at at time zone 'UTC') as h, count(*)::int as n from jj
                     where created_at >= ${since.toISOString()}::timestamptz and created_at < ${hoursUntil.toISOString()}::timestamptz
                     group by 1) y) as per_hour
  `);
  const r = rows[0]!;
  const annotators = (r.annotators ?? []).map((a): AnnotatorAggregate => {
    const scaleUse: Record<string, number> = {};
    categories.forEach((s, k) => {
      if (a.use[k]! > 0) scaleUse[String(s)] = a.use[k]!;
    });
    return {
      annotatorId: a.annotator_id === null ? null : Number(a.annotator_id),
      name: a.name,
      email: a.email,
      judgments: a.judgments,
      today: a.today,
      ties: a.ties,
      tieN: a.tie_n,
      left: a.left_votes,
      leftN: a.left_n,
      longer: a.longer,
      longerN: a.longer_n,
      medianSeconds: a.median_seconds === null ? null : Number(a.median_seconds),
      goldCorrect: a.gold_correct,
      goldN: a.gold_n,
      scaleUse,
    };
  });
  return {
    annotators,
    throughput: {
      perDay: (r.per_day ?? []).map(([day, judgments]) => ({ day, judgments })),
      perHour: (r.per_hour ?? []).map(([hour, judgments]) => ({ hour, judgments })),
    },
  };
}

/** Per-(task, candidate) counts of one dimension's 1..5 ratings, as patterns. */
export type DimensionPatterns = { dimension: string; patterns: CountPattern[] };

/**
 * Rating-dimension counts over the filtered non-gold judgments: one unit per (task,
 * canonical candidate), counts of the values 1..5, grouped into patterns per dimension.
 * The one family that reads `ratings` (and so the judgments' heap).
 */
export async function selectDimensionPatterns(
  db: Db,
  f: StatsFilter,
  ratingColumns: readonly RatingColumn[],
): Promise<DimensionPatterns[]> {
  if (ratingColumns.length === 0) return [];
  // One pass: per task, the counts of 1..5 for every (dimension, candidate) column; then
  // each (task, candidate) unit of a dimension becomes a pattern row.
  const extract = ratingColumns.map(
    ({ dimension, candidate, column }) => sql`(j.ratings -> ${String(candidate)} ->> ${dimension})::int as ${sql.raw(column)}`,
  );
  const counts = ratingColumns.flatMap(({ column }) =>
    [1, 2, 3, 4, 5].map((v) => sql.raw(`count(*) filter (where ${column} = ${v})::int as ${column}_${v}`)),
  );
  const units = ratingColumns.map(
    ({ dimension, column }) =>
      sql`select ${dimension}::text as dimension, ${sql.raw([1, 2, 3, 4, 5].map((v) => `${column}_${v}`).join(", "))} from per_task`,
  );
  const { rows } = await db.execute<{ dimension: string; patterns: number[][] }>(sql`
    with r as (
      -- OFFSET 0 keeps the subquery apart, so each rating is extracted once per judgment,
      -- not once per FILTER that reads it.
      select j.task_id, ${sql.join(extract, sql`, `)} from judgments j where ${judgmentWhere(f, "non-gold")} offset 0
    ),
    per_task as materialized (
      select task_id, ${sql.join(counts, sql`, `)} from r group by task_id
    ),
    per_unit (dimension, v1, v2, v3, v4, v5) as (${sql.join(units, sql` union all `)}),
    patterns as (
      select dimension, v1, v2, v3, v4, v5, count(*)::int as n from per_unit where v1 + v2 + v3 + v4 + v5 > 0 group by 1, 2, 3, 4, 5, 6
    )
    select dimension, json_agg(json_build_array(n, v1, v2, v3, v4, v5)) as patterns from patterns group by dimension order by dimension
  `);
  return rows.map((r) => ({ dimension: r.dimension, patterns: r.patterns.map(([n, ...counts]) => ({ n: n!, counts })) }));
}

/** Task progress over the filter's tasks (character / model only: progress is not per date or annotator). */
export type Progress = { tasks: number; goldTasks: number; needed: number; done: number; completeTasks: number };

/** Non-gold tasks, judgments they need (overlap) and have (valid, capped at overlap), complete tasks; gold tasks. */
export async function selectProgress(db: Db, f: StatsFilter): Promise<Progress> {
  const parts: SQL[] = [sql`t.project_id = ${f.projectId}`];
  if (f.character !== undefined) parts.push(sql`i.character_id in (select ch.id from characters ch where ch.name = ${f.character})`);
  if (f.model !== undefined)
    parts.push(sql`exists (select 1 from candidates c where c.id = any(t.candidate_ids) and c.model = ${f.model})`);
  const { rows } = await db.execute<{ tasks: number; gold_tasks: number; needed: string; done: string; complete: number }>(sql`
    select count(*) filter (where t.gold is null)::int as tasks,
           count(*) filter (where t.gold is not null)::int as gold_tasks,
           coalesce(sum(t.overlap) filter (where t.gold is null), 0) as needed,
           coalesce(sum(least(t.valid_judgments, t.overlap)) filter (where t.gold is null), 0) as done,
           count(*) filter (where t.gold is null and t.valid_judgments >= t.overlap)::int as complete
      from tasks t ${f.character !== undefined ? sql`join items i on i.id = t.item_id` : sql``}
     where ${sql.join(parts, sql` and `)}
  `);
  const r = rows[0]!;
  return { tasks: r.tasks, goldTasks: r.gold_tasks, needed: Number(r.needed), done: Number(r.done), completeTasks: r.complete };
}

/** Most candidates of any of the project's tasks (how many rating columns a judgment can have). */
export async function selectMaxCandidates(db: Db, projectId: number): Promise<number> {
  const { rows } = await db.execute<{ k: number | null }>(
    sql`select max(cardinality(candidate_ids))::int as k from tasks where project_id = ${projectId}`,
  );
  return rows[0]?.k ?? 2;
}

/** What the filter menus offer: the project's characters, models and annotators. */
export type FilterOptions = { characters: string[]; models: string[]; annotators: { id: number; name: string; email: string }[] };

export async function selectFilterOptions(db: Db, projectId: number): Promise<FilterOptions> {
  const { rows } = await db.execute<{
    characters: string[] | null;
    models: string[] | null;
    annotators: { id: number; name: string; email: string }[] | null;
  }>(sql`
    -- Index probes instead of joining every item and candidate of the project: per
    -- character one probe of items_project_character_idx; the distinct models by a skip
    -- scan of candidates_model_idx, each kept if one of its candidates is the project's.
    with recursive m (model) as (
      (select model from candidates order by model limit 1)
      union all
      select (select c.model from candidates c where c.model > m.model order by c.model limit 1) from m where m.model is not null
    )
    select (select array_agg(ch.name order by ch.name) from (
              select distinct ch.name from characters ch
               where exists (select 1 from items i where i.project_id = ${projectId} and i.character_id = ch.id)) ch) as characters,
           (select array_agg(m.model order by m.model) from m
             where m.model is not null
               -- A scalar subquery with LIMIT: a probe per model, never pulled up into a hash semi-join.
               and (select true from candidates c join items i on i.id = c.item_id where c.model = m.model and i.project_id = ${projectId} limit 1)) as models,
           (select json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email) order by u.name, u.id)
              from users u where u.id in (select pm.user_id from project_members pm where pm.project_id = ${projectId})
                 -- Per user an index probe (judgments_annotator_created_idx), not a scan of the project's judgments.
                 or exists (select 1 from judgments j where j.annotator_id = u.id and j.project_id = ${projectId})) as annotators
  `);
  const r = rows[0]!;
  return {
    characters: r.characters ?? [],
    models: r.models ?? [],
    annotators: (r.annotators ?? []).map((a) => ({ ...a, id: Number(a.id) })),
  };
}

/**
 * A cheap fingerprint of a project's judgments, for the dashboard cache: the newest
 * judgment and review (index scans on (project_id, created_at)), and the sum of the
 * tasks' valid-judgment counters (maintained by a trigger, so a rejection, an edit or
 * a restored judgment moves it even when no row is added).
 */
export async function selectStatsVersion(db: Db, projectId: number): Promise<string> {
  const { rows } = await db.execute<{ v: string }>(sql`
    select concat_ws('|',
      (select max(created_at)::text from judgments where project_id = ${projectId}),
      (select max(created_at)::text from reviews where project_id = ${projectId}),
      (select count(*) || ':' || coalesce(sum(valid_judgments), 0) from tasks where project_id = ${projectId}),
      (select updated_at::text from projects where id = ${projectId})
    ) as v
  `);
  return rows[0]!.v;
}
