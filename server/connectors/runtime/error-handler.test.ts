import { describe, expect, it } from "vitest";
import { ErrorHandler } from "../schema";
import { classify } from "./error-handler";
import type { HttpResult } from "./http";
import { NetworkError } from "./http";

const res = (status: number, body: unknown): HttpResult => ({ status, headers: new Headers(), text: JSON.stringify(body), body, durationMs: 1 });

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
});
