import { describe, expect, it } from "vitest";
import { validateMapping } from "./validate";
import type { FieldMapping } from "./types";

describe("validateMapping (save time)", () => {
  it("reports unknown parsers, bad params, unsupported functions and syntax, with field paths", () => {
    const fields: FieldMapping[] = [
      { field: "A", parsers: [{ name: "Nope" }] },
      { field: "B", parsers: [{ name: "ConvertObjectParser", params: {} }] },
      { field: "C", value: "_function SLEEP(1)" },
      { field: "D", value: "{{x" },
      { field: "E", value: "{{a}}", children: [{ field: "F", value: "_function ROUND(" }] },
      { field: "G", parsers: [{ name: "Custom:missing" }] },
      { field: "H", value: "x", default: "_findCollection find a from b where c={{d}}" },
    ];
    const errs = validateMapping(fields);
    expect(errs.map((e) => e.field)).toEqual(["A", "B", "C", "D", "E.F", "G", "H"]);
    expect(errs[0].message).toMatch(/未知解析器 'Nope'/);
    expect(errs[1].message).toMatch(/参数无效.*key/);
    expect(errs[2].message).toMatch(/不支持函数 SLEEP/);
    expect(errs[5].message).toMatch(/未找到自定义解析器/);
  });
  it("unknown variables when knownVars is given; unknown fields when knownFields is given", () => {
    const fields: FieldMapping[] = [
      { field: "A", value: "{{LAST_SYNC_TIME|datetime}}" },
      { field: "B", value: "{{LAST_SYNK_TIME}}" },
      { field: "C", value: "_function {{amount}} * 2" },
      { field: "D", value: "{{nmae}}" },
      { field: "E", value: "{{details}}", children: [{ field: "F", value: "{{row_field}}" }, { field: "G", value: "{{NOPE}}" }] },
    ];
    expect(validateMapping(fields, { knownVars: ["LAST_SYNC_TIME", "CURRENT_TIME"] })).toEqual([
      { field: "B", message: "未知变量 {{LAST_SYNK_TIME}}（可用: LAST_SYNC_TIME, CURRENT_TIME）" },
      { field: "E.G", message: "未知变量 {{NOPE}}（可用: LAST_SYNC_TIME, CURRENT_TIME）" },
    ]);
    const errs = validateMapping(fields, { knownVars: ["LAST_SYNC_TIME"], knownFields: ["amount", "name", "details"] });
    expect(errs.map((e) => `${e.field} ${e.message}`)).toEqual(["B 未知变量 {{LAST_SYNK_TIME}}", "D 未知字段 {{nmae}}", "E.G 未知变量 {{NOPE}}（可用: LAST_SYNC_TIME）"]);
  });
  it("duplicate target fields and malformed input (with the path)", () => {
    expect(validateMapping([{ field: "A" }, { field: "A" }])).toEqual([{ field: "A", message: "目标字段 A 重复" }]);
    const bad = validateMapping([{ field: "", value: {} }] as never);
    expect(bad.map((e) => e.field)).toEqual(["[0].field", "[0].value"]);
    expect(validateMapping([{ field: "A", value: 100 }] as never)).toEqual([]);
    expect(validateMapping([{ field: "A", children: [{ field: "B", type: "money" }] }] as never)[0].field).toBe("[0].children[0].type");
  });
  it("a valid mapping has no errors", () => {
    expect(validateMapping([{ field: "FName", value: "{name}" }])).toEqual([]);
  });
});
