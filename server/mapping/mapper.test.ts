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
      expect(me.mappingCode).toBe("INVALID_MAPPING");
      expect(me.errors?.map((x) => x.field)).toEqual(["A", "B"]);
    }
  });
});

describe("compileMapper — values, defaults, types", () => {
  it("default applies to missing, null and empty; may be a template", async () => {
    const m = compileMapper([
      { field: "A", value: "{{a}}", default: "d" },
      { field: "B", value: "{{b}}", default: "{{code}}-x" },
      { field: "C", value: "{{c}}", default: "0", type: "int" },
    ]);
    expect((await m.map({ a: null, b: "", code: "K" }, ctx)).doc).toEqual({ A: "d", B: "K-x", C: 0 });
  });
  it("missing values are omitted, null is kept", async () => {
    const m = compileMapper([{ field: "A", value: "{{a}}" }, { field: "B", value: "{{b}}" }, { field: "C" }]);
    expect((await m.map({ b: null }, ctx)).doc).toEqual({ B: null });
  });
  it("coerces by type", async () => {
    const m = compileMapper([
      { field: "I", type: "int", value: "{{i}}" },
      { field: "N", type: "number", value: "{{n}}" },
      { field: "B", type: "boolean", value: "{{b}}" },
      { field: "S", type: "string", value: "{{s}}" },
      { field: "D", type: "datetime", value: "{{d}}" },
      { field: "O", type: "object", value: "{{o}}" },
      { field: "L", type: "array", value: "{{l}}" },
    ]);
    const r = await m.map({ i: "42", n: " 3.5 ", b: "是", s: 12, d: 1709254800000, o: '{"a":1}', l: "[1]" }, ctx);
    expect(r).toEqual({ doc: { I: 42, N: 3.5, B: true, S: "12", D: "2024-03-01 09:00:00", O: { a: 1 }, L: [1] }, errors: [] });
  });
  it("_function and templates with context variables", async () => {
    const m = compileMapper([
      { field: "start_time", type: "int", value: "_function ({{LAST_SYNC_TIME}}-(3600 * 24))* 1000" },
      { field: "end_time", type: "int", value: "{{CURRENT_TIME}}000" },
      { field: "FDate", value: "{{LAST_SYNC_TIME|datetime}}" },
    ]);
    expect((await m.map({}, ctx)).doc).toEqual({ start_time: 1709168400000, end_time: 1709258400000, FDate: "2024-03-01 09:00:00" });
  });
  it("parser chain runs in order and skips empty input unless the parser handles it", async () => {
    const m = compileMapper([
      { field: "T", value: "{{tags}}", parsers: [{ name: "StringToArray" }, { name: "ArrayUnique" }, { name: "ArrayToString", params: { separator: "|" } }] },
      { field: "E", value: "{{none}}", default: "", parsers: [{ name: "Case", params: { to: "upper" } }] },
      { field: "S", value: "{{st}}", parsers: [{ name: "Dictionary", params: { map: { "1": "启用" }, default: "未知" } }] },
    ]);
    expect((await m.map({ tags: "a,b,a", st: null }, ctx)).doc).toEqual({ T: "a|b", E: "", S: "未知" });
  });
  it("mapSync for mappings without lookups", () => {
    const m = compileMapper([{ field: "A", value: "{{a}}" }]);
    expect(m.async).toBe(false);
    expect(m.mapSync({ a: 1 }, ctx)).toEqual({ doc: { A: 1 }, errors: [] });
  });
});

