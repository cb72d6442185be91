import { describe, expect, it } from "vitest";
import { runParser } from "./test-helpers";

describe("ConvertJson", () => {
  it("turns a language map into Key/Value rows (newlines stripped)", () => {
    expect(runParser("ConvertJson", {}, '{"1033":"x",\n"2052":"名称"}')).toEqual([
      { Key: 1033, Value: "x" },
      { Key: 2052, Value: "名称" },
    ]);
    expect(runParser("ConvertJson", {}, { en: "a" })).toEqual([{ Key: "en", Value: "a" }]);
  });
  it("arrays pass; invalid JSON is a parser error", () => {
    expect(runParser("ConvertJson", {}, [1])).toEqual([1]);
    expect(() => runParser("ConvertJson", {}, "{bad")).toThrow(/不是有效 JSON/);
    expect(() => runParser("ConvertJson", {}, "3")).toThrow(/不是 JSON 对象/);
  });
});
