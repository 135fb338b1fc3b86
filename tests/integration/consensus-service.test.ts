/**
 * getProjectConsensus on a real PostgreSQL: the service reads the valid pairwise judgments
 * (gold tasks included, rejected ones not) and gives what the pure library gives on the same
 * lines; the filters narrow them; only staff may read; a bad method names the field.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { computeConsensus, consensusJudgmentsOf, createRng, leaderFragilityOf, type StatsJudgmentInput } from "@/lib/domain/stats";
import { AppError } from "@/lib/errors";
import { fitProjectConsensus, getAnnotatorModels, getProjectConsensus } from "@/lib/services/consensus";
import { listReviewQueue } from "@/lib/services/review";
import { rankByUncertainty } from "@/lib/domain/stats";
import { addJudgments, addMember, makeAnnotator, makeExportTask, makeProject, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let slug: string;
let lead: { id: number; email: string; name: string; role: "lead"; locale: string };
let annotatorActor: { id: number; email: string; name: string; role: "annotator"; locale: string };
const lines: StatsJudgmentInput[] = [];
let contraryId: number;
const MODELS = ["m-alpha", "m-beta", "m-gamma"];

beforeAll(async () => {
  t = await useTestDatabase();
  const project = await makeProject(t.db, { scalePoints: 5, overlap: 4 });
  slug = project.slug;
  const people = [];
  for (let a = 0; a < 4; a++) people.push(await makeAnnotator(t.db, project.id));
  annotatorActor = { ...people[0]!, role: "annotator" };
  contraryId = people[3]!.id;
  const leadUser = await makeUser(t.db, { role: "lead", passwordHash: "x" });
  lead = { id: leadUser.id, email: leadUser.email, name: leadUser.name, role: "lead", locale: "en" };
  // Leads reach only the projects they are members of.
  await addMember(t.db, project.id, leadUser.id);
  const rng = createRng(11);
  const rand = (n: number) => rng.int(n);
  for (let k = 0; k < 24; k++) {
    const a = MODELS[k % 3]!;
    const b = MODELS[(k + 1) % 3]!;
    const truth = [-2, 1, 2, -1, 0][k % 5]!;
    const gold = k >= 22 ? { strength: truth } : undefined;
    const made = await makeExportTask(t.db, project, {
      replies: [
        { model: a, content: `a${k}` },
        { model: b, content: `b${k}` },
      ],
      gold,
    });
    // Annotator 3 answers the opposite of everyone else.
    const specs = people.map((p, i) => ({
      annotatorId: p.id,
      strength: Math.max(-2, Math.min(2, (i === 3 ? -truth : truth) + [0, 0, 1, -1][rand(4)]!)),
      displayOrder: rand(2) === 0 ? [0, 1] : [1, 0],
    }));
    const rows = await addJudgments(t.db, made.task, specs);
    rows.forEach((row, i) =>
      lines.push({
        task_id: made.task.id,
        annotator: String(row.annotatorId),
        scale_points: 5,
        models: [a, b],
        strength: row.strength,
        display_order: specs[i]!.displayOrder,
        gold: gold ?? null,
      }),
    );
  }
  // A rejected judgment by a fifth annotator: never counted.
  const extra = await makeAnnotator(t.db, project.id);
  const lone = await makeExportTask(t.db, project, {
    replies: [
      { model: MODELS[0]!, content: "x" },
      { model: MODELS[1]!, content: "y" },
    ],
  });
  await addJudgments(t.db, lone.task, [{ annotatorId: extra.id, strength: 2, state: "rejected" }]);
}, 120_000);

describe("getProjectConsensus", () => {
  for (const method of ["majority", "dawid-skene", "mace"] as const) {
    it(`gives what the pure library gives on the same judgments (${method})`, async () => {
      const ours = await fitProjectConsensus({ db: t.db, actor: lead }, { projectSlug: slug, consensus: method });
      const oracle = computeConsensus(consensusJudgmentsOf(lines), method, { seed: 1 });
      expect(ours.consensus.method).toBe(method);
      expect(ours.consensus.judgments).toBe(oracle.report.judgments);
      expect(ours.consensus.tasks).toBe(oracle.report.tasks);
      const byTask = new Map(oracle.labels.map((l) => [String(l.task_id), l]));
      for (const l of ours.labels) {
        const theirs = byTask.get(String(l.task_id))!;
        expect(l.label).toBe(theirs.label);
        expect(l.posterior.A).toBeCloseTo(theirs.posterior.A, 3);
        expect(l.posterior.B).toBeCloseTo(theirs.posterior.B, 3);
      }
      for (const row of ours.consensus.annotators) {
        const theirs = oracle.report.annotators.find((a) => a.annotator === String(row.id))!;
        expect(row.accuracy).toBeCloseTo(theirs.accuracy, 3);
        expect(row.position_bias!.value).toBeCloseTo(theirs.position_bias!.value, 3);
        expect(row.email).toMatch(/@/);
      }
      expect(ours.leader_fragility).toEqual(leaderFragilityOf(consensusJudgmentsOf(lines)));
    });
  }

  it("finds the contrary annotator under Dawid–Skene", async () => {
    const { consensus } = await getProjectConsensus({ db: t.db, actor: lead }, { projectSlug: slug, consensus: "dawid-skene" });
    const sorted = [...consensus.annotators].sort((x, y) => x.accuracy - y.accuracy);
    expect(sorted[0]!.id).toBe(contraryId);
    expect(sorted[0]!.accuracy).toBeLessThan(sorted[1]!.accuracy - 0.2);
    expect(consensus.priors).not.toBeNull();
  });

  it("puts Dawid–Skene, MACE and position bias side by side for the dashboard", async () => {
    const models = await getAnnotatorModels({ db: t.db, actor: lead }, { projectSlug: slug });
    expect(models.rows).toHaveLength(4);
    const contrary = models.rows.find((r) => r.id === contraryId)!;
    expect(contrary.accuracy).toBeLessThan(Math.min(...models.rows.filter((r) => r.id !== contraryId).map((r) => r.accuracy)));
    for (const r of models.rows) {
      expect(r.competence).not.toBeNull();
      expect(r.positionBias!.low).toBeLessThanOrEqual(r.positionBias!.value);
      expect(Object.keys(r.confusion)).toEqual(["A", "tie", "B"]);
    }
    expect(models.fragility?.leader).toBeDefined();
    await expect(getAnnotatorModels({ db: t.db, actor: annotatorActor }, { projectSlug: slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // A lead who is not a member of the project finds nothing there.
    const outsider = await makeUser(t.db, { role: "lead", passwordHash: "x" });
    const outsiderActor = { id: outsider.id, email: outsider.email, name: outsider.name, role: "lead" as const, locale: "en" };
    await expect(getAnnotatorModels({ db: t.db, actor: outsiderActor }, { projectSlug: slug })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(listReviewQueue({ db: t.db, actor: outsiderActor }, { projectSlug: slug, rank: "uncertainty" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("narrows to one model's tasks", async () => {
    const { consensus } = await getProjectConsensus(
      { db: t.db, actor: lead },
      { projectSlug: slug, consensus: "majority", model: "m-gamma" },
    );
    expect(consensus.tasks).toBe(16);
  });

  it("refuses annotators and names a bad method", async () => {
    await expect(getProjectConsensus({ db: t.db, actor: annotatorActor }, { projectSlug: slug, consensus: "mace" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const err = await getProjectConsensus({ db: t.db, actor: lead }, { projectSlug: slug, consensus: "vote" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("VALIDATION");
    expect((err as AppError).fields).toHaveProperty("consensus");
  });
});

describe("review queue ranked by posterior uncertainty", () => {
  it("lists the project's tasks by 1 − the Dawid–Skene label's posterior, highest first, page by page", async () => {
    const fitted = await fitProjectConsensus({ db: t.db, actor: lead }, { projectSlug: slug, consensus: "dawid-skene" });
    const expected = rankByUncertainty(fitted.labels, 1);
    const first = await listReviewQueue(
      { db: t.db, actor: lead },
      { projectSlug: slug, rank: "uncertainty", contestedOnly: false, pageSize: 10 },
    );
    const second = await listReviewQueue(
      { db: t.db, actor: lead },
      { projectSlug: slug, rank: "uncertainty", contestedOnly: false, pageSize: 10, page: 2 },
    );
    expect(first.total).toBe(expected.length);
    expect([...first.rows, ...second.rows].map((r) => [r.taskId, r.uncertainty])).toEqual(
      expected.slice(0, 20).map((e) => [e.taskId, e.uncertainty]),
    );
    const uncertainOnly = await listReviewQueue({ db: t.db, actor: lead }, { projectSlug: slug, rank: "uncertainty" });
    expect(uncertainOnly.total).toBe(expected.filter((e) => e.uncertainty > 0.2).length);
  });

  it("needs a project, and refuses annotators", async () => {
    const err = await listReviewQueue({ db: t.db, actor: lead }, { rank: "uncertainty" }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe("VALIDATION");
    expect((err as AppError).fields).toHaveProperty("rank");
    await expect(listReviewQueue({ db: t.db, actor: annotatorActor }, { projectSlug: slug, rank: "uncertainty" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
