import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../limits";
import { runParser } from "./test-helpers";

describe("RegexReplace", () => {
  it("replaces all by default, supports groups", () => {
    expect(runParser("RegexReplace", { pattern: "\\s+", replacement: " " }, "a  b\t\tc")).toBe("a b c");
    expect(runParser("RegexReplace", { pattern: "^KH-" }, "KH-001")).toBe("001");
    expect(runParser("RegexReplace", { pattern: "(\\d{4})(\\d{2})(\\d{2})", replacement: "$1-$2-$3" }, "20240301")).toBe("2024-03-01");
    expect(runParser("RegexReplace", { pattern: "[（]", replacement: "(" }, "甲（乙")).toBe("甲(乙");
  });
  it("rejects catastrophic patterns at compile time", () => {
    for (const p of ["(a+)+$", "(a*)*b", "(a|aa)+", "(\\w+\\s?)*$", "(x{2,}){3,}", "(a)\\1"])
      expect(() => runParser("RegexReplace", { pattern: p }, "x"), p).toThrow(/回溯|反向引用/);
    expect(() => runParser("RegexReplace", { pattern: "(" }, "x")).toThrow(/无效正则/);
  });
  it("caps input length", () => {
    const limits = { ...DEFAULT_LIMITS, maxRegexInputLength: 10 };
    expect(() => runParser("RegexReplace", { pattern: "a" }, "a".repeat(11), { limits })).toThrow(/上限/);
  });
  it("bad flags are parameter errors", () => {
    expect(() => runParser("RegexReplace", { pattern: "a", flags: "x" }, "a")).toThrow(/参数无效/);
  });
});
