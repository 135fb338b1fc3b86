/**
 * Generation jobs end to end on real PostgreSQL, against the local protocol double:
 * prompts imported without candidates, filled by a job, tasks planned as an import plans
 * them; every failure mode ends in a stored candidate or a recorded, retryable failure;
 * never a duplicate, never a stuck job; two workers share the endpoint's concurrency.
 */
import { and, count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { candidates, generationUnits, items, tasks } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { promptMessages } from "@/lib/domain/generation/prompt";
import type { AppError } from "@/lib/errors";
import { closeQueues } from "@/lib/generation/runtime";
import { GenerationWorker } from "@/lib/generation/worker";
import type { Actor } from "@/lib/services/context";
import { addEndpoint, archiveEndpoint, listEndpoints, updateEndpoint } from "@/lib/services/endpoints";
import {
  cancelGeneration,
  getGeneration,
  listGenerations,
  resumeGeneration,
  retryGeneration,
  startGeneration,
} from "@/lib/services/generation";
import { importItems } from "@/lib/services/import";
import { makeActors, makeProject as makeBareProject, makeProjectWithStaff } from "../factories";
import { startTestOpenAIServer, type TestOpenAIServer } from "../helpers/openai-server";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let server: TestOpenAIServer;
let actors: Record<Role, Actor>;
const workers: GenerationWorker[] = [];
const previousAllow = process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS;

const ctx = (role: Role = "researcher") => ({ db: t.db, actor: actors[role] });
// Researchers and leads reach only the projects they are members of.
const makeProject = makeProjectWithStaff(() => [actors.researcher, actors.lead]);

function worker(): GenerationWorker {
  const w = new GenerationWorker({ pool: t.pool, idlePollMs: 50, flushMs: 5, retryDelayMs: () => 50, log: () => undefined });
  workers.push(w);
  return w;
}

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 25_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting; last value ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const finished = (id: number) =>
  waitFor(
    () => getGeneration(ctx(), { id }),
    (g) => g.state !== "running",
  );

async function importPrompts(slug: string, ids: string[], withCandidates: (id: string) => { model: string; content: string }[] = () => []) {
  const lines = ids.map((id) =>
    JSON.stringify({
      external_id: id,
      character: { name: "Captain Mira", profile: { personality: "dry, loyal", catchphrases: ["Keep up"] } },
      scene: "A ship at night.",
      context: [
        { role: "user", content: `Captain, what about ${id}?` },
        { role: "assistant", content: "Speak." },
        { role: "user", content: `Tell me about ${id}.` },
      ],
      ...(withCandidates(id).length > 0 ? { candidates: withCandidates(id) } : {}),
    }),
  );
  const result = await importItems({ db: t.db, actor: null }, { projectSlug: slug, format: "jsonl", source: [lines.join("\n")] });
  expect(result.ok).toBe(true);
}

/** How many candidates the project's items have (only those a model endpoint generated, when asked). */
async function candidateCount(projectId: number, options: { generatedOnly?: boolean } = {}) {
  const [row] = await t.db
    .select({ n: count() })
    .from(candidates)
    .innerJoin(items, eq(items.id, candidates.itemId))
    .where(and(eq(items.projectId, projectId), options.generatedOnly ? isNotNull(candidates.endpointId) : undefined));
  return row!.n;
}

/** A new project with `ids` imported as prompts (no candidates), and a generation job started on it. */
async function generateFor(ids: string[], endpoints: string[], samples: number) {
  const project = await makeProject(t.db);
  await importPrompts(project.slug, ids);
  return { project, ...(await startGeneration(ctx(), { projectSlug: project.slug, endpoints, samples })) };
}

async function endpoint(name: string, model: string, over: Record<string, unknown> = {}) {
  return addEndpoint(ctx("admin"), { name, baseUrl: server.baseUrl, model, concurrency: 4, timeoutS: 5, ...over });
}

beforeAll(async () => {
  process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = "1";
  t = await useTestDatabase();
  server = await startTestOpenAIServer({ models: ["model-a", "model-b"] });
  actors = await makeActors(t.db);
  await endpoint("ep-a", "model-a");
  await endpoint("ep-b", "model-b");
  await worker().start();
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await closeQueues();
  await server?.close();
  process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = previousAllow;
});

describe("generation jobs", () => {
  it("fills prompts imported without candidates, records the metadata, and plans tasks as an import would", async () => {
    const project = await makeProject(t.db);
    const ids = ["g-001", "g-002", "g-003"];
    await importPrompts(project.slug, ids);
    expect((await t.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, project.id)))[0]!.n).toBe(0);

    const before = server.stats.received;
    const { id, total } = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a", "ep-b"], samples: 1 });
    expect(total).toBe(6);
    const job = await finished(id);
    expect(job).toMatchObject({ state: "finished", total: 6, done: 6, failed: 0, pending: 0, errors: [] });
    expect(server.stats.received - before).toBe(6);

    const rows = await t.db
      .select()
      .from(candidates)
      .innerJoin(items, eq(items.id, candidates.itemId))
      .where(eq(items.projectId, project.id));
    expect(rows).toHaveLength(6);
    for (const { candidates: c } of rows) {
      expect(["ep-a", "ep-b"]).toContain(c.model);
      expect(c.modelVersion).toMatch(/^model-[ab]$/);
      expect(c.endpointId).not.toBeNull();
      expect(c.sampleIndex).toBe(0);
      expect(c.finishReason).toBe("stop");
      expect(c.promptTokens).toBeGreaterThan(0);
      expect(c.completionTokens).toBeGreaterThan(0);
      expect(c.ttftMs).not.toBeNull();
      expect(c.totalMs).not.toBeNull();
      expect(c.responseId).toMatch(/^chatcmpl-/);
      expect(c.seed).not.toBeNull();
      expect(c.content).toContain(`with seed ${c.seed}`);
    }
    const taskRows = await t.db.select().from(tasks).where(eq(tasks.projectId, project.id));
    expect(taskRows).toHaveLength(3);
    expect(taskRows.every((r) => r.kind === "pairwise" && r.candidateIds.length === 2 && r.overlap === project.overlap)).toBe(true);

    // The prompt sent is the export's prompt, byte for byte.
    const sent = server.stats.requests.slice(-6);
    const item = (
      await t.db
        .select()
        .from(items)
        .where(and(eq(items.projectId, project.id), eq(items.externalId, "g-001")))
    )[0]!;
    const expected = promptMessages({
      externalId: item.externalId,
      character: { name: "Captain Mira", profile: { personality: "dry, loyal", catchphrases: ["Keep up"] } },
      scene: item.scene,
      context: item.context,
      language: item.language,
    });
    expect(expected.ok).toBe(true);
    const mine = sent.filter((r) => r.messages.at(-1)!.content === "Tell me about g-001.");
    expect(mine).toHaveLength(2);
    for (const r of mine) expect(JSON.stringify(r.messages)).toBe(JSON.stringify(expected.ok && expected.messages));
  });

  it("is idempotent: a second run makes nothing; more samples make only the new ones", async () => {
    const { project, ...first } = await generateFor(["i-1", "i-2"], ["ep-a"], 2);
    await finished(first.id);
    const again = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a"], samples: 2 });
    expect(again.total).toBe(0);
    expect((await getGeneration(ctx(), { id: again.id })).state).toBe("finished");
    const more = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a"], samples: 3 });
    expect(more.total).toBe(2);
    await finished(more.id);
    expect(await candidateCount(project.id)).toBe(6);
    // 3 samples of one model: all pairs of 3 = 3 tasks per item.
    expect((await t.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, project.id)))[0]!.n).toBe(6);
  });

  it("onlyMissing fills only items that still lack candidates", async () => {
    const project = await makeProject(t.db);
    await importPrompts(project.slug, ["m-1", "m-2"], (id) =>
      id === "m-1"
        ? [
            { model: "x", content: "one" },
            { model: "y", content: "two" },
          ]
        : [],
    );
    const { total, id } = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a", "ep-b"], onlyMissing: true });
    expect(total).toBe(2);
    await finished(id);
  });

  it("every failure mode ends in a stored candidate or a recorded, retryable failure", async () => {
    const project = await makeProject(t.db);
    const ids = ["f-500", "f-429", "f-cut", "f-malformed", "f-slow", "f-hang", "f-always"];
    await importPrompts(project.slug, ids);
    const once = new Set(ids.filter((i) => i !== "f-always"));
    server.setFaultRule((request) => {
      const id = /Tell me about (f-[a-z0-9]+)/.exec(request.messages.at(-1)!.content)?.[1];
      if (!id) return null;
      if (id === "f-always") return { kind: "status", status: 500, message: "the GPU caught fire" };
      if (!once.delete(id)) return null;
      switch (id) {
        case "f-500":
          return { kind: "status", status: 503 };
        case "f-429":
          return { kind: "status", status: 429, retryAfter: "1" };
        case "f-cut":
          return { kind: "cut", afterTokens: 2 };
        case "f-malformed":
          return { kind: "malformed" };
        case "f-slow":
          return { kind: "slow", firstTokenMs: 400 };
        case "f-hang":
          return { kind: "hang" };
      }
      return null;
    });
    try {
      const { id } = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a"], samples: 1 });
      const job = await finished(id);
      expect(job.done).toBe(6);
      expect(job.failed).toBe(1);
      expect(job.errors).toEqual([
        expect.objectContaining({ externalId: "f-always", endpoint: "ep-a", state: "failed", error: "HTTP 500: the GPU caught fire" }),
      ]);
      expect(job.errors[0]!.attempts).toBeGreaterThanOrEqual(4);

      // The failed item is retried alone once the endpoint recovers.
      server.setFaultRule(null);
      const retried = await retryGeneration(ctx(), { id, unitIds: [job.errors[0]!.unitId] });
      expect(retried.state).toBe("running");
      const after = await finished(id);
      expect(after).toMatchObject({ state: "finished", done: 7, failed: 0 });
      await expect(retryGeneration(ctx(), { id })).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      server.setFaultRule(null);
    }
    const dupes = await t.db.execute(
      `select item_id, endpoint_id, sample_index, count(*) from candidates where endpoint_id is not null group by 1, 2, 3 having count(*) > 1`,
    );
    expect(dupes.rows).toEqual([]);
    // Items with one endpoint × one sample have one candidate: no tasks (they wait for more).
    expect((await t.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, project.id)))[0]!.n).toBe(0);
  });

  it("two workers share an endpoint's concurrency and never duplicate a candidate", async () => {
    const slowServer = await startTestOpenAIServer({ models: ["slow"], tokenDelayMs: 5 });
    try {
      await addEndpoint(ctx("admin"), { name: "ep-slow", baseUrl: slowServer.baseUrl, model: "slow", concurrency: 2, timeoutS: 10 });
      const second = worker();
      await second.start();
      const ids = Array.from({ length: 12 }, (_, i) => `c-${String(i).padStart(2, "0")}`);
      const { project, id, total } = await generateFor(ids, ["ep-slow"], 2);
      expect(total).toBe(24);
      const job = await finished(id);
      expect(job).toMatchObject({ state: "finished", done: 24, failed: 0 });
      expect(slowServer.stats.maxInFlight).toBeLessThanOrEqual(2);
      expect(slowServer.stats.received).toBe(24);
      const units = await t.db.select().from(generationUnits).where(eq(generationUnits.jobId, id));
      expect(new Set(units.map((u) => u.candidateId)).size).toBe(24);
      expect((await t.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, project.id)))[0]!.n).toBe(12);
    } finally {
      await slowServer.close();
    }
  });

  it("cancel stops a job (aborting requests in flight) and resume finishes it", async () => {
    const slowServer = await startTestOpenAIServer({ models: ["slow"] });
    // The first two requests hang on their first token until the job is cancelled.
    slowServer.queueFaults({ kind: "slow", firstTokenMs: 8_000 }, { kind: "slow", firstTokenMs: 8_000 });
    try {
      await addEndpoint(ctx("admin"), { name: "ep-cancel", baseUrl: slowServer.baseUrl, model: "slow", concurrency: 2, timeoutS: 10 });
      const { project, id } = await generateFor(
        Array.from({ length: 8 }, (_, i) => `x-${i}`),
        ["ep-cancel"],
        1,
      );
      await waitFor(
        async () => slowServer.stats.inFlight,
        (n) => n === 2,
      );
      const cancelled = await cancelGeneration(ctx(), { id });
      expect(cancelled.state).toBe("cancelled");
      expect(cancelled.cancelled).toBeGreaterThan(0);
      await waitFor(
        async () => slowServer.stats.aborted,
        (n) => n === 2,
      );
      await expect(cancelGeneration(ctx(), { id })).rejects.toMatchObject({ code: "CONFLICT" });
      const resumed = await resumeGeneration(ctx(), { id });
      expect(resumed.state).toBe("running");
      const done = await finished(id);
      expect(done).toMatchObject({ state: "finished", done: 8, failed: 0, cancelled: 0 });
      expect(await candidateCount(project.id, { generatedOnly: true })).toBe(8);
    } finally {
      await slowServer.close();
    }
  });

  it("refuses the wrong roles, unknown endpoints and bad input, naming the field", async () => {
    const project = await makeProject(t.db);
    await expect(startGeneration(ctx("annotator"), { projectSlug: project.slug, endpoints: ["ep-a"] })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(cancelGeneration(ctx("annotator"), { id: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(retryGeneration(ctx("annotator"), { id: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(resumeGeneration(ctx("annotator"), { id: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addEndpoint(ctx("researcher"), { name: "x", baseUrl: "https://api.example.com/v1", model: "m" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(addEndpoint(ctx("lead"), { name: "x", baseUrl: "https://api.example.com/v1", model: "m" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const unknown = await startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["nope"] }).catch((e: AppError) => e);
    expect(unknown).toMatchObject({ code: "VALIDATION", fields: { endpoints: ["no such endpoint: nope"] } });
    await expect(startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a"], samples: 0 })).rejects.toMatchObject({
      code: "VALIDATION",
      fields: { samples: expect.any(Array) },
    });
    await expect(startGeneration(ctx(), { projectSlug: project.slug, endpoints: ["ep-a", "ep-b"], samples: 5 })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    await expect(getGeneration(ctx(), { id: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers a project the researcher is not a member of, and its jobs, as missing", async () => {
    const theirs = await makeBareProject(t.db);
    await expect(startGeneration(ctx("researcher"), { projectSlug: theirs.slug, endpoints: ["ep-a"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(listGenerations(ctx("lead"), { projectSlug: theirs.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const job = await startGeneration(ctx("admin"), { projectSlug: theirs.slug, endpoints: ["ep-a"] });
    await expect(getGeneration(ctx("researcher"), { id: job.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelGeneration(ctx("lead"), { id: job.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getGeneration(ctx("admin"), { id: job.id })).resolves.toBeTruthy();
  });

  it("refuses endpoint URLs the SSRF rules forbid, and API keys given as values", async () => {
    await expect(addEndpoint(ctx("admin"), { name: "meta", baseUrl: "http://169.254.169.254/v1", model: "m" })).rejects.toMatchObject({
      code: "VALIDATION",
      fields: { baseUrl: [expect.stringMatching(/never/)] },
    });
    process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = "";
    try {
      await expect(addEndpoint(ctx("admin"), { name: "lan", baseUrl: "http://10.0.0.8:8000/v1", model: "m" })).rejects.toMatchObject({
        code: "VALIDATION",
        fields: { baseUrl: [expect.stringMatching(/ARBITER_ALLOW_PRIVATE_ENDPOINTS/)] },
      });
    } finally {
      process.env.ARBITER_ALLOW_PRIVATE_ENDPOINTS = "1";
    }
    await expect(
      addEndpoint(ctx("admin"), { name: "key", baseUrl: "https://api.example.com/v1", model: "m", apiKeyEnv: "sk-abc123-def" }),
    ).rejects.toMatchObject({ code: "VALIDATION", fields: { apiKeyEnv: [expect.stringMatching(/NAME/)] } });
    await expect(addEndpoint(ctx("admin"), { name: "ep-a", baseUrl: "https://api.example.com/v1", model: "m" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("a worker killed mid-job (SIGKILL)", () => {
  it("loses only the requests in flight, which are retried; nothing is duplicated", async () => {
    const { spawn } = await import("node:child_process");
    const slowServer = await startTestOpenAIServer({ models: ["slow"], firstTokenDelayMs: 1500 });
    const saved = { margin: process.env.ARBITER_GENERATION_EXPIRY_MARGIN_S, maintenance: process.env.ARBITER_QUEUE_MAINTENANCE_S };
    process.env.ARBITER_GENERATION_EXPIRY_MARGIN_S = "1";
    process.env.ARBITER_QUEUE_MAINTENANCE_S = "1";
    try {
      // Only the child works on this job at first.
      for (const w of workers.splice(0)) await w.stop();
      await addEndpoint(ctx("admin"), { name: "ep-kill", baseUrl: slowServer.baseUrl, model: "slow", concurrency: 2, timeoutS: 3 });
      const { project, id } = await generateFor(
        Array.from({ length: 6 }, (_, i) => `k-${i}`),
        ["ep-kill"],
        1,
      );
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: { ...process.env, DATABASE_URL: t.url, ARBITER_ALLOW_PRIVATE_ENDPOINTS: "1" },
        stdio: "ignore",
      });
      await waitFor(
        async () => slowServer.stats.inFlight,
        (n) => n === 2,
        60_000,
      );
      child.kill("SIGKILL");
      await waitFor(
        async () => slowServer.stats.aborted,
        (n) => n === 2,
      );
      expect((await getGeneration(ctx(), { id })).done).toBe(0);

      await worker().start();
      const job = await waitFor(
        () => getGeneration(ctx(), { id }),
        (g) => g.state !== "running",
        60_000,
      );
      expect(job).toMatchObject({ state: "finished", done: 6, failed: 0 });
      expect(slowServer.stats.received).toBeGreaterThanOrEqual(8);
      expect(await candidateCount(project.id)).toBe(6);
    } finally {
      process.env.ARBITER_GENERATION_EXPIRY_MARGIN_S = saved.margin;
      process.env.ARBITER_QUEUE_MAINTENANCE_S = saved.maintenance;
      await slowServer.close();
    }
  }, 120_000);

  it("admins change and archive an endpoint; the SSRF rules hold for the new URL; others are refused", async () => {
    await endpoint("ep-change", "model-x");
    await expect(updateEndpoint(ctx("researcher"), { name: "ep-change", baseUrl: server.baseUrl, model: "m" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(updateEndpoint(ctx("lead"), { name: "ep-change", baseUrl: server.baseUrl, model: "m" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      updateEndpoint(ctx("admin"), { name: "ep-change", baseUrl: "http://169.254.169.254/v1", model: "model-x" }),
    ).rejects.toMatchObject({ code: "VALIDATION", fields: { baseUrl: [expect.stringMatching(/never/)] } });
    await expect(updateEndpoint(ctx("admin"), { name: "no-such", baseUrl: server.baseUrl, model: "m" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const changed = await updateEndpoint(ctx("admin"), {
      name: "ep-change",
      newName: "ep-changed",
      baseUrl: server.baseUrl,
      model: "model-y",
      concurrency: 2,
    });
    expect(changed).toMatchObject({ name: "ep-changed", model: "model-y", concurrency: 2 });
    // The key is a variable's name, never a value, before and after a change.
    expect(JSON.stringify(changed)).not.toMatch(/sk-/);
    await expect(archiveEndpoint(ctx("researcher"), { name: "ep-changed", archived: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await archiveEndpoint(ctx("admin"), { name: "ep-changed", archived: true });
    expect((await listEndpoints(ctx("admin"))).map((e) => e.name)).not.toContain("ep-changed");
    expect((await listEndpoints(ctx("admin"), { includeArchived: true })).map((e) => e.name)).toContain("ep-changed");
  });
});
