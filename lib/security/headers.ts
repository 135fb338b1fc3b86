/**
 * The pages' Content-Security-Policy, set by proxy.ts with a fresh nonce per request.
 * The headers of every response (and the API's own CSP) are static, in next.config.js
 * headers(), which costs the API routes nothing per request.
 */

/**
 * The pages' policy. Scripts: only Next.js's own, which carry the per-request nonce
 * ('strict-dynamic' lets them load their chunks); no 'unsafe-inline', no eval outside
 * `next dev`. Styles keep 'unsafe-inline': React `style` attributes (charts, progress
 * bars) cannot carry a nonce, and styles cannot run code. Images only from us (a
 * Markdown image in model text cannot call out to a tracking server). form-action also
 * allows the OpenID Connect issuer, where the sign-in form's POST redirects.
 */
export function pageCsp(nonce: string, options: { dev?: boolean; oidcIssuer?: string } = {}): string {
  let issuer = "";
  if (options.oidcIssuer) {
    try {
      issuer = ` ${new URL(options.oidcIssuer).origin}`;
    } catch {
      issuer = "";
    }
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${issuer}`,
    "frame-ancestors 'none'",
  ].join("; ");
}
