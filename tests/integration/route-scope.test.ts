/**
 * Route handlers over real Requests (next/headers fed from the request) on PostgreSQL:
 * what anonymous callers and strangers learn, and that staff reach only their projects.
 */
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { submitJudgment } from "@/lib/services/annotation";
import { addMember, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const current = { headers: new Headers() };
vi.mock("next/headers", () => ({
  headers: async () => current.headers,
  cookies: async () => {
    const jar = new Map<string, string>();
    for (const part of (current.headers.get("cookie") ?? "").split(";")) {
      const i = part.indexOf("=");
      if (i > 0) jar.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
    }
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
      has: (name: string) => jar.has(name),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    };
  },
}));

const healthRoute = await import("@/app/api/health/route");
const editRoute = await import("@/app/api/judgments/[id]/edit/route");

let t: TestDatabase;
const ORIGIN = "http://arbiter.test";
const cookies = {} as Record<Role, string>;
const ids = {} as Record<Role, number>;

beforeAll(async () => {
  t = await useTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  for (const role of ["annotator", "researcher", "lead", "admin"] as const) {
    const u = await makeUser(t.db, { role, email: `${role}@route-scope.test` });
    ids[role] = u.id;
    cookies[role] = `next-auth.session-token=${await encode({ token: { uid: u.id, sv: 0 }, secret: process.env.NEXTAUTH_SECRET })}`;
  }
});

function request(pathname: string, init: { cookie?: string; bearer?: string; body?: string } = {}) {
  const headers = new Headers({ host: "arbiter.test", "content-type": "application/json", "sec-fetch-site": "same-origin" });
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
  current.headers = headers;
  const options = { method: init.body === undefined ? "GET" : "POST", headers, body: init.body ?? null, duplex: "half" };
  return new NextRequest(`${ORIGIN}${pathname}`, options as ConstructorParameters<typeof NextRequest>[1]);
}

const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

describe("/api/health", () => {
  it("tells anonymous callers and annotators the status only", async () => {
    for (const cookie of [undefined, cookies.annotator]) {
      request("/api/health", { cookie });
      const res = await healthRoute.GET();
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(["status"]);
      expect(body).toEqual({ status: "ok" });
    }
  });

  it("shows staff the version and the migrations", async () => {
    for (const role of ["researcher", "lead", "admin"] as const) {
      request("/api/health", { cookie: cookies[role] });
      const res = await healthRoute.GET();
      const body = await res.json();
      expect(body).toMatchObject({ status: "ok", version: expect.any(String), database: { ok: true, migrations: expect.any(Number) } });
    }
  });
});

describe("POST /api/judgments/{id}/edit", () => {
  it("answers someone else's judgment as it answers a missing one: 404, same body", async () => {
    const project = await makeProject(t.db);
    const made = await makeTask(t.db, project);
    const owner = await makeUser(t.db);
    await addMember(t.db, project.id, owner.id);
    const asg = await makeAssignment(t.db, made.task.id, project.id, owner.id);
    const { judgment } = await submitJudgment(
      { db: t.db, actor: { id: owner.id, email: owner.email, name: owner.name, role: "annotator", locale: "en" } },
      { assignmentId: asg.id, input: { strength: 1 } },
    );
    const body = JSON.stringify({ strength: 2 });
    const theirs = await editRoute.POST(
      request(`/api/judgments/${judgment.id}/edit`, { cookie: cookies.annotator, body }),
      params({ id: String(judgment.id) }),
    );
    const missing = await editRoute.POST(
      request(`/api/judgments/999999999/edit`, { cookie: cookies.annotator, body }),
      params({ id: "999999999" }),
    );
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await theirs.json()).toEqual(await missing.json());
  });
});
