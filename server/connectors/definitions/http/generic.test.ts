import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorError, createSourceReader } from "../../index";
import { captureObserver, LOCAL_TEST_POLICY } from "../../testing/sim-helpers";
import type { ConnectionConfig, SourcePage } from "../../types";

// A tiny JSON API: API key header, offset paging (?offset&limit), `items`, one 429 with Retry-After.
let server: http.Server;
let base = "";
let hits = 0;
let throttleOnce = false;
const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, name: `客户${i + 1}` }));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    const url = new URL(req.url ?? "/", "http://x");
    if (req.headers["x-api-key"] !== "k-123456") {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad key" }));
      return;
    }
    if (throttleOnce) {
      throttleOnce = false;
      res.writeHead(429, { "retry-after": "0", "content-type": "application/json" }).end("{}");
      return;
    }
    const offset = Number(url.searchParams.get("offset"));
    const limit = Number(url.searchParams.get("limit"));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { items: ITEMS.slice(offset, offset + limit) } }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const definition = {
  authenticator: { type: "ApiKey", in: "header", name: "X-Api-Key", credential: "apiKey" },
  errorHandler: {
    type: "DefaultErrorHandler",
    vendorName: "示例接口",
    filters: [{ type: "HttpStatus", statuses: [429], action: "RATE_LIMITED", backoff: { type: "WaitFromHeader", fallback: { type: "Constant", ms: 5 } } }],
    maxAttempts: 2,
  },
  api: {
    kind: "source",
    id: "customers",
    label: { zh: "客户", en: "Customers" },
    requester: { type: "HttpRequester", method: "GET", path: "/v1/customers", query: { offset: "{{PAGINATION_START_ROW}}", limit: "{{PAGINATION_PAGE_SIZE}}" } },
    paginator: { type: "OffsetIncrement", pageSize: 10 },
    recordSelector: { type: "FieldPath", path: "data.items" },
  },
};

const conn: ConnectionConfig = { vendor: "http", baseUrl: "", outbound: LOCAL_TEST_POLICY, settings: {}, secrets: { apiKey: "k-123456" } };

describe("generic HTTP JSON connector", () => {
  it("reads a user-described API: API key, offset paging, 429 + Retry-After", async () => {
    throttleOnce = true;
    const observer = captureObserver();
    const pages: SourcePage[] = [];
    for await (const p of createSourceReader({ ...conn, baseUrl: base }, "http.generic", { definition }, { observer }).read({ params: {} })) pages.push(p);
    expect(pages.map((p) => p.records.length)).toEqual([10, 10, 3]);
    expect(observer.retries[0]).toMatchObject({ rateLimited: true });
    expect(observer.dump()).not.toContain("k-123456");
  });

  it("fails with the configuration failure type on 401, without retrying", async () => {
    hits = 0;
    const err = await (async () => {
      for await (const p of createSourceReader({ ...conn, baseUrl: base, secrets: { apiKey: "wrong-key" } }, "http.generic", { definition }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).failureType).toBe("config");
    expect((err as ConnectorError).message).toContain("示例接口拒绝访问");
    expect(hits).toBe(1);
  });

  it("rejects a definition with a wrong slot type, naming the path", () => {
    const bad = { ...definition, api: { ...definition.api, paginator: { type: "Pages", pageSize: 10 } } };
    expect(() => createSourceReader({ ...conn, baseUrl: base }, "http.generic", { definition: bad })).toThrow(/definition\.api\.paginator\.type/);
  });
});
