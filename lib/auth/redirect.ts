/**
 * Where to go after sign-in: a path on this app, never another site. Shared by the
 * sign-in page (server), the sign-in form (browser) and next-auth's redirect callback.
 */

/** Stands in for the app's origin where the caller does not know it: only paths survive. */
const FALLBACK_ORIGIN = "http://arbiter.invalid";

/**
 * The value as a same-origin path (`/…`), or `/`. The value is resolved against `origin`
 * with the WHATWG URL parser — the one browsers use — and kept only if the origin is
 * unchanged and the path starts with a single `/`. Backslashes and control characters are
 * refused outright (browsers read `/\` as `//` and drop tabs and newlines), and so is a
 * path that turns into `//` or `/\` once percent-decoded, in case anything on the way
 * decodes it once more.
 */
export function safeCallback(value: string | string[] | undefined | null, origin: string = FALLBACK_ORIGIN): string {
  const v = Array.isArray(value) ? value[0] : value;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (!v || /[\u0000-\u001f\u007f\\]/.test(v)) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(v, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin || url.username || url.password) return "/";
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//")) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return "/";
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/^\/[/\\]/.test(decoded) || /[\u0000-\u001f\u007f]/.test(decoded)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
