import { afterEach, describe, expect, it, vi } from "vitest";

const OIDC = {
  OIDC_ISSUER: "https://login.example.test/realms/arbiter/",
  OIDC_CLIENT_ID: "arbiter",
  OIDC_CLIENT_SECRET: "s3cret",
  OIDC_NAME: "Company SSO",
};

async function freshOptions() {
  vi.resetModules();
  return (await import("@/lib/auth/options")).authOptions;
}

describe("next-auth options", () => {
  afterEach(() => {
    for (const key of Object.keys(OIDC)) delete process.env[key];
  });

  it("offers email + password only, with JWT sessions and our sign-in page", async () => {
    const options = await freshOptions();
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
    expect(options.session?.strategy).toBe("jwt");
    expect(options.pages?.signIn).toBe("/signin");
  });

  it("adds the OpenID Connect provider when its three variables are set", async () => {
    Object.assign(process.env, OIDC);
    const options = await freshOptions();
    const oidc = options.providers.find((p) => p.id === "oidc") as unknown as {
      wellKnown: string;
      name: string;
      options?: { clientId?: string };
    };
    expect(oidc).toBeDefined();
    expect(oidc.wellKnown).toBe("https://login.example.test/realms/arbiter/.well-known/openid-configuration");
    expect(oidc.name).toBe("Company SSO");
  });

  it("stays off when only some OIDC variables are set", async () => {
    process.env.OIDC_ISSUER = OIDC.OIDC_ISSUER;
    const options = await freshOptions();
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
  });

  it("copies id, role and session version onto the token at credentials sign-in", async () => {
    const options = await freshOptions();
    const token = await options.callbacks!.jwt!({
      token: {},
      user: { id: "7", role: "lead", sessionVersion: 3 } as never,
      account: { provider: "credentials", type: "credentials", providerAccountId: "7" },
    } as never);
    expect(token).toMatchObject({ uid: 7, role: "lead", sv: 3 });
  });
});
