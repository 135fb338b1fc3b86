/**
 * API tokens on a real PostgreSQL: stored hashed and shown once,
 * revocable by the owner (or an admin), refused when revoked, expired or when the user is
 * inactive; limited to their scopes, their project and the user's current role.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, users } from "@/db/schema";
import { hashToken, isTokenShaped } from "@/lib/auth/tokens";
import type { Actor } from "@/lib/services/context";
import { authenticateApiToken, createApiToken, listMyTokens, revokeApiToken } from "@/lib/services/tokens";
import { actorOf, makeProjectWithStaff, makeUser } from "../factories";
import { expectCode } from "./helpers/failure";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

// Researchers and leads reach only their projects: here they are members of every project made.
const makeProject = makeProjectWithStaff(() => [researcher]);

let t: TestDatabase;
let researcher: Actor;
let other: Actor;
let admin: Actor;
let annotator: Actor;
let projectSlug: string;
let otherProjectSlug: string;
const ctx = (actor: Actor) => ({ db: t.db, actor });

beforeAll(async () => {
  t = await useTestDatabase();
  researcher = actorOf(await makeUser(t.db, { role: "researcher" }));
  other = actorOf(await makeUser(t.db, { role: "researcher" }));
  admin = actorOf(await makeUser(t.db, { role: "admin" }));
  annotator = actorOf(await makeUser(t.db, { role: "annotator" }));
  projectSlug = (await makeProject(t.db)).slug;
  otherProjectSlug = (await makeProject(t.db)).slug;
});

describe("createApiToken", () => {
  it("returns the token once and stores only its hash and a prefix", async () => {
    const created = await createApiToken(ctx(researcher), { name: "ci", scopes: ["export", "stats"], expiresInDays: 30 });
    expect(isTokenShaped(created.token)).toBe(true);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(created.token.startsWith(row!.tokenPrefix)).toBe(true);
    const listed = await listMyTokens(ctx(researcher));
    const mine = listed.find((r) => r.id === created.id)!;
    expect(mine).toMatchObject({ name: "ci", scopes: ["export", "stats"], state: "active" });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(listed)).not.toContain(row!.tokenHash);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "token.create"));
    expect(audit.some((a) => a.targetId === String(created.id) && a.actorId === researcher.id)).toBe(true);
  });

  it("refuses annotators, unknown scopes, an unknown project and a bad expiry", async () => {
    await expectCode(createApiToken(ctx(annotator), { name: "x", scopes: ["annotate"] }), "FORBIDDEN");
    await expectCode(createApiToken(ctx(researcher), { name: "x", scopes: ["admin"] }), "VALIDATION");
    await expectCode(createApiToken(ctx(researcher), { name: "x", scopes: [] }), "VALIDATION");
    await expectCode(createApiToken(ctx(researcher), { name: "x", scopes: ["stats"], expiresInDays: 0 }), "VALIDATION");
    await expectCode(createApiToken(ctx(researcher), { name: "x", scopes: ["stats"], projectSlug: "no-such-project" }), "NOT_FOUND");
  });
});

describe("authenticateApiToken", () => {
  it("acts as its user within its scopes, and records the use at most once a minute", async () => {
    const { token, id } = await createApiToken(ctx(researcher), { name: "stats", scopes: ["stats"] });
    const now = new Date();
    const actor = await authenticateApiToken(t.db, { token, permission: "stats.read", projectSlug }, now);
    expect(actor).toMatchObject({ id: researcher.id, role: "researcher" });
    await expectCode(authenticateApiToken(t.db, { token, permission: "export.create", projectSlug }), "FORBIDDEN");
    await expectCode(authenticateApiToken(t.db, { token, permission: "item.import", projectSlug }), "FORBIDDEN");
    const lastUsed = async () => (await t.db.select().from(apiTokens).where(eq(apiTokens.id, id)))[0]!.lastUsedAt;
    expect((await lastUsed())?.getTime()).toBe(now.getTime());
    await authenticateApiToken(t.db, { token, permission: "stats.read" }, new Date(now.getTime() + 30_000));
    expect((await lastUsed())?.getTime()).toBe(now.getTime());
    const later = new Date(now.getTime() + 61_000);
    await authenticateApiToken(t.db, { token, permission: "stats.read" }, later);
    expect((await lastUsed())?.getTime()).toBe(later.getTime());
  });

  it("refuses unknown and malformed tokens with 401", async () => {
    await expectCode(authenticateApiToken(t.db, { token: `arb_${"A".repeat(43)}`, permission: "stats.read" }), "UNAUTHENTICATED");
    await expectCode(authenticateApiToken(t.db, { token: "not-a-token", permission: "stats.read" }), "UNAUTHENTICATED");
  });

  it("refuses a project-restricted token on other projects and on routes without a project", async () => {
    const { token } = await createApiToken(ctx(researcher), { name: "p", scopes: ["export"], projectSlug });
    await expect(authenticateApiToken(t.db, { token, permission: "export.create", projectSlug })).resolves.toMatchObject({
      id: researcher.id,
    });
    await expectCode(authenticateApiToken(t.db, { token, permission: "export.create", projectSlug: otherProjectSlug }), "FORBIDDEN");
    await expectCode(authenticateApiToken(t.db, { token, permission: "export.create" }), "FORBIDDEN");
  });

  it("refuses expired tokens", async () => {
    const created = new Date("2026-01-01T00:00:00Z");
    const { token } = await createApiToken(ctx(researcher), { name: "short", scopes: ["stats"], expiresInDays: 1 }, created);
    await expect(authenticateApiToken(t.db, { token, permission: "stats.read" }, new Date("2026-01-01T23:00:00Z"))).resolves.toBeTruthy();
    await expectCode(authenticateApiToken(t.db, { token, permission: "stats.read" }, new Date("2026-01-02T00:00:00Z")), "UNAUTHENTICATED");
    expect((await listMyTokens(ctx(researcher))).find((r) => r.name === "short")!.state).toBe("expired");
  });

  it("uses the user's current role and refuses inactive users", async () => {
    const user = actorOf(await makeUser(t.db, { role: "researcher" }));
    const { token } = await createApiToken(ctx(user), { name: "r", scopes: ["export", "annotate"] });
    await t.db.update(users).set({ role: "annotator" }).where(eq(users.id, user.id));
    await expectCode(authenticateApiToken(t.db, { token, permission: "export.create" }), "FORBIDDEN");
    await expect(authenticateApiToken(t.db, { token, permission: "task.annotate" })).resolves.toMatchObject({ role: "annotator" });
    await t.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    await expectCode(authenticateApiToken(t.db, { token, permission: "task.annotate" }), "UNAUTHENTICATED");
  });
});

describe("revokeApiToken", () => {
  it("lets the owner revoke, after which the token is refused; audited once", async () => {
    const { token, id } = await createApiToken(ctx(researcher), { name: "gone", scopes: ["import"] });
    await expectCode(revokeApiToken(ctx(other), { tokenId: id }), "NOT_FOUND");
    await expect(revokeApiToken(ctx(researcher), { tokenId: id })).resolves.toMatchObject({ revoked: true, alreadyRevoked: false });
    await expect(revokeApiToken(ctx(researcher), { tokenId: id })).resolves.toMatchObject({ alreadyRevoked: true });
    await expectCode(authenticateApiToken(t.db, { token, permission: "item.import" }), "UNAUTHENTICATED");
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "token.revoke"));
    expect(audit.filter((a) => a.targetId === String(id))).toHaveLength(1);
    expect((await listMyTokens(ctx(researcher))).find((r) => r.id === id)!.state).toBe("revoked");
  });

  it("lets an admin revoke anyone's token", async () => {
    const { id } = await createApiToken(ctx(other), { name: "theirs", scopes: ["stats"] });
    await expect(revokeApiToken(ctx(admin), { tokenId: id })).resolves.toMatchObject({ revoked: true });
  });
});
