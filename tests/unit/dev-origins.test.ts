import os from "node:os";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain JS config without a declaration file
import nextConfig from "@/next.config.js";

describe("npm run dev answers its own pages on every address it prints", () => {
  it("next.config.js allows localhost, 127.0.0.1 and this machine's network addresses", () => {
    const allowed = (nextConfig as { allowedDevOrigins?: string[] }).allowedDevOrigins ?? [];
    expect(allowed).toEqual(expect.arrayContaining(["localhost", "127.0.0.1"]));
    const network = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === "IPv4")
      .map((i) => i!.address);
    for (const address of network) expect(allowed).toContain(address);
  });

  it("derives the list from the configuration, not from one hard-coded host", async () => {
    const { allowedDevOrigins } = await import("@/lib/config/dev-origins.mjs");
    const list = allowedDevOrigins(
      { NEXTAUTH_URL: "http://arbiter.lan:3000", APP_ORIGINS: "https://annotate.example.org, http://10.1.2.3:8080" },
      {
        eth0: [
          { address: "192.168.7.20", family: "IPv4", internal: false },
          { address: "fe80::1", family: "IPv6", internal: false, scopeid: 2 },
        ],
        lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
      },
    );
    expect(list).toEqual(
      expect.arrayContaining(["localhost", "127.0.0.1", "arbiter.lan", "annotate.example.org", "10.1.2.3", "192.168.7.20"]),
    );
    expect(list).not.toContain("");
  });
});
