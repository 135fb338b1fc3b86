/**
 * Reads and writes of the leads' review area: the contested-task queue, one
 * task with every judgment, verdicts and adjudicated labels. Plain rows; no auth.
 */
import { and, count, eq, gt, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { RawRow, Wire } from "@/db/queries/rows";
import { lockedTaskColumns } from "./assignments";
import {
  type AdjudicatedLabel,
  assignments,
  type CharacterProfile,
  type candidates,
  type characters,
  type GoldAnswer,
  type items,
  judgments,
  type projectMembers,
  projects,
  reviews,
  tasks,
  type users,
} from "@/db/schema";
import type { MemberStatus, TaskKind } from "@/lib/domain/enums";

export type ReviewQueueParams = {
  projectId?: number;
  /** Only these projects (the ones the reader reaches); undefined = all. */
  projectIds?: number[];
  /** Items of the character with this exact name. */
  character?: string;
  /** Tasks with a candidate from this model. */
  model?: string;
  /** Tasks this annotator judged (any state but superseded). */
  annotatorId?: number;
  /** Only tasks scoring at least this much (0 lists every judged task). */
  minScore?: number;
  /** Only these tasks (a page chosen elsewhere, e.g. by posterior uncertainty). */
  taskIds?: number[];
  limit: number;
  offset: number;
};

export type ReviewQueueRow = {
  taskId: number;
  projectSlug: string;
  projectName: string;
  itemId: number;
  externalId: string;
  character: string;
  /** Model per candidate, canonical order. */
  models: string[];
  kind: TaskKind;
  scalePoints: number;
  overlap: number;
  validJudgments: number;
  rejectedJudgments: number;
  /** Valid votes and how many went to the most common answer. */
  votes: number;
  topVotes: number;
  /** Pairwise direction counts over valid judgments. */
  a: number;
  tie: number;
  b: number;
  strongOpposite: boolean;
  spread: number;
  unsafeMajority: boolean;
  goldMisses: number;
  goldGraded: number;
  isGold: boolean;
  adjudicated: boolean;
  score: number;
  /** 1 − the Dawid–Skene label's posterior, when the queue is ranked by uncertainty. */
  uncertainty?: number;
};

/**
 * The contest score in SQL, over the `scored` CTE's columns; the same formula as
 * lib/domain/review.ts `contestScore` (weights 3, 2, 1, 1.5, 2), rounded to 4 decimals.
 */
const CONTEST_SCORE_SQL = sql.raw(`round((
    3 * case when n >= 2 then 1 - top::numeric / n else 0 end
  + 2 * (case when strong_opposite then 1 else 0 end)
  + case when scale_points / 2 > 0 then spread::numeric / (2 * (scale_points / 2)) else 0 end
  + 1.5 * (case when unsafe_majority then 1 else 0 end)
  + 2 * case when gold_graded > 0 then gold_misses::numeric / gold_graded else 0 end
  ), 4)`);

/**
 * One page of judged tasks, most contested first (score, then task id), with the signals
 * behind each score and the total. Aggregates run in SQL over the filtered tasks' valid
 * judgments; only the page's rows leave the database.
 */
export async function listContestedTasks(db: Db, p: ReviewQueueParams): Promise<{ rows: ReviewQueueRow[]; total: number }> {
  const where: SQL[] = [sql`exists (select 1 from judgments x where x.task_id = t.id and x.state <> 'superseded')`];
  if (p.projectId !== undefined) where.push(sql`t.project_id = ${p.projectId}`);
  if (p.projectIds !== undefined) where.push(sql`t.project_id = any(${`{${p.projectIds.join(",")}}`}::bigint[])`);
  if (p.taskIds !== undefined) where.push(sql`t.id = any(${`{${p.taskIds.map((id) => Math.trunc(id)).join(",")}}`}::bigint[])`);
  if (p.character !== undefined) {
    where.push(sql`t.item_id in (select i.id from items i join characters ch on ch.id = i.character_id where ch.name = ${p.character})`);
  }
  if (p.model !== undefined)
    where.push(sql`exists (select 1 from candidates c where c.id = any(t.candidate_ids) and c.model = ${p.model})`);
  if (p.annotatorId !== undefined) {
    where.push(sql`t.id in (select x.task_id from judgments x where x.annotator_id = ${p.annotatorId} and x.state <> 'superseded')`);
  }
  const { rows } = await db.execute<
    RawRow<typeof tasks, "id" | "itemId" | "kind" | "scalePoints" | "overlap" | "validJudgments"> &
      RawRow<typeof items, "externalId"> & {
        project_slug: Wire<typeof projects.slug>;
        project_name: Wire<typeof projects.name>;
        character: Wire<typeof characters.name>;
        models: Wire<typeof candidates.model>[];
        rejected: number;
        n: number;
        top: number;
        a: number;
        tie: number;
        b: number;
        strong_opposite: boolean;
        spread: number;
        unsafe_majority: boolean;
        gold_misses: number;
        gold_graded: number;
        is_gold: boolean;
        adjudicated: boolean;
        score: string;
        total: string;
      }
  >(sql`
    with base as materialized (
      select t.id, t.project_id, t.item_id, t.kind, t.scale_points, t.overlap, t.valid_judgments, t.gold, t.candidate_ids
        from tasks t
       where ${sql.join(where, sql` and `)}
    ),
    v as (
      select j.task_id, j.strength, j.unsafe, b.scale_points, b.gold,
             case when j.both_unacceptable then 'X'
                  when j.strength is not null then sign(j.strength)::int::text
                  else 'r' || coalesce(array_position(j.ranks, (select min(r) from unnest(j.ranks) r)), 0) end as vote
        from judgments j join base b on b.id = j.task_id
       where j.state = 'valid'
    ),
    per_vote as (select task_id, vote, count(*)::int as c from v group by 1, 2),
    votes as (
      select task_id, sum(c)::int as n, max(c)::int as top,
             coalesce(sum(c) filter (where vote = '-1'), 0)::int as a,
             coalesce(sum(c) filter (where vote = '0'), 0)::int as tie,
             coalesce(sum(c) filter (where vote = '1'), 0)::int as b
        from per_vote group by 1
    ),
    pw as (
      -- Strong = |strength| ≥ ⌊⌊scale/2⌋/2⌋ + 1 (strongThreshold of lib/domain/review.ts).
      select task_id,
             bool_or(strength <= -((scale_points / 2) / 2 + 1)) and bool_or(strength >= (scale_points / 2) / 2 + 1) as strong_opposite,
             (max(strength) - min(strength))::int as spread,
             count(*) filter (where gold ? 'strength' and case when gold ? 'accept'
                                then not (strength = any(array(select jsonb_array_elements_text(gold -> 'accept')::int)))
                                else sign(strength) <> sign((gold ->> 'strength')::int) end)::int as gold_misses,
             count(*) filter (where gold ? 'strength')::int as gold_graded
        from v where strength is not null group by 1
    ),
    flags as (
      select v.task_id, f.key, count(*)::int as c from v cross join lateral jsonb_object_keys(v.unsafe) f(key) group by 1, 2
    ),
    unsafe as (
      select f.task_id, bool_or(f.c * 2 > vt.n) as majority from flags f join votes vt on vt.task_id = f.task_id group by 1
    ),
    scored as (
      select b.id, b.project_id, b.item_id, b.kind, b.scale_points, b.overlap, b.valid_judgments, b.gold is not null as is_gold,
             b.candidate_ids, coalesce(vt.n, 0) as n, coalesce(vt.top, 0) as top, coalesce(vt.a, 0) as a,
             coalesce(vt.tie, 0) as tie, coalesce(vt.b, 0) as b, coalesce(pw.strong_opposite, false) as strong_opposite,
             coalesce(pw.spread, 0) as spread, coalesce(u.majority, false) as unsafe_majority,
             coalesce(pw.gold_misses, 0) as gold_misses, coalesce(pw.gold_graded, 0) as gold_graded
        from base b
        left join votes vt on vt.task_id = b.id
        left join pw on pw.task_id = b.id
        left join unsafe u on u.task_id = b.id
    ),
    ranked as (
      select s.*, ${CONTEST_SCORE_SQL} as score from scored s
    ),
    page as (
      select r.*, count(*) over () as total from ranked r
       where r.score >= ${p.minScore ?? 0}
       order by r.score desc, r.id
       limit ${p.limit} offset ${p.offset}
    )
    select pg.id, pr.slug as project_slug, pr.name as project_name, pg.item_id, i.external_id, ch.name as character,
           array(select c.model from unnest(pg.candidate_ids) with ordinality u(id, ord) join candidates c on c.id = u.id order by u.ord) as models,
           pg.kind, pg.scale_points, pg.overlap, pg.valid_judgments,
           (select count(*)::int from judgments x where x.task_id = pg.id and x.state = 'rejected') as rejected,
           pg.n, pg.top, pg.a, pg.tie, pg.b, pg.strong_opposite, pg.spread, pg.unsafe_majority, pg.gold_misses, pg.gold_graded,
           pg.is_gold,
           exists (select 1 from reviews r where r.task_id = pg.id and r.verdict = 'adjudicate' and r.revoked_at is null) as adjudicated,
           pg.score, pg.total
      from page pg
      join projects pr on pr.id = pg.project_id
      join items i on i.id = pg.item_id
      join characters ch on ch.id = i.character_id
     order by pg.score desc, pg.id
  `);
  let total = rows.length ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && p.offset > 0) {
    // Past the last page: the window count is gone with the rows, so count separately.
    const { rows: c } = await db.execute<{ n: string }>(sql`
      select count(*) as n from (${listCountSql(where)}) x`);
    total = Number(c[0]?.n ?? 0);
  }
  return {
    total,
    rows: rows.map((r) => ({
      taskId: Number(r.id),
      projectSlug: r.project_slug,
      projectName: r.project_name,
      itemId: Number(r.item_id),
      externalId: r.external_id,
      character: r.character,
      models: r.models,
      kind: r.kind,
      scalePoints: r.scale_points,
      overlap: r.overlap,
      validJudgments: r.valid_judgments,
      rejectedJudgments: r.rejected,
      votes: r.n,
      topVotes: r.top,
      a: r.a,
      tie: r.tie,
      b: r.b,
      strongOpposite: r.strong_opposite,
      spread: r.spread,
      unsafeMajority: r.unsafe_majority,
      goldMisses: r.gold_misses,
      goldGraded: r.gold_graded,
      isGold: r.is_gold,
      adjudicated: r.adjudicated,
      score: Number(r.score),
    })),
  };
}

