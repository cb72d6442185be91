import { describe, expect, it } from "vitest";
import { compileValidator } from "./validator";

describe("compileValidator", () => {
  const v = compileValidator([
    { type: "required", field: "code" },
    { type: "required", field: "name", message: "名称必填" },
    { type: "type", field: "amount", dataType: "number" },
    { type: "regex", field: "phone", pattern: "^1\\d{10}$" },
    { type: "enum", field: "status", values: ["COMPLETED", "RUNNING"] },
    { type: "range", field: "qty", min: 1, max: 100 },
    { type: "length", field: "remark", max: 5 },
  ]);
  it("a valid record has no errors", () => {
    expect(v({ code: "G1", name: "店", amount: "1.5", phone: "13800138000", status: "RUNNING", qty: "5", remark: "好😀" })).toEqual([]);
  });
  it("an invalid record carries every reason", () => {
    expect(v({ code: " ", amount: "12a", phone: "123", status: "X", qty: 0, remark: "一二三四五六" })).toEqual([
      { field: "code", message: "必填，但值为空" },
      { field: "name", message: "名称必填" },
      { field: "amount", message: "'12a' 不是有效数字" },
      { field: "phone", message: "'123' 不符合格式 /^1\\d{10}$/" },
      { field: "status", message: "'X' 不在允许的取值中（COMPLETED, RUNNING）" },
      { field: "qty", message: "0 小于最小值 1" },
      { field: "remark", message: "长度 6 大于 5" },
    ]);
  });
  it("non-required rules skip empty values; nested paths work", () => {
    expect(compileValidator([{ type: "range", field: "a.b", max: 1 }])({ a: { b: 2 } })).toEqual([{ field: "a.b", message: "2 大于最大值 1" }]);
    expect(compileValidator([{ type: "range", field: "a.b", max: 1 }])({})).toEqual([]);
  });
  it("unsafe regexes and malformed rules are rejected at compile time", () => {
    expect(() => compileValidator([{ type: "regex", field: "x", pattern: "(a+)+" }])).toThrow(/回溯/);
    expect(() => compileValidator([{ type: "nope", field: "x" }] as never)).toThrow(/rules\[0\]/);
  });
});
