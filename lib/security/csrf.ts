/**
 * Cross-site request forgery check for cookie-authenticated writes to route handlers.
 *
 * A browser attaches the session cookie to a request another site makes it send; the
 * session cookie is SameSite=Lax, which already stops cross-site POSTs, but not
 * same-site ones (a sibling subdomain) or old browsers. This check refuses any
 * state-changing request whose browser-set headers say it did not come from our own
 * origin. It reads headers only — no database, no crypto — so it costs microseconds on
 * the annotation API.
 *
 * - GET, HEAD, OPTIONS never change state here: not checked.
 * - A request with an Authorization header is a script using an API token (apiActorFor
 *   never falls back to the cookie then), and a cross-site page cannot add that header
 *   without a CORS preflight we never answer: exempt.
 * - `Sec-Fetch-Site` (every current browser sends it; pages cannot forge it) must be
 *   `same-origin` (or `none`: typed by the user).
 * - Otherwise `Origin`, when present, must be this app's own origin: the Host (or
 *   X-Forwarded-Host) of the request, or NEXTAUTH_URL / APP_ORIGINS. `Origin: null`
 *   (sandboxed frames, privacy redirects) is refused.
 * - Neither header: not a browser (curl with a copied cookie), so not a forgery: allowed.
 *
 * Server actions get the same check from Next.js itself (Origin against Host), and
 * next-auth's sign-in and sign-out posts carry its double-submit CSRF token.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function configuredHosts(): string[] {
  const hosts: string[] = [];
  for (const value of [process.env.NEXTAUTH_URL, ...(process.env.APP_ORIGINS ?? "").split(",")]) {
    const v = value?.trim();
    if (!v) continue;
    try {
      hosts.push(new URL(v).host);
    } catch {
      // A malformed setting allows nothing.
    }
  }
  return hosts;
}

let cachedHosts: { key: string; hosts: string[] } | null = null;
function allowedHosts(): string[] {
  const key = `${process.env.NEXTAUTH_URL ?? ""}|${process.env.APP_ORIGINS ?? ""}`;
  if (cachedHosts?.key !== key) cachedHosts = { key, hosts: configuredHosts() };
  return cachedHosts.hosts;
}

/** Why this request must be refused as cross-site, or null when it may proceed. */
export function crossSiteRefusal(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const headers = request.headers;
  if (headers.has("authorization")) return null;
  const site = headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin" || site === "none") return null;
    return `Cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 20)}). Cookie-signed writes are accepted only from Arbiter's own pages; scripts use an API token.`;
  }
  const origin = headers.get("origin");
  if (origin === null) return null;
  let host: string | null = null;
  try {
    host = origin === "null" ? null : new URL(origin).host;
  } catch {
    host = null;
  }
  if (host !== null) {
    const own = [headers.get("x-forwarded-host")?.split(",")[0]?.trim(), headers.get("host")];
    if (own.includes(host) || allowedHosts().includes(host)) return null;
  }
  return `Cross-site request refused (Origin: ${origin.slice(0, 100)}). Cookie-signed writes are accepted only from Arbiter's own pages; scripts use an API token.`;
}
