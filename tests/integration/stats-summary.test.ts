/**
 * The statistics summary (migration 0004) on a real PostgreSQL: after every kind of
 * change a project's judgments go through — new judgments, reject / restore, an edit
 * (supersede), excluding an annotator, adjudication, a gold answer set on a judged task,
 * submits racing each other and the dashboard's own fold — the dashboard read from the
 * summary equals, figure for figure and interval for interval, the reference computed
 * straight from the judgments on the same data; and a rebuild gives the same totals as
 * the incremental folds.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { judgments, statsState, tasks } from "@/db/schema";
import type { Actor } from "@/lib/services/context";
import { editJudgment, leaseNextTask, submitJudgment } from "@/lib/services/annotation";
import { setAnnotatorExcluded } from "@/lib/services/annotators";
import { setTaskGold } from "@/lib/services/gold";
import { adjudicateTask, rejectJudgment, restoreJudgment } from "@/lib/services/review";
import { clearStatsCache, getProjectStats, type ProjectStats } from "@/lib/services/stats";
import { addJudgments, addMember, makeAnnotator, makeExportTask, makeProject, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let project: Awaited<ReturnType<typeof makeProject>>;
let lead: Actor;
let people: Actor[];
const MODELS = ["m-alpha", "m-beta", "m-gamma", "m-delta"];
const made: Awaited<ReturnType<typeof makeExportTask>>[] = [];

let seed = 11;
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 16) % n;
};

const strip = ({ computeMs: _c, generatedAt: _g, cached: _k, source: _s, ...rest }: ProjectStats) => rest;

/** The summary's figures and the reference's, at one instant. */
async function bothWays(now = new Date()) {
  const ctx = { db: t.db, actor: lead };
  clearStatsCache();
  const fast = await getProjectStats(ctx, { projectSlug: project.slug }, now);
  const reference = await getProjectStats(ctx, { projectSlug: project.slug }, now, "judgments");
  return { fast, reference };
}

