import { describe, expect, it } from "vitest";
import { WaitFromHeader } from "../../schema";
import { parseRetryAfter, waitFromHeaderDelay } from "./wait-from-header";

describe("WaitFromHeader backoff", () => {
  const def = WaitFromHeader.parse({ type: "WaitFromHeader", fallback: { type: "Constant", ms: 7 }, maxMs: 5000 });
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
  it("caps at maxMs and falls back when absent", () => {
    expect(waitFromHeaderDelay(def, 1, new Headers({ "Retry-After": "1" }))).toBe(1000);
    expect(waitFromHeaderDelay(def, 1, new Headers({ "Retry-After": "60" }))).toBe(5000);
    expect(waitFromHeaderDelay(def, 1, new Headers())).toBe(7);
  });
});
