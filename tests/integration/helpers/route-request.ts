/**
 * Route handlers called in-process with real Requests: next/headers answers with the
 * headers and cookies of the request under test. A test file routes next/headers here with
 *   vi.mock("next/headers", async () => (await import("./helpers/route-request")).nextHeaders);
 */
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";

export const ORIGIN = "http://arbiter.test";

/** The request under test's headers, as the last routeRequest set them. */
const current = { headers: new Headers() };

/** What next/headers exports, reading the request under test. */
export const nextHeaders = {
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
};

/** How a request authenticates, and the browser's origin headers (absent: none sent, as curl). */
export type RequestAuth = { bearer?: string; cookie?: string; origin?: string; site?: string };

/**
 * A JSON request to a route handler (GET without a body, POST with one) that next/headers
 * then answers for; `extra` adds headers.
 */
export function routeRequest(pathname: string, body: BodyInit | null, auth: RequestAuth = {}, extra: Record<string, string> = {}) {
  const headers = new Headers({ host: "arbiter.test", "content-type": "application/json", ...extra });
  if (auth.bearer) headers.set("authorization", `Bearer ${auth.bearer}`);
  if (auth.cookie) headers.set("cookie", auth.cookie);
  if (auth.origin) headers.set("origin", auth.origin);
  if (auth.site) headers.set("sec-fetch-site", auth.site);
  current.headers = headers;
  const init = { method: body === null ? "GET" : "POST", headers, body, duplex: "half" };
  return new NextRequest(`${ORIGIN}${pathname}`, init as ConstructorParameters<typeof NextRequest>[1]);
}

/** The session cookie of a signed-in user, signed with NEXTAUTH_SECRET as the app signs it. */
export async function sessionCookie(userId: number): Promise<string> {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new Error("set NEXTAUTH_SECRET before making session cookies");
  return `next-auth.session-token=${await encode({ token: { uid: userId, sv: 0 }, secret })}`;
}
