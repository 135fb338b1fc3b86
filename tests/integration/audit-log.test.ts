import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import type { AppError } from "@/lib/errors";
import { listAuditPage } from "@/lib/services/audit-log";
import type { Actor } from "@/lib/services/context";
import { actorOf, makeProjectWithStaff, makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [lead]);

let t: TestDatabase;
let lead: Actor;

beforeAll(async () => {
  t = await useTestDatabase();
  const l = await makeUser(t.db, { role: "lead", email: "lead@audit.test" });
  const a = await makeUser(t.db, { role: "admin", email: "admin@audit.test" });
  lead = actorOf(l);
  const p = await makeProject(t.db, {}, { slug: "audit-proj" });
  await t.db.insert(auditLog).values([
    { actorId: a.id, action: "user.role.change", targetType: "user", targetId: "9", at: new Date("2026-01-10T10:00:00Z") },
    {
      actorId: l.id,
      action: "judgment.reject",
      targetType: "judgment",
      targetId: "1",
      projectId: p.id,
      at: new Date("2026-02-01T08:00:00Z"),
    },
    {
      actorId: l.id,
      action: "annotator.exclude",
      targetType: "user",
      targetId: "2",
      projectId: p.id,
      at: new Date("2026-02-02T08:00:00Z"),
    },
  ]);
});

describe("audit log page", () => {
  it("filters by action, actor, project and date range, newest first", async () => {
    const all = await listAuditPage({ db: t.db, actor: lead }, {});
    expect(all.rows.map((r) => r.action)).toEqual(["annotator.exclude", "judgment.reject", "user.role.change"]);
    expect(all.actions).toEqual(["annotator.exclude", "judgment.reject", "user.role.change"]);
    expect((await listAuditPage({ db: t.db, actor: lead }, { action: "judgment.reject" })).rows).toHaveLength(1);
    expect((await listAuditPage({ db: t.db, actor: lead }, { actor: "admin@audit.test" })).rows.map((r) => r.action)).toEqual([
      "user.role.change",
    ]);
    expect((await listAuditPage({ db: t.db, actor: lead }, { from: "2026-02-01", to: "2026-02-01" })).rows.map((r) => r.action)).toEqual([
      "judgment.reject",
    ]);
    // An unknown actor or project matches nothing, never everything.
    expect((await listAuditPage({ db: t.db, actor: lead }, { project: "audit-proj" })).rows).toHaveLength(2);
    expect((await listAuditPage({ db: t.db, actor: lead }, { actor: "nobody@audit.test" })).rows).toHaveLength(0);
    expect((await listAuditPage({ db: t.db, actor: lead }, { project: "no-such-project" })).rows).toHaveLength(0);
  });

  it("refuses annotators and researchers, and names a bad date", async () => {
    for (const role of ["annotator", "researcher"] as const) {
      const u = await makeUser(t.db, { role });
      const error = await listAuditPage({ db: t.db, actor: { id: u.id, email: u.email, name: u.name, role, locale: "en" } }, {}).catch(
        (e) => e,
      );
      expect((error as AppError).code).toBe("FORBIDDEN");
    }
    const bad = await listAuditPage({ db: t.db, actor: lead }, { from: "yesterday" }).catch((e) => e);
    expect((bad as AppError).fields).toHaveProperty("from");
  });
});
