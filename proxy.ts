/**
 * Pages only (never /api, never static files — the annotation API must not pay for it):
 *
 * 1. The Content-Security-Policy with a fresh nonce per request, which Next.js puts on
 *    its own scripts (lib/security/headers.ts says why each directive is what it is).
 * 2. An optimistic redirect to sign-in when there is no session cookie at all. It never
 *    reads the database and is never the only check: every page, action and route
 *    re-checks.
 */
import { NextResponse, type NextRequest } from "next/server";
import { pageCsp } from "@/lib/security/headers";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const PUBLIC_PAGES = new Set(["/signin", "/signout"]);

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp(nonce, { dev: process.env.NODE_ENV === "development", oidcIssuer: process.env.OIDC_ISSUER });
  const { pathname } = request.nextUrl;
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  let response: NextResponse;
  if (hasSession || PUBLIC_PAGES.has(pathname)) {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  } else {
    const url = request.nextUrl.clone();
    const callbackUrl = `${pathname}${request.nextUrl.search}`;
    url.pathname = "/signin";
    url.search = callbackUrl === "/" ? "" : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    response = NextResponse.redirect(url);
  }
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Pages only: API routes answer 401 themselves and get their headers from next.config.js.
  matcher: ["/((?!api/|_next/|favicon\\.ico|robots\\.txt).*)"],
};
