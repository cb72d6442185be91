/**
 * The two seed case studies reproduced as mappings (/work/shared/seeds).
 */
import { describe, expect, it } from "vitest";
import { compileFilter, compileMapper, dingtalkFormToRecord, normalizeParsers, validateMapping } from "./index";
import type { FieldMapping, MapContext } from "./index";

describe("seed 000: 管易云 gy.erp.shop.get → 金蝶 BD_Customer batchSave", () => {
  // the target `request` exactly as published, with Qeasy parser notation normalised
  const qeasyRequest = [
    { field: "FName", label: "客户名称", type: "string", value: "{name}" },
    { field: "FNumber", label: "客户编码", type: "string", value: "{code}" },
    { field: "FCreateOrgId", label: "创建组织", type: "string", parser: { name: "ConvertObjectParser", params: "FNumber" }, value: "100" },
    { field: "FUseOrgId", label: "使用组织", type: "string", parser: { name: "ConvertObjectParser", params: "FNumber" }, value: "100" },
    { field: "FDescription", label: "描述", type: "string" },
  ] as const;
  const fields: FieldMapping[] = qeasyRequest.map((d) => {
    const { parser, ...rest } = d as typeof d & { parser?: unknown };
    return { ...rest, parsers: normalizeParsers(parser) } as FieldMapping;
  });

  it("is valid at save time", () => {
    expect(validateMapping(fields, { knownFields: ["id", "code", "name", "modified"] })).toEqual([]);
  });

  it("maps shops to BD_Customer models", async () => {
    const m = compileMapper(fields);
    const shops = [
      { id: 1, code: "G001", name: "天猫旗舰店", modified: "2024-03-01 09:00:00" },
      { id: 2, code: "G002", name: "京东自营店" },
    ];
    const docs = await Promise.all(shops.map((s) => m.map(s, { vars: {} })));
    expect(docs.map((d) => d.errors)).toEqual([[], []]);
    expect(docs[0].doc).toEqual({ FName: "天猫旗舰店", FNumber: "G001", FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" } });
    expect(docs[1].doc.FNumber).toBe("G002");
  });

  it("the custom-parser variant (CustomParser {ruleId: orgRule}) works through the caller's registry", async () => {
    const custom = { orgRule: { expression: '{"FNumber": $string($)}' } };
    const f: FieldMapping[] = [
      { field: "FCreateOrgId", type: "string", value: "100", parsers: normalizeParsers({ name: "CustomParser", params: { ruleId: "orgRule" } }) },
    ];
    const r = await compileMapper(f, { customParsers: custom }).map({}, { vars: {} });
    expect(r).toEqual({ doc: { FCreateOrgId: { FNumber: "100" } }, errors: [] });
  });
});

describe("seed 004: 钉钉 备用金 approval → 金蝶 ER_ExpenseRequest", () => {
  const instance = {
    process_instance_id: "3a6c-0001",
    title: "张三提交的备用金申请",
    create_time: "2024-03-01 10:00:00",
    finish_time: "2024-03-02 09:00:00",
    originator_userid: "manager123",
    originator_dept_id: "12345",
    originator_dept_name: "财务部",
    status: "COMPLETED",
    result: "agree",
    business_id: "202403011000000123",
    form_component_values: [
      { name: "备用金金额", value: "1,500.50", id: "MoneyField-1", component_type: "MoneyField" },
      { name: "事由", value: "  出差\u3000备用金 ", id: "TextareaField-1", component_type: "TextareaField" },
      { name: "币别", value: "null", id: "DDSelectField-1", component_type: "DDSelectField" },
      {
        name: "明细",
        id: "TableField-1",
        component_type: "TableField",
        value: JSON.stringify([
          { rowValue: [{ label: "费用类型", key: "DDSelectField-2", value: "差旅费" }, { label: "金额", key: "MoneyField-2", value: "1000.5" }] },
          { rowValue: [{ label: "费用类型", key: "DDSelectField-2", value: "招待费" }, { label: "金额", key: "MoneyField-2", value: "500" }] },
        ]),
      },
    ],
  };
  const record: Record<string, unknown> = { ...instance, ...dingtalkFormToRecord(instance.form_component_values) };

  const fields: FieldMapping[] = [
    { field: "FBillNo", value: "BYJ-{{business_id}}" },
    { field: "FBillTypeID", value: "FYSQ001_SYS", parsers: [{ name: "ConvertObjectParser", params: { key: "FNUMBER" } }] },
    { field: "FDate", type: "datetime", value: "{{create_time}}", required: true },
    { field: "FOrgID", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
    { field: "FReason", label: "事由", type: "string", value: "{{事由}}", parsers: [{ name: "Trim", params: { collapse: true } }] },
    { field: "FStaffID", label: "申请人", value: "{{originator_userid}}", required: true, parsers: [{ name: "ConvertObjectParser", params: { key: "FStaffNumber" } }] },
    {
      field: "FDeptID",
      label: "申请部门",
      value: "_findCollection find FNumber from dept-sync-flow where dingtalk_dept_id={{originator_dept_id}}",
      required: true,
      parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }],
    },
    { field: "FCurrencyID", value: "{{币别}}", default: "PRE001", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
    { field: "FIsBorrow", type: "boolean", value: "true" },
    { field: "FTotalAmount", label: "金额", type: "number", value: "{{备用金金额}}", parsers: [{ name: "NumberFormat", params: { precision: 2 } }] },
    {
      field: "FEntity",
      value: "{{明细}}",
      children: [
        {
          field: "FExpenseItemID",
          value: "{{费用类型}}",
          parsers: [
            { name: "Dictionary", params: { map: { 差旅费: "FYXM01", 招待费: "FYXM02" }, onMissing: "error" } },
            { name: "ConvertObjectParser", params: { key: "FNumber" } },
          ],
        },
        { field: "FOrgAmount", type: "number", value: "{{金额}}" },
        { field: "FRemark", value: "_function CONCAT({{business_id}}, '-', {{费用类型}})" },
      ],
    },
  ];

  const ctx: MapContext = {
    vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709341200 },
    findCollection: async ({ flowId, field, where }) => (flowId === "dept-sync-flow" && field === "FNumber" && where.dingtalk_dept_id === "12345" ? "BM0012" : undefined),
  };

  it("flattens the form by label", () => {
    expect(record.备用金金额).toBe("1,500.50");
    expect(record.币别).toBeNull();
    expect(record.明细).toEqual([
      { 费用类型: "差旅费", 金额: "1000.5" },
      { 费用类型: "招待费", 金额: "500" },
    ]);
  });

  it("keeps only completed + agreed approvals", () => {
    const keep = compileFilter([[{ field: "status", logic: "eqv2", value: "COMPLETED" }, { field: "result", logic: "eq", value: "agree" }]]);
    expect(keep(record)).toBe(true);
    expect(keep({ ...record, result: "refuse" })).toBe(false);
  });

  it("is valid at save time", () => {
    expect(validateMapping(fields, { knownVars: ["LAST_SYNC_TIME", "CURRENT_TIME"] })).toEqual([]);
  });

  it("maps to an ER_ExpenseRequest model with amount, reason, applicant, department reference and entries", async () => {
    const m = compileMapper(fields);
    expect(m.async).toBe(true);
    const r = await m.map(record, ctx);
    expect(r.errors).toEqual([]);
    expect(r.doc).toEqual({
      FBillNo: "BYJ-202403011000000123",
      FBillTypeID: { FNUMBER: "FYSQ001_SYS" },
      FDate: "2024-03-01 10:00:00",
      FOrgID: { FNumber: "100" },
      FReason: "出差 备用金",
      FStaffID: { FStaffNumber: "manager123" },
      FDeptID: { FNumber: "BM0012" },
      FCurrencyID: { FNumber: "PRE001" },
      FIsBorrow: true,
      FTotalAmount: 1500.5,
      FEntity: [
        { FExpenseItemID: { FNumber: "FYXM01" }, FOrgAmount: 1000.5, FRemark: "202403011000000123-差旅费" },
        { FExpenseItemID: { FNumber: "FYXM02" }, FOrgAmount: 500, FRemark: "202403011000000123-招待费" },
      ],
    });
  });

  it("an unknown department and a bad row are reported with their paths, all at once", async () => {
    const bad = {
      ...record,
      originator_dept_id: "999",
      明细: [{ 费用类型: "差旅费", 金额: "1000.5" }, { 费用类型: "办公费", 金额: "5a" }],
    };
    const r = await compileMapper(fields).map(bad, ctx);
    expect(r.errors).toEqual([
      { field: "FDeptID", message: "必填，但值为空" },
      { field: "FEntity[1].FExpenseItemID", message: "'办公费' 不在字典中" },
      { field: "FEntity[1].FOrgAmount", message: "'5a' 不是有效数字" },
    ]);
  });

  it("without ctx.findCollection the lookup fails clearly", async () => {
    const r = await compileMapper(fields).map(record, { vars: {} });
    expect(r.errors).toEqual([{ field: "FDeptID", message: expect.stringMatching(/未提供查找服务/) }]);
  });
});
