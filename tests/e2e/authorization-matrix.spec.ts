/**
 * The authorisation matrix: every page and every API route, called as each
 * role, anonymously and with API tokens (valid and scoped, revoked, expired), checked
 * against ONE table derived from lib/auth/permissions.ts. The matrix is printed so the
 * closing note can quote it.
 *
 * Pages: allowed = 200; refused = 403 for a signed-in role, a redirect to /signin when
 * anonymous (tokens are never accepted by pages). APIs: allowed = anything but 401/403
 * (harmless bodies and missing ids answer 200/204/400/404/422 once past the check);
 * refused = 401 anonymous or bad token, 403 wrong role or scope.
 */
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { actsOnAllProjects, can, type Permission, type Role } from "../../lib/auth/permissions";
import { SCOPE_PERMISSIONS, type TokenScope } from "../../lib/auth/tokens";
import { E2E_BASE_URL } from "./config";
import { queryAppDb as query } from "./db";
import { SignInPage } from "./pages/sign-in-page";
import { TokensPage } from "./pages/tokens-page";

const P = "demo-roleplay";

/**
 * THE expected table. `permission`: what the entry needs (null = any signed-in user,
 * "public" = anyone); `token`: whether the route accepts API tokens (apiActorFor).
 */
const PAGES: { path: string; permission: Permission | null }[] = [
  { path: "/", permission: null },
  { path: "/history", permission: null },
  { path: "/projects", permission: "project.read" },
  { path: `/projects/${P}`, permission: "project.read" },
  { path: `/projects/${P}/items`, permission: "project.read" },
  { path: `/projects/${P}/import`, permission: "item.import" },
  { path: `/projects/${P}/export`, permission: "export.create" },
  { path: `/projects/${P}/dashboard`, permission: "stats.read" },
  { path: `/projects/${P}/settings`, permission: "project.write" },
  { path: "/characters", permission: "character.read" },
  { path: "/users", permission: "user.read" },
  { path: "/audit", permission: "audit.read" },
  { path: "/review", permission: "judgment.review" },
  { path: "/annotators", permission: "annotator.manage" },
  { path: "/gold", permission: "judgment.review" },
  { path: "/tokens", permission: "token.create" },
  { path: `/projects/${P}/generate`, permission: "generation.create" },
  { path: "/endpoints", permission: "endpoint.read" },
];

type Api = {
  method: "GET" | "POST" | "PUT" | "PATCH";
  path: string;
  permission: Permission | null | "public";
  token: boolean;
  body?: string;
  contentType?: string;
};

