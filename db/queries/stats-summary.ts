/**
 * The statistics summary (migration 0004, docs/statistics.md "Summary"): every dashboard
 * figure of an unfiltered project is a sum over tasks (or items) of small "facts", so
 * the summary keeps each task's and item's facts (`stats_facts`) and their per-project
 * sums (`stats_totals`). A cold dashboard folds the tasks logged in `stats_dirty` since
 * the last fold (subtract their old facts, add their new ones) and reads the totals: a
 * few thousand rows instead of a million judgments.
 *
 * Each fact is a text key, fields separated by "|", the first naming its family. The conventions
 * are those of db/queries/stats.ts (the reference, which computes the same figures
 * straight from the judgments, and which the integration tests compare against):
 *
 * | fact | owner | counts |
 * | --- | --- | --- |
 * | `p|-2=1,1=2` (strength=count) | non-gold task with a strength judgment | tasks with this strength-count pattern |
 * | `m|annotator|own|a|t|b` | non-gold task with ≥ 2 | judgments with own direction beside the task's direction counts |
 * | `r|c1|c2|c3|c4|c5|dimension` | non-gold task | (task, candidate) units with these 1..5 rating counts |
 * | `b|annotator|strength|scale|left|longer|gold` | any task | judgments with a strength (left 0/1; longer −1/0/1 or empty; gold empty, 0, 1) |
 * | `a|annotator|day` | any task | judgments with a strength, per UTC day |
 * | `s|annotator|seconds` | any task | judgments with a strength, per seconds value (float8 text) |
 * | `h|hour` | any task | valid judgments per UTC hour (and so per day) |
 * | `i|entries` (JSON) | item with judged non-gold tasks | items with these leaderboard entries |
 */
import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow } from "@/db/queries/rows";
import { type statsDirty, statsState, statsTotals, type tasks as tasksTable, users } from "@/db/schema";
import { percentileContFromHistogram } from "@/lib/domain/stats/aggregated";
import { type AgreementAggregate, type AnnotatorAggregate, type CountPattern, emptyAnnotatorAggregate, type ItemPattern } from "./stats";

/** Version of the fact definitions above; a summary folded under another is rebuilt. */
export const STATS_FACTS_VERSION = 2;

/** More changed tasks than this since the last fold: rebuilding is cheaper than folding. */
const REBUILD_ABOVE = 50_000;

/**
 * The facts of the given tasks (and of the given items, from all their tasks) as
 * (owner, keys, counts) rows ready for `stats_facts`; `all` computes every task and item
 * of the project (a rebuild) without listing them.
 */
