/**
 * Live projects through the export path: DPO / RM / KTO bundles from judged turns (swipes
 * and edits included), raw judgments the stats reader accepts, Open-Assistant trees;
 * byte-reproducible, and accepted by the dataset validator.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveNodes, projectMembers, projects } from "@/db/schema";
import { buildExport } from "@/lib/services/exports";
import {
  createLiveTurn,
  endLiveSession,
  getLiveSession,
  judgeLiveTurn,
  regenerateLiveCandidate,
  startLiveSession,
} from "@/lib/services/live";
import { RawJudgmentLine } from "@/lib/validation/raw-judgment";
import { makeUser } from "../factories";
import { makeLiveCandidate, makeLiveProject } from "../factories/live";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const validator = "/work/shared/tools/check_pref_dataset.py";
const canValidate = existsSync(validator) && spawnSync("python3", ["--version"]).status === 0;

let t: TestDatabase;
let slug = "";
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "arbiter-live-export-"));
  dirs.push(d);
  return d;
};

async function fill(sessionId: number, turnId: number, texts: string[]) {
  const [user] = await t.db.select().from(liveNodes).where(eq(liveNodes.turnId, turnId));
  for (const [slot, text] of texts.entries()) await makeLiveCandidate(t.db, sessionId, turnId, user!.id, slot, text);
  return user!;
}

beforeAll(async () => {
  t = await useTestDatabase();
  const { project } = await makeLiveProject(t.db);
  slug = project.slug;
  const u = await makeUser(t.db);
  await t.db.insert(projectMembers).values({ projectId: project.id, userId: u.id });
  const me = { db: t.db, actor: { id: u.id, email: u.email, name: u.name, role: "annotator" as const, locale: "en" } };
  // Two sessions: three turns with a swipe, an edit and a branch; then a short one.
  for (const n of [0, 1]) {
    const { session } = await startLiveSession(me, { projectSlug: slug }, () => 0);
    const t1 = await createLiveTurn(me, { sessionId: session.id, input: { text: n === 0 ? "Is the lamp still lit?" : "Good evening." } });
    const user = await fill(session.id, t1.turn.id, [`Always. I trim the wick at dusk. (${n})`, `No. (${n})`]);
    if (n === 0) {
      await regenerateLiveCandidate(me, { sessionId: session.id, turnId: t1.turn.id, label: "B" });
      await makeLiveCandidate(t.db, session.id, t1.turn.id, user.id, 1, "It went out last night; the oil ran dry.");
    }
    await judgeLiveTurn(me, {
      sessionId: session.id,
      turnId: t1.turn.id,
      input: { strength: -2, ...(n === 0 ? { editedText: "Always, traveller. I trim the wick at dusk." } : {}) },
    });
    if (n === 1) {
      await endLiveSession(me, { sessionId: session.id, input: { rating: 3 } });
      continue;
    }
    const t2 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Can I climb up?" } });
    await fill(session.id, t2.turn.id, ["The stairs are closed tonight.", "Mind the ninth step; it creaks."]);
    await judgeLiveTurn(me, { sessionId: session.id, turnId: t2.turn.id, input: { strength: 2 } });
    const view = await getLiveSession(me, { sessionId: session.id });
    const greeting = view.nodes.find((x) => x.kind === "greeting")!;
    const t3 = await createLiveTurn(me, { sessionId: session.id, input: { text: "Who are you?", parentNodeId: greeting.id } });
    await fill(session.id, t3.turn.id, ["I am an AI assistant.", "Nobody you need to know."]);
    await judgeLiveTurn(me, { sessionId: session.id, turnId: t3.turn.id, input: { strength: 3 } });
  }
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const read = (dir: string, name: string) => readFileSync(path.join(dir, name));
const lines = (buf: Buffer) =>
  buf
    .toString("utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("live exports", () => {
  it("writes per-turn DPO rows with swipe and edit pairs, SFT rows, a manifest and a card; byte-reproducible", async () => {
    const a = tmp();
    const b = tmp();
    const first = await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind: "dpo", outDir: a, policy: { testPercent: 0 } });
    await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind: "dpo", outDir: b, policy: { testPercent: 0 } });
    expect(read(a, "train.jsonl").equals(read(b, "train.jsonl"))).toBe(true);
    const rows = lines(read(a, "train.jsonl"));
    expect(rows.map((r) => r.pair_source)).toEqual(["pairwise", "swipe", "edit", "pairwise", "pairwise", "pairwise"]);
    expect(first.counts!.pair_sources).toMatchObject({ pairwise: 4, swipe: 1, edit: 1 });
    const sft = lines(gunzipSync(read(a, "sft.jsonl.gz")));
    expect(sft).toHaveLength(1);
    expect((sft[0]!.messages as { content: string }[]).at(-1)!.content).toBe("Always, traveller. I trim the wick at dusk.");
    const manifest = JSON.parse(read(a, "manifest.json").toString("utf8"));
    expect(manifest.policy.min_judgments).toBe(1);
    expect(manifest.policy.filters).toMatchObject({ edit_pairs: true, swipe_pairs: true, split_unit: "session" });
    expect(read(a, "README.md").toString("utf8")).toContain("## Live sessions");
    // Turn 2 answers the conversation as it was: the edit, not the original.
    const turn2 = rows.find((r) => JSON.stringify(r.prompt).includes("Can I climb up?"))!;
    expect(JSON.stringify(turn2.prompt)).toContain("Always, traveller.");
    const noEdits = tmp();
    const without = await buildExport(
      { db: t.db, actor: null },
      { projectSlug: slug, kind: "dpo", outDir: noEdits, policy: { testPercent: 0 }, live: { editPairs: false } },
    );
    expect(without.counts!.pair_sources.edit ?? 0).toBe(0);
  });

  it.runIf(canValidate)("passes the dataset validator (DPO and RM)", async () => {
    for (const kind of ["dpo", "rm"] as const) {
      const dir = tmp();
      await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind, outDir: dir, policy: { testPercent: 50 } });
      const res = spawnSync("python3", [validator, "--kind", kind, dir], {
        encoding: "utf8",
        env: { ...process.env, PYTHONIOENCODING: "utf-8" },
      });
      expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
    }
  });

  it("writes KTO rows, raw judgments the stats reader accepts, and one tree per session", async () => {
    const kto = tmp();
    await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind: "kto", outDir: kto, policy: { testPercent: 0 } });
    const ktoRows = lines(read(kto, "train.jsonl"));
    expect(ktoRows.filter((r) => r.pair_source === "swipe").map((r) => r.label)).toEqual([false]);

    const raw = tmp();
    await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind: "raw", outDir: raw });
    const judgments = lines(read(raw, "judgments.jsonl"));
    expect(judgments).toHaveLength(4);
    for (const j of judgments) expect(RawJudgmentLine.safeParse(j).success).toBe(true);
    expect(judgments.map((j) => j.first_turn_of_branch)).toEqual([true, false, true, true]);
    expect(String(judgments[0]!.annotator)).toMatch(/^ann-[0-9a-f]{16}$/);

    const tree = tmp();
    const built = await buildExport({ db: t.db, actor: null }, { projectSlug: slug, kind: "tree", outDir: tree });
    expect(built.kind).toBe("tree");
    const sessions = lines(read(tree, "sessions.jsonl"));
    expect(sessions).toHaveLength(2);
    const root = sessions[0]!.prompt as { kind: string; replies: { replies: { swiped: boolean; label: string | null }[] }[] };
    expect(root.kind).toBe("greeting");
    expect(root.replies).toHaveLength(2);
    expect(root.replies[0]!.replies.filter((r) => r.swiped).map((r) => r.label)).toEqual(["B"]);
    expect(sessions[1]!.session_rating).toBe(3);
    expect(JSON.stringify(sessions)).not.toContain("@");
  });

  it("refuses a tree export of a static project", async () => {
    const { makeProject } = await import("../factories");
    const p = await makeProject(t.db);
    await expect(buildExport({ db: t.db, actor: null }, { projectSlug: p.slug, kind: "tree", outDir: tmp() })).rejects.toThrow(
      /live projects/,
    );
  });
});

describe("live leaderboard", () => {
  it("counts the first turn of each branch by default, every turn on request, and says so", async () => {
    const { getLiveLeaderboard } = await import("@/lib/services/live-leaderboard");
    const staff = await makeUser(t.db, { role: "researcher" });
    // Staff reach the projects they are members of.
    const [row] = await t.db.select({ id: projects.id }).from(projects).where(eq(projects.slug, slug));
    await t.db.insert(projectMembers).values({ projectId: row!.id, userId: staff.id });
    const sctx = { db: t.db, actor: { id: staff.id, email: staff.email, name: staff.name, role: "researcher" as const, locale: "en" } };
    const first = await getLiveLeaderboard(sctx, { projectSlug: slug });
    expect(first).toMatchObject({ basis: "first_turn_of_branch", comparisons: 3, laterTurnsLeftOut: 1, sameModel: 0, differentModels: 3 });
    expect(first.leaderboard!.rows.map((r) => r.model).sort()).toEqual(["m0", "m1"]);
    expect(first.leaderboard!.rows.find((r) => r.model === "m0")).toMatchObject({ wins: 2, losses: 1 });
    expect(first.leaderboard!.totalComparisons).toBe(3);
    const all = await getLiveLeaderboard(sctx, { projectSlug: slug, allTurns: true });
    expect(all).toMatchObject({ basis: "all_turns", comparisons: 4, laterTurnsLeftOut: 0 });
    expect(all.note).toMatch(/earlier winners/);
    const annotator = await makeUser(t.db);
    await expect(
      getLiveLeaderboard(
        { db: t.db, actor: { id: annotator.id, email: annotator.email, name: "", role: "annotator", locale: "en" } },
        { projectSlug: slug },
      ),
    ).rejects.toThrow(/permission/);
  });
});
