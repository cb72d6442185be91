import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("Substring", () => {
  it("by code points, negative start from the end", () => {
    expect(runParser("Substring", { start: 0, length: 8 }, "2024030112345")).toBe("20240301");
    expect(runParser("Substring", { start: 1, length: 2 }, "😀你好世界")).toBe("你好");
    expect(runParser("Substring", { start: -2 }, "abcdef")).toBe("ef");
    expect(runParser("Substring", { start: 10 }, "abc")).toBe("");
    expect(runParser("Substring", { start: 0, length: 2 }, 12345)).toBe("12");
  });
});