export function factsSelect(projectId: number, scope: { all: true } | { all: false; tasks: number[]; items: number[] }): SQL {
  const taskWhere = scope.all ? sql`t.project_id = ${projectId}` : sql`t.id = any(${sql.param(scope.tasks)}::bigint[])`;
  const itemTaskWhere = scope.all ? sql`t.project_id = ${projectId}` : sql`t.item_id = any(${sql.param(scope.items)}::bigint[])`;
  const judgmentWhere = scope.all ? sql`j.project_id = ${projectId}` : sql`j.task_id = any(${sql.param(scope.tasks)}::bigint[])`;
  return sql`
    with t as materialized (
      select t.id, t.kind, cardinality(t.candidate_ids) as k, t.gold is not null as is_gold,
             -- Gold accuracy is graded on gold answers with a strength (as the reference).
             case when t.gold ? 'strength' then (t.gold ->> 'strength')::int end as gold_strength,
             case when t.gold ? 'strength' and t.gold ? 'accept'
                  then array(select jsonb_array_elements_text(t.gold -> 'accept')::int) end as gold_accept,
             -- Which canonical reply of a pairwise task is longer (code points): -1 = A, 1 = B, 0 = equal.
             case when t.kind = 'pairwise' then sign(cb.len - ca.len)::int end as longer
        from tasks t
        ${
          scope.all
            ? // Every task: the project's candidate lengths, hashed once.
              sql`left join (select c.id, char_length(c.content) as len from candidates c
                              where c.item_id in (select i.id from items i where i.project_id = ${projectId})) ca on ca.id = t.candidate_ids[1]
                  left join (select c.id, char_length(c.content) as len from candidates c
                              where c.item_id in (select i.id from items i where i.project_id = ${projectId})) cb on cb.id = t.candidate_ids[2]`
            : sql`left join lateral (select char_length(c.content) as len from candidates c where c.id = t.candidate_ids[1]) ca on true
                  left join lateral (select char_length(c.content) as len from candidates c where c.id = t.candidate_ids[2]) cb on true`
        }
       where ${taskWhere}
    ),
    j as materialized (
      select j.task_id, j.annotator_id, j.strength, j.seconds, j.scale_points, j.ratings,
             (j.strength <> 0 and ((j.display_order[1] = 0) = (j.strength < 0))) as chose_left,
             to_char(j.created_at at time zone 'UTC', 'YYYY-MM-DD') as day,
             to_char(date_trunc('hour', j.created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00"Z"') as hour
        from judgments j where ${judgmentWhere} and j.state = 'valid'
    ),
    per_task as materialized (
      select j.task_id, count(*) filter (where strength < 0)::int as a, count(*) filter (where strength = 0)::int as tt,
             count(*) filter (where strength > 0)::int as b, count(*) filter (where strength is not null)::int as m
        from j group by j.task_id
    ),
    task_facts (owner_id, key, n) as (
      -- Per judgment: majority, behaviour, dates and seconds (one pass, text keys; a key
      -- may repeat within a task, the sums do not mind).
      select e.task_id, v.key, 1
        from (select j.*, t.is_gold, t.longer, pt.a, pt.tt, pt.b, pt.m,
                     case when t.gold_strength is null or j.strength is null then null
                          when t.gold_accept is not null then j.strength = any(t.gold_accept)
                          else sign(j.strength) = sign(t.gold_strength) end as gold_correct
                from j join t on t.id = j.task_id join per_task pt on pt.task_id = j.task_id) e
        cross join lateral (values
          (case when e.strength is not null and not e.is_gold and e.m >= 2
                then concat_ws('|', 'm', e.annotator_id, sign(e.strength)::int, e.a, e.tt, e.b) end),
          (case when e.strength is not null
                then concat_ws('|', 'b', e.annotator_id, e.strength, e.scale_points, e.chose_left::int,
                               coalesce(e.longer::text, ''), coalesce(e.gold_correct::int::text, '')) end),
          (case when e.strength is not null then concat_ws('|', 'a', e.annotator_id, e.day) end),
          (case when e.strength is not null and e.seconds is not null then concat_ws('|', 's', e.annotator_id, e.seconds::float8::text) end),
          ('h|' || e.hour)
        ) v(key)
       where v.key is not null
      union all
      -- Agreement pattern: the task's strength counts ("strength=count", by strength).
      select s.task_id, 'p|' || string_agg(s.strength || '=' || s.n, ',' order by s.strength), 1
        from (select j.task_id, j.strength, count(*)::int as n from j join t on t.id = j.task_id and not t.is_gold
               where j.strength is not null group by 1, 2) s
       group by s.task_id
      union all
      -- Rating dimensions: per (task, candidate) unit the counts of 1..5 (the dimension last: it is free text).
      select u.task_id, concat_ws('|', 'r', u.v1, u.v2, u.v3, u.v4, u.v5, u.dim), count(*)::int
        from (select r.task_id, r.cand, r.dim,
                     count(*) filter (where r.v = 1)::int as v1, count(*) filter (where r.v = 2)::int as v2,
                     count(*) filter (where r.v = 3)::int as v3, count(*) filter (where r.v = 4)::int as v4,
                     count(*) filter (where r.v = 5)::int as v5
                from (select j.task_id, ck.key as cand, dk.key as dim, (dk.value #>> '{}')::int as v
                        from j join t on t.id = j.task_id and not t.is_gold
                        cross join lateral jsonb_each(case when jsonb_typeof(j.ratings) = 'object' then j.ratings else '{}'::jsonb end) ck
                        cross join lateral jsonb_each(case when jsonb_typeof(ck.value) = 'object' then ck.value else '{}'::jsonb end) dk
                       where j.ratings <> '{}'::jsonb and ck.key ~ '^(0|[1-9][0-9]?)$' and ck.key::int < t.k) r
               group by 1, 2, 3) u
       where u.v1 + u.v2 + u.v3 + u.v4 + u.v5 > 0
       group by 1, 2
    ),
    -- Leaderboard entries per item, over its judged non-gold tasks (as selectTaskAggregate).
    it as materialized (
      select t.id, t.item_id, t.kind, t.candidate_ids from tasks t where ${itemTaskWhere} and t.gold is null
    ),
    ij as (
      select j.task_id, j.strength, j.ranks from judgments j
       where ${
         scope.all
           ? sql`j.project_id = ${projectId} and j.task_id in (select t.id from tasks t where t.project_id = ${projectId} and t.gold is null)`
           : sql`j.task_id in (select id from it)`
       }
         and j.state = 'valid' and (j.strength is not null or j.ranks is not null)
    ),
    outcomes as (
      select task_id, to_jsonb(sign(strength)::int) as outcome, count(*)::int as n from ij where strength is not null group by 1, 2
      union all
      select task_id, to_jsonb(ranks), count(*)::int from ij where ranks is not null and strength is null group by 1, 2
    ),
    -- The models of each task in canonical candidate order.
    task_models as (
      select it.id, array_agg(c.model order by u.ord) as models
        from it cross join lateral unnest(it.candidate_ids) with ordinality u(id, ord) join candidates c on c.id = u.id
       where it.id in (select task_id from outcomes)
       group by it.id
    ),
    item_facts (owner_id, key, n) as (
      select it.item_id,
             'i|' || jsonb_agg(jsonb_build_array(tm.models, o.outcome, o.n) order by it.id, o.outcome)::text,
             1
        from it join outcomes o on o.task_id = it.id join task_models tm on tm.id = it.id
       group by it.item_id
    )
    select ${projectId}::bigint as project_id, false as is_item, owner_id, array_agg(key) as keys, array_agg(n) as counts
      from task_facts group by owner_id
    union all
    select ${projectId}::bigint, true, owner_id, array_agg(key), array_agg(n)
      from item_facts group by owner_id`;
}

