import { describe, expect, it } from "vitest";
import { safeCallback } from "@/lib/auth/redirect";

const ORIGIN = "http://localhost:3000";

/** Values that browsers (or URL parsers) resolve to another origin. */
const BYPASSES = [
  "//evil.example",
  "/\\evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/\tevil.example",
  "/\t/evil.example",
  "/%09/evil.example",
  "\t//evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "https:evil.example",
  "https://evil.example/",
  "HTTPS://evil.example",
  "hTtP://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\/evil.example",
  " //evil.example",
  "//evil.example@localhost:3000",
  "http://localhost:3000@evil.example/",
  "/.//evil.example",
  "data:text/html,<script>alert(1)</script>",
];

describe("safeCallback", () => {
  it.each(BYPASSES)("sends %j home, and what it returns stays on our origin in a browser", (value) => {
    const result = safeCallback(value, ORIGIN);
    expect(result).toBe("/");
  });

  it.each([
    ["/projects", "/projects"],
    ["/projects/demo?tab=items#top", "/projects/demo?tab=items#top"],
    ["/annotate/demo-pairwise", "/annotate/demo-pairwise"],
    ["/%E4%B8%AD", "/%E4%B8%AD"],
  ])("keeps the same-origin path %j", (value, expected) => {
    expect(safeCallback(value, ORIGIN)).toBe(expected);
  });

  it("turns an absolute URL on our own origin into its path", () => {
    expect(safeCallback(`${ORIGIN}/projects?x=1`, ORIGIN)).toBe("/projects?x=1");
  });

  it("goes home for nothing, arrays take the first value", () => {
    expect(safeCallback(undefined, ORIGIN)).toBe("/");
    expect(safeCallback("", ORIGIN)).toBe("/");
    expect(safeCallback(["/a", "/b"], ORIGIN)).toBe("/a");
  });

  it("whatever it returns, a browser resolving it against our origin stays on our origin", () => {
    for (const value of [...BYPASSES, "/ok", "/a/../b"]) {
      const result = safeCallback(value, ORIGIN);
      expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
      expect(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\")).toBe(true);
    }
  });
});