/** Side-effect-free calls: dry runs, invalid kinds, ids and slugs that do not exist (checked after authorisation). */
const APIS: Api[] = [
  { method: "GET", path: "/api/health", permission: "public", token: false },
  { method: "GET", path: "/api/auth/session", permission: "public", token: false },
  { method: "GET", path: "/api/me", permission: null, token: false },
  { method: "GET", path: "/api/users", permission: "user.read", token: false },
  { method: "GET", path: "/api/me/history", permission: "task.annotate", token: true },
  { method: "POST", path: "/api/projects/no-such-project/tasks/next", permission: "task.annotate", token: true, body: "{}" },
  { method: "GET", path: "/api/judgments/999999999", permission: "task.annotate", token: true },
  { method: "POST", path: "/api/judgments/999999999/edit", permission: "task.annotate", token: true, body: "{}" },
  { method: "POST", path: "/api/assignments/999999999/skip", permission: "task.annotate", token: true, body: '{"reason":"other"}' },
  { method: "POST", path: "/api/assignments/999999999/judgment", permission: "task.annotate", token: true, body: "{}" },
  {
    method: "POST",
    path: `/api/projects/${P}/import?dryRun=1`,
    permission: "item.import",
    token: true,
    body: "",
    contentType: "application/x-ndjson",
  },
  { method: "GET", path: `/api/projects/${P}/stats`, permission: "stats.read", token: true },
  { method: "GET", path: `/api/projects/${P}/exports`, permission: "export.create", token: true },
  { method: "POST", path: `/api/projects/${P}/exports`, permission: "export.create", token: true, body: '{"kind":"none"}' },
  { method: "POST", path: `/api/projects/${P}/exports/preview`, permission: "export.create", token: true, body: '{"kind":"none"}' },
  { method: "GET", path: `/api/projects/${P}/exports/dpo?split=train`, permission: "export.create", token: true },
  { method: "GET", path: "/api/exports/999999999/download", permission: "export.create", token: true },
  { method: "GET", path: `/api/projects/${P}/generations`, permission: "generation.create", token: true },
  { method: "POST", path: `/api/projects/${P}/generations`, permission: "generation.create", token: true, body: '{"endpoints":[]}' },
  { method: "GET", path: "/api/generations/999999999", permission: "generation.create", token: true },
  { method: "POST", path: "/api/generations/999999999/cancel", permission: "generation.create", token: true, body: "{}" },
  { method: "POST", path: "/api/generations/999999999/retry", permission: "generation.create", token: true, body: "{}" },
  { method: "GET", path: "/api/endpoints", permission: "endpoint.read", token: false },
  { method: "POST", path: "/api/endpoints", permission: "endpoint.write", token: false, body: "{}" },
  { method: "POST", path: "/api/endpoints/no-such-endpoint/test", permission: "endpoint.write", token: false, body: "{}" },
  { method: "PUT", path: "/api/endpoints/no-such-endpoint", permission: "endpoint.write", token: false, body: "{}" },
  { method: "PATCH", path: "/api/endpoints/no-such-endpoint", permission: "endpoint.write", token: false, body: "{}" },
  { method: "GET", path: `/api/projects/${P}/live-leaderboard`, permission: "stats.read", token: true },
  { method: "POST", path: "/api/projects/no-such-project/sessions", permission: "task.annotate", token: true, body: "{}" },
  { method: "GET", path: "/api/sessions/999999999", permission: "task.annotate", token: true },
  { method: "POST", path: "/api/sessions/999999999/turns", permission: "task.annotate", token: true, body: '{"text":"hello"}' },
  { method: "GET", path: "/api/sessions/999999999/turns/1/stream", permission: "task.annotate", token: true },
  { method: "POST", path: "/api/sessions/999999999/turns/1/judgment", permission: "task.annotate", token: true, body: '{"strength":-1}' },
  { method: "POST", path: "/api/sessions/999999999/turns/1/candidates/A/regenerate", permission: "task.annotate", token: true, body: "{}" },
  { method: "POST", path: "/api/sessions/999999999/end", permission: "task.annotate", token: true, body: "{}" },
  {
    method: "POST",
    path: "/api/sessions/999999999/turns/1/freeze",
    permission: "live.freeze",
    token: true,
    body: '{"targetProject":"no-such-project"}',
  },
];

const ROLE_SUBJECTS = ["annotator", "researcher", "lead", "admin"] as const satisfies readonly Role[];
/** The valid token: a researcher's, scoped to export and stats only (so import/annotate show the scope refusal). */
const TOKEN_OWNER: Role = "researcher";
const TOKEN_SCOPES: TokenScope[] = ["export", "stats"];
type Subject = "anonymous" | Role | "token" | "revoked token" | "expired token";
const SUBJECTS: Subject[] = ["anonymous", ...ROLE_SUBJECTS, "token", "revoked token", "expired token"];

type Expect = "allow" | 401 | 403 | "signin";

function expectedPage(permission: Permission | null, who: Subject): Expect {
  if (!(ROLE_SUBJECTS as readonly string[]).includes(who)) return "signin";
  return permission === null || can(who as Role, permission) ? "allow" : 403;
}

function expectedApi(api: Api, who: Subject): Expect {
  if (api.permission === "public") return "allow";
  if (who === "anonymous" || who === "revoked token" || who === "expired token") return 401;
  if (who === "token") {
    // Routes without token support never look at the header: no cookie, so 401.
    if (!api.token) return 401;
    if (api.permission === null) return "allow";
    const scoped = TOKEN_SCOPES.some((s) => SCOPE_PERMISSIONS[s] === api.permission);
    return scoped && can(TOKEN_OWNER, api.permission) ? "allow" : 403;
  }
  return api.permission === null || can(who, api.permission) ? "allow" : 403;
}

function matches(expected: Expect, status: number, location: string | null): boolean {
  if (expected === "signin") return status >= 300 && status < 400 && /\/signin/.test(location ?? "");
  if (expected === "allow") return status !== 401 && status !== 403 && status < 500;
  return status === expected;
}