/** What a fold did: a rebuild of the whole project, or how many logged tasks it folded. */
export type FoldResult = { rebuilt: boolean; tasks: number };

/**
 * Brings a project's summary up to date with its judgments, inside the caller's
 * REPEATABLE READ transaction (so the totals it leaves match the judgments of that one
 * snapshot). Folds are serialised per project by a transaction advisory lock; a fold
 * whose snapshot is older than another fold's commit fails with a serialization error
 * (40001) or a unique violation (23505) on the rows that one wrote, and the caller
 * retries (see {@link isFoldConflict}). A summary of another facts version, a project
 * never folded, or too many logged tasks are rebuilt from scratch.
 */
export async function foldStatsSummary(db: Db, projectId: number): Promise<FoldResult> {
  await db.execute(sql`select pg_advisory_xact_lock(727275, (${projectId}::bigint % 2147483647)::int)`);
  // The fact query's CTEs carry rough row estimates; sort-merge joins of a million rows
  // chosen on them cost more than hashing.
  await db.execute(sql`set local enable_mergejoin = off`);
  const [state] = await db.select({ factsVersion: statsState.factsVersion }).from(statsState).where(eq(statsState.projectId, projectId));
  const dirty = await db.execute<RawRow<typeof statsDirty, "taskId">>(sql`
    with d as (delete from stats_dirty where project_id = ${projectId} returning task_id)
    select distinct task_id from d`);
  const tasks = dirty.rows.map((r) => Number(r.task_id));
  const rebuild = state?.factsVersion !== STATS_FACTS_VERSION || tasks.length > REBUILD_ABOVE;
  if (rebuild) {
    await db.execute(sql`delete from stats_facts where project_id = ${projectId}`);
    await db.execute(sql`delete from stats_totals where project_id = ${projectId}`);
    await db.execute(sql`insert into stats_facts (project_id, is_item, owner_id, keys, counts) ${factsSelect(projectId, { all: true })}`);
    await db.execute(sql`
      insert into stats_totals (project_id, key, n)
      select ${projectId}, x.key, sum(x.n) from stats_facts f cross join lateral unnest(f.keys, f.counts) as x(key, n)
       where f.project_id = ${projectId} group by x.key`);
    await db.execute(sql`
      insert into stats_state (project_id, facts_version, folded_at) values (${projectId}, ${STATS_FACTS_VERSION}, now())
      on conflict (project_id) do update set facts_version = excluded.facts_version, folded_at = excluded.folded_at`);
    return { rebuilt: true, tasks: tasks.length };
  }
  if (tasks.length === 0) return { rebuilt: false, tasks: 0 };
  const { rows: itemRows } = await db.execute<RawRow<typeof tasksTable, "itemId">>(
    sql`select distinct item_id from tasks where id = any(${sql.param(tasks)}::bigint[])`,
  );
  const items = itemRows.map((r) => Number(r.item_id));
  // Subtract the old facts of the changed tasks and of their items, then add the new ones.
  // Two deletes, each a probe of the primary key (an OR of both would scan the project's facts).
  await db.execute(sql`
    with old_tasks as (
      delete from stats_facts where project_id = ${projectId} and is_item = false and owner_id = any(${sql.param(tasks)}::bigint[])
      returning keys, counts
    ),
    old_items as (
      delete from stats_facts where project_id = ${projectId} and is_item = true and owner_id = any(${sql.param(items)}::bigint[])
      returning keys, counts
    ),
    old as (select keys, counts from old_tasks union all select keys, counts from old_items)
    insert into stats_totals (project_id, key, n)
    select ${projectId}, x.key, -sum(x.n) from old cross join lateral unnest(old.keys, old.counts) as x(key, n) group by x.key
    on conflict (project_id, key) do update set n = stats_totals.n + excluded.n`);
  await db.execute(sql`
    with new as (
      insert into stats_facts (project_id, is_item, owner_id, keys, counts)
      ${factsSelect(projectId, { all: false, tasks, items })}
      returning keys, counts
    )
    insert into stats_totals (project_id, key, n)
    select ${projectId}, x.key, sum(x.n) from new cross join lateral unnest(new.keys, new.counts) as x(key, n) group by x.key
    on conflict (project_id, key) do update set n = stats_totals.n + excluded.n`);
  await db.execute(sql`delete from stats_totals where project_id = ${projectId} and n = 0`);
  await db.execute(sql`update stats_state set folded_at = now() where project_id = ${projectId}`);
  return { rebuilt: false, tasks: tasks.length };
}

