/**
 * getSessionUser's fast path (the annotation API's per-request identity check): the
 * session token is decrypted once per token, but the user row is read on every request,
 * so deactivation and signing out everywhere (a bumped session version) lock the session
 * out at its next request; forged, foreign and expired tokens give no user.
 */
import { eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { users } from "@/db/schema";
import { makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const jar = new Map<string, string>();
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    has: (name: string) => jar.has(name),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
  }),
  headers: async () => new Headers(),
}));

const SECRET = "test-secret-for-the-session-fast-path";
const saved = { url: process.env.DATABASE_URL, secret: process.env.NEXTAUTH_SECRET, nextauthUrl: process.env.NEXTAUTH_URL };
let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.NEXTAUTH_SECRET = SECRET;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
});
afterAll(async () => {
  const { closeDb } = await import("@/db/client");
  await closeDb();
  for (const [key, value] of [
    ["DATABASE_URL", saved.url],
    ["NEXTAUTH_SECRET", saved.secret],
    ["NEXTAUTH_URL", saved.nextauthUrl],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function signedIn(uid: number, sv = 0, options: { maxAge?: number; secret?: string } = {}) {
  const token = await encode({ token: { uid, sv, role: "annotator" }, secret: options.secret ?? SECRET, maxAge: options.maxAge });
  jar.clear();
  jar.set("next-auth.session-token", token);
}

async function whoIsAsking() {
  const { getSessionUser } = await import("@/lib/auth/session");
  return getSessionUser();
}

describe("getSessionUser", () => {
  it("answers the active user of a valid token, and re-reads the user on every request", async () => {
    const user = await makeUser(t.db, { role: "annotator" });
    await signedIn(user.id);
    expect(await whoIsAsking()).toMatchObject({ id: user.id, role: "annotator" });
    // A role change shows at the next request (the token's role is never used).
    await t.db.update(users).set({ role: "lead" }).where(eq(users.id, user.id));
    expect(await whoIsAsking()).toMatchObject({ id: user.id, role: "lead" });
    // Deactivated: locked out at once, with the same (cached) token.
    await t.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect(await whoIsAsking()).toBeNull();
  });

  it("locks out a session whose version was bumped (signed out everywhere)", async () => {
    const user = await makeUser(t.db);
    await signedIn(user.id, 0);
    expect(await whoIsAsking()).not.toBeNull();
    await t.db.update(users).set({ sessionVersion: 1 }).where(eq(users.id, user.id));
    expect(await whoIsAsking()).toBeNull();
  });

  it("gives no user for a missing, forged, foreign or expired token", async () => {
    const user = await makeUser(t.db);
    jar.clear();
    expect(await whoIsAsking()).toBeNull();
    jar.set("next-auth.session-token", "not-a-token");
    expect(await whoIsAsking()).toBeNull();
    await signedIn(user.id, 0, { secret: "another-deployment's-secret" });
    expect(await whoIsAsking()).toBeNull();
    await signedIn(user.id, 0, { maxAge: -60 });
    expect(await whoIsAsking()).toBeNull();
  });
});
