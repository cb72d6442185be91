import { describe, expect, it } from "vitest";
import { compileMapper, MappingError } from "./index";
import type { FieldMapping, MapContext } from "./index";

const ctx: MapContext = { vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709258400 } };

describe("compileMapper — seed 1: 管易云 shop → 金蝶 BD_Customer", () => {
  const fields: FieldMapping[] = [
    { field: "FName", label: "客户名称", type: "string", value: "{name}" },
    { field: "FNumber", label: "客户编码", type: "string", value: "{code}" },
    { field: "FCreateOrgId", label: "创建组织", type: "string", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }], value: "100" },
    { field: "FUseOrgId", label: "使用组织", type: "string", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }], value: "100" },
    { field: "FDescription", label: "描述", type: "string" },
  ];
  it("maps a shop into a customer document", async () => {
    const m = compileMapper(fields);
    const r = await m.map({ id: "1", code: "G001", name: "天猫旗舰店" }, ctx);
    expect(r.errors).toEqual([]);
    expect(r.doc).toEqual({
      FName: "天猫旗舰店",
      FNumber: "G001",
      FCreateOrgId: { FNumber: "100" },
      FUseOrgId: { FNumber: "100" },
    });
  });
  it("double-brace form is equivalent", async () => {
    const m = compileMapper([{ field: "FName", value: "{{name}}" }, { field: "FNumber", value: "{{ code }}" }]);
    expect((await m.map({ code: "G1", name: "店" }, ctx)).doc).toEqual({ FName: "店", FNumber: "G1" });
  });
});

describe("compileMapper — errors are data", () => {
  it("reports coercion failures with field and value, keeps other fields", async () => {
    const m = compileMapper([
      { field: "FAmount", type: "number", value: "{{amount}}" },
      { field: "FQty", type: "int", value: "{{qty}}" },
      { field: "FName", value: "{{name}}", required: true },
      { field: "FOk", value: "x" },
    ]);
    const r = await m.map({ amount: "12a", qty: "1.5" }, ctx);
    expect(r.errors).toEqual([
      { field: "FAmount", message: "'12a' 不是有效数字" },
      { field: "FQty", message: "'1.5' 不是有效整数" },
      { field: "FName", message: "必填，但值为空" },
    ]);
    expect(r.doc).toEqual({ FOk: "x" });
  });
  it("throws MappingError INVALID_MAPPING at compile time for bad mappings", () => {
    try {
      compileMapper([{ field: "A", value: "_function FOO(1)" }, { field: "B", parsers: [{ name: "Nope" }] }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MappingError);
      const me = e as MappingError;
      expect(me.code).toBe("INVALID_MAPPING");
      expect(me.errors?.map((x) => x.field)).toEqual(["A", "B"]);
    }
  });
});
