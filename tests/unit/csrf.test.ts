import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { crossSiteRefusal } from "@/lib/security/csrf";

const req = (method: string, headers: Record<string, string>) =>
  new Request("http://arbiter.test/api/assignments/1/judgment", { method, headers: { host: "arbiter.test", ...headers } });

afterEach(() => {
  delete process.env.APP_ORIGINS;
});

describe("crossSiteRefusal", () => {
  it("lets reads through, whatever their origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"])
      expect(crossSiteRefusal(req(method, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }))).toBeNull();
  });

  it("refuses cross-site, same-site and null-origin writes, and allows our own", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(crossSiteRefusal(req(method, { "sec-fetch-site": "cross-site" }))).toMatch(/^Cross-site request refused/);
      expect(crossSiteRefusal(req(method, { "sec-fetch-site": "same-site" }))).toMatch(/^Cross-site/);
      expect(crossSiteRefusal(req(method, { origin: "null" }))).toMatch(/Origin: null/);
      expect(crossSiteRefusal(req(method, { origin: "http://arbiter.test.evil.example" }))).toMatch(/^Cross-site/);
      expect(crossSiteRefusal(req(method, { origin: "http://arbiter.test" }))).toBeNull();
      expect(crossSiteRefusal(req(method, { "sec-fetch-site": "same-origin", origin: "http://arbiter.test" }))).toBeNull();
      expect(crossSiteRefusal(req(method, {}))).toBeNull(); // not a browser
    }
  });

  it("exempts requests carrying an Authorization header (API tokens)", () => {
    expect(
      crossSiteRefusal(req("POST", { authorization: "Bearer arb_x", origin: "https://evil.example", "sec-fetch-site": "cross-site" })),
    ).toBeNull();
  });

  it("accepts the proxy's forwarded host and configured origins", () => {
    expect(crossSiteRefusal(req("POST", { origin: "https://arbiter.example.org", "x-forwarded-host": "arbiter.example.org" }))).toBeNull();
    process.env.APP_ORIGINS = "https://annotate.example.org, https://other.example.org";
    expect(crossSiteRefusal(req("POST", { origin: "https://other.example.org" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", { origin: "https://third.example.org" }))).toMatch(/^Cross-site/);
  });

  it("never throws on hostile header values", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }), (origin, site) => {
        const headers = new Headers({ host: "arbiter.test" });
        try {
          headers.set("origin", origin);
          headers.set("sec-fetch-site", site);
        } catch {
          return; // not a valid header value: a client cannot send it
        }
        const r = crossSiteRefusal(new Request("http://arbiter.test/", { method: "POST", headers }));
        expect(r === null || r.startsWith("Cross-site request refused")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