/** Judged tasks matching the filters (ignores minScore: only used past the last page). */
function listCountSql(where: SQL[]): SQL {
  return sql`select t.id from tasks t where ${sql.join(where, sql` and `)}`;
}

/** One task with its project, item, character, candidates (canonical order) and standing adjudication. */
export type ReviewTask = {
  id: number;
  kind: TaskKind;
  scalePoints: number;
  overlap: number;
  validJudgments: number;
  liveLeases: number;
  gold: GoldAnswer | null;
  goldRetiredAt: Date | null;
  project: { id: number; slug: string; name: string; markdown: boolean };
  item: { id: number; externalId: string; scene: string | null; context: { role: "user" | "assistant"; content: string }[] };
  character: { name: string; profile: CharacterProfile };
  candidates: { id: number; model: string; modelVersion: string | null; content: string }[];
  adjudication: { id: number; label: AdjudicatedLabel; note: string; reviewerEmail: string | null; createdAt: Date } | null;
};

export async function getReviewTask(db: Db, taskId: number): Promise<ReviewTask | undefined> {
  const { rows } = await db.execute<
    RawRow<typeof tasks, "id" | "kind" | "scalePoints" | "overlap" | "validJudgments" | "gold" | "goldRetiredAt" | "projectId"> &
      RawRow<typeof projects, "slug" | "settings"> &
      RawRow<typeof items, "externalId" | "scene" | "context"> &
      RawRow<typeof characters, "profile"> & {
        live: number;
        project_name: Wire<typeof projects.name>;
        item_id: Wire<typeof items.id>;
        character_name: Wire<typeof characters.name>;
        candidates: { id: number; model: string; model_version: string | null; content: string }[];
        adjudication: { id: number; label: AdjudicatedLabel; note: string; email: string | null; created_at: string } | null;
      }
  >(sql`
    select t.id, t.kind, t.scale_points, t.overlap, t.valid_judgments, t.gold, t.gold_retired_at,
           (select count(*)::int from assignments a where a.task_id = t.id and a.state = 'active' and a.expires_at > now()) as live,
           p.id as project_id, p.slug, p.name as project_name, p.settings,
           i.id as item_id, i.external_id, i.scene, i.context, ch.name as character_name, ch.profile,
           (select json_agg(json_build_object('id', c.id, 'model', c.model, 'model_version', c.model_version, 'content', c.content)
                            order by array_position(t.candidate_ids, c.id))
              from candidates c where c.id = any(t.candidate_ids)) as candidates,
           (select json_build_object('id', r.id, 'label', r.label, 'note', r.note, 'email', u.email, 'created_at', r.created_at)
              from reviews r left join users u on u.id = r.reviewer_id
             where r.task_id = t.id and r.verdict = 'adjudicate' and r.revoked_at is null) as adjudication
      from tasks t
      join projects p on p.id = t.project_id
      join items i on i.id = t.item_id
      join characters ch on ch.id = i.character_id
     where t.id = ${taskId}`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    kind: r.kind,
    scalePoints: r.scale_points,
    overlap: r.overlap,
    validJudgments: r.valid_judgments,
    liveLeases: r.live,
    gold: r.gold,
    goldRetiredAt: r.gold_retired_at ? new Date(r.gold_retired_at) : null,
    project: { id: Number(r.project_id), slug: r.slug, name: r.project_name, markdown: Boolean(r.settings?.markdown) },
    item: { id: Number(r.item_id), externalId: r.external_id, scene: r.scene, context: r.context },
    character: { name: r.character_name, profile: r.profile ?? {} },
    candidates: (r.candidates ?? []).map((c) => ({ id: Number(c.id), model: c.model, modelVersion: c.model_version, content: c.content })),
    adjudication: r.adjudication
      ? {
          id: Number(r.adjudication.id),
          label: r.adjudication.label,
          note: r.adjudication.note,
          reviewerEmail: r.adjudication.email,
          createdAt: new Date(r.adjudication.created_at),
        }
      : null,
  };
}