test.describe("authorisation matrix", () => {
  test("every page and API route, as every role and with tokens, matches the table", async ({ browser }) => {
    test.setTimeout(240_000);
    const clients = new Map<Subject, APIRequestContext>();
    const closers: (() => Promise<void>)[] = [];

    clients.set("anonymous", await playwrightRequest.newContext({ baseURL: E2E_BASE_URL }));
    for (const role of ROLE_SUBJECTS) {
      const context = await browser.newContext();
      closers.push(() => context.close());
      await new SignInPage(await context.newPage()).signInAs(role);
      clients.set(role, context.request);
    }

    // Tokens are made the way a user makes them: on the token page, as the researcher.
    const ownerContext = await browser.newContext();
    closers.push(() => ownerContext.close());
    const ownerPage = await ownerContext.newPage();
    await new SignInPage(ownerPage).signInAs(TOKEN_OWNER as "researcher");
    const tokens = new TokensPage(ownerPage);
    await tokens.goto();
    const stamp = Date.now();
    const valid = await tokens.create({ name: `matrix-valid-${stamp}`, scopes: TOKEN_SCOPES, expiresInDays: 30 });
    const revoked = await tokens.create({ name: `matrix-revoked-${stamp}`, scopes: TOKEN_SCOPES, expiresInDays: 30 });
    await tokens.revoke(`matrix-revoked-${stamp}`);
    const expired = await tokens.create({ name: `matrix-expired-${stamp}`, scopes: TOKEN_SCOPES, expiresInDays: 1 });
    // Expiry cannot be set in the past from the page; move it there in the database.
    await query("update api_tokens set expires_at = now() - interval '1 minute' where name = $1", [`matrix-expired-${stamp}`]);
    for (const [who, secret] of [
      ["token", valid],
      ["revoked token", revoked],
      ["expired token", expired],
    ] as const) {
      clients.set(
        who,
        await playwrightRequest.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } }),
      );
    }

    const rows: { entry: string; results: Record<string, string> }[] = [];
    const failures: string[] = [];
    const check = (entry: string, who: Subject, expected: Expect, status: number, location: string | null) => {
      const ok = matches(expected, status, location);
      const shown = status >= 300 && status < 400 ? `${status}→signin` : String(status);
      (rows.find((r) => r.entry === entry) ?? rows[rows.push({ entry, results: {} }) - 1]!).results[who] = ok ? shown : `${shown}✗`;
      if (!ok) failures.push(`${entry} as ${who}: expected ${expected}, got ${status}${location ? ` → ${location}` : ""}`);
    };

    for (const { path, permission } of PAGES) {
      for (const who of SUBJECTS) {
        const response = await clients.get(who)!.get(path, { maxRedirects: 0 });
        check(`page ${path}`, who, expectedPage(permission, who), response.status(), response.headers().location ?? null);
      }
    }
    for (const api of APIS) {
      for (const who of SUBJECTS) {
        const response = await clients.get(who)!.fetch(api.path, {
          method: api.method,
          maxRedirects: 0,
          ...(api.body !== undefined ? { data: api.body, headers: { "content-type": api.contentType ?? "application/json" } } : {}),
        });
        check(`${api.method} ${api.path}`, who, expectedApi(api, who), response.status(), response.headers().location ?? null);
      }
    }

    const width = Math.max(...rows.map((r) => r.entry.length));
    const lines = [
      ["".padEnd(width), ...SUBJECTS.map((s) => s.padEnd(14))].join(" | "),
      ...rows.map((r) => [r.entry.padEnd(width), ...SUBJECTS.map((s) => (r.results[s] ?? "").padEnd(14))].join(" | ")),
    ];
    console.log(`Authorisation matrix (token = ${TOKEN_OWNER}'s, scopes ${TOKEN_SCOPES.join("+")}; ✗ = mismatch)\n${lines.join("\n")}`);

    // The valid token's use is recorded; the revoked and expired ones were never accepted.
    const used = await query<{ name: string; last_used_at: Date | null }>("select name, last_used_at from api_tokens where name like $1", [
      `matrix-%-${stamp}`,
    ]);
    expect(used.find((u) => u.name.startsWith("matrix-valid"))?.last_used_at).not.toBeNull();
    expect(used.filter((u) => !u.name.startsWith("matrix-valid")).every((u) => u.last_used_at === null)).toBe(true);

    for (const client of [...clients.entries()].filter(([who]) => !(ROLE_SUBJECTS as readonly string[]).includes(who)))
      await client[1].dispose();
    for (const close of closers) await close();
    expect(failures, failures.join("\n")).toEqual([]);
  });

  test("a project-restricted token is refused on other projects and on project-less routes", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await new SignInPage(page).signInAs("researcher");
    const tokens = new TokensPage(page);
    await tokens.goto();
    const secret = await tokens.create({
      name: `matrix-project-${Date.now()}`,
      scopes: ["stats", "export"],
      projectSlug: P,
      expiresInDays: 7,
    });
    const api = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
    expect((await api.get(`/api/projects/${P}/stats`)).status()).toBe(200);
    expect((await api.get("/api/projects/some-other-project/stats")).status()).toBe(403);
    expect((await api.get("/api/exports/999999999/download")).status()).toBe(403);
    // A malformed header is a 401, never a fall-back to a cookie.
    const malformed = await context.request.get(`/api/projects/${P}/stats`, { headers: { authorization: "Token abc" } });
    expect(malformed.status()).toBe(401);
    await api.dispose();
    await context.close();
  });

  test("another team's project: researchers and leads who are not members get 404 everywhere, admins get in", async ({ browser }) => {
    test.setTimeout(180_000);
    // A second project (a copy of the demo's settings) that no demo user is a member of.
    const OTHER = "other-team";
    await query(
      `insert into projects (slug, name, status, mode, scale_points, overlap, settings)
       select $1, 'Another team', status, mode, scale_points, overlap, settings from projects where slug = $2
       on conflict (slug) do nothing`,
      [OTHER, P],
    );
    const onOther = (path: string) => path.replaceAll(`/${P}`, `/${OTHER}`);
    const pages = PAGES.filter((p) => p.path.includes(`/${P}`)).map((p) => ({ ...p, path: onOther(p.path) }));
    // Well-formed bodies here: a malformed one is refused (400) before any project is looked up.
    const apis = APIS.filter((a) => a.path.includes(`/${P}`)).map((a) => ({
      ...a,
      path: onOther(a.path),
      body: a.body?.replace('"none"', '"dpo"'),
    }));
    const failures: string[] = [];
    for (const role of ["researcher", "lead", "admin"] as const) {
      const context = await browser.newContext();
      await new SignInPage(await context.newPage()).signInAs(role);
      const clients: [string, APIRequestContext][] = [[role, context.request]];
      let tokenClient: APIRequestContext | null = null;
      if (role !== "admin") {
        // The staff member's own unrestricted token reaches no further than they do.
        const page = await context.newPage();
        const tokens = new TokensPage(page);
        await tokens.goto();
        const secret = await tokens.create({
          name: `scope-${role}-${Date.now()}`,
          scopes: ["export", "stats", "import", "generate"],
          expiresInDays: 1,
        });
        tokenClient = await playwrightRequest.newContext({
          baseURL: E2E_BASE_URL,
          extraHTTPHeaders: { authorization: `Bearer ${secret}` },
        });
        clients.push([`${role} token`, tokenClient]);
      }
      const outside = !actsOnAllProjects(role);
      for (const [who, client] of clients) {
        if (!who.endsWith("token")) {
          for (const { path, permission } of pages) {
            if (permission !== null && !can(role, permission)) continue;
            const status = (await client.get(path, { maxRedirects: 0 })).status();
            if (outside ? status !== 404 : status !== 200) failures.push(`page ${path} as ${who}: ${status}`);
          }
          const list = await (await client.get("/projects")).text();
          if (outside === list.includes(OTHER)) failures.push(`/projects as ${who} ${outside ? "lists" : "does not list"} ${OTHER}`);
        }
        for (const api of apis) {
          if (api.permission !== null && api.permission !== "public" && !can(role, api.permission)) continue;
          const response = await client.fetch(api.path, {
            method: api.method,
            maxRedirects: 0,
            ...(api.body !== undefined ? { data: api.body, headers: { "content-type": api.contentType ?? "application/json" } } : {}),
          });
          const status = response.status();
          if (outside ? status !== 404 : status === 404 || status === 401 || status === 403)
            failures.push(`${api.method} ${api.path} as ${who}: ${status}`);
        }
      }
      await tokenClient?.dispose();
      await context.close();
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