/** A fold that lost a race with another fold's commit (retry it in a new transaction). */
export function isFoldConflict(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "40001" || code === "23505" || code === "40P01") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The project's totals, as folded: [fact key, count]. */
export async function selectStatsTotals(db: Db, projectId: number): Promise<[string, number][]> {
  const rows = await db.select({ key: statsTotals.key, n: statsTotals.n }).from(statsTotals).where(eq(statsTotals.projectId, projectId));
  return rows.map((r) => [r.key, r.n]);
}

/** Valid judgments of the filter's tasks created in [from, to) (a short range: judgments_project_created_idx). */
export async function countJudgmentsBetween(db: Db, f: TaskFilter, from: Date, to: Date): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from judgments j
     where j.project_id = ${f.projectId} and j.created_at >= ${from.toISOString()}::timestamptz and j.created_at < ${to.toISOString()}::timestamptz
       and j.state = 'valid'
       ${narrowsTasks(f) ? sql`and j.task_id in (select t.id from tasks t where ${keptTasksWhere(f)})` : sql``}`);
  return rows[0]!.n;
}

/** Names and emails of the given users. */
export async function selectUserNames(db: Db, ids: number[]): Promise<Map<number, { name: string; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(sql`${users.id} = any(${sql.param(ids)}::bigint[])`);
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

/** The summary's totals in the shapes of the reference queries (db/queries/stats.ts). */
export type DecodedSummary = {
  agreement: AgreementAggregate;
  /** Per annotator (and pooled, annotatorId null, first) without names: see {@link selectUserNames}. */
  annotators: AnnotatorAggregate[];
  perDay: { day: string; judgments: number }[];
  /** Valid judgments per UTC hour ("YYYY-MM-DDTHH:00Z"). */
  perHour: Map<string, number>;
  /** Per dimension key: its (task, candidate) unit patterns. */
  dimensions: Map<string, CountPattern[]>;
};

/**
 * Decodes totals: agreement patterns over `categories` (tasks with ≥ 2 judgments), the
 * counted tasks and judgments, majority rows, leaderboard items; per-annotator sums with
 * the median of seconds (as `percentile_cont(0.5)`) and the judgments since `todaySince`
 * (a UTC day, "YYYY-MM-DD"); throughput; rating-dimension patterns.
 */
export function decodeStatsTotals(totals: readonly [string, number][], categories: readonly number[], todaySince: string): DecodedSummary {
  const index = new Map(categories.map((s, k) => [s, k]));
  const patterns: CountPattern[] = [];
  let tasks = 0;
  let judgments = 0;
  const majority: AgreementAggregate["majority"] = [];
  const items: ItemPattern[] = [];
  type Sums = Omit<AnnotatorAggregate, "medianSeconds"> & { seconds: [number, number][] };
  const empty = (annotatorId: number | null): Sums => {
    // Sums carry the seconds themselves; their median is taken when they are finished.
    const { medianSeconds: _, ...zero } = emptyAnnotatorAggregate(annotatorId);
    return { ...zero, seconds: [] };
  };
  const pooled = empty(null);
  const people = new Map<number, Sums>();
  const person = (id: number) => {
    let p = people.get(id);
    if (!p) people.set(id, (p = empty(id)));
    return p;
  };
  const perDayMap = new Map<string, number>();
  const perHour = new Map<string, number>();
  const dimensions = new Map<string, CountPattern[]>();
  for (const [key, n] of totals) {
    if (n === 0) continue;
    const bar = key.indexOf("|");
    const family = key.slice(0, bar);
    const rest = key.slice(bar + 1);
    const fields = () => rest.split("|");
    switch (family) {
      case "p": {
        const counts = new Array<number>(categories.length).fill(0);
        let m = 0;
        for (const pair of rest.split(",")) {
          const [strength, count] = pair.split("=").map(Number) as [number, number];
          const k = index.get(strength);
          if (k === undefined) throw new Error(`strength ${strength} is not on the scale`);
          counts[k] = count;
          m += count;
        }
        tasks += n;
        judgments += n * m;
        if (m >= 2) patterns.push({ n, counts });
        break;
      }
      case "m": {
        const [annotatorId, own, a, t, b] = fields().map(Number) as [number, number, number, number, number];
        majority.push({ annotatorId, own, a, t, b, n });
        break;
      }
      case "i":
        items.push({ n, entries: JSON.parse(rest) as ItemPattern["entries"] });
        break;
      case "b": {
        const [annotatorId, strengthText, scaleText, leftText, longerText, goldText] = fields() as [
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        const strength = Number(strengthText);
        const longer = longerText === "" ? null : Number(longerText);
        const gold = goldText === "" ? null : goldText === "1";
        for (const s of [pooled, person(Number(annotatorId))]) {
          s.judgments += n;
          if (Number(scaleText) % 2 === 1) {
            s.tieN += n;
            if (strength === 0) s.ties += n;
          }
          if (leftText === "1") s.left += n;
          if (strength !== 0) {
            s.leftN += n;
            if (longer !== null && longer !== 0) {
              s.longerN += n;
              if (longer < 0 === strength < 0) s.longer += n;
            }
          }
          if (gold !== null) {
            s.goldN += n;
            if (gold) s.goldCorrect += n;
          }
          if (index.has(strength)) s.scaleUse[String(strength)] = (s.scaleUse[String(strength)] ?? 0) + n;
        }
        break;
      }
      case "a": {
        const [annotatorId, day] = fields() as [string, string];
        if (day >= todaySince) {
          pooled.today += n;
          person(Number(annotatorId)).today += n;
        }
        break;
      }
      case "s": {
        const [annotatorId, seconds] = fields().map(Number) as [number, number];
        pooled.seconds.push([seconds, n]);
        person(annotatorId).seconds.push([seconds, n]);
        break;
      }
      case "h": {
        perHour.set(rest, n);
        const day = rest.slice(0, 10);
        perDayMap.set(day, (perDayMap.get(day) ?? 0) + n);
        break;
      }
      case "r": {
        const parts = rest.split("|");
        const counts = parts.slice(0, 5).map(Number);
        const dimension = parts.slice(5).join("|");
        let list = dimensions.get(dimension);
        if (!list) dimensions.set(dimension, (list = []));
        list.push({ n, counts });
        break;
      }
      default:
        throw new Error(`unknown statistics fact ${key}`);
    }
  }
  const perDay = [...perDayMap]
    .map(([day, judgments]) => ({ day, judgments }))
    .sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
  const finish = ({ seconds, ...s }: Sums): AnnotatorAggregate => ({ ...s, medianSeconds: percentileContFromHistogram(seconds, 0.5) });
  // Pooled first, then by annotator id (the reference's `order by annotator_id nulls first`);
  // annotators appear once they have a judgment with a strength.
  const annotators = [
    finish(pooled),
    ...[...people.values()]
      .filter((p) => p.judgments > 0)
      .sort((x, y) => x.annotatorId! - y.annotatorId!)
      .map(finish),
  ];
  return { agreement: { patterns, tasks, judgments, majority, items }, annotators, perDay, perHour, dimensions };
}

/** Texts in the database's collation order (as an ORDER BY on them would give). */
export async function sortTexts(db: Db, texts: readonly string[]): Promise<string[]> {
  if (texts.length <= 1) return [...texts];
  const { rows } = await db.execute<{ t: string }>(sql`select t from unnest(${sql.param([...texts])}::text[]) t order by t`);
  return rows.map((r) => r.t);
}

/** A project and the task-level filters of the dashboard (dates are not task-level). */
export type TaskFilter = { projectId: number; character?: string; model?: string; annotatorId?: number };

/** Whether a filter narrows the tasks at all. */
export const narrowsTasks = (f: TaskFilter) => f.character !== undefined || f.model !== undefined || f.annotatorId !== undefined;

/** The condition on `tasks t` of the tasks a filter keeps (as `judgmentWhere` in db/queries/stats.ts). */
function keptTasksWhere(f: TaskFilter): SQL {
  const parts: SQL[] = [sql`t.project_id = ${f.projectId}`];
  if (f.character !== undefined) {
    parts.push(sql`t.item_id in (select i.id from items i where i.project_id = ${f.projectId}
                                   and i.character_id in (select ch.id from characters ch where ch.name = ${f.character}))`);
  }
  if (f.model !== undefined)
    parts.push(sql`exists (select 1 from candidates c where c.id = any(t.candidate_ids) and c.model = ${f.model})`);
  if (f.annotatorId !== undefined) {
    parts.push(
      sql`t.id in (select x.task_id from judgments x where x.project_id = ${f.projectId} and x.annotator_id = ${f.annotatorId} and x.state = 'valid')`,
    );
  }
  return sql.join(parts, sql` and `);
}

/**
 * Sums of the folded facts of the tasks a task-level filter keeps (character, model,
 * annotator — as `judgmentWhere` in db/queries/stats.ts), and of their items. Null when an
 * item of those tasks has a judged non-gold task the filter leaves out: its leaderboard
 * facts cover all its tasks, the filtered reference only the kept ones.
 */
export async function selectFilteredTotals(db: Db, f: TaskFilter): Promise<[string, number][] | null> {
  const { rows } = await db.execute<{ partial: boolean; totals: [string, string][] | null }>(sql`
    with kept as materialized (select t.id, t.item_id from tasks t where ${keptTasksWhere(f)}),
    kept_items as materialized (select distinct item_id from kept)
    select exists (select 1 from tasks o where o.item_id in (select item_id from kept_items) and o.gold is null and o.valid_judgments > 0
                     and o.id not in (select id from kept)) as partial,
           (select json_agg(json_build_array(key, n)) from (
              select x.key, sum(x.n)::text as n
                from stats_facts sf cross join lateral unnest(sf.keys, sf.counts) as x(key, n)
               where sf.project_id = ${f.projectId}
                 and ((not sf.is_item and sf.owner_id in (select id from kept)) or (sf.is_item and sf.owner_id in (select item_id from kept_items)))
               group by x.key) s) as totals`);
  const r = rows[0]!;
  if (r.partial) return null;
  return (r.totals ?? []).map(([key, n]) => [key, Number(n)]);
}
