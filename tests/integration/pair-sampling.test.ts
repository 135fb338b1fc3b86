/**
 * Active pair sampling in a static project, on a real PostgreSQL: items with four candidates
 * paired all ways (one pairwise task per pair), a judged history from a hidden Bradley–Terry
 * truth, then the engine serves half of the open tasks. Under `active` the lopsided pair (the
 * strongest model against the weakest, whose votes say almost nothing) is served far less
 * often than under `uniform`, every other rule of the engine holding; switching back to
 * `uniform` restores id order; only staff refresh.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { candidates, characters, items, tasks } from "@/db/schema";
import { createRng, sigmoid } from "@/lib/domain/stats";
import { leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import type { Actor } from "@/lib/services/context";
import { refreshPairSampling } from "@/lib/services/pair-sampling";
import { updateProject } from "@/lib/services/projects";
import { addJudgments, makeAnnotator, makeProject } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { failure } from "./helpers/failure";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const ctx = (actor: Actor) => ({ db: t.db, actor });

/** Hidden truth (log-odds): m0 ≈ m1 in the middle, m2 far above, m3 far below. */
const TRUTH = [0, 0.1, 2.5, -2.5];
const PAIRS: [number, number][] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
];

type Project = Awaited<ReturnType<typeof makeProject>>;

/** Items of four candidates (models m0..m3), each with its six pair tasks, as all_pairs import makes them. */
async function makeItems(project: Project, count: number, tag: string) {
  const [character] = await t.db
    .insert(characters)
    .values({ name: "孙悟空", profile: {}, contentHash: `pair-sampling-${project.id}-${tag}` })
    .returning();
  const made: { id: number; pair: [number, number]; candidateIds: number[] }[] = [];
  for (let n = 0; n < count; n++) {
    const [item] = await t.db
      .insert(items)
      .values({
        projectId: project.id,
        externalId: `${tag}-${n}`,
        characterId: character!.id,
        context: [{ role: "user" as const, content: `问题 ${n}` }],
        contentHash: `${project.id}-${tag}-${n}`,
      })
      .returning();
    const cands = await t.db
      .insert(candidates)
      .values(TRUTH.map((_, i) => ({ itemId: item!.id, position: i, model: `m${i}`, content: `回复 ${i}` })))
      .returning();
    const rows = await t.db
      .insert(tasks)
      .values(
        PAIRS.map(([i, j]) => ({
          projectId: project.id,
          itemId: item!.id,
          kind: "pairwise" as const,
          candidateIds: [cands[i]!.id, cands[j]!.id],
          scalePoints: project.scalePoints,
          overlap: project.overlap,
        })),
      )
      .returning();
    rows.forEach((r, p) => made.push({ id: r.id, pair: PAIRS[p]!, candidateIds: r.candidateIds }));
  }
  return made;
}

/** A project under `policy` with a judged history of 40 items (240 votes) and 60 open items (360 tasks). */
async function prepare(policy: "uniform" | "active") {
  const project = await makeProject(t.db, { scalePoints: 3, overlap: 1, goldRatio: 0, pairSampling: policy });
  const lead: Actor = { ...(await makeAnnotator(t.db, project.id, { role: "lead" })), role: "lead" };
  const historian = await makeAnnotator(t.db, project.id);
  const rng = createRng(7);
  for (const task of await makeItems(project, 40, "history")) {
    const [i, j] = task.pair;
    const strength = rng.next() < sigmoid(TRUTH[i]! - TRUTH[j]!) ? -1 : 1;
    await addJudgments(t.db, { ...task, projectId: project.id, kind: "pairwise", scalePoints: 3 }, [
      { annotatorId: historian.id, strength },
    ]);
  }
  const open = await makeItems(project, 60, "open");
  return { project, lead, open: new Map(open.map((o) => [o.id, o.pair])) };
}

/** Serves `n` tasks (lease and submit, one annotator) with a seeded shuffle; returns the pairs served. */
async function serve(project: Project, n: number, seed: number): Promise<[number, number][]> {
  const ann = await makeAnnotator(t.db, project.id);
  const rng = createRng(seed);
  const served: number[] = [];
  for (let k = 0; k < n; k++) {
    const lease = (await leaseNextTask(ctx(ann), { projectSlug: project.slug }, { random: () => rng.next() }))!;
    served.push(lease.task.id);
    await submitJudgment(ctx(ann), { assignmentId: lease.assignment.id, input: { strength: 0 } });
  }
  const pairs = await t.db.execute<{ id: string; a: string; b: string }>(sql`
    select t.id, ca.model as a, cb.model as b from tasks t
      join candidates ca on ca.id = t.candidate_ids[1] join candidates cb on cb.id = t.candidate_ids[2]
     where t.id = any(${`{${served.join(",")}}`}::bigint[])`);
  const byId = new Map(pairs.rows.map((r) => [Number(r.id), [Number(r.a.slice(1)), Number(r.b.slice(1))] as [number, number]]));
  return served.map((id) => byId.get(id)!);
}

