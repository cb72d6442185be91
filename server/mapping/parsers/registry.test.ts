import { describe, expect, it } from "vitest";
import { listParsers, normalizeParsers, resolveParser } from "./registry";
import { DEFAULT_LIMITS } from "../limits";

describe("parser registry", () => {
  it("lists built-ins with zh/en labels, params and JSON schema", () => {
    const list = listParsers();
    const names = list.map((p) => p.name);
    for (const n of ["ConvertObjectParser", "ConvertTwoStageObjectParser", "StringToArray", "ArrayToString", "ConvertJson", "DateFormat", "NumberFormat", "Trim", "Case", "Dictionary", "Substring", "RegexReplace"])
      expect(names).toContain(n);
    const co = list.find((p) => p.name === "ConvertObjectParser")!;
    expect(co.label.zh).toBe("转为对象");
    expect(co.params[0].name).toBe("key");
    expect(JSON.stringify(co.paramsJsonSchema)).toContain("key");
    expect(listParsers({ r1: { expression: "$", label: "规则1" } }).at(-1)).toMatchObject({ name: "Custom:r1", custom: true });
  });
  it("normalises Qeasy notations", () => {
    expect(normalizeParsers({ name: "ConvertObjectParser", params: "FNumber" })).toEqual([{ name: "ConvertObjectParser", params: { key: "FNumber" } }]);
    expect(normalizeParsers({ name: "ConvertTwoStageObjectParser", params1: "A", params2: "B" })).toEqual([
      { name: "ConvertTwoStageObjectParser", params: { params1: "A", params2: "B" } },
    ]);
    expect(normalizeParsers("StringToArray,ArrayUnique")).toEqual([{ name: "StringToArray" }, { name: "ArrayUnique" }]);
    expect(normalizeParsers([{ name: "Trim" }, "Case"])).toEqual([{ name: "Trim" }, { name: "Case" }]);
    expect(normalizeParsers(undefined)).toEqual([]);
    expect(() => normalizeParsers({ params: "x" })).toThrow(/缺少 name/);
    expect(() => normalizeParsers({ name: "CustomParser", params: {} })).toThrow(/ruleId/);
  });
  it("unknown parser lists the available ones", () => {
    expect(() => resolveParser({ name: "Nope" }, undefined, DEFAULT_LIMITS)).toThrow(/未知解析器 'Nope'.*ConvertObjectParser/);
  });
});
