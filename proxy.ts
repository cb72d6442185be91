/**
 * Next 16 proxy (formerly middleware): every page request gets a fresh CSP nonce.
 *
 * Why this exists: Next only puts a nonce on its scripts when the request carries a CSP with one
 * (server/http/security-headers.ts explains the policy). API routes, static files and prefetches are
 * left out; next.config.ts gives those their headers.
 */
import { NextResponse, type NextRequest } from "next/server";
import { makeNonce, pageCsp } from "@/server/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = makeNonce();
  const csp = pageCsp(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
