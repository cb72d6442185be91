import { describe, expect, it } from "vitest";
import * as api from "./index";

describe("public API", () => {
  it("exports the names the engine, flows and designer import", () => {
    for (const n of ["FieldMapping", "ParserRef", "Condition", "ValidationRule", "CleanRule", "compileMapper", "validateMapping", "resolveTemplate", "templateVariables", "compileFilter", "compileValidator", "compileCleaner", "flattenRecords", "splitArray", "listParsers", "MappingError", "normalizeParsers", "dingtalkFormToRecord"])
      expect(api, n).toHaveProperty(n);
  });
  it("zod schemas parse their documents", () => {
    expect(api.FieldMapping.parse({ field: "F", children: [{ field: "G", value: "{{a}}" }] })).toEqual({ field: "F", children: [{ field: "G", value: "{{a}}" }] });
    expect(api.Condition.parse([{ field: "a", logic: "eq", value: 1 }])).toEqual([[{ field: "a", logic: "eq", value: 1 }]]);
    expect(api.ValidationRule.safeParse({ type: "range", field: "x", min: "1" }).success).toBe(false);
    expect(api.CleanRule.parse({ type: "dedupe", idField: "id" })).toEqual({ type: "dedupe", idField: "id" });
    expect(api.ParserRef.safeParse({ name: "" }).success).toBe(false);
  });
  it("MappingError carries code and field", () => {
    const e = new api.MappingError("COERCE", "'12a' 不是有效数字", { field: "FAmount" });
    expect(e.message).toBe("FAmount: '12a' 不是有效数字");
    expect(e.reason).toBe("'12a' 不是有效数字");
    expect(e).toBeInstanceOf(Error);
  });
});
