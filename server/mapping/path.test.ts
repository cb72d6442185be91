import { describe, expect, it } from "vitest";
import { MappingError } from "./errors";
import { compilePath, parsePath } from "./path";

describe("paths", () => {
  it("parses dots, brackets and Chinese names", () => {
    expect(parsePath("a.b[0].c")).toEqual(["a", "b", 0, "c"]);
    expect(parsePath("明细[2].金额")).toEqual(["明细", 2, "金额"]);
    expect(parsePath(" a . b ")).toEqual(["a", "b"]);
    expect(parsePath("a[0][1]")).toEqual(["a", 0, 1]);
  });
  it("malformed paths are MappingError with the path in the message", () => {
    for (const p of ["", "a.", ".a", "a..b", "a[", "a[-1]", "a[x]", "[0]", "a[0]b"]) {
      expect(() => parsePath(p), p).toThrow(MappingError);
    }
    expect(() => parsePath("a[x]")).toThrow(/'a\[x\]'/);
  });
  it("reads own properties; maps names over arrays", () => {
    const get = compilePath("rows.qty");
    expect(get({ rows: [{ qty: 1 }, { qty: 2 }, {}] })).toEqual([1, 2]);
    expect(compilePath("a")(null)).toBeUndefined();
    expect(compilePath("a.b")({ a: "str" })).toBeUndefined();
    expect(compilePath("hasOwnProperty")({})).toBeUndefined();
    expect(compilePath("a.__proto__")({ a: {} })).toBeUndefined();
    expect(compilePath("0")(["x"])).toBe("x");
  });
});
