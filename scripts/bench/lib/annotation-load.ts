/**
 * The pieces of an annotation load run shared by scripts/bench/multi-instance.ts and the
 * production tests (tests/production/): a generated project with annotator users, a
 * signed-in HTTP annotator doing next + submit, percentiles, and the invariant check.
 */
import { randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import type pg from "pg";
import { ProjectSettings } from "@/lib/validation/project-settings";

export const BENCH_PASSWORD = "bench-annotator-pass";

export type LoadProject = { projectId: number; slug: string; emails: string[]; users: { id: number; email: string }[] };

/**
 * A project with `tasks` pairwise tasks (5% gold) and `annotators` member annotators
 * (password {@link BENCH_PASSWORD}), written in bulk in one transaction.
 */
export async function seedLoadProject(
  pool: pg.Pool,
  options: {
    label: string;
    tasks: number;
    annotators: number;
    overlap: number;
    maxLeasesPerAnnotator?: number;
    /** How many times each reply repeats its 17-character sentence (default 8; 30 is about a 150-word reply's length on screen). */
    replyRepeats?: number;
  },
): Promise<LoadProject> {
  const { label, tasks, annotators, overlap } = options;
  const slug = `load-${label}-${randomBytes(3).toString("hex")}`;
  const settings = ProjectSettings.parse({
    overlap,
    goldRatio: 0.05,
    maxLeasesPerAnnotator: options.maxLeasesPerAnnotator ?? 2,
    rationale: "optional",
    dimensions: ["fluency"],
  });
  const client = await pool.connect();
  try {
    await client.query("begin");
    const {
      rows: [project],
    } = await client.query<{ id: string }>(
      `insert into projects (slug, name, status, mode, scale_points, overlap, settings) values ($1, $2, 'active', 'pairwise', 7, $3, $4) returning id`,
      [slug, `Load ${label}`, overlap, settings],
    );
    const projectId = Number(project!.id);
    const {
      rows: [character],
    } = await client.query<{ id: string }>(`insert into characters (name, profile, content_hash) values ('孙悟空', $1, $2) returning id`, [
      { 性别: "男", 性格: "桀骜不驯，重情重义", 口头禅: ["俺老孙来也"] },
      `load-${slug}`,
    ]);
    await client.query(
      `insert into items (project_id, external_id, character_id, context, content_hash)
       select $1, 'load-' || g, $2,
              jsonb_build_array(jsonb_build_object('role', 'user', 'content', '大圣，第 ' || g || ' 个问题：你今天去哪儿了？')),
              md5($3 || g)
       from generate_series(1, $4) g`,
      [projectId, Number(character!.id), slug, tasks],
    );
    await client.query(
      `insert into candidates (item_id, position, model, content)
       select i.id, p, 'model-' || p, repeat('俺老孙今日心情甚好，且听我慢慢道来。', $2) || p
       from items i cross join generate_series(0, 1) p where i.project_id = $1`,
      [projectId, options.replyRepeats ?? 8],
    );
    await client.query(
      `insert into tasks (project_id, item_id, kind, candidate_ids, scale_points, overlap, gold)
       select $1, i.id, 'pairwise', array_agg(c.id order by c.position), 7, $2,
              case when i.id % 20 = 0 then '{"strength": -1, "accept": [-3, -2, -1]}'::jsonb end
       from items i join candidates c on c.item_id = i.id where i.project_id = $1 group by i.id`,
      [projectId, overlap],
    );
    const hash = bcrypt.hashSync(BENCH_PASSWORD, 4);
    const { rows: users } = await client.query<{ id: string; email: string }>(
      `insert into users (email, name, role, password_hash)
       select $1 || '-' || g || '@bench.local', 'Load ' || g, 'annotator', $2 from generate_series(1, $3) g
       returning id, email`,
      [slug, hash, annotators],
    );
    await client.query(`insert into project_members (project_id, user_id) select $1, unnest($2::bigint[])`, [
      projectId,
      users.map((u) => u.id),
    ]);
    await client.query("commit");
    await client.query("analyze");
    return { projectId, slug, emails: users.map((u) => u.email), users: users.map((u) => ({ id: Number(u.id), email: u.email })) };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Signs in through next-auth's credentials endpoint; returns the session cookie. */
export async function signIn(base: string, email: string, password = BENCH_PASSWORD): Promise<string> {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed for ${email} (HTTP ${res.status})`);
  return session;
}

/** Signs in many annotators, a few at a time (bcrypt and the CPU are the limit). */
export async function signInAll(base: string | ((i: number) => string), emails: string[], batch = 8): Promise<string[]> {
  const baseOf = typeof base === "string" ? () => base : base;
  const cookies: string[] = [];
  for (let i = 0; i < emails.length; i += batch) {
    cookies.push(...(await Promise.all(emails.slice(i, i + batch).map((e, j) => signIn(baseOf(i + j), e)))));
  }
  return cookies;
}

/** One HTTP answer: status, latency, and the parsed JSON body (null when none or not JSON). */
export type Answer = { status: number; ms: number; body: unknown; contentType: string };

/**
 * A POST with a JSON body as a signed-in annotator: `auth` is the session cookie, or an
 * `Authorization` header value (`Bearer arb_…`) for an API token. A network failure is status 0.
 */
export async function postJson(url: string, auth: string, body: unknown, timeoutMs = 30_000): Promise<Answer> {
  const t0 = performance.now();
  try {
    const credentials: Record<string, string> = auth.startsWith("Bearer ") ? { authorization: auth } : { cookie: auth };
    const res = await fetch(url, {
      method: "POST",
      headers: { ...credentials, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, ms: performance.now() - t0, body: parsed, contentType: res.headers.get("content-type") ?? "" };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { status: 0, ms: performance.now() - t0, body: `${String(error)}${cause ? ` (${String(cause)})` : ""}`, contentType: "" };
  }
}

export const nextTask = (base: string, cookie: string, slug: string) => postJson(`${base}/api/projects/${slug}/tasks/next`, cookie, {});

export const submitJudgmentHttp = (base: string, cookie: string, assignmentId: number, strength: number) =>
  postJson(`${base}/api/assignments/${assignmentId}/judgment`, cookie, { strength, seconds: 12.5 });

export const randomStrength = () => Math.floor(Math.random() * 7) - 3;

/** The p-th percentile (nearest rank) of `xs`; NaN when empty. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** What the invariant check found. `ok` when every list is empty. */
export type InvariantReport = {
  ok: boolean;
  judgments: number;
  completeTasks: number;
  /** Tasks with more valid judgments than their overlap, or whose kept count is wrong. */
  overOverlap: number;
  /** (task, annotator) pairs with more than one live judgment. */
  annotatorTwice: number;
  /** Assignments with more than one live judgment. */
  assignmentTwice: number;
  /** Acknowledged submits whose judgment is missing, or not the assignment's one live judgment. */
  ackedMissing: number;
  /** Acknowledged submits present more than once. */
  ackedDuplicated: number;
  /** Judgments stored whose submit the client never saw acknowledged (not an error: a lost answer). */
  unacknowledgedStored: number;
};

/**
 * Checks a project after a load run: never more valid judgments than the overlap (and
 * the trigger-kept count right), never one annotator twice on a task or two live
 * judgments on one lease, and every acknowledged submit (assignment id → judgment id
 * from the 200 answer) stored exactly once.
 */
export async function checkInvariants(
  pool: pg.Pool,
  projectId: number,
  acked: ReadonlyMap<number, number> = new Map(),
): Promise<InvariantReport> {
  const over = await pool.query(
    `select t.id from tasks t left join judgments j on j.task_id = t.id and j.state = 'valid'
     where t.project_id = $1 group by t.id
     having count(j.id) > t.overlap or count(j.id) <> t.valid_judgments`,
    [projectId],
  );
  const twice = await pool.query(
    `select task_id, annotator_id from judgments where project_id = $1 and state <> 'superseded'
     group by task_id, annotator_id having count(*) > 1`,
    [projectId],
  );
  const perAssignment = await pool.query<{ assignment_id: string; ids: string[] }>(
    `select assignment_id, array_agg(id order by id)::text[] as ids from judgments
     where project_id = $1 and state <> 'superseded' group by assignment_id`,
    [projectId],
  );
  const byAssignment = new Map(perAssignment.rows.map((r) => [Number(r.assignment_id), r.ids.map(Number)]));
  let ackedMissing = 0;
  let ackedDuplicated = 0;
  for (const [assignmentId, judgmentId] of acked) {
    const ids = byAssignment.get(assignmentId) ?? [];
    if (ids.length > 1) ackedDuplicated++;
    else if (ids[0] !== judgmentId) ackedMissing++;
  }
  const unacknowledgedStored = [...byAssignment.keys()].filter((id) => !acked.has(id)).length;
  const {
    rows: [counts],
  } = await pool.query<{ judgments: number; complete: number }>(
    `select (select count(*)::int from judgments where project_id = $1) as judgments,
            (select count(*)::int from tasks where project_id = $1 and valid_judgments = overlap) as complete`,
    [projectId],
  );
  const assignmentTwice = perAssignment.rows.filter((r) => r.ids.length > 1).length;
  return {
    ok: over.rowCount === 0 && twice.rowCount === 0 && assignmentTwice === 0 && ackedMissing === 0 && ackedDuplicated === 0,
    judgments: counts!.judgments,
    completeTasks: counts!.complete,
    overOverlap: over.rowCount ?? 0,
    annotatorTwice: twice.rowCount ?? 0,
    assignmentTwice,
    ackedMissing,
    ackedDuplicated,
    unacknowledgedStored,
  };
}

export function describeInvariants(r: InvariantReport): string {
  return (
    `${r.overOverlap} task(s) over overlap or miscounted, ${r.annotatorTwice} annotator(s) twice on a task, ` +
    `${r.assignmentTwice} lease(s) with two judgments, ${r.ackedMissing} acknowledged submit(s) missing, ` +
    `${r.ackedDuplicated} duplicated; ${r.judgments} judgments, ${r.completeTasks} tasks complete` +
    (r.unacknowledgedStored ? `, ${r.unacknowledgedStored} stored without the client seeing the acknowledgement` : "")
  );
}
