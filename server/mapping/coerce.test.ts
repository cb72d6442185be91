import { describe, expect, it } from "vitest";
import { coerce } from "./coerce";

describe("coerce", () => {
  it("int / number", () => {
    expect(coerce("42", "int")).toBe(42);
    expect(coerce("12.0", "int")).toBe(12);
    expect(coerce(" -3 ", "int")).toBe(-3);
    expect(coerce("1,234", "int")).toBe(1234);
    expect(coerce("", "int")).toBeNull();
    expect(coerce(true, "number")).toBe(1);
    expect(coerce("1e3", "number")).toBe(1000);
    expect(() => coerce("12a", "number")).toThrow("'12a' 不是有效数字");
    expect(() => coerce("1.5", "int")).toThrow("'1.5' 不是有效整数");
    expect(() => coerce("1,23", "number")).toThrow(/不是有效数字/);
    expect(() => coerce("99999999999999999999", "int")).toThrow(/超出整数范围/);
    expect(() => coerce({}, "number")).toThrow(/不是有效数字/);
    expect(() => coerce(Number.NaN, "number")).toThrow(/不是有效数字/);
  });
  it("boolean", () => {
    for (const t of [true, 1, "true", "TRUE", "1", "是", "yes", "Y"]) expect(coerce(t, "boolean"), String(t)).toBe(true);
    for (const f of [false, 0, "false", "0", "否", "no"]) expect(coerce(f, "boolean"), String(f)).toBe(false);
    expect(() => coerce("maybe", "boolean")).toThrow("'maybe' 不是有效布尔值");
    expect(() => coerce(2, "boolean")).toThrow(/布尔/);
  });
  it("string / datetime / object / array", () => {
    expect(coerce(12, "string")).toBe("12");
    expect(coerce({ a: 1 }, "string")).toBe('{"a":1}');
    expect(coerce("2024-3-1 9:06:01", "datetime")).toBe("2024-03-01 09:06:01");
    expect(() => coerce("soon", "datetime")).toThrow("'soon' 不是有效时间");
    expect(coerce('{"a":1}', "object")).toEqual({ a: 1 });
    expect(() => coerce("[1]", "object")).toThrow(/对象/);
    expect(coerce("[1]", "array")).toEqual([1]);
    expect(coerce("", "array")).toEqual([]);
    expect(() => coerce("a,b", "array")).toThrow(/数组/);
    expect(coerce(null, "int")).toBeNull();
    expect(coerce(undefined, "int")).toBeUndefined();
  });
});
