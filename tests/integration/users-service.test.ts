import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import type { Role } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/context";
import { changeUserRole, createUser, listUsersPage, setUserActive } from "@/lib/services/users";
import { makeActors, makeUser } from "../factories";
import { codeOf } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let actors: Record<Role, Actor>;

beforeAll(async () => {
  t = await useTestDatabase();
  actors = await makeActors(t.db);
});

const ctx = (role: Role) => ({ db: t.db, actor: actors[role] });

describe("user management", () => {
  it("refuses the wrong roles: annotators and researchers manage nobody", async () => {
    for (const role of ["annotator", "researcher"] as const) {
      expect(await codeOf(createUser(ctx(role), { email: `x-${role}@example.test`, role: "annotator" }))).toBe("FORBIDDEN");
      expect(await codeOf(setUserActive(ctx(role), { userId: actors.annotator.id, active: false }))).toBe("FORBIDDEN");
      expect(await codeOf(changeUserRole(ctx(role), { userId: actors.annotator.id, role: "admin" }))).toBe("FORBIDDEN");
      expect(await codeOf(listUsersPage(ctx(role), {}))).toBe("FORBIDDEN");
    }
  });

  it("lets a lead create and deactivate annotators only, and never change roles", async () => {
    const created = await createUser(ctx("lead"), { email: "new-annotator@example.test", role: "annotator" });
    expect(created.generatedPassword).toMatch(/^[\w-]{16}$/);
    expect(await codeOf(createUser(ctx("lead"), { email: "new-lead@example.test", role: "lead" }))).toBe("FORBIDDEN");
    expect(await codeOf(setUserActive(ctx("lead"), { userId: actors.researcher.id, active: false }))).toBe("FORBIDDEN");
    expect(await codeOf(changeUserRole(ctx("lead"), { userId: created.user.id, role: "researcher" }))).toBe("FORBIDDEN");
    const deactivated = await setUserActive(ctx("lead"), { userId: created.user.id, active: false });
    expect(deactivated.active).toBe(false);
    // Deactivation also ends the user's sessions.
    expect(deactivated.sessionVersion).toBe(1);
  });

  it("records every change in the audit log", async () => {
    const u = await makeUser(t.db);
    await changeUserRole(ctx("admin"), { userId: u.id, role: "researcher" });
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(u.id)));
    expect(entries).toEqual([
      expect.objectContaining({
        action: "user.role.change",
        actorId: actors.admin.id,
        details: { email: u.email, from: "annotator", to: "researcher" },
      }),
    ]);
  });

  it("does not let anyone change their own role or deactivate themselves", async () => {
    expect(await codeOf(changeUserRole(ctx("admin"), { userId: actors.admin.id, role: "annotator" }))).toBe("FORBIDDEN");
    expect(await codeOf(setUserActive(ctx("admin"), { userId: actors.admin.id, active: false }))).toBe("FORBIDDEN");
  });

  it("validates input and names the field; bad input changes nothing", async () => {
    const before = await t.db.select().from(users);
    const error = await createUser(ctx("admin"), { email: "not-an-email", role: "wizard" }).catch((e: AppError) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION");
    expect(Object.keys((error as AppError).fields!)).toEqual(expect.arrayContaining(["email", "role"]));
    expect(await t.db.select().from(users)).toHaveLength(before.length);
  });

  it("refuses a duplicate email with a conflict", async () => {
    expect(await codeOf(createUser(ctx("admin"), { email: actors.lead.email.toUpperCase(), role: "annotator" }))).toBe("CONFLICT");
  });

  it("finds users by a fragment of the email or name, Chinese included", async () => {
    await makeUser(t.db, { email: "wang@example.test", name: "王小明" });
    const page = await listUsersPage(ctx("lead"), { search: "小明" });
    expect(page.rows.map((r) => r.email)).toEqual(["wang@example.test"]);
  });
});
