import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("NumberFormat", () => {
  it("rounds decimally, half away from zero", () => {
    expect(runParser("NumberFormat", { precision: 2 }, 1.005)).toBe(1.01);
    expect(runParser("NumberFormat", { precision: 2 }, "-1.005")).toBe(-1.01);
    expect(runParser("NumberFormat", { precision: 0 }, "2.5")).toBe(3);
  });
  it("strips thousands separators and currency", () => {
    expect(runParser("NumberFormat", { precision: 2 }, "¥1,234.567")).toBe(1234.57);
    expect(runParser("NumberFormat", {}, "１00".replace("１", "1"))).toBe(100);
  });
  it("floor / ceil / trunc and string output keeps zeros", () => {
    expect(runParser("NumberFormat", { precision: 1, mode: "floor" }, 1.19)).toBe(1.1);
    expect(runParser("NumberFormat", { precision: 1, mode: "ceil" }, 1.11)).toBe(1.2);
    expect(runParser("NumberFormat", { precision: 2, mode: "trunc" }, -1.999)).toBe(-1.99);
    expect(runParser("NumberFormat", { precision: 2, output: "string" }, "100")).toBe("100.00");
  });
  it("rejects non-numbers and bad params", () => {
    expect(() => runParser("NumberFormat", {}, "12a")).toThrow("'12a' 不是有效数字");
    expect(() => runParser("NumberFormat", { precision: -1 }, 1)).toThrow(/参数无效/);
  });
});
