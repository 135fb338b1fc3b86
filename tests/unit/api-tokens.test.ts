import { describe, expect, it } from "vitest";
import { can } from "@/lib/auth/permissions";
import {
  generateToken,
  hashToken,
  isTokenShaped,
  SCOPE_PERMISSIONS,
  scopesAllow,
  TOKEN_SCOPES,
  tokenDisplayPrefix,
} from "@/lib/auth/tokens";

describe("API token helpers", () => {
  it("generates distinct, well-formed tokens with a stable hash and a short prefix", () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).not.toBe(b);
    expect(isTokenShaped(a)).toBe(true);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
    expect(tokenDisplayPrefix(a)).toHaveLength(12);
    expect(a.startsWith(tokenDisplayPrefix(a))).toBe(true);
  });

  it("rejects strings that are not tokens", () => {
    for (const s of ["", "arb_", "Bearer x", `arb_${"a".repeat(42)}`, `xyz_${"a".repeat(43)}`, `arb_${"a".repeat(42)}=`])
      expect(isTokenShaped(s)).toBe(false);
  });

  it("maps each scope to one permission that every staff role has", () => {
    expect(SCOPE_PERMISSIONS).toEqual({
      import: "item.import",
      export: "export.create",
      stats: "stats.read",
      annotate: "task.annotate",
      generate: "generation.create",
    });
    for (const scope of TOKEN_SCOPES) expect(can("researcher", SCOPE_PERMISSIONS[scope])).toBe(true);
    expect(scopesAllow(["stats"], "stats.read")).toBe(true);
    expect(scopesAllow(["stats"], "export.create")).toBe(false);
    expect(scopesAllow(["admin"], "user.read")).toBe(false);
  });
});