async function checkInvariants(projectId: number) {
  const { rows } = await t.db.execute<{ over: number; dup: number }>(sql`
    select (select count(*)::int from tasks where project_id = ${projectId} and valid_judgments > overlap) as over,
           (select count(*)::int from (select task_id, annotator_id from judgments where project_id = ${projectId} and state <> 'superseded'
                                        group by 1, 2 having count(*) > 1) d) as dup`);
  expect(rows[0]).toEqual({ over: 0, dup: 0 });
}

describe("active pair sampling in the assignment engine", () => {
  it("serves the lopsided pair far less often than uniform sampling, within the engine's rules", async () => {
    const lopsided = (pairs: [number, number][]) => pairs.filter(([i, j]) => i === 2 && j === 3).length;
    const uniform = await prepare("uniform");
    expect(await refreshPairSampling(ctx(uniform.lead), { projectSlug: uniform.project.slug })).toMatchObject({
      policy: "uniform",
      changed: 0,
    });
    const active = await prepare("active");
    const refreshed = await refreshPairSampling(ctx(active.lead), { projectSlug: active.project.slug });
    expect(refreshed).toMatchObject({ policy: "active", votes: 240, tasks: 360 });
    expect(refreshed.changed).toBe(360);

    // The stored keys follow the weights: the lopsided pair's tasks weigh the floor (0.2)
    // against ~1.2 for the others, so their keys are larger on average.
    const keys = await t.db.execute<{ lop: number; rest: number }>(sql`
      select avg(t.sampling_rank) filter (where ca.model = 'm2' and cb.model = 'm3') as lop,
             avg(t.sampling_rank) filter (where not (ca.model = 'm2' and cb.model = 'm3')) as rest
        from tasks t join candidates ca on ca.id = t.candidate_ids[1] join candidates cb on cb.id = t.candidate_ids[2]
       where t.project_id = ${active.project.id} and t.valid_judgments < t.overlap`);
    expect(Number(keys.rows[0]!.lop)).toBeGreaterThan(3 * Number(keys.rows[0]!.rest));

    // Half of the 360 open tasks served. Uniform serves in id order (60 lopsided tasks of 360,
    // so ~30 of 180); active, by the weighted keys, ~6 (expected from the exponential race;
    // sd ≈ 2.4). Thresholds 15 and 22 are > 3 sd from either expectation: neither outcome
    // can meet the other's threshold by chance.
    const servedUniform = await serve(uniform.project, 180, 1);
    const servedActive = await serve(active.project, 180, 1);
    expect(lopsided(servedUniform)).toBeGreaterThanOrEqual(22);
    expect(lopsided(servedActive)).toBeLessThanOrEqual(15);
    // Every task served once (overlap 1), and only open ones.
    for (const [served, prepared] of [
      [servedUniform, uniform],
      [servedActive, active],
    ] as const) {
      expect(served).toHaveLength(180);
      await checkInvariants(prepared.project.id);
    }
  }, 120_000);

  it("goes back to id order when the project returns to uniform sampling, and refuses annotators", async () => {
    const { project, lead } = await prepare("active");
    await refreshPairSampling(ctx(lead), { projectSlug: project.slug });
    const ranked = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from tasks where project_id = ${project.id} and sampling_rank > 0`,
    );
    expect(ranked.rows[0]!.n).toBe(360);
    await updateProject(ctx(lead), {
      slug: project.slug,
      name: project.name,
      description: "",
      guidelines: "",
      settings: { ...project.settings, pairSampling: "uniform" },
    });
    const left = await t.db.select({ rank: tasks.samplingRank }).from(tasks).where(eq(tasks.projectId, project.id));
    expect(left.every((r) => r.rank === 0)).toBe(true);
    const ann = await makeAnnotator(t.db, project.id);
    expect(await failure(refreshPairSampling(ctx(ann), { projectSlug: project.slug }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(refreshPairSampling(ctx(lead), { projectSlug: "" }))).toMatchObject({ code: "VALIDATION" });
  }, 120_000);
});
