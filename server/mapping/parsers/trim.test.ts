import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("Trim", () => {
  it("trims ASCII and full-width spaces, NBSP and zero-width", () => {
    expect(runParser("Trim", {}, "\u3000 张三\u00a0\u200b\n")).toBe("张三");
    expect(runParser("Trim", { mode: "start" }, "  a  ")).toBe("a  ");
    expect(runParser("Trim", { mode: "end" }, "  a  ")).toBe("  a");
    expect(runParser("Trim", { collapse: true }, " a \u3000 b ")).toBe("a b");
    expect(runParser("Trim", {}, 5)).toBe(5);
  });
});
