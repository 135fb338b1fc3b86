/**
 * Rate limits kept in PostgreSQL: API token creation and sign-in hold
 * across several app instances — here two separate connection pools on one database,
 * as two processes would have — and the two kinds of key never collide.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/db/client";
import { rateLimitKey } from "@/db/queries/rate-limit";
import { apiTokens, signInThrottle } from "@/db/schema";
import { THROTTLE, verifyCredentials } from "@/lib/auth/sign-in";
import type { Actor } from "@/lib/services/context";
import { createApiToken, TOKEN_CREATE_LIMIT } from "@/lib/services/tokens";
import { actorOf, makeUser, TEST_PASSWORD } from "../factories";
import { codeAndMessageOf } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

let t: TestDatabase;
let other: { db: Db; pool: { end(): Promise<void> } };
beforeAll(async () => {
  t = await useTestDatabase();
  other = createDb(t.url, 2); // a second app instance
});
afterAll(async () => {
  await other.pool.end();
});

async function researcher(): Promise<Actor> {
  const u = await makeUser(t.db, { role: "researcher", passwordHash: "x" });
  return actorOf(u);
}

describe("API token creation", () => {
  it(`allows ${TOKEN_CREATE_LIMIT.limit} an hour per user, counted across instances, then 429 with no token written`, async () => {
    const me = await researcher();
    for (let i = 0; i < TOKEN_CREATE_LIMIT.limit; i++) {
      const db = i % 2 === 0 ? t.db : other.db; // alternate between the two instances
      expect(await codeAndMessageOf(createApiToken({ db, actor: me }, { name: `t${i}`, scopes: ["stats"] }))).toBe("OK");
    }
    const refused = await codeAndMessageOf(createApiToken({ db: other.db, actor: me }, { name: "one too many", scopes: ["stats"] }));
    expect(refused).toMatch(/^RATE_LIMITED: Too many API tokens created: at most 10 an hour\. Try again in \d+ minutes\.$/);
    expect(await t.db.select().from(apiTokens).where(eq(apiTokens.userId, me.id))).toHaveLength(TOKEN_CREATE_LIMIT.limit);

    // Someone else is not affected.
    expect(await codeAndMessageOf(createApiToken({ db: t.db, actor: await researcher() }, { name: "x", scopes: ["stats"] }))).toBe("OK");

    // When the window has passed (moved back in the database, not waited for), the count restarts.
    await t.db
      .update(signInThrottle)
      .set({ firstFailedAt: sql`now() - interval '61 minutes'` })
      .where(eq(signInThrottle.key, rateLimitKey("token.create", me.id)));
    expect(await codeAndMessageOf(createApiToken({ db: t.db, actor: me }, { name: "next hour", scopes: ["stats"] }))).toBe("OK");
  });

  it("invalid requests are refused before they count", async () => {
    const me = await researcher();
    for (let i = 0; i < TOKEN_CREATE_LIMIT.limit + 5; i++) {
      expect(await codeAndMessageOf(createApiToken({ db: t.db, actor: me }, { name: "", scopes: ["stats"] }))).toMatch(/^VALIDATION/);
    }
    expect(await codeAndMessageOf(createApiToken({ db: t.db, actor: me }, { name: "ok", scopes: ["stats"] }))).toBe("OK");
  });

  it("a sign-in attempt can never touch a rate-limit key (emails are lower-cased; rate keys start upper-case)", async () => {
    const me = await researcher();
    const key = rateLimitKey("token.create", me.id);
    expect(key).toMatch(/^[A-Z]/);
    for (let i = 0; i < THROTTLE.freeFailures + 3; i++) await verifyCredentials(t.db, { email: key, password: "wrong" });
    const rows = await t.db.select().from(signInThrottle).where(eq(signInThrottle.key, key));
    expect(rows).toHaveLength(0);
    expect(await codeAndMessageOf(createApiToken({ db: t.db, actor: me }, { name: "ok", scopes: ["stats"] }))).toBe("OK");
  });
});

describe("sign-in throttle", () => {
  it("blocks an email after repeated failures on any instance, including the right password then", async () => {
    const u = await makeUser(t.db, { role: "annotator" });
    for (let i = 0; i < THROTTLE.freeFailures; i++) {
      const db = i % 2 === 0 ? t.db : other.db;
      expect(await verifyCredentials(db, { email: u.email, password: "wrong" })).toMatchObject({ ok: false });
    }
    expect(await verifyCredentials(other.db, { email: u.email, password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    expect(await verifyCredentials(t.db, { email: u.email.toUpperCase(), password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      reason: "throttled",
    });
  });

  it("refuses hostile credentials as a plain failed sign-in, never an error", async () => {
    for (const email of ["a\u0000@example.test", "\ud800@example.test", "x".repeat(100_000), "' or 1=1 --"]) {
      expect(await verifyCredentials(t.db, { email, password: "p\u0000" })).toMatchObject({ ok: false, reason: "invalid" });
    }
    expect(await verifyCredentials(t.db, { email: ["a"], password: { $ne: 1 } })).toMatchObject({ ok: false, reason: "invalid" });
  });
});
