/**
 * OpenID Connect sign-in end to end through next-auth's own handler, against a provider
 * double in this process: issuer metadata, a JWKS, and ID tokens signed with node:crypto.
 * No network beyond 127.0.0.1.
 */
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import { makeUser } from "../factories";
import { useTestDatabase, type TestDatabase } from "./helpers/db";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const KID = "test-key";

/** What the provider puts in the next ID token it issues. */
let nextClaims: Record<string, unknown> = {};
let server: Server;
let issuer: string;

function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: KID }));
  const payload = b64url(JSON.stringify({ iss: issuer, aud: "arbiter-test", iat: now, exp: now + 300, ...claims }));
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${payload}`);
  return `${header}.${payload}.${b64url(signer.sign(privateKey))}`;
}

let t: TestDatabase;
type AuthHandler = (params: { req: Record<string, unknown>; options: unknown }) => Promise<{
  status?: number;
  redirect?: string;
  body?: unknown;
  cookies?: { name: string; value: string }[];
}>;
let AuthHandler: AuthHandler;
let authOptions: unknown;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return json({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: KID, use: "sig", alg: "RS256" }] });
    if (url.pathname === "/token") {
      req.resume();
      req.on("end", () =>
        json({ access_token: randomBytes(8).toString("hex"), token_type: "Bearer", expires_in: 300, id_token: idToken(nextClaims) }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  t = await useTestDatabase();
  process.env.DATABASE_URL = t.url;
  process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  process.env.NEXTAUTH_URL = "http://arbiter.test";
  process.env.OIDC_ISSUER = issuer;
  process.env.OIDC_CLIENT_ID = "arbiter-test";
  process.env.OIDC_CLIENT_SECRET = "test-secret";
  // Imported after the environment: the provider list is read from it.
  // The secret as next-auth's route wrapper fills it in from NEXTAUTH_SECRET.
  const { authOptions: options } = await import("@/lib/auth/options");
  authOptions = { ...options, secret: process.env.NEXTAUTH_SECRET };
  // next-auth's framework-free core (the App Router wrapper reads next/headers): not in its
  // package exports, so loaded by path.
  ({ AuthHandler } = createRequire(import.meta.url)(path.resolve("node_modules/next-auth/core/index.js")) as { AuthHandler: AuthHandler });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const HEADERS = { host: "arbiter.test" };

/** The whole browser round trip: CSRF token, sign-in redirect, provider callback. */
async function signInWith(claims: Record<string, unknown>) {
  nextClaims = claims;
  const jar = new Map<string, string>();
  const keep = (r: { cookies?: { name: string; value: string }[] }) => r.cookies?.forEach((c) => jar.set(c.name, c.value));
  const csrf = await AuthHandler({
    req: { action: "csrf", method: "GET", cookies: {}, headers: HEADERS, query: {} },
    options: authOptions,
  });
  keep(csrf);
  const start = await AuthHandler({
    req: {
      action: "signin",
      providerId: "oidc",
      method: "POST",
      headers: HEADERS,
      query: {},
      cookies: Object.fromEntries(jar),
      body: { csrfToken: (csrf.body as { csrfToken: string }).csrfToken, callbackUrl: "http://arbiter.test/" },
    },
    options: authOptions,
  });
  keep(start);
  const authorize = new URL(start.redirect!);
  expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
  const done = await AuthHandler({
    req: {
      action: "callback",
      providerId: "oidc",
      method: "GET",
      headers: HEADERS,
      body: {},
      query: { code: "code-123", state: authorize.searchParams.get("state")! },
      cookies: Object.fromEntries(jar),
    },
    options: authOptions,
  });
  const session = done.cookies?.find((c) => c.name.endsWith("next-auth.session-token") && c.value);
  return { redirect: done.redirect ?? "", signedIn: Boolean(session) };
}

describe("OpenID Connect sign-in", () => {
  it("links a verified email to the provider's sub on first sign-in, then signs in by that sub", async () => {
    const user = await makeUser(t.db, { email: "verified@oidc.test" });
    const first = await signInWith({ sub: "sub-verified", email: "Verified@oidc.test", email_verified: true });
    expect(first.signedIn).toBe(true);
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.oidcSubject).toBe("sub-verified");
    expect((await signInWith({ sub: "sub-verified", email: "verified@oidc.test", email_verified: true })).signedIn).toBe(true);
  });

  it("refuses an email the provider has not verified", async () => {
    const user = await makeUser(t.db, { email: "unverified@oidc.test" });
    for (const email_verified of [false, undefined, "true"]) {
      const r = await signInWith({ sub: `sub-u-${String(email_verified)}`, email: user.email, email_verified });
      expect(r.signedIn).toBe(false);
      expect(r.redirect).toContain("error=OidcUnverified");
    }
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.oidcSubject).toBeNull();
  });

  it("refuses a second sub with the same email, with a clear message and an audit entry", async () => {
    const user = await makeUser(t.db, { email: "taken@oidc.test" });
    expect((await signInWith({ sub: "sub-owner", email: user.email, email_verified: true })).signedIn).toBe(true);
    const intruder = await signInWith({ sub: "sub-intruder", email: user.email, email_verified: true });
    expect(intruder.signedIn).toBe(false);
    expect(intruder.redirect).toContain("error=OidcSubjectMismatch");
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.oidcSubject).toBe("sub-owner");
    const entries = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(user.id)));
    expect(entries.map((e) => e.action)).toContain("auth.oidc.refused");
    expect(entries.find((e) => e.action === "auth.oidc.refused")!.details).toMatchObject({ presentedSubject: "sub-intruder" });
  });
});
