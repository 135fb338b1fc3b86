/**
 * Hostile input over HTTP: the route handlers themselves, called
 * with real Requests against a real PostgreSQL (next/headers is fed from the request).
 * Every answer is a clear 4xx or a success — never a 500 — a refused request writes
 * nothing, and accepted free text reads back from PostgreSQL exactly as sent. Also: the
 * CSRF origin check and the body caps. Inputs tried per route are counted and printed.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { and, count as sqlCount, eq } from "drizzle-orm";
import type { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { assignments, candidates, items, judgments, projects } from "@/db/schema";
import { insertApiToken } from "@/db/queries/tokens";
import { generateToken, hashToken, tokenDisplayPrefix } from "@/lib/auth/tokens";
import { createApiToken } from "@/lib/services/tokens";
import type { Actor } from "@/lib/services/context";
import { createProject } from "@/lib/services/projects";
import { HOSTILE_STRINGS, hostileString, hostileValue } from "../unit/hostile-arbitraries";
import { actorOf, addMember, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { ORIGIN, type RequestAuth, routeRequest, sessionCookie } from "./helpers/route-request";

// next/headers answers with the request under test's headers and cookies.
vi.mock("next/headers", async () => (await import("./helpers/route-request")).nextHeaders);

const judgmentRoute = await import("@/app/api/assignments/[id]/judgment/route");
const skipRoute = await import("@/app/api/assignments/[id]/skip/route");
const nextRoute = await import("@/app/api/projects/[slug]/tasks/next/route");
const statsRoute = await import("@/app/api/projects/[slug]/stats/route");
const exportKindRoute = await import("@/app/api/projects/[slug]/exports/[kind]/route");
const previewRoute = await import("@/app/api/projects/[slug]/exports/preview/route");
const importRoute = await import("@/app/api/projects/[slug]/import/route");

let t: TestDatabase;
const counts: Record<string, number> = {};
const tally = (k: string) => (counts[k] = (counts[k] ?? 0) + 1);

let annotator: { id: number };
let researcher: Actor;
let annotatorToken: string;
let researcherToken: string;
let annotatorCookie: string;
let project: Awaited<ReturnType<typeof makeProject>>;

beforeAll(async () => {
  t = await useTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  project = await makeProject(t.db, { rationale: "optional", overlap: 20 });
  const a = await makeUser(t.db, { role: "annotator" });
  await addMember(t.db, project.id, a.id);
  annotator = a;
  const r = await makeUser(t.db, { role: "researcher" });
  researcher = actorOf(r);
  await addMember(t.db, project.id, r.id);
  // Annotators cannot create tokens themselves (token.create); a lead's script could hold one.
  annotatorToken = generateToken();
  await insertApiToken(t.db, {
    userId: a.id,
    name: "bench",
    tokenHash: hashToken(annotatorToken),
    tokenPrefix: tokenDisplayPrefix(annotatorToken),
    scopes: ["annotate"],
  });
  researcherToken = (await createApiToken({ db: t.db, actor: researcher }, { name: "ci", scopes: ["export", "stats", "import"] })).token;
  annotatorCookie = await sessionCookie(a.id);
});

afterAll(() => {
  const total = Object.values(counts).reduce((x, y) => x + y, 0);
  console.log(
    `[hostile-routes] requests per route (total ${total}):\n${Object.entries(counts)
      .map(([k, v]) => `  ${k.padEnd(40)} ${v}`)
      .join("\n")}`,
  );
});

async function answer(res: Response) {
  const text = await res.text();
  let json: { error?: { code: string; message: string; fields?: Record<string, string[]> } } & Record<string, unknown> = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    /* NDJSON or file */
  }
  return { status: res.status, json, text };
}

