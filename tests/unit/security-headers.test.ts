import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
// @ts-expect-error -- a plain JS config without a declaration file
import nextConfigJs from "@/next.config.js";
import { pageCsp } from "@/lib/security/headers";
import { config as proxyConfig } from "@/proxy";

const nextConfig = nextConfigJs as NextConfig;

describe("security headers", () => {
  it("every response gets nosniff, a referrer policy, no framing and a permissions policy; the API a deny-all CSP", async () => {
    const rules = await nextConfig.headers!();
    const all = Object.fromEntries(rules.find((r) => r.source === "/:path*")!.headers.map((h) => [h.key, h.value]));
    expect(all).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      "X-Frame-Options": "DENY",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    expect(all["Permissions-Policy"]).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
    const api = rules.find((r) => r.source === "/api/:path*")!.headers.find((h) => h.key === "Content-Security-Policy")!.value;
    expect(api).toContain("default-src 'none'");
    expect(api).toContain("frame-ancestors 'none'");
  });

  it("pages: scripts only by nonce, never inline or eval in production; no framing; images only from us", () => {
    const csp = pageCsp("abc123");
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d]));
    expect(directives["script-src"]).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(directives["script-src"]).not.toContain("unsafe-inline");
    expect(directives["script-src"]).not.toContain("unsafe-eval");
    expect(directives["frame-ancestors"]).toBe("frame-ancestors 'none'");
    expect(directives["object-src"]).toBe("object-src 'none'");
    expect(directives["base-uri"]).toBe("base-uri 'self'");
    expect(directives["img-src"]).toBe("img-src 'self' data: blob:");
    expect(pageCsp("n", { dev: true })).toContain("'unsafe-eval'");
    expect(pageCsp("n", { oidcIssuer: "https://id.example.org/realms/x" })).toContain("form-action 'self' https://id.example.org");
  });

  it("the proxy (and its per-request work) never runs on the API or static files", () => {
    const matcher = new RegExp(`^${proxyConfig.matcher[0]!}$`);
    for (const path of ["/api/projects/demo/tasks/next", "/api/assignments/1/judgment", "/_next/static/x.js", "/favicon.ico"])
      expect(matcher.test(path)).toBe(false);
    for (const path of ["/", "/signin", "/annotate/demo", "/review"]) expect(matcher.test(path)).toBe(true);
  });
});
