/**
 * Replies a connector cannot use, over real HTTP from small fake servers: an HTML page, truncated JSON,
 * an empty body, a success without the list key, a redirect to a login page, an oversized body, a
 * socket that never answers, a target that answers 502. None of them may read as "no records".
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectorError, createSourceReader, createTargetWriter, testConnection } from "./index";
import { clearAuthCache } from "./runtime/auth";
import { captureObserver, FAST_RETRY, LOCAL_TEST_POLICY } from "./testing/sim-helpers";
import type { ConnectionConfig, SourcePage } from "./types";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

interface Fake {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

const servers: Fake[] = [];
afterEach(async () => {
  clearAuthCache();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(handler: Handler): Promise<Fake> {
  const hits: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hits.push(req.url ?? "");
      handler(req, body, res);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const f: Fake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  servers.push(f);
  return f;
}

const send = (res: http.ServerResponse, status: number, body: string, type = "application/json;charset=utf-8", headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": type, ...headers });
  res.end(body);
};

const HTML_LOGIN = `<!DOCTYPE html>
<html><head><title>管易云 - 登录</title><script>var token="s3cr3t-in-page";</script><style>body{}</style></head>
<body><div class="login"><h1>请先登录</h1>   <p>会话已过期&nbsp;请重新登录</p></div></body></html>`;

const guanyiConn = (url: string): ConnectionConfig => ({
  vendor: "guanyi",
  baseUrl: url,
  outbound: LOCAL_TEST_POLICY,
  settings: { appkey: "112194" },
  secrets: { sessionkey: "sessionkey-value-123", secret: "secret-value-456" },
});

async function readGuanyi(url: string, options: Record<string, unknown> = {}, conn = guanyiConn(url)): Promise<{ pages: SourcePage[]; error?: ConnectorError; ms: number }> {
  const pages: SourcePage[] = [];
  const t0 = Date.now();
  try {
    for await (const p of createSourceReader(conn, "guanyi.gy.erp.shop.get", { pageSize: 10, retry: FAST_RETRY, ...options }).read({ params: {} })) pages.push(p);
    return { pages, ms: Date.now() - t0 };
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    return { pages, error: e, ms: Date.now() - t0 };
  }
}

describe("unreadable 2xx replies from a Guanyi source are errors, retried then failed", () => {
  it("an HTML page: retried under the handler's policy, then failed with a cleaned excerpt", async () => {
    const f = await fake((_q, _b, res) => send(res, 200, HTML_LOGIN, "text/html; charset=utf-8"));
    const { pages, error } = await readGuanyi(f.url);
    expect(pages).toEqual([]);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error?.failureType).toBe("transient");
    expect(error?.attempts).toBe(3);
    expect(f.hits).toHaveLength(3);
    expect(error?.message).toBe("管易云返回了无法识别的内容（HTML 页面，HTTP 200，guanyi.gy.erp.shop.get）：管易云 - 登录 请先登录 会话已过期 请重新登录；已尝试 3 次");
    expect(error?.message).not.toMatch(/[<>]|s3cr3t/);
  });

  it("truncated JSON, an empty body and plain text each name what they were", async () => {
    for (const [body, kind] of [
      ['{"success":true,"total":25,"shops":[{"code":"G0001","na', "截断或无效的 JSON"],
      ["", "空响应"],
      ["OK", "非 JSON 文本"],
    ] as const) {
      const f = await fake((_q, _b, res) => send(res, 200, body));
      const { pages, error } = await readGuanyi(f.url);
      expect(pages).toEqual([]);
      expect(error?.message).toContain(`管易云返回了无法识别的内容（${kind}，HTTP 200`);
      expect(error?.attempts).toBe(3);
    }
  });

  it('{"success":true} without the list key is not an empty page', async () => {
    const f = await fake((_q, _b, res) => send(res, 200, JSON.stringify({ success: true, errorCode: "", total: 25 })));
    const { pages, error } = await readGuanyi(f.url);
    expect(pages).toEqual([]);
    expect(error?.message).toMatch(/^管易云返回的内容缺少记录列表 shops（HTTP 200，guanyi\.gy\.erp\.shop\.get）：\{"success":true.*；已尝试 3 次$/);
  });

  it("a page that becomes readable on retry is read (the retry is real)", async () => {
    let n = 0;
    const f = await fake((_q, _b, res) => {
      n += 1;
      if (n === 1) return send(res, 200, "<html><body>502 upstream</body></html>", "text/html");
      send(res, 200, JSON.stringify({ success: true, total: 1, shops: [{ id: 1, code: "G1" }] }));
    });
    const observer = captureObserver();
    const pages: SourcePage[] = [];
    for await (const p of createSourceReader(guanyiConn(f.url), "guanyi.gy.erp.shop.get", { pageSize: 10, retry: FAST_RETRY }, { observer }).read({ params: {} })) pages.push(p);
    expect(pages.flatMap((p) => p.records)).toEqual([{ id: 1, code: "G1" }]);
    expect(observer.retries).toHaveLength(1);
    expect(observer.retries[0].reason).toContain("HTML 页面");
  });

  it("a 302 to a login page is not followed: configuration failure naming status and host, no retry", async () => {
    let loginHits = 0;
    const login = await fake((_q, _b, res) => {
      loginHits += 1;
      send(res, 200, HTML_LOGIN, "text/html");
    });
    const loginHost = new URL(login.url).host;
    const f = await fake((_q, _b, res) => send(res, 302, "", "text/html", { location: `${login.url}sso/login?service=erp` }));
    const { pages, error } = await readGuanyi(f.url);
    expect(pages).toEqual([]);
    expect(error?.failureType).toBe("config");
    expect(error?.httpStatus).toBe(302);
    expect(error?.attempts).toBe(1);
    expect(error?.message).toMatch(new RegExp(`^管易云接口被重定向到登录页（HTTP 302 → ${loginHost.replace(/\./g, "\\.")}，guanyi\\.gy\\.erp\\.shop\\.get）`));
    expect(f.hits).toHaveLength(1);
    expect(loginHits).toBe(0);
  });

  it("a definition that allows redirects follows them", async () => {
    const target = await fake((_q, _b, res) => send(res, 200, JSON.stringify({ items: [{ id: 1 }] })));
    const f = await fake((_q, _b, res) => send(res, 307, "", "text/plain", { location: `${target.url}v2/items` }));
    const definition = (followRedirects: boolean) => ({
      api: {
        kind: "source",
        id: "items",
        label: { zh: "条目", en: "Items" },
        requester: { type: "HttpRequester", method: "GET", path: "v1/items", followRedirects },
        paginator: { type: "NoPagination" },
        recordSelector: { type: "FieldPath", path: "items" },
      },
    });
    const conn: ConnectionConfig = { vendor: "http", baseUrl: f.url, outbound: LOCAL_TEST_POLICY, settings: {}, secrets: {} };
    const records = [];
    for await (const p of createSourceReader(conn, "http.generic", { definition: definition(true) }).read({ params: {} })) records.push(...p.records);
    expect(records).toEqual([{ id: 1 }]);
    const err = await (async () => {
      for await (const p of createSourceReader(conn, "http.generic", { definition: definition(false) }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect((err as ConnectorError).message).toMatch(/^接口被重定向到其他地址（HTTP 307 → 127\.0\.0\.1:\d+，http\.items）/);
  });

  it("a generic source whose definition says the vendor omits the key on empty pages reads it as empty", async () => {
    const f = await fake((_q, _b, res) => send(res, 200, JSON.stringify({ ok: true })));
    const definition = (missingMeans?: "empty") => ({
      api: {
        kind: "source",
        id: "items",
        label: { zh: "条目", en: "Items" },
        requester: { type: "HttpRequester", method: "GET", path: "items" },
        paginator: { type: "NoPagination" },
        recordSelector: { type: "FieldPath", path: "data.items", ...(missingMeans ? { missingMeans } : {}) },
      },
    });
    const conn: ConnectionConfig = { vendor: "http", baseUrl: f.url, outbound: LOCAL_TEST_POLICY, settings: {}, secrets: {} };
    const pages: SourcePage[] = [];
    for await (const p of createSourceReader(conn, "http.generic", { definition: definition("empty") }).read({ params: {} })) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0].records).toEqual([]);
    const err = await (async () => {
      for await (const p of createSourceReader(conn, "http.generic", { definition: definition(), retry: FAST_RETRY }).read({ params: {} })) void p;
    })().catch((e: unknown) => e);
    expect((err as ConnectorError).message).toMatch(/^接口返回的内容缺少记录列表 data\.items（HTTP 200，http\.items）：\{"ok":true\}；已尝试 3 次$/);
  });
});

describe("testConnection fails on the same replies", () => {
  it("HTML, redirect and a missing list never say 连接成功", async () => {
    const cases: Handler[] = [
      (_q, _b, res) => send(res, 200, HTML_LOGIN, "text/html"),
      (_q, _b, res) => send(res, 302, "", "text/html", { location: "https://login.example.com/sso" }),
      (_q, _b, res) => send(res, 200, JSON.stringify({ success: true, total: 3 })),
      (_q, _b, res) => send(res, 200, '{"success":true,"shops":['),
    ];
    const messages: string[] = [];
    for (const h of cases) {
      const f = await fake(h);
      const r = await testConnection(guanyiConn(f.url));
      expect(r.ok).toBe(false);
      expect(r.message).not.toContain("连接成功");
      messages.push(r.message);
    }
    expect(messages[0]).toContain("管易云返回了无法识别的内容（HTML 页面");
    expect(messages[1]).toContain("被重定向到登录页（HTTP 302 → login.example.com");
    expect(messages[2]).toContain("缺少记录列表 shops");
    expect(messages[3]).toContain("截断或无效的 JSON");
  });

  it("a DingTalk token endpoint answering an HTML page fails the test too", async () => {
    const f = await fake((_q, _b, res) => send(res, 200, HTML_LOGIN, "text/html"));
    const r = await testConnection({ vendor: "dingtalk", baseUrl: f.url, outbound: LOCAL_TEST_POLICY, settings: { appkey: "k" }, secrets: { appsecret: "appsecret-value" } });
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toContain("钉钉认证服务返回了无法识别的内容（HTML 页面，HTTP 200）");
  });
});

describe("DingTalk detail fetch without the record object", () => {
  it("is an error, not a silently skipped record", async () => {
    const f = await fake((req, _b, res) => {
      if (req.url?.startsWith("/gettoken")) return send(res, 200, JSON.stringify({ errcode: 0, access_token: "tok-abc", expires_in: 7200 }));
      if (req.url?.includes("listids")) return send(res, 200, JSON.stringify({ errcode: 0, result: { list: ["pi-1", "pi-2"] } }));
      send(res, 200, JSON.stringify({ errcode: 0, errmsg: "ok", request_id: "r1" }));
    });
    const conn: ConnectionConfig = { vendor: "dingtalk", baseUrl: f.url, outbound: LOCAL_TEST_POLICY, settings: { appkey: "k" }, secrets: { appsecret: "s" } };
    const pages: SourcePage[] = [];
    const err = await (async () => {
      for await (const p of createSourceReader(conn, "dingtalk.processinstance", { processCode: "PROC-1", startTime: 0, retry: FAST_RETRY }).read({ params: {} })) pages.push(p);
    })().catch((e: unknown) => e);
    expect(pages).toEqual([]);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).message).toMatch(/^钉钉返回的内容缺少记录 process_instance（HTTP 200，dingtalk\.processinstance\.get）/);
  });
});

describe("bounded response bytes", () => {
  it("a body over the connection's limit is abandoned while streaming: configuration failure, no retry", async () => {
    let written = 0;
    const f = await fake((_q, _b, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (written < 50 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => undefined);
      pump();
    });
    const conn = { ...guanyiConn(f.url), settings: { appkey: "112194", maxResponseBytes: 1024 * 1024 } };
    const { error } = await readGuanyi(f.url, {}, conn);
    expect(error?.failureType).toBe("config");
    expect(error?.attempts).toBe(1);
    expect(error?.message).toMatch(/^管易云的响应超过 1 MB 上限（guanyi\.gy\.erp\.shop\.get，HTTP 200），已在读到上限时中止/);
    expect(f.hits).toHaveLength(1);
    expect(written).toBeLessThan(50 * 1024 * 1024); // the server was stopped, not read to the end
  });

  it("a declared Content-Length over the limit fails before reading", async () => {
    const f = await fake((_q, _b, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(40 * 1024 * 1024) });
      res.write("{");
    });
    const { error, ms } = await readGuanyi(f.url);
    expect(error?.message).toMatch(/响应超过 32 MB 上限/);
    expect(ms).toBeLessThan(5000);
  });
});

describe("one deadline per call", () => {
  it("a socket that never answers ends the call within the deadline, timedOut, attempts set", async () => {
    const f = await fake(() => undefined); // accepts, reads the request, never answers
    const { error, ms } = await readGuanyi(f.url, { retry: { ...FAST_RETRY, maxAttempts: 5, deadlineMs: 1500 } });
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error?.timedOut).toBe(true);
    expect(error?.attempts).toBe(1);
    expect(error?.failureType).toBe("transient");
    expect(error?.code).toBe("GATEWAY_TIMEOUT");
    expect(error?.message).toMatch(/^管易云接口（guanyi\.gy\.erp\.shop\.get）在 1\.5 秒内未能完成（已尝试 1 次）：最后一次失败：无法连接管易云（guanyi\.gy\.erp\.shop\.get）：请求超时/);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(1500 + 700);
  });

  it("retries with waits stop at the deadline, not after maxAttempts × timeout", async () => {
    const f = await fake((_q, _b, res) => send(res, 503, "<html><h1>503 Service Temporarily Unavailable</h1></html>", "text/html"));
    const { error, ms } = await readGuanyi(f.url, { retry: { maxAttempts: 50, maxTotalWaitMs: 60_000, backoff: { type: "Constant", ms: 300 }, deadlineMs: 1000 } });
    expect(error?.timedOut).toBe(true);
    expect(error?.attempts).toBeGreaterThanOrEqual(2);
    expect(error?.attempts).toBeLessThan(6);
    expect(error?.message).toMatch(/在 1 秒内未能完成（已尝试 \d 次）：最后一次失败：管易云接口不可用：HTTP 503（服务不可用）/);
    expect(error?.message).not.toMatch(/<|Service Temporarily/);
    expect(ms).toBeLessThan(1000 + 500);
  });

  it("a last attempt that timed out marks the error timedOut even before the deadline", async () => {
    const f = await fake(() => undefined);
    // per-attempt timeout through a generic definition (timeoutMs 300 < deadline)
    const definition = {
      api: {
        kind: "source",
        id: "slow",
        label: { zh: "慢", en: "Slow" },
        requester: { type: "HttpRequester", method: "GET", path: "slow", timeoutMs: 300 },
        paginator: { type: "NoPagination" },
        recordSelector: { type: "FieldPath", path: "items" },
      },
    };
    const e = await (async () => {
      for await (const p of createSourceReader({ vendor: "http", baseUrl: f.url, outbound: LOCAL_TEST_POLICY, settings: {}, secrets: {} }, "http.generic", { definition, retry: { maxAttempts: 2, backoff: { type: "Constant", ms: 1 } } }).read({ params: {} })) void p;
    })().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).timedOut).toBe(true);
    expect((e as ConnectorError).attempts).toBe(2);
    expect((e as ConnectorError).message).toBe("无法连接接口（http.slow）：请求超时；已尝试 2 次");
  });
});

describe("a target outage reads as one sentence per row", () => {
  it("Kingdee BatchSave answering 502 after retries: every row failed with 金蝶云星空接口不可用：HTTP 502（网关错误）", async () => {
    const f = await fake((req, _b, res) => {
      if (req.url?.includes("ValidateUser")) return send(res, 200, JSON.stringify({ LoginResultType: 1, KDSVCSessionId: "sid-1" }));
      send(res, 502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>", "text/html");
    });
    const conn: ConnectionConfig = { vendor: "kingdee", baseUrl: `${f.url}k3cloud/`, outbound: LOCAL_TEST_POLICY, settings: { acctId: "A1", username: "u" }, secrets: { password: "pw-secret" } };
    const writer = createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer", retry: { maxAttempts: 5, backoff: { type: "Constant", ms: 5 } } });
    const out = await writer.writeBatch([{ FNumber: "C1" }, { FNumber: "C2" }]);
    expect(out).toHaveLength(2);
    for (const o of out) {
      expect(o).toMatchObject({ status: "failed", retryable: true });
      expect(o.status === "failed" && o.message).toBe("金蝶云星空接口不可用：HTTP 502（网关错误），已尝试 5 次（kingdee.BatchSave）");
    }
    expect(f.hits.filter((u) => u.includes("BatchSave"))).toHaveLength(5);
    // with the connector's retries off (the engine's setting for writes) the sentence names no count
    const once = await createTargetWriter(conn, "kingdee.BatchSave", { formId: "BD_Customer", retry: { maxAttempts: 1 } }).writeBatch([{ FNumber: "C3" }]);
    expect(once[0]).toMatchObject({ status: "failed", retryable: true, message: "金蝶云星空接口不可用：HTTP 502（网关错误）（kingdee.BatchSave）" });
  });
});
