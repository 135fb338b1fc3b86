/**
 * The demo seed into a fresh database, as the first start loads it: the simulated project's
 * judgments (made through the annotation services) give the dashboard, leaderboard, review
 * queue, annotator flags and exports figures that match the simulation's hidden truth; the
 * simulated users cannot sign in; seeding again adds nothing.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { judgments, projects, users } from "@/db/schema";
import { seedDemo, type SeedSummary } from "@/db/seed/seed";
import { SIMULATED_EMAIL_DOMAIN, SIMULATED_MODELS, SIMULATED_PROJECT_SLUG, simulatedEmail } from "@/db/seed/simulated-project";
import { linkOidcIdentity } from "@/lib/auth/oidc";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { SIMULATED_ANNOTATORS } from "@/lib/domain/simulation/annotators";
import { leaseNextTask } from "@/lib/services/annotation";
import { getAnnotatorModels } from "@/lib/services/consensus";
import type { Actor } from "@/lib/services/context";
import { memoryWriter } from "@/lib/services/export-bundle";
import { buildExport } from "@/lib/services/exports";
import { listReviewQueue } from "@/lib/services/review";
import { getProjectStats, type ProjectStats } from "@/lib/services/stats";
import { actorOf } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let first: SeedSummary;
let lead: Actor;
let stats: ProjectStats;
const NOW = new Date("2026-03-10T12:00:00Z");
const slug = SIMULATED_PROJECT_SLUG;
const nameOf = (key: string) => SIMULATED_ANNOTATORS.find((p) => p.key === key)!.name;

async function actor(email: string): Promise<Actor> {
  const [u] = await t.db.select().from(users).where(eq(users.email, email));
  return actorOf(u!);
}

beforeAll(async () => {
  t = await useTestDatabase();
  first = await seedDemo(t.db, { now: NOW });
  lead = await actor("lead@arbiter.local");
  stats = await getProjectStats({ db: t.db, actor: lead }, { projectSlug: slug }, NOW);
}, 120_000);

describe("the simulated project", () => {
  it("is seeded with its items, tasks and judgments, and a second seeding adds nothing", async () => {
    expect(first).toMatchObject({ items: expect.any(Number), judgments: 390 });
    const count = async () =>
      (
        await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(judgments)
          .innerJoin(projects, eq(projects.id, judgments.projectId))
          .where(eq(projects.slug, slug))
      )[0]!.n;
    expect(await count()).toBe(390);
    const again = await seedDemo(t.db, { now: new Date(NOW.getTime() + 86_400_000) });
    expect(again).toEqual({ users: 0, projects: 0, characters: 0, items: 0, tasks: 0, judgments: 0 });
    expect(await count()).toBe(390);
  });

  it("says it is simulated, in its name and description and in every simulated user's name", async () => {
    const [p] = await t.db.select().from(projects).where(eq(projects.slug, slug));
    expect(p!.name).toMatch(/simulated/i);
    expect(p!.description).toMatch(/^SIMULATED/);
    for (const a of stats.annotators) expect(a.name).toMatch(/^Simulated · /);
  });

  it("spreads the judgments over the week before the seeding, some in the last 48 hours", () => {
    expect(stats.throughput.perDay.length).toBeGreaterThanOrEqual(5);
    expect(stats.throughput.perDay.every((d) => d.day <= NOW.toISOString().slice(0, 10))).toBe(true);
    expect(stats.throughput.perHour.reduce((s, h) => s + h.judgments, 0)).toBeGreaterThan(0);
  });

  it("ranks the models in the order of their hidden qualities", () => {
    const board = stats.leaderboard!;
    const ranked = [...board.rows].sort((a, b) => b.rating! - a.rating!).map((r) => r.model);
    const truth = [...SIMULATED_MODELS].sort((a, b) => b.quality - a.quality).map((m) => m.name);
    console.log(
      "leaderboard:",
      board.rows.map(
        (r) =>
          `${r.rank}. ${r.model} ${r.rating?.toFixed(0)} [${r.ciLow?.toFixed(0)}, ${r.ciHigh?.toFixed(0)}] ${r.wins}-${r.losses}-${r.ties}`,
      ),
    );
    expect(board.rows.find((r) => r.model === truth[0])!.rank).toBe(1);
    expect(ranked).toEqual(truth);
    expect(stats.agreement.alphaOrdinal.value).toBeGreaterThan(0);
  });

  it("flags the careless and the position-biased annotators, and no one else, on the dashboard", () => {
    const flags = Object.fromEntries(stats.annotators.map((a) => [a.name, a.flags]));
    console.log(
      "annotators:",
      stats.annotators.map(
        (a) =>
          `${a.name}: n=${a.judgments} majority=${a.majorityAgreement?.toFixed(2)} gold=${a.goldAccuracy?.value.toFixed(2)} left=${a.leftShare?.value.toFixed(2)} median=${a.medianSeconds}s flags=${a.flags.join(",")}`,
      ),
    );
    expect(flags[nameOf("careless")]).toContain("too-fast");
    expect(flags[nameOf("position-biased")]).toContain("position-bias");
    for (const key of ["careful", "ordinary-a", "ordinary-b"]) expect(flags[nameOf(key)], key).toEqual([]);
    const gold = Object.fromEntries(stats.annotators.map((a) => [a.name, a.goldAccuracy?.value ?? null]));
    expect(gold[nameOf("careful")]).toBeGreaterThan(gold[nameOf("careless")]!);
  });

  it("has the annotator models single out the same two", async () => {
    const models = await getAnnotatorModels({ db: t.db, actor: lead }, { projectSlug: slug });
    const flags = Object.fromEntries(models.rows.map((r) => [r.name, r.flags]));
    console.log(
      "annotator models:",
      models.rows.map(
        (r) => `${r.name}: accuracy=${r.accuracy.toFixed(2)} competence=${r.competence?.toFixed(2)} flags=${r.flags.join(",")}`,
      ),
    );
    expect(flags[nameOf("careless")]!.some((f) => f === "low-accuracy" || f === "likely-spammer")).toBe(true);
    expect(flags[nameOf("position-biased")]).toContain("position-bias");
    for (const key of ["careful", "ordinary-a", "ordinary-b"]) expect(flags[nameOf(key)], key).toEqual([]);
    const accuracy = Object.fromEntries(models.rows.map((r) => [r.name, r.accuracy]));
    for (const key of ["careless", "position-biased"]) expect(accuracy[nameOf("careful")]).toBeGreaterThan(accuracy[nameOf(key)]! + 0.15);
  });

  it("gives the review queue contested tasks and leaves tasks for the real annotators", async () => {
    const queue = await listReviewQueue({ db: t.db, actor: lead }, { projectSlug: slug });
    console.log(`review queue: ${queue.total} contested tasks; progress:`, JSON.stringify(stats.progress));
    expect(queue.total).toBeGreaterThan(0);
    const annotator = await actor("annotator@arbiter.local");
    const lease = await leaseNextTask({ db: t.db, actor: annotator }, { projectSlug: slug, now: NOW });
    expect(lease).not.toBeNull();
  });

  it("exports preference pairs", async () => {
    const writer = memoryWriter();
    const researcher = await actor("researcher@arbiter.local");
    const result = await buildExport({ db: t.db, actor: researcher }, { projectSlug: slug, kind: "dpo", writer });
    const rows = result.counts!.rows.train + result.counts!.rows.test;
    console.log(`dpo export: ${rows} rows from ${result.sourceJudgments} judgments`);
    expect(rows).toBeGreaterThan(20);
  });
});

describe("the simulated users", () => {
  it("have no password, are deactivated and live under the reserved domain", async () => {
    const rows = await t.db
      .select()
      .from(users)
      .where(sql`${users.email} like ${`%@${SIMULATED_EMAIL_DOMAIN}`}`);
    expect(rows).toHaveLength(SIMULATED_ANNOTATORS.length);
    for (const u of rows) expect(u).toMatchObject({ passwordHash: null, active: false, role: "annotator" });
  });

  it("cannot sign in with a password or through OpenID Connect", async () => {
    const email = simulatedEmail(SIMULATED_ANNOTATORS[0]!);
    expect(await verifyCredentials(t.db, { email, password: "annotator-demo-pass" })).toEqual({ ok: false, reason: "invalid" });
    expect(await linkOidcIdentity(t.db, { sub: "someone", email, email_verified: true })).toEqual({ ok: false, reason: "unknown" });
    const [u] = await t.db
      .select({ oidcSubject: users.oidcSubject })
      .from(users)
      .where(and(eq(users.email, email)));
    expect(u!.oidcSubject).toBeNull();
  });
});
