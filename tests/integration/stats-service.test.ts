/**
 * getProjectStats on a real PostgreSQL: every SQL-aggregated figure equals the pure
 * library's `computeStatsReport` on the same judgments (the oracle), the filters narrow
 * the judgments, the cache is dropped when a judgment is added or rejected, and only staff
 * may read.
 */
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { judgments } from "@/db/schema";
import { computeStatsReport, type StatsJudgmentInput } from "@/lib/domain/stats/report";
import { AppError } from "@/lib/errors";
import { clearStatsCache, getProjectStats } from "@/lib/services/stats";
import { addJudgments, addMember, makeAnnotator, makeExportTask, makeProjectWithStaff, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [lead]);

let t: TestDatabase;
let slug: string;
let lead: { id: number; email: string; name: string; role: "lead"; locale: string };
let annotatorActor: { id: number; email: string; name: string; role: "annotator"; locale: string };
const lines: (StatsJudgmentInput & { character: string })[] = [];
let extraTask: { id: number; projectId: number; kind: "pairwise" | "ranking"; scalePoints: number; candidateIds: number[] };

const MODELS = ["m-alpha", "m-beta", "m-gamma"];
const CHARACTERS = ["林黛玉", "孙悟空"];

beforeAll(async () => {
  t = await useTestDatabase();
  const project = await makeProject(t.db, { scalePoints: 7, overlap: 4, dimensions: ["fluency"], goldMinAccuracy: 0.7 });
  slug = project.slug;
  const people = [];
  for (let a = 0; a < 4; a++) people.push(await makeAnnotator(t.db, project.id));
  annotatorActor = { ...people[0]!, role: "annotator" };
  const leadUser = await makeUser(t.db, { role: "lead", passwordHash: "x" });
  lead = { id: leadUser.id, email: leadUser.email, name: leadUser.name, role: "lead", locale: "en" };
  await addMember(t.db, project.id, lead.id);

  // A deterministic but varied mix: 14 regular tasks, 2 gold tasks.
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let k = 0; k < 16; k++) {
    const gold = k >= 14 ? { strength: k % 2 === 0 ? -2 : 2 } : undefined;
    const a = MODELS[k % 3]!;
    const b = MODELS[(k + 1 + (k % 2)) % 3]!;
    const character = CHARACTERS[k % 2]!;
    const lengths = [20 + rand(30), 20 + rand(30)];
    const made = await makeExportTask(t.db, project, {
      character: { name: character },
      replies: [
        { model: a, content: "甲".repeat(lengths[0]!) },
        { model: b, content: "乙".repeat(lengths[1]!) },
      ],
      gold,
    });
    const truth = [-2, 1, 2, -1, 0, 3][k % 6]!;
    const count = 2 + rand(3); // 2..4 judgments
    const specs = people.slice(0, count).map((p, i) => {
      const strength = Math.max(-3, Math.min(3, truth + [0, 0, 1, -1, 2][rand(5)]!));
      const displayOrder = rand(2) === 0 ? [0, 1] : [1, 0];
      const seconds = 5 + rand(40) + i * 0.5;
      const ratings = { "0": { fluency: 1 + rand(5) }, "1": { fluency: 1 + rand(5) } };
      return { annotatorId: p.id, strength, displayOrder, seconds, ratings };
    });
    const rows = await addJudgments(t.db, made.task, specs);
    if (k === 3) extraTask = made.task;
    rows.forEach((row, i) => {
      lines.push({
        task_id: made.task.id,
        item_id: made.item.id,
        annotator: String(row.annotatorId),
        scale_points: 7,
        models: [a, b],
        strength: row.strength,
        display_order: specs[i]!.displayOrder,
        candidate_lengths: lengths,
        seconds: specs[i]!.seconds,
        ratings: specs[i]!.ratings,
        gold: gold ?? null,
        character,
      });
    });
  }
  // One task with a single judgment (no pair), and a rejected judgment that must not count.
  const lone = await makeExportTask(t.db, project, {
    replies: [
      { model: MODELS[0]!, content: "一" },
      { model: MODELS[2]!, content: "二二" },
    ],
  });
  const [loneRow] = await addJudgments(t.db, lone.task, [{ annotatorId: people[0]!.id, strength: 1, seconds: 9 }]);
  lines.push({
    task_id: lone.task.id,
    item_id: lone.item.id,
    annotator: String(loneRow!.annotatorId),
    scale_points: 7,
    models: [MODELS[0]!, MODELS[2]!],
    strength: 1,
    display_order: [0, 1],
    candidate_lengths: [1, 2],
    seconds: 9,
    ratings: {},
    gold: null,
    character: "林黛玉",
  });
  await addJudgments(t.db, lone.task, [{ annotatorId: people[1]!.id, strength: -3, state: "rejected" }]);
  clearStatsCache();
}, 120_000);

