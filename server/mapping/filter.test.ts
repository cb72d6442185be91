import { describe, expect, it } from "vitest";
import { compileFilter } from "./filter";
import { MappingError } from "./errors";

const rec = { status: "COMPLETED", result: "agree", amount: "100.00", qty: 3, name: "张三丰", empty: "", nil: null, date: "2024-03-01 10:00:00", details: [{ s: "a" }, { s: "b" }] };
const one = (logic: string, field: string, value?: unknown) => compileFilter([[{ field, logic, value }]] as never)(rec);

describe("compileFilter", () => {
  it("eq is loose, eqv2 exact text", () => {
    expect(one("eq", "amount", 100)).toBe(true);
    expect(one("eq", "amount", "100")).toBe(true);
    expect(one("eqv2", "amount", "100")).toBe(false);
    expect(one("eqv2", "amount", "100.00")).toBe(true);
    expect(one("eq", "missing", "")).toBe(true);
    expect(one("neq", "status", "RUNNING")).toBe(true);
  });
  it("in / notin with arrays or comma text", () => {
    expect(one("in", "status", ["COMPLETED", "RUNNING"])).toBe(true);
    expect(one("in", "qty", "1,2,3")).toBe(true);
    expect(one("notin", "status", "NEW,RUNNING")).toBe(true);
    expect(one("notin", "status", ["COMPLETED"])).toBe(false);
  });
  it("ordering: numbers, dates, missing", () => {
    expect(one("gt", "amount", 99.5)).toBe(true);
    expect(one("egt", "qty", "3")).toBe(true);
    expect(one("lt", "qty", 10)).toBe(true);
    expect(one("elt", "qty", 2)).toBe(false);
    expect(one("gt", "date", "2024-3-1 9:00:00")).toBe(true);
    expect(one("lt", "date", "2024/03/01")).toBe(false);
    expect(one("gt", "missing", 0)).toBe(false);
    expect(one("lt", "missing", 0)).toBe(false);
  });
  it("like: wildcards or contains", () => {
    expect(one("like", "name", "张%")).toBe(true);
    expect(one("like", "name", "三")).toBe(true);
    expect(one("like", "name", "李%")).toBe(false);
    expect(one("like", "nil", "%")).toBe(false);
  });
  it("isNull / notNull", () => {
    expect(one("isNull", "empty")).toBe(true);
    expect(one("isNull", "nil")).toBe(true);
    expect(one("isNull", "missing")).toBe(true);
    expect(one("notNull", "name")).toBe(true);
    expect(one("notNull", "empty")).toBe(false);
  });
  it("paths over rows match when any row matches", () => {
    expect(one("eq", "details.s", "b")).toBe(true);
    expect(one("neq", "details.s", "b")).toBe(false);
    expect(one("neq", "details.s", "c")).toBe(true);
  });
  it("OR of AND-groups; flat list = one AND group; empty accepts all", () => {
    const f = compileFilter([
      [{ field: "status", logic: "eqv2", value: "RUNNING" }],
      [{ field: "status", logic: "eqv2", value: "COMPLETED" }, { field: "result", logic: "eq", value: "agree" }],
    ]);
    expect(f(rec)).toBe(true);
    expect(f({ ...rec, result: "refuse" })).toBe(false);
    expect(compileFilter([{ field: "qty", logic: "gt", value: 1 }] as never)(rec)).toBe(true);
    expect(compileFilter([])(rec)).toBe(true);
  });
  it("malformed conditions are MappingError with the path", () => {
    expect(() => compileFilter([[{ field: "a", logic: "between", value: 1 }]] as never)).toThrow(MappingError);
    expect(() => compileFilter([[{ field: "a", logic: "between", value: 1 }]] as never)).toThrow(/condition\[0\]\[0\]\[logic\]/);
    expect(() => compileFilter("x" as never)).toThrow(/过滤条件格式错误/);
  });
});
