/**
 * Route handlers over real Requests (next/headers fed from the request) on PostgreSQL:
 * what anonymous callers and strangers learn, and that staff reach only their projects.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { submitJudgment } from "@/lib/services/annotation";
import { addMember, makeAssignment, makeProject, makeTask, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";
import { routeRequest, sessionCookie } from "./helpers/route-request";

vi.mock("next/headers", async () => (await import("./helpers/route-request")).nextHeaders);

const healthRoute = await import("@/app/api/health/route");
const editRoute = await import("@/app/api/judgments/[id]/edit/route");

let t: TestDatabase;
const cookies = {} as Record<Role, string>;
const ids = {} as Record<Role, number>;

beforeAll(async () => {
  t = await useTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  for (const role of ["annotator", "researcher", "lead", "admin"] as const) {
    const u = await makeUser(t.db, { role, email: `${role}@route-scope.test` });
    ids[role] = u.id;
    cookies[role] = await sessionCookie(u.id);
  }
});

/** A same-origin request, as the app's own pages send. */
function request(pathname: string, init: { cookie?: string; bearer?: string; body?: string } = {}) {
  return routeRequest(pathname, init.body ?? null, { cookie: init.cookie, bearer: init.bearer, site: "same-origin" });
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