/** One judgment of a task as the review page shows it, with the latest standing verdict on it. */
export type ReviewJudgment = {
  id: number;
  annotatorId: number;
  annotatorName: string;
  annotatorEmail: string;
  memberStatus: MemberStatus | null;
  excluded: boolean;
  strength: number | null;
  ranks: number[] | null;
  bothUnacceptable: boolean;
  ratings: Record<string, Record<string, number>>;
  unsafe: Record<string, string>;
  rationale: string | null;
  displayOrder: number[];
  seconds: number | null;
  state: "valid" | "rejected" | "superseded";
  createdAt: Date;
  verdict: { verdict: "accept" | "reject"; note: string; reviewerEmail: string | null; at: Date } | null;
};

/** Every judgment of a task (superseded ones last), oldest first within a state. */
export async function listTaskJudgments(db: Db, taskId: number): Promise<ReviewJudgment[]> {
  const { rows } = await db.execute<
    RawRow<
      typeof judgments,
      | "id"
      | "annotatorId"
      | "strength"
      | "ranks"
      | "bothUnacceptable"
      | "ratings"
      | "unsafe"
      | "rationale"
      | "displayOrder"
      | "seconds"
      | "state"
      | "createdAt"
    > &
      RawRow<typeof users, "name" | "email"> & {
        member_status: Wire<typeof projectMembers.status> | null;
        excluded: Wire<typeof projectMembers.excludedFromExports> | null;
        verdict: { verdict: "accept" | "reject"; note: string; email: string | null; at: string } | null;
      }
  >(sql`
    select j.id, j.annotator_id, u.name, u.email, pm.status as member_status, pm.excluded_from_exports as excluded,
           j.strength, j.ranks, j.both_unacceptable, j.ratings, j.unsafe, j.rationale, j.display_order, j.seconds,
           j.state, j.created_at,
           (select json_build_object('verdict', r.verdict, 'note', r.note, 'email', ru.email, 'at', r.created_at)
              from reviews r left join users ru on ru.id = r.reviewer_id
             where r.judgment_id = j.id and r.revoked_at is null
             order by r.created_at desc, r.id desc limit 1) as verdict
      from judgments j
      join tasks t on t.id = j.task_id
      join users u on u.id = j.annotator_id
      left join project_members pm on pm.project_id = t.project_id and pm.user_id = j.annotator_id
     where j.task_id = ${taskId}
     order by (j.state = 'superseded'), j.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    annotatorId: Number(r.annotator_id),
    annotatorName: r.name,
    annotatorEmail: r.email,
    memberStatus: r.member_status,
    excluded: Boolean(r.excluded),
    strength: r.strength,
    ranks: r.ranks,
    bothUnacceptable: r.both_unacceptable,
    ratings: r.ratings ?? {},
    unsafe: r.unsafe ?? {},
    rationale: r.rationale,
    displayOrder: r.display_order,
    seconds: r.seconds,
    state: r.state,
    createdAt: new Date(r.created_at),
    verdict: r.verdict
      ? { verdict: r.verdict.verdict, note: r.verdict.note, reviewerEmail: r.verdict.email, at: new Date(r.verdict.at) }
      : null,
  }));
}

/**
 * Locks a task row (FOR UPDATE) and returns what a verdict needs. Verdicts lock the task
 * first, as the annotation engine's submit does, so a rejection, a restore and a submit
 * on one task serialise on the same row.
 */
export async function lockTaskForReview(db: Db, taskId: number) {
  const [row] = await db
    .select({ ...lockedTaskColumns, gold: tasks.gold, goldRetiredAt: tasks.goldRetiredAt })
    .from(tasks)
    .where(eq(tasks.id, taskId))
    .for("update");
  return row;
}

/** A judgment's task, annotator and state (no lock: lock its task first). */
export async function getJudgmentHead(db: Db, judgmentId: number) {
  const [row] = await db
    .select({
      id: judgments.id,
      taskId: judgments.taskId,
      projectId: judgments.projectId,
      annotatorId: judgments.annotatorId,
      state: judgments.state,
    })
    .from(judgments)
    .where(eq(judgments.id, judgmentId));
  return row;
}

/** Live (unexpired) leases of a task: they hold a place toward its overlap. */
export async function countLiveLeases(db: Db, taskId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(assignments)
    .where(and(eq(assignments.taskId, taskId), eq(assignments.state, "active"), gt(assignments.expiresAt, sql`now()`)));
  return row?.n ?? 0;
}

/** Moves a judgment between valid and rejected (the trigger keeps tasks.valid_judgments). */
export async function setJudgmentReviewState(db: Db, judgmentId: number, state: "valid" | "rejected"): Promise<void> {
  await db.execute(sql`update judgments set state = ${state}, state_changed_at = now() where id = ${judgmentId}`);
}

/** Records a verdict or adjudication; returns its id. */
export async function insertReview(
  db: Db,
  values: {
    projectId: number;
    taskId: number;
    judgmentId: number | null;
    reviewerId: number;
    verdict: "accept" | "reject" | "adjudicate";
    label: AdjudicatedLabel | null;
    note: string;
  },
): Promise<number> {
  const [row] = await db.insert(reviews).values(values).returning({ id: reviews.id });
  return row!.id;
}

/** Marks a judgment's standing verdicts replaced (kept for the record). */
export async function revokeJudgmentVerdicts(db: Db, judgmentId: number): Promise<void> {
  await db.execute(sql`update reviews set revoked_at = now() where judgment_id = ${judgmentId} and revoked_at is null`);
}

/** Revokes a task's standing adjudication; returns its label, if there was one. */
export async function revokeStandingAdjudication(db: Db, taskId: number): Promise<AdjudicatedLabel | null> {
  const [row] = await db
    .update(reviews)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(reviews.taskId, taskId), eq(reviews.verdict, "adjudicate"), isNull(reviews.revokedAt)))
    .returning({ label: reviews.label });
  return row?.label ?? null;
}

/** Projects to pick from in the lead pages (not archived ones), by name. */
export async function listProjectChoices(db: Db, projectIds?: number[]): Promise<{ id: number; slug: string; name: string }[]> {
  return db
    .select({ id: projects.id, slug: projects.slug, name: projects.name })
    .from(projects)
    .where(and(ne(projects.status, "archived"), projectIds === undefined ? undefined : inArray(projects.id, projectIds)))
    .orderBy(projects.name, projects.id);
}

/** The filter menus of the queue: a project's characters, models and judging annotators. */
export async function listReviewFilterOptions(db: Db, projectId: number) {
  const { rows } = await db.execute<{
    characters: Wire<typeof characters.name>[] | null;
    models: Wire<typeof candidates.model>[] | null;
    annotators: { id: number; email: Wire<typeof users.email> }[] | null;
  }>(sql`
    select (select array_agg(distinct ch.name order by ch.name) from items i join characters ch on ch.id = i.character_id where i.project_id = ${projectId}) as characters,
           (select array_agg(distinct c.model order by c.model) from candidates c join items i on i.id = c.item_id where i.project_id = ${projectId}) as models,
           (select json_agg(json_build_object('id', u.id, 'email', u.email) order by u.email)
              from users u where u.id in (select distinct j.annotator_id from judgments j where j.project_id = ${projectId})) as annotators`);
  const r = rows[0]!;
  return {
    characters: r.characters ?? [],
    models: r.models ?? [],
    annotators: (r.annotators ?? []).map((a) => ({ id: Number(a.id), email: a.email })),
  };
}
