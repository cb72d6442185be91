import { describe, expect, it } from "vitest";
import { ErrorHandler, RateLimit } from "../schema";
import { budgetKey, safeObserver, withRateLimit, withRetry } from "./env";

describe("node-level overrides", () => {
  const h = ErrorHandler.parse({
    type: "DefaultErrorHandler",
    filters: [{ type: "BodyField", conditions: [{ path: "errcode", equals: [90018] }], action: "RATE_LIMITED", backoff: { type: "Constant", ms: 1000 } }],
  });
  it("applies max attempts / total wait and a flow retry policy without losing vendor backoffs", () => {
    const r = withRetry(h, { maxAttempts: 2, maxTotalWaitMs: 10, baseDelayMs: 100, maxDelayMs: 400 });
    expect(r).toMatchObject({ maxAttempts: 2, maxTotalWaitMs: 10, backoff: { type: "Exponential", baseMs: 100, maxMs: 400 } });
    expect(r.filters[0].backoff).toEqual({ type: "Constant", ms: 1000 });
    expect(withRetry(h, { backoff: { type: "Constant", ms: 1 } }).filters[0].backoff).toBeUndefined();
    expect(withRetry(h, undefined)).toBe(h);
  });
  it("merges rate-limit overrides", () => {
    const base = RateLimit.parse({ perSecond: 20 });
    expect(withRateLimit(base, { perSecond: 5 })).toMatchObject({ perSecond: 5, burst: 1, safetyFactor: 0.95 });
    expect(withRateLimit(undefined, { perMinute: 60 })).toMatchObject({ perMinute: 60 });
    expect(withRateLimit(undefined, {})).toBeUndefined();
  });
  it("keys budgets by app identity and asset, not by node", () => {
    const a = { vendor: "dingtalk", baseUrl: "http://x", settings: { appkey: "k" }, secrets: { appsecret: "s" } };
    expect(budgetKey(a, "get")).toBe(budgetKey({ ...a, secrets: { appsecret: "other" } }, "get"));
    expect(budgetKey(a, "get")).not.toBe(budgetKey({ ...a, settings: { appkey: "k2" } }, "get"));
  });
});

describe("safeObserver", () => {
  it("never lets a throwing observer fail a call", () => {
    const o = safeObserver({ onCall: () => { throw new Error("boom"); }, onRetry: () => { throw new Error("boom"); } });
    expect(() => o?.onCall?.({ apiAsset: "a", method: "GET", url: "u", durationMs: 1, ok: true, retries: 0, rateLimitWaitMs: 0 })).not.toThrow();
    expect(() => o?.onRetry?.({ apiAsset: "a", attempt: 1, waitMs: 0, reason: "r", rateLimited: false })).not.toThrow();
  });
});
