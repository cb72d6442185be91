import type { NextConfig } from "next";
import { API_CSP, BASE_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // NEXT_DIST_DIR lets parallel e2e runs (several engineers on one machine) build into separate folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // `npm test` type-checks the whole project once (npm run typecheck); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages with native parts or dynamic requires stay out of the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "pg-boss"],
  // every response: nosniff, no framing, referrer and permissions policy; API answers also a deny-all
  // CSP (pages get theirs, with a nonce, from proxy.ts)
  async headers() {
    return [
      { source: "/:path*", headers: BASE_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