async function expectSummaryMatches(): Promise<ProjectStats> {
  const { fast, reference } = await bothWays();
  expect([fast.source, reference.source]).toEqual(["summary", "judgments"]);
  expect(strip(fast)).toEqual(strip(reference));
  // The fast path did read the summary: nothing is left to fold.
  const { rows } = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from stats_dirty where project_id = ${project.id}`);
  expect(rows[0]!.n).toBe(0);
  return fast;
}

async function totals() {
  const { rows } = await t.db.execute<{ key: string; n: string }>(
    sql`select key, n from stats_totals where project_id = ${project.id} order by key`,
  );
  return rows.map((r) => [r.key, Number(r.n)]);
}

beforeAll(async () => {
  t = await useTestDatabase();
  project = await makeProject(t.db, { scalePoints: 7, overlap: 5, dimensions: ["fluency", "empathy"], goldMinAccuracy: 0.7 });
  people = [];
  for (let a = 0; a < 5; a++) people.push(await makeAnnotator(t.db, project.id));
  const leadUser = await makeUser(t.db, { role: "lead", passwordHash: "x" });
  lead = { id: leadUser.id, email: leadUser.email, name: leadUser.name, role: "lead", locale: "en" };
  // Leads reach only the projects they are members of.
  await addMember(t.db, project.id, leadUser.id);

  for (let k = 0; k < 14; k++) {
    const gold = k === 12 ? { strength: 2 } : k === 13 ? { strength: -2, accept: [-3, -2, -1] } : undefined;
    const a = MODELS[k % 4]!;
    const b = MODELS[(k + 1 + (k % 3)) % 4]!;
    const task = await makeExportTask(t.db, project, {
      character: { name: k % 2 === 0 ? "林黛玉" : "孙悟空" },
      replies: [
        { model: a, content: "甲".repeat(10 + rand(20)) },
        { model: b, content: "乙".repeat(10 + rand(20)) },
      ],
      gold,
    });
    made.push(task);
    const count = k === 11 ? 1 : 2 + rand(2);
    const truth = [-2, 1, 2, -1, 0, 3][k % 6]!;
    await addJudgments(
      t.db,
      task.task,
      people.slice(0, count).map((p, i) => ({
        annotatorId: p.id,
        strength: Math.max(-3, Math.min(3, truth + [0, 0, 1, -1, 2][rand(5)]!)),
        bothUnacceptable: k === 5 && i === 1,
        displayOrder: rand(2) === 0 ? [0, 1] : [1, 0],
        seconds: 3 + rand(40) + (rand(3) === 0 ? 0.1 : 0),
        ratings: (rand(4) === 0 ? {} : { "0": { fluency: 1 + rand(5), empathy: 1 + rand(5) }, "1": { fluency: 1 + rand(5) } }) as Record<
          string,
          Record<string, number>
        >,
      })),
    );
  }
  // A ranking task, and a second (pairwise) task on the same item: leaderboard items with several entries.
  const ranked = await makeExportTask(t.db, project, {
    replies: [
      { model: MODELS[0]!, content: "一" },
      { model: MODELS[1]!, content: "二二" },
      { model: MODELS[2]!, content: "三三三" },
    ],
  });
  made.push(ranked);
  await addJudgments(t.db, ranked.task, [
    { annotatorId: people[0]!.id, ranks: [1, 2, 3] },
    { annotatorId: people[1]!.id, ranks: [2, 1, 3] },
  ]);
  const [pair] = await t.db
    .insert(tasks)
    .values({
      projectId: project.id,
      itemId: ranked.item.id,
      kind: "pairwise",
      candidateIds: [ranked.candidates[0]!.id, ranked.candidates[2]!.id],
      scalePoints: 7,
      overlap: 5,
    })
    .returning();
  await addJudgments(t.db, pair!, [
    { annotatorId: people[2]!.id, strength: -1, ratings: { "0": { fluency: 4 }, "1": { fluency: 2 } } },
    { annotatorId: people[3]!.id, strength: 0 },
  ]);
}, 120_000);

describe("the statistics summary", () => {
  it("starts with a rebuild that matches the judgments", async () => {
    const stats = await expectSummaryMatches();
    expect(stats.counted.judgments).toBeGreaterThan(20);
    expect(stats.leaderboard?.items).toBeGreaterThan(10);
    expect(stats.dimensions.map((d) => d.dimension).sort()).toEqual(["empathy", "fluency"]);
    expect(stats.dimensions.every((d) => d.units > 0)).toBe(true);
    const [state] = await t.db.select().from(statsState).where(eq(statsState.projectId, project.id));
    expect(state?.factsVersion).toBeGreaterThan(0);
  });

  it("folds new judgments, including one that makes a lone judgment pairable", async () => {
    const lone = made[11]!.task;
    await addJudgments(t.db, lone, [{ annotatorId: people[4]!.id, strength: 3, seconds: 7.3 }]);
    await addJudgments(t.db, made[0]!.task, [{ annotatorId: people[4]!.id, bothUnacceptable: true }]);
    await expectSummaryMatches();
  });

  it("follows reject and restore", async () => {
    const [target] = await t.db.select().from(judgments).where(eq(judgments.taskId, made[2]!.task.id)).limit(1);
    await rejectJudgment({ db: t.db, actor: lead }, { judgmentId: target!.id, note: "did not read the dialogue" });
    const afterReject = await expectSummaryMatches();
    await restoreJudgment({ db: t.db, actor: lead }, { judgmentId: target!.id, note: "second look" });
    const afterRestore = await expectSummaryMatches();
    expect(afterRestore.counted.judgments).toBe(afterReject.counted.judgments + 1);
  });

  it("follows an edit (the old judgment superseded, a new one stored)", async () => {
    const [mine] = await t.db.select().from(judgments).where(eq(judgments.taskId, made[3]!.task.id)).limit(1);
    const author = people.find((p) => p.id === mine!.annotatorId)!;
    await editJudgment(
      { db: t.db, actor: author },
      { judgmentId: mine!.id, input: { strength: mine!.strength === 3 ? -3 : 3, seconds: 20 } },
    );
    const states = await t.db.select({ state: judgments.state }).from(judgments).where(eq(judgments.id, mine!.id));
    expect(states[0]!.state).toBe("superseded");
    await expectSummaryMatches();
  });

  it("is unchanged by excluding an annotator from exports and by adjudication", async () => {
    const before = await expectSummaryMatches();
    await setAnnotatorExcluded({ db: t.db, actor: lead }, { projectSlug: project.slug, userId: people[1]!.id, excluded: true });
    await adjudicateTask({ db: t.db, actor: lead }, { taskId: made[4]!.task.id, strength: 2, note: "B stays in character" });
    const after = await expectSummaryMatches();
    expect(after.agreement).toEqual(before.agreement);
    expect(after.annotators).toEqual(before.annotators);
  });

  it("follows a gold answer given to a judged task", async () => {
    const before = await expectSummaryMatches();
    await setTaskGold({ db: t.db, actor: lead }, { taskId: made[6]!.task.id, strength: -2, accept: [-3, -2] });
    const after = await expectSummaryMatches();
    expect(after.counted.tasks).toBe(before.counted.tasks - 1);
  });

  it("stays exact when submits race each other and the dashboard's folds", async () => {
    for (let k = 0; k < 6; k++) {
      await makeExportTask(t.db, project, {
        replies: [
          { model: MODELS[k % 4]!, content: "长".repeat(5 + k) },
          { model: MODELS[(k + 2) % 4]!, content: "短" },
        ],
      });
    }
    const ctxOf = (actor: Actor) => ({ db: t.db, actor });
    const annotate = async (actor: Actor, rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        const lease = await leaseNextTask(ctxOf(actor), { projectSlug: project.slug });
        if (!lease) return;
        const answer =
          lease.task.kind === "ranking"
            ? { ranking: lease.candidates.map((_, i) => ((i + r) % lease.candidates.length) + 1) }
            : { strength: ((actor.id + r) % 7) - 3 };
        await submitJudgment(ctxOf(actor), {
          assignmentId: lease.assignment.id,
          input: { ...answer, seconds: 5 + r, ratings: { "0": { fluency: 1 + (r % 5) } } },
        });
      }
    };
    const dashboard = async (times: number) => {
      for (let i = 0; i < times; i++) {
        clearStatsCache();
        await getProjectStats({ db: t.db, actor: lead }, { projectSlug: project.slug });
      }
    };
    await Promise.all([...people.map((p) => annotate(p, 4)), dashboard(4), dashboard(4)]);
    await expectSummaryMatches();
  });

  it("serves task-level filters (character, model, annotator) from the summary, exactly", async () => {
    const ctx = { db: t.db, actor: lead };
    const now = new Date();
    // A filter that keeps some but not all judged tasks of an item (m-beta) is declined by
    // the summary and answered by the reference; the others are sums of the kept tasks' facts.
    const filters = [
      { character: "孙悟空" },
      { character: "林黛玉" },
      { model: "m-gamma" },
      { model: "m-beta" },
      { annotator: String(people[2]!.id) },
    ];
    for (const filter of filters) {
      clearStatsCache();
      const fast = await getProjectStats(ctx, { projectSlug: project.slug, ...filter }, now);
      const reference = await getProjectStats(ctx, { projectSlug: project.slug, ...filter }, now, "judgments");
      expect(strip(fast), JSON.stringify(filter)).toEqual(strip(reference));
      // A character keeps whole items; m-beta keeps the ranking task of an item without its judged pairwise task.
      if ("character" in filter) expect(fast.source).toBe("summary");
      if (filter.model === "m-beta") expect(fast.source).toBe("judgments");
      expect(fast.counted.judgments).toBeGreaterThan(0);
    }
  });

  it("gives the same totals when rebuilt from scratch", async () => {
    await expectSummaryMatches();
    const incremental = await totals();
    await t.db.delete(statsState).where(eq(statsState.projectId, project.id));
    await expectSummaryMatches();
    expect(await totals()).toEqual(incremental);
  });

  it("logs a task only when its valid judgments change", async () => {
    await expectSummaryMatches();
    const count = async () =>
      (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from stats_dirty where project_id = ${project.id}`)).rows[0]!.n;
    const newcomer = await makeAnnotator(t.db, project.id);
    const [row] = await addJudgments(t.db, made[7]!.task, [{ annotatorId: newcomer.id, strength: 1, state: "rejected" }]);
    expect(await count()).toBe(0);
    await t.db.update(judgments).set({ state: "superseded" }).where(eq(judgments.id, row!.id));
    expect(await count()).toBe(0);
    await t.db.update(tasks).set({ overlap: 6 }).where(eq(tasks.id, made[7]!.task.id));
    expect(await count()).toBe(0);
    await t.db
      .update(tasks)
      .set({ gold: { strength: 1 } })
      .where(eq(tasks.id, made[7]!.task.id));
    expect(await count()).toBe(1);
    await expectSummaryMatches();
  });
});