/** A clear refusal: 4xx with a code and a message; a 400 names a field. */
function expectClearRefusal(a: Awaited<ReturnType<typeof answer>>) {
  expect(a.status).toBeGreaterThanOrEqual(400);
  expect(a.status).toBeLessThan(500);
  expect(a.json.error?.code).toMatch(/^[A-Z_]+$/);
  expect(a.json.error?.message.length).toBeGreaterThan(0);
  if (a.status === 400 && a.json.error?.fields) expect(Object.keys(a.json.error.fields).length).toBeGreaterThan(0);
}

/**
 * Sends one of the named query parameters a hostile value, 80 times: every answer is a
 * success or a clear refusal, which `refused` may check further.
 */
async function hostileQueries(
  label: string,
  names: string[],
  get: (query: URLSearchParams) => Promise<Response>,
  refused: (name: string, a: Awaited<ReturnType<typeof answer>>) => void = () => {},
) {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...names),
      hostileString.filter((s) => s.length < 3000),
      async (name, value) => {
        tally(label);
        const a = await answer(await get(new URLSearchParams({ [name]: value })));
        if (a.status !== 200) {
          expectClearRefusal(a);
          refused(name, a);
        }
      },
    ),
    { numRuns: 80 },
  );
}

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "x";
  }
}

/** A body as JSON text: JSON.stringify where it can, the raw text otherwise. */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "undefined";
  } catch {
    return String(value);
  }
}

async function freshAssignment() {
  const made = await makeTask(t.db, project);
  const assignment = await makeAssignment(t.db, made.task.id, project.id, annotator.id);
  return assignment.id;
}

async function judgmentsOf(assignmentId: number) {
  return t.db.select().from(judgments).where(eq(judgments.assignmentId, assignmentId));
}

