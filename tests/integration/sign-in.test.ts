import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signInThrottle, users } from "@/db/schema";
import { THROTTLE, verifyCredentials } from "@/lib/auth/sign-in";
import { makeUser, TEST_PASSWORD } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

describe("verifyCredentials", () => {
  it("accepts the right password, case-insensitively on the email, and records the sign-in", async () => {
    const user = await makeUser(t.db, { email: "ok@example.test", role: "lead" });
    const result = await verifyCredentials(t.db, { email: "  OK@Example.test ", password: TEST_PASSWORD });
    expect(result).toMatchObject({ ok: true, user: { id: user.id, role: "lead", sessionVersion: 0 } });
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.lastSignInAt).not.toBeNull();
  });

  it("answers a wrong password, an unknown email and a deactivated user the same way", async () => {
    await makeUser(t.db, { email: "wrong@example.test" });
    await makeUser(t.db, { email: "inactive@example.test", active: false });
    const wrong = await verifyCredentials(t.db, { email: "wrong@example.test", password: "not-the-password" });
    const unknown = await verifyCredentials(t.db, { email: "nobody@example.test", password: TEST_PASSWORD });
    const inactive = await verifyCredentials(t.db, { email: "inactive@example.test", password: TEST_PASSWORD });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(inactive).toEqual(wrong);
  });

  it("refuses malformed input without touching the database", async () => {
    expect(await verifyCredentials(t.db, { email: "x", password: "" })).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyCredentials(t.db, null)).toEqual({ ok: false, reason: "invalid" });
  });

  it("slows repeated failures down: after the free attempts even the right password waits", async () => {
    await makeUser(t.db, { email: "target@example.test" });
    for (let i = 0; i < THROTTLE.freeFailures; i++) {
      const r = await verifyCredentials(t.db, { email: "target@example.test", password: `guess-${i}` });
      expect(r.ok).toBe(false);
    }
    const blocked = await verifyCredentials(t.db, { email: "target@example.test", password: TEST_PASSWORD });
    expect(blocked).toMatchObject({ ok: false, reason: "throttled" });
    expect((blocked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Once the block has passed, the right password works and clears the count.
    await t.db
      .update(signInThrottle)
      .set({ blockedUntil: new Date(Date.now() - 1000) })
      .where(eq(signInThrottle.key, "target@example.test"));
    expect((await verifyCredentials(t.db, { email: "target@example.test", password: TEST_PASSWORD })).ok).toBe(true);
    expect(await t.db.select().from(signInThrottle).where(eq(signInThrottle.key, "target@example.test"))).toHaveLength(0);
  });

  it("throttles unknown emails too, so the block does not reveal which emails exist", async () => {
    for (let i = 0; i < THROTTLE.freeFailures; i++) await verifyCredentials(t.db, { email: "ghost@example.test", password: "x" });
    expect(await verifyCredentials(t.db, { email: "ghost@example.test", password: "x" })).toMatchObject({ reason: "throttled" });
  });
});
