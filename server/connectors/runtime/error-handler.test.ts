import { describe, expect, it } from "vitest";
import { ErrorHandler } from "../schema";
import { classify } from "./error-handler";
import type { HttpResult } from "./http";
import { cleanExcerpt, NetworkError, unreadableKind } from "./http";

const res = (status: number, body: unknown): HttpResult => ({ status, headers: new Headers(), text: JSON.stringify(body), body, bytes: 0, durationMs: 1 });
const raw = (status: number, text: string, headers: Record<string, string> = {}): HttpResult => ({
  status,
  headers: new Headers(headers),
  text,
  body: undefined,
  unreadable: unreadableKind(text, headers["content-type"] ?? null),
  bytes: text.length,
  durationMs: 1,
});

describe("error handler classification", () => {
  const h = ErrorHandler.parse({
    type: "DefaultErrorHandler",
    vendorCodePaths: ["errcode"],
    vendorMessagePaths: ["errmsg"],
    filters: [
      { type: "BodyField", conditions: [{ path: "errcode", equals: [42001, 40014] }], action: "REFRESH_TOKEN_THEN_RETRY", failureType: "config" },
      { type: "BodyField", conditions: [{ path: "errcode", equals: [90018] }], action: "RATE_LIMITED", backoff: { type: "Constant", ms: 1000 } },
      { type: "BodyField", conditions: [{ path: "errcode", notEquals: [0] }], action: "FAIL", failureType: "data", message: "失败" },
    ],
  });
  it("matches filters in order and extracts vendor code and text", () => {
    expect(classify(h, res(200, { errcode: 42001, errmsg: "expired" }))).toMatchObject({ action: "REFRESH_TOKEN_THEN_RETRY", vendorCode: "42001", vendorMessage: "expired" });
    expect(classify(h, res(200, { errcode: 90018 }))).toMatchObject({ action: "RATE_LIMITED", backoff: { type: "Constant", ms: 1000 } });
    expect(classify(h, res(200, { errcode: "0" }))).toMatchObject({ action: "FAIL", failureType: "data" }); // "0" is not 0
    expect(classify(h, res(200, { errcode: 0 }))).toMatchObject({ action: "SUCCESS" });
  });
  it("falls back to HTTP semantics", () => {
    expect(classify(h, res(429, {})).action).toBe("RATE_LIMITED");
    expect(classify(h, res(502, {})).action).toBe("RETRY");
    expect(classify(h, res(404, {}))).toMatchObject({ action: "FAIL", failureType: "config" });
    expect(classify(h, null, new NetworkError("x", "ECONNRESET", 1))).toMatchObject({ action: "RETRY", vendorMessage: "ECONNRESET" });
  });

  it("never reads a 2xx it cannot parse, or one without the expected list, as success", () => {
    const g = ErrorHandler.parse({ type: "DefaultErrorHandler", vendorName: "管易云", filters: [{ type: "HttpStatus", statuses: [200], action: "SUCCESS" }] });
    const html = classify(g, raw(200, "<html><head><title>登录</title><style>p{}</style></head><body><h1>请先登录</h1></body></html>"), undefined, { asset: "guanyi.x" });
    expect(html).toMatchObject({ action: "RETRY", failureType: "transient" });
    expect(html.message).toBe("管易云返回了无法识别的内容（HTML 页面，HTTP 200，guanyi.x）：登录 请先登录");
    expect(classify(g, raw(200, '{"success":true,"shops":[{"a"'), undefined, { asset: "a" }).message).toMatch(/截断或无效的 JSON，HTTP 200/);
    expect(classify(g, raw(200, ""), undefined, { asset: "a" }).message).toBe("管易云返回了无法识别的内容（空响应，HTTP 200，a）");
    expect(classify(g, raw(200, "OK"), undefined, { asset: "a" }).message).toMatch(/非 JSON 文本.*：OK$/);
    const expect_ = { path: "shops", shape: "array" as const, label: "记录列表 shops" };
    expect(classify(g, res(200, { success: true }), undefined, { asset: "a", expect: expect_ }).message).toBe('管易云返回的内容缺少记录列表 shops（HTTP 200，a）：{"success":true}');
    expect(classify(g, res(200, { success: true, shops: [] }), undefined, { asset: "a", expect: expect_ }).action).toBe("SUCCESS");
    // the definition decides: FAIL without retry, as a data failure
    const strict = ErrorHandler.parse({ type: "DefaultErrorHandler", unreadable: { action: "FAIL", failureType: "data" } });
    expect(classify(strict, raw(200, "<html></html>"))).toMatchObject({ action: "FAIL", failureType: "data" });
  });
  it("a redirect is a configuration failure naming the status and host", () => {
    const c = classify(h, raw(302, "", { location: "https://sso.example.com/login?next=/api" }), undefined, { asset: "a" });
    expect(c).toMatchObject({ action: "FAIL", failureType: "config" });
    expect(c.message).toMatch(/^接口被重定向到登录页（HTTP 302 → sso\.example\.com，a）/);
    expect(classify(h, raw(301, "", { location: "https://new.example.com/api" })).message).toMatch(/重定向到其他地址（HTTP 301 → new\.example\.com/);
  });
  it("cleans an error page to a short excerpt", () => {
    expect(cleanExcerpt("<html><head><script>var secret=1</script></head><h1>502 Bad Gateway</h1>\n\n<hr><center>nginx</center></html>")).toBe("502 Bad Gateway nginx");
    expect(cleanExcerpt("x".repeat(500))).toHaveLength(121);
    expect(classify(h, raw(502, "<html><h1>502 Bad Gateway</h1></html>")).vendorMessage).toBe("502 Bad Gateway");
  });
});