describe("POST /api/assignments/{id}/judgment", () => {
  it("stores hostile rationales exactly or refuses them by field, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (rationale) => {
        tally("POST judgment (rationale)");
        const id = await freshAssignment();
        const res = await judgmentRoute.POST(
          routeRequest(`/api/assignments/${id}/judgment`, JSON.stringify({ strength: 1, rationale }), { bearer: annotatorToken }),
          {
            params: Promise.resolve({ id: String(id) }),
          },
        );
        const a = await answer(res);
        const rows = await judgmentsOf(id);
        if (a.status === 200) {
          expect(rows).toHaveLength(1);
          // Kept as sent apart from the domain's documented trim (blank = no rationale).
          expect(rows[0]!.rationale).toBe(rationale.trim() || null);
        } else {
          expectClearRefusal(a);
          expect(rows).toHaveLength(0);
          const [asg] = await t.db.select().from(assignments).where(eq(assignments.id, id));
          expect(asg!.state).toBe("active");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("answers any hostile body with a clear 4xx and no write", async () => {
    const id = await freshAssignment();
    const sample = { strength: 1, rationale: "ok", ratings: {}, seconds: 3 };
    const bodies = fc.oneof(
      hostileValue.map(jsonText),
      fc.tuple(fc.constantFrom(...Object.keys(sample), "constructor", "__proto__", "x"), hostileValue).map(([k, v]) => {
        const o: Record<string, unknown> = { ...sample };
        Object.defineProperty(o, k, { value: v, enumerable: true });
        return jsonText(o);
      }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
      fc.constantFrom(
        '{"strength": 1, "rationale": "\\ud800"}',
        '{"strength":1,"rationale":"\\u0000"}',
        "[[[[[[[[[[",
        `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        tally("POST judgment (any body)");
        const res = await judgmentRoute.POST(routeRequest(`/api/assignments/${id}/judgment`, body, { bearer: annotatorToken }), {
          params: Promise.resolve({ id: String(id) }),
        });
        const a = await answer(res);
        if (a.status === 200) {
          // A valid answer slipped through: it is stored once; use a fresh assignment next time.
          expect(await judgmentsOf(id)).toHaveLength(1);
          await t.db.delete(judgments).where(eq(judgments.assignmentId, id));
          await t.db.update(assignments).set({ state: "active", finishedAt: null }).where(eq(assignments.id, id));
        } else {
          expectClearRefusal(a);
          expect(await judgmentsOf(id)).toHaveLength(0);
        }
      }),
      { numRuns: 250 },
    );
  });

  it("refuses invalid UTF-8 and oversize bodies (413, also without Content-Length)", async () => {
    const id = await freshAssignment();
    const params = { params: Promise.resolve({ id: String(id) }) };
    tally("POST judgment (bytes/size)");
    let a = await answer(
      await judgmentRoute.POST(
        routeRequest(`/api/assignments/${id}/judgment`, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { bearer: annotatorToken }),
        params,
      ),
    );
    expect(a.status).toBe(400);
    expect(a.json.error?.message).toContain("UTF-8");
    tally("POST judgment (bytes/size)");
    const big = JSON.stringify({ strength: 1, rationale: "x".repeat(70_000) });
    a = await answer(
      await judgmentRoute.POST(
        routeRequest(`/api/assignments/${id}/judgment`, big, { bearer: annotatorToken }, { "content-length": String(big.length) }),
        params,
      ),
    );
    expect(a.status).toBe(413);
    expect(a.json.error).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 64 KB." });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(8192).fill(0x20));
        c.close();
      },
    });
    tally("POST judgment (bytes/size)");
    a = await answer(await judgmentRoute.POST(routeRequest(`/api/assignments/${id}/judgment`, stream, { bearer: annotatorToken }), params));
    expect(a.status).toBe(413);
    expect(await judgmentsOf(id)).toHaveLength(0);
  });
});

describe("POST /api/assignments/{id}/skip", () => {
  it("stores hostile notes (trimmed) or refuses them by field", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString, async (note) => {
        tally("POST skip (note)");
        const id = await freshAssignment();
        const a = await answer(
          await skipRoute.POST(
            routeRequest(`/api/assignments/${id}/skip`, JSON.stringify({ reason: "other", note }), { bearer: annotatorToken }),
            {
              params: Promise.resolve({ id: String(id) }),
            },
          ),
        );
        const [row] = await t.db.select().from(assignments).where(eq(assignments.id, id));
        if (a.status === 200) {
          expect(row!.state).toBe("skipped");
          expect(row!.skipNote ?? "").toBe(note.trim());
        } else {
          expectClearRefusal(a);
          expect(row!.state).toBe("active");
          expect(row!.skipNote).toBeNull();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("hostile path and query parameters", () => {
  const slugs = fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS),
    hostileString.filter((s) => s.length < 5000),
  );
  it("project slugs in paths are refused with 4xx, never a database error", async () => {
    await fc.assert(
      fc.asyncProperty(slugs, fc.constantFrom("next", "stats", "export", "preview", "import"), async (slug, which) => {
        tally(`hostile slug → ${which}`);
        const params = { params: Promise.resolve({ slug, kind: "dpo" }) };
        // A URL cannot carry a lone surrogate; the handler still gets it as a param here.
        const path = `/api/projects/${safeEncode(slug)}`;
        let res: Response;
        if (which === "next") res = await nextRoute.POST(routeRequest(`${path}/tasks/next`, "{}", { bearer: annotatorToken }), params);
        else if (which === "stats") res = await statsRoute.GET(routeRequest(`${path}/stats`, null, { bearer: researcherToken }), params);
        else if (which === "export")
          res = await exportKindRoute.GET(routeRequest(`${path}/exports/dpo`, null, { bearer: researcherToken }), params);
        else if (which === "preview")
          res = await previewRoute.POST(routeRequest(`${path}/exports/preview`, '{"kind":"dpo"}', { bearer: researcherToken }), params);
        else res = await importRoute.POST(routeRequest(`${path}/import?format=jsonl`, "", { bearer: researcherToken }), params);
        expectClearRefusal(await answer(res));
      }),
      { numRuns: 150 },
    );
  });

  it("export and stats query parameters are refused by name", async () => {
    const params = { params: Promise.resolve({ slug: project.slug, kind: "dpo" }) };
    await hostileQueries(
      "GET export ?option=hostile",
      ["min-agreement", "format", "seed", "split", "test-percent", "default-language"],
      async (q) =>
        exportKindRoute.GET(routeRequest(`/api/projects/${project.slug}/exports/dpo?${q}`, null, { bearer: researcherToken }), params),
      (name, a) => {
        if (a.status === 400) expect(Object.keys(a.json.error!.fields ?? { [name]: 1 })).toContain(name);
      },
    );
    await hostileQueries("GET stats ?filter=hostile", ["from", "to", "character", "model", "annotator", "dimension"], async (q) =>
      statsRoute.GET(routeRequest(`/api/projects/${project.slug}/stats?${q}`, null, { bearer: researcherToken }), params),
    );
  });

  it("export preview policies are refused by option name", async () => {
    const params = { params: Promise.resolve({ slug: project.slug }) };
    await fc.assert(
      fc.asyncProperty(hostileValue, fc.constantFrom("minAgreement", "salt", "format", "defaultLanguage", "bogus"), async (value, key) => {
        tally("POST export preview (policy)");
        const body = jsonText({ kind: "dpo", policy: { [key]: value } });
        const a = await answer(
          await previewRoute.POST(routeRequest(`/api/projects/${project.slug}/exports/preview`, body, { bearer: researcherToken }), params),
        );
        if (a.status !== 200) expectClearRefusal(a);
      }),
      { numRuns: 80 },
    );
  });
});

describe("POST /api/projects/{slug}/import", () => {
  const line = (content: string, ext: string) =>
    JSON.stringify({
      external_id: ext,
      character: { name: "Mallory", profile: { bio: "<img src=x onerror=alert(1)>" } },
      context: [{ role: "user", content: "hi" }],
      candidates: [
        { model: "a", content },
        { model: "b", content: "plain" },
      ],
    });

  it("imports hostile model text exactly, or refuses the file naming the line and field with nothing imported", async () => {
    const target = await makeProject(t.db);
    await addMember(t.db, target.id, researcher.id);
    const params = { params: Promise.resolve({ slug: target.slug }) };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileString.filter((s) => s.length < 100_000),
        async (content) => {
          tally("POST import (candidate content)");
          const ext = `x-${n++}`;
          const [{ before }] = (await t.db.select({ before: sqlCount() }).from(items).where(eq(items.projectId, target.id))) as [
            { before: number },
          ];
          const a = await answer(
            await importRoute.POST(
              routeRequest(`/api/projects/${target.slug}/import?format=jsonl`, `${line(content, ext)}\n${line("second", `${ext}-2`)}\n`, {
                bearer: researcherToken,
              }),
              params,
            ),
          );
          const [{ after }] = (await t.db.select({ after: sqlCount() }).from(items).where(eq(items.projectId, target.id))) as [
            { after: number },
          ];
          if (a.status === 200) {
            const [stored] = await t.db
              .select({ content: candidates.content })
              .from(candidates)
              .innerJoin(items, eq(items.id, candidates.itemId))
              .where(and(eq(items.projectId, target.id), eq(items.externalId, ext), eq(candidates.position, 0)));
            expect(stored!.content).toBe(content);
            expect(after).toBe(before + 2);
          } else {
            expect(a.status).toBe(422);
            expect(a.json.error?.code).toBe("VALIDATION");
            const problems = a.json.problems as { line: number; field: string; message: string }[];
            expect(problems.length).toBeGreaterThan(0);
            expect(problems[0]!.field).toMatch(/^candidates\[0\]\.content$|^\(line\)$|^\(json\)$/);
            expect(after).toBe(before); // all or nothing: the good second line was not imported either
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("CSRF: cookie-authenticated writes from another origin", () => {
  it("are refused with 403 before anything runs; same-origin, non-browser and Bearer requests pass", async () => {
    const cases: { auth: RequestAuth; ok: boolean; why: string }[] = [
      { auth: { cookie: "", origin: "https://evil.example" }, ok: false, why: "cross-origin Origin" },
      { auth: { cookie: "", origin: "null" }, ok: false, why: "Origin: null" },
      { auth: { cookie: "", site: "cross-site" }, ok: false, why: "Sec-Fetch-Site: cross-site" },
      { auth: { cookie: "", site: "same-site", origin: "http://sub.arbiter.test" }, ok: false, why: "a sibling subdomain" },
      { auth: { cookie: "", origin: "http://arbiter.test.evil.example" }, ok: false, why: "a look-alike host" },
      { auth: { cookie: "", origin: ORIGIN, site: "same-origin" }, ok: true, why: "our own page" },
      { auth: { cookie: "", origin: ORIGIN }, ok: true, why: "our own origin, older browser" },
      { auth: { cookie: "" }, ok: true, why: "no browser headers (curl)" },
      { auth: { bearer: "", origin: "https://evil.example", site: "cross-site" }, ok: true, why: "an API token" },
    ];
    for (const c of cases) {
      tally("CSRF cases");
      const id = await freshAssignment();
      const auth = {
        ...c.auth,
        cookie: c.auth.cookie === "" ? annotatorCookie : undefined,
        bearer: c.auth.bearer === "" ? annotatorToken : undefined,
      };
      const a = await answer(
        await judgmentRoute.POST(routeRequest(`/api/assignments/${id}/judgment`, JSON.stringify({ strength: 2 }), auth), {
          params: Promise.resolve({ id: String(id) }),
        }),
      );
      expect({ why: c.why, status: a.status }).toEqual({ why: c.why, status: c.ok ? 200 : 403 });
      if (!c.ok) {
        expect(a.json.error?.message).toMatch(/^Cross-site request refused/);
        expect(await judgmentsOf(id)).toHaveLength(0);
      }
    }
  });

  it("covers every state-changing route handler", async () => {
    const routes = [
      judgmentRoute,
      skipRoute,
      nextRoute,
      previewRoute,
      importRoute,
      await import("@/app/api/judgments/[id]/edit/route"),
      await import("@/app/api/projects/[slug]/exports/route"),
    ];
    for (const mod of routes) {
      tally("CSRF cases");
      const handler = (mod as { POST: (r: NextRequest, c: unknown) => Promise<Response> }).POST;
      const res = await handler(routeRequest("/api/x", "{}", { cookie: annotatorCookie, origin: "https://evil.example" }), {
        params: Promise.resolve({ id: "1", slug: project.slug }),
      });
      expect(res.status).toBe(403);
    }
  });
});

describe("project text round-trips through PostgreSQL", () => {
  it("guidelines are stored exactly; unstorable text is refused by field", async () => {
    const admin = await makeUser(t.db, { role: "admin" });
    const actor = { id: admin.id, email: admin.email, name: admin.name, role: admin.role, locale: "en" };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileString.filter((s) => s.length <= 100_000),
        hostileString.filter((s) => s.length <= 5000),
        async (guidelines, description) => {
          tally("createProject (guidelines, description)");
          const slug = `hostile-${n++}`;
          try {
            await createProject({ db: t.db, actor }, { slug, name: "H", guidelines, description });
          } catch (error) {
            expect((error as { code?: string }).code).toBe("VALIDATION");
            expect(Object.keys((error as { fields?: object }).fields ?? {})[0]).toMatch(/^(guidelines|description)$/);
            expect(await t.db.select().from(projects).where(eq(projects.slug, slug))).toHaveLength(0);
            return;
          }
          const [row] = await t.db.select().from(projects).where(eq(projects.slug, slug));
          expect(row!.guidelines).toBe(guidelines);
          expect(row!.description).toBe(description.trim());
        },
      ),
      { numRuns: 80 },
    );
  });
});
