/**
 * Browser hardening, checked on the real handlers: the tRPC route refuses cross-site and non-JSON
 * mutations before any procedure runs, pages get a nonce CSP from proxy.ts, and next.config's headers
 * cover every response.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/server/testing/db";

let t: TestDb;
let POST: (req: Request) => Promise<Response>;
let GET: (req: Request) => Promise<Response>;

beforeAll(async () => {
  t = await createTestDb("sqlite");
  process.env.DATABASE_URL = t.url;
  const route = await import("@/app/api/trpc/[trpc]/route");
  POST = route.POST as (req: Request) => Promise<Response>;
  GET = route.GET as (req: Request) => Promise<Response>;
});
afterAll(async () => t?.drop());

const URL_ = "http://shuqiao.local:3000/api/trpc/connections.delete";

function post(headers: Record<string, string>, body: BodyInit = JSON.stringify({ json: { id: "" } })): Request {
  return new Request(URL_, { method: "POST", headers: { host: "shuqiao.local:3000", ...headers }, body });
}

describe("tRPC mutations", () => {
  it("a cross-origin POST is refused with 403 before reaching a procedure", async () => {
    const before = await t.db.connection.count();
    for (const h of <Record<string, string>[]>[
      { origin: "http://evil.example", "content-type": "application/json" },
      { origin: "http://shuqiao.local:3001", "content-type": "application/json" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      { "sec-fetch-site": "same-site", origin: "http://shuqiao.local:3000", "content-type": "application/json" },
      { "content-type": "application/json" },
    ]) {
      const res = await POST(post(h));
      expect(res.status, JSON.stringify(h)).toBe(403);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/拒绝/);
    }
    expect(await t.db.connection.count()).toBe(before);
  });

  it("multipart/form-data and text/plain posts are refused with 415", async () => {
    const form = new FormData();
    form.set("id", "x");
    const multipart = await POST(new Request(URL_, { method: "POST", headers: { host: "shuqiao.local:3000", origin: "http://shuqiao.local:3000" }, body: form }));
    expect(multipart.status).toBe(415);
    const text = await POST(post({ origin: "http://shuqiao.local:3000", "content-type": "text/plain" }));
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: string }).error).toContain("application/json");
  });

  it("same-origin JSON passes through to tRPC (by Origin, or by Sec-Fetch-Site)", async () => {
    for (const h of <Record<string, string>[]>[
      { origin: "http://shuqiao.local:3000", "content-type": "application/json" },
      { "sec-fetch-site": "same-origin", "content-type": "application/json; charset=utf-8" },
      { "x-forwarded-host": "erp-sync.example.com", origin: "https://erp-sync.example.com", "content-type": "application/json" },
    ]) {
      const res = await POST(post(h));
      expect([400, 401, 403]).toContain(res.status);
      const body = (await res.json()) as { error?: { json?: { data?: { code?: string; stack?: unknown } } } };
      // a tRPC answer (input error, or the sign-in guard), not the cross-site refusal
      expect(body.error?.json?.data?.code, JSON.stringify(body)).toMatch(/BAD_REQUEST|UNAUTHORIZED|FORBIDDEN/);
      expect(body.error?.json?.data?.stack ?? undefined).toBeUndefined();
      expect(JSON.stringify(body)).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
    }
  });

  it("queries (GET) are not affected", async () => {
    const res = await GET(new Request("http://shuqiao.local:3000/api/trpc/connections.vendors", { headers: { host: "shuqiao.local:3000" } }));
    expect(res.status).not.toBe(403);
    expect(res.status).not.toBe(415);
  });
});

describe("headers", () => {
  it("pages get a per-request nonce CSP from proxy.ts, passed on to Next in the request", async () => {
    const { proxy, config } = await import("@/proxy");
    const a = proxy(new NextRequest("http://shuqiao.local:3000/flows"));
    const b = proxy(new NextRequest("http://shuqiao.local:3000/flows"));
    const csp = a.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(b.headers.get("content-security-policy")).not.toBe(csp);
    // Next reads the nonce from the request's CSP (x-middleware-request-* headers carry it on)
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(JSON.stringify(config.matcher)).toContain("(?!api|_next/static");
  });

  it("next.config adds nosniff, framing, referrer and permissions headers to every response, and a deny-all CSP to the API", async () => {
    const nextConfig = (await import("@/next.config")).default;
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    const h = Object.fromEntries((all?.headers ?? []).map((x) => [x.key.toLowerCase(), x.value]));
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
    const api = rules.find((r) => r.source === "/api/:path*");
    expect(api?.headers[0]).toEqual({ key: "Content-Security-Policy", value: expect.stringContaining("default-src 'none'") });
  });
});
