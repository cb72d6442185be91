import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("StringToArray", () => {
  it("splits, trims and drops empty items", () => {
    expect(runParser("StringToArray", {}, "a, b,,c")).toEqual(["a", "b", "c"]);
    expect(runParser("StringToArray", { separator: "|" }, "甲|乙")).toEqual(["甲", "乙"]);
    expect(runParser("StringToArray", { trim: false }, "a, b")).toEqual(["a", " b"]);
  });
  it("empty, blank, null → []; arrays pass through; numbers become text", () => {
    expect(runParser("StringToArray", {}, "")).toEqual([]);
    expect(runParser("StringToArray", {}, "   ")).toEqual([]);
    expect(runParser("StringToArray", {}, null)).toEqual([]);
    expect(runParser("StringToArray", {}, ["x"])).toEqual(["x"]);
    expect(runParser("StringToArray", {}, 12)).toEqual(["12"]);
  });
});