const nonGold = () => lines.filter((l) => !l.gold);

describe("getProjectStats", () => {
  it("computes every figure as the pure library does on the same judgments", async () => {
    const stats = await getProjectStats({ db: t.db, actor: lead }, { projectSlug: slug });
    const oracle = computeStatsReport(nonGold(), { bootstrapRounds: 200 });
    const all = computeStatsReport(lines, { bootstrapRounds: 0 });

    expect(stats.counted.judgments).toBe(oracle.judgments);
    expect(stats.counted.tasks).toBe(oracle.tasks);
    const pa = oracle.percent_agreement;
    expect(stats.agreement.percentWithTies).toMatchObject({ value: pa.with_ties, n: pa.pairs_with_ties, tasks: pa.tasks });
    expect(stats.agreement.percentWithoutTies).toMatchObject({ value: pa.without_ties, n: pa.pairs_without_ties });
    const ka = oracle.krippendorff_alpha;
    expect(stats.agreement.alphaNominal.value).toBe(ka.nominal);
    expect(stats.agreement.alphaOrdinal.value).toBe(ka.ordinal);
    expect(stats.agreement.alphaInterval.value).toBe(ka.interval);
    expect(stats.agreement.alphaNominal.tasks).toBe(ka.units);
    expect(stats.agreement.fleiss).toMatchObject({
      value: oracle.fleiss_kappa.value,
      tasks: oracle.fleiss_kappa.tasks,
      n: oracle.fleiss_kappa.raters,
    });
    // Intervals: the same resampling distribution drawn per pattern, so close, not identical.
    for (const [ours, theirs] of [
      [stats.agreement.percentWithTies.ci, pa.with_ties_ci],
      [stats.agreement.alphaOrdinal.ci, ka.ordinal_ci],
    ] as const) {
      expect(ours).not.toBeNull();
      expect(Math.abs(ours![0] - theirs![0])).toBeLessThan(0.12);
      expect(Math.abs(ours![1] - theirs![1])).toBeLessThan(0.12);
    }

    // Full values now: the same figure summed in another order may differ in the last bits.
    const dim = ka.dimensions.fluency!;
    expect(stats.dimensions).toEqual([
      {
        dimension: "fluency",
        ordinal: expect.closeTo(dim.ordinal!, 12),
        interval: expect.closeTo(dim.interval!, 12),
        units: dim.units,
        values: dim.values,
      },
    ]);

    for (const row of stats.annotators) {
      const agreementRow = oracle.per_annotator.find((r) => r.annotator === String(row.id))!;
      const allRow = all.per_annotator.find((r) => r.annotator === String(row.id))!;
      expect(row.majorityAgreement).toBe(agreementRow.majority_agreement);
      expect(row.majorityJudgments).toBe(agreementRow.majority_judgments);
      expect(row.judgments).toBe(allRow.judgments);
      expect(row.tieRate).toBe(allRow.tie_rate);
      expect(row.leftShare).toEqual(allRow.left_share);
      expect(row.longerShare).toEqual(allRow.longer_share);
      expect(row.goldAccuracy).toEqual(allRow.gold_accuracy);
      expect(row.medianSeconds).toBe(allRow.median_seconds);
      expect(row.scaleUse).toEqual(allRow.scale_use);
    }
    expect(stats.overall.medianSeconds).toBe(all.all_annotators.median_seconds);
    expect(stats.overall.majorityAgreement).toBe(oracle.all_annotators.majority_agreement);

    const board = stats.leaderboard!;
    for (const row of oracle.bradley_terry!) {
      const ours = board.rows.find((r) => r.model === row.model)!;
      expect(ours).toMatchObject({ rating: row.rating, excluded: row.excluded, wins: row.wins, losses: row.losses, ties: row.ties });
      if (row.rating !== null && row.ci_low !== null && row.ci_high !== null) {
        expect(ours.ciLow!).toBeLessThanOrEqual(row.rating);
        expect(ours.ciHigh!).toBeGreaterThanOrEqual(row.rating);
        expect(Math.abs(ours.ciLow! - row.ci_low)).toBeLessThan(150);
      }
    }
    expect(board.totalComparisons).toBe(oracle.bradley_terry_fit!.comparisons);
    expect(board.items).toBe(oracle.bradley_terry_fit!.items);
    expect(stats.progress.goldTasks).toBe(2);
    expect(stats.throughput.perDay.reduce((s, d) => s + d.judgments, 0)).toBe(lines.length);
  });

  it("filters by character, model, annotator and date", async () => {
    const actor = { db: t.db, actor: lead };
    const byCharacter = await getProjectStats(actor, { projectSlug: slug, character: "孙悟空" });
    const oracle = computeStatsReport(
      nonGold().filter((l) => l.character === "孙悟空"),
      { bootstrapRounds: 0 },
    );
    expect(byCharacter.counted.judgments).toBe(oracle.judgments);
    expect(byCharacter.agreement.alphaOrdinal.value).toBe(oracle.krippendorff_alpha.ordinal);

    const byModel = await getProjectStats(actor, { projectSlug: slug, model: "m-gamma" });
    const modelOracle = computeStatsReport(
      nonGold().filter((l) => l.models!.includes("m-gamma")),
      { bootstrapRounds: 0 },
    );
    expect(byModel.counted.judgments).toBe(modelOracle.judgments);
    expect(byModel.agreement.percentWithTies.value).toBe(modelOracle.percent_agreement.with_ties);

    const someone = annotatorActor.id;
    const theirTasks = new Set(
      nonGold()
        .filter((l) => l.annotator === String(someone))
        .map((l) => l.task_id),
    );
    const byAnnotator = await getProjectStats(actor, { projectSlug: slug, annotator: String(someone) });
    expect(byAnnotator.counted.judgments).toBe(nonGold().filter((l) => theirTasks.has(l.task_id)).length);

    const past = await getProjectStats(actor, { projectSlug: slug, from: "2001-01-01", to: "2001-12-31" });
    expect(past.counted.judgments).toBe(0);
    expect(past.agreement.percentWithTies.value).toBeNull();
    expect(past.leaderboard).toBeNull();
  });

  it("serves the cache until a judgment is added or rejected", async () => {
    const ctx = { db: t.db, actor: lead };
    const first = await getProjectStats(ctx, { projectSlug: slug });
    const again = await getProjectStats(ctx, { projectSlug: slug });
    expect(again.cached).toBe(true);
    expect(again.agreement).toEqual(first.agreement);

    const newcomer = await makeAnnotator(t.db, extraTask.projectId);
    const [added] = await addJudgments(t.db, extraTask, [{ annotatorId: newcomer.id, strength: 3 }]);
    const afterAdd = await getProjectStats(ctx, { projectSlug: slug });
    expect(afterAdd.cached).toBe(false);
    expect(afterAdd.counted.judgments).toBe(first.counted.judgments + 1);

    await t.db.update(judgments).set({ state: "rejected", stateChangedAt: sql`now()` }).where(eq(judgments.id, added!.id));
    const afterReject = await getProjectStats(ctx, { projectSlug: slug });
    expect(afterReject.cached).toBe(false);
    expect(afterReject.counted.judgments).toBe(first.counted.judgments);
    expect(afterReject.agreement).toEqual(first.agreement);
  });

  it("refuses annotators and names a bad field", async () => {
    await expect(getProjectStats({ db: t.db, actor: annotatorActor }, { projectSlug: slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const bad = await getProjectStats({ db: t.db, actor: lead }, { projectSlug: slug, from: "yesterday" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).code).toBe("VALIDATION");
    expect((bad as AppError).fields?.from).toBeDefined();
    await expect(getProjectStats({ db: t.db, actor: lead }, { projectSlug: "no-such-project" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