describe("compileMapper — entries (children)", () => {
  const fields: FieldMapping[] = [
    { field: "FBillNo", value: "{{code}}" },
    {
      field: "FEntity",
      value: "{{details_list}}",
      children: [
        { field: "FMaterialId", value: "{{details_list.goods_no}}", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
        { field: "FQty", type: "number", value: "{{qty}}" },
        { field: "FNote", value: "{{code}}/{{goods_no}}" },
      ],
    },
  ];
  it("maps each source row, row-relative and header paths both work", async () => {
    const r = await compileMapper(fields).map({ code: "SO1", details_list: [{ goods_no: "A", qty: "2" }, { goods_no: "B", qty: 1 }] }, ctx);
    expect(r.errors).toEqual([]);
    expect(r.doc).toEqual({
      FBillNo: "SO1",
      FEntity: [
        { FMaterialId: { FNumber: "A" }, FQty: 2, FNote: "SO1/A" },
        { FMaterialId: { FNumber: "B" }, FQty: 1, FNote: "SO1/B" },
      ],
    });
  });
  it("row errors carry the row index", async () => {
    const r = await compileMapper(fields).map({ code: "SO1", details_list: [{ goods_no: "A", qty: "x" }] }, ctx);
    expect(r.errors).toEqual([{ field: "FEntity[0].FQty", message: "'x' 不是有效数字" }]);
  });
  it("rows may come from a JSON string or a DingTalk TableField", async () => {
    const m = compileMapper([{ field: "FEntity", value: "{{rows}}", children: [{ field: "F", value: "{{金额}}" }] }]);
    expect((await m.map({ rows: '[{"金额":"1"}]' }, ctx)).doc).toEqual({ FEntity: [{ F: "1" }] });
    expect((await m.map({ rows: '[{"rowValue":[{"label":"金额","value":"2"}]}]' }, ctx)).doc).toEqual({ FEntity: [{ F: "2" }] });
    expect((await m.map({ rows: "" }, ctx)).doc).toEqual({ FEntity: [] });
    expect((await m.map({}, ctx)).doc).toEqual({});
    expect((await m.map({ rows: "nope" }, ctx)).errors[0].message).toMatch(/明细来源/);
  });
  it("required entries, row limit, nested entries", async () => {
    const req = compileMapper([{ field: "FEntity", value: "{{rows}}", required: true, children: [{ field: "F", value: "{{a}}" }] }]);
    expect((await req.map({ rows: [] }, ctx)).errors[0]).toEqual({ field: "FEntity", message: "明细必填，但没有行" });
    const lim = compileMapper([{ field: "E", value: "{{rows}}", children: [{ field: "F", value: "{{a}}" }] }], { limits: { maxRows: 2 } });
    expect((await lim.map({ rows: [{}, {}, {}] }, ctx)).errors[0].message).toMatch(/超过上限 2/);
    const nested = compileMapper([
      { field: "E", value: "{{orders}}", children: [{ field: "Sub", value: "{{lines}}", children: [{ field: "G", value: "{{orders.lines.g}}" }, { field: "No", value: "{{no}}" }] }] },
    ]);
    expect((await nested.map({ orders: [{ no: 1, lines: [{ g: "x" }, { g: "y" }] }] }, ctx)).doc).toEqual({ E: [{ Sub: [{ G: "x", No: 1 }, { G: "y", No: 1 }] }] });
  });
  it("children without value (or type object) build a nested object", async () => {
    const m = compileMapper([
      { field: "FHead", children: [{ field: "FNumber", value: "{{code}}" }] },
      { field: "FAddr", type: "object", value: "{{addr}}", children: [{ field: "City", value: "{{addr.city}}" }, { field: "Zip", value: "{{zip}}" }] },
    ]);
    expect((await m.map({ code: "C", addr: { city: "杭州", zip: "310000" } }, ctx)).doc).toEqual({ FHead: { FNumber: "C" }, FAddr: { City: "杭州", Zip: "310000" } });
  });
});

describe("compileMapper — lookups and custom parsers", () => {
  it("_findCollection inside _function … _endFind (Qeasy example)", async () => {
    const m = compileMapper([
      {
        field: "FIsKF",
        value: "_function case _findCollection find FIsKFPeriod from 66da8241-aaaa where FNumber={{details.item_code}} _endFind when true then '{{lot}}' else '' end",
      },
    ]);
    const calls: unknown[] = [];
    const c: MapContext = {
      vars: {},
      findCollection: async (q) => {
        calls.push(q);
        return q.where.FNumber === "M1";
      },
    };
    expect((await m.map({ details: { item_code: "M1" }, lot: "L9" }, c)).doc).toEqual({ FIsKF: "L9" });
    expect((await m.map({ details: { item_code: "M2" }, lot: "L9" }, c)).doc).toEqual({ FIsKF: "" });
    expect(calls[0]).toEqual({ flowId: "66da8241-aaaa", field: "FIsKFPeriod", where: { FNumber: "M1" } });
  });
  it("a throwing lookup is a field error, not an exception", async () => {
    const m = compileMapper([{ field: "X", value: "_findCollection find F from f where a={{a}} b={{b}}" }, { field: "Y", value: "y" }]);
    const r = await m.map({ a: 1, b: "两 个" }, { vars: {}, findCollection: async () => { throw new Error("ledger down"); } });
    expect(r).toEqual({ doc: { Y: "y" }, errors: [{ field: "X", message: "_findCollection 查找 F 失败: ledger down" }] });
  });
  it("custom parsers run asynchronously and keep field order", async () => {
    const m = compileMapper(
      [
        { field: "A", value: "{{a}}", parsers: [{ name: "Custom:double" }] },
        { field: "B", value: "{{b}}" },
      ],
      { customParsers: { double: { expression: "$ * 2" } } },
    );
    const r = await m.map({ a: 2, b: 1 }, ctx);
    expect(Object.keys(r.doc)).toEqual(["A", "B"]);
    expect(r.doc).toEqual({ A: 4, B: 1 });
    expect(() => m.mapSync({}, ctx)).toThrow(MappingError);
  });
});

describe("compileMapper — input shapes", () => {
  it("numeric constant values (hand-written Qeasy JSON) are accepted as text", async () => {
    const m = compileMapper([{ field: "A", value: 100 } as never, { field: "B", value: true, type: "boolean" } as never]);
    expect((await m.map({}, ctx)).doc).toEqual({ A: "100", B: true });
  });
  it("malformed mappings are rejected with the path", () => {
    expect(() => compileMapper([{ field: "A", children: [{ field: "" }] }])).toThrow(/\[0\]\.children\[0\]\.field/);
  });
});

describe("compileMapper — primitive rows", () => {
  it("a row that is a scalar is addressed by the array's own path", async () => {
    const m = compileMapper([{ field: "FEntity", value: "{{tags}}", children: [{ field: "FTag", value: "{{tags}}" }, { field: "FCode", value: "{{code}}" }] }]);
    expect((await m.map({ code: "C", tags: ["甲", "乙"] }, ctx)).doc).toEqual({ FEntity: [{ FTag: "甲", FCode: "C" }, { FTag: "乙", FCode: "C" }] });
  });
});
