import { describe, expect, it } from "vitest";
import { isForbidden, isUnauthorized, safeNext, signInHref } from "./redirect";

describe("safeNext", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeNext("/runs/abc?tab=log")).toBe("/runs/abc?tab=log");
    expect(safeNext("/flows")).toBe("/flows");
  });
  it("refuses other origins and odd forms", () => {
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined, "flows", "/x\u0000y"]) {
      expect(safeNext(bad)).toBe("/flows");
    }
  });
  it("never returns to a public page (a loop after signing in)", () => {
    expect(safeNext("/sign-in?next=/flows")).toBe("/flows");
    expect(safeNext("/setup?token=x")).toBe("/flows");
  });
});

describe("signInHref", () => {
  it("remembers where we were", () => {
    expect(signInHref("/runs?status=failed")).toBe("/sign-in?next=%2Fruns%3Fstatus%3Dfailed");
    expect(signInHref("//evil.example")).toBe("/sign-in");
  });
});

describe("auth error detection", () => {
  it("reads tRPC's error data, nothing else", () => {
    expect(isUnauthorized({ data: { httpStatus: 401, code: "UNAUTHORIZED" } })).toBe(true);
    expect(isForbidden({ data: { httpStatus: 403, code: "FORBIDDEN" } })).toBe(true);
    expect(isUnauthorized({ data: { httpStatus: 403 } })).toBe(false);
    expect(isUnauthorized(new Error("UNAUTHORIZED"))).toBe(false);
    expect(isUnauthorized(null)).toBe(false);
  });
});
