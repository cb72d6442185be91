import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("Case", () => {
  it("upper / lower; non-text unchanged", () => {
    expect(runParser("Case", { to: "upper" }, "fy001-客户")).toBe("FY001-客户");
    expect(runParser("Case", { to: "lower" }, "ABC")).toBe("abc");
    expect(runParser("Case", { to: "upper" }, 1)).toBe(1);
    expect(() => runParser("Case", { to: "title" }, "x")).toThrow(/参数无效/);
  });
});
