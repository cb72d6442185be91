/**
 * The Qeasy importer: both seed scenarios translated as the seeds describe, every construct of the
 * fact sheet, malformed input answered with JSON paths, and nothing dropped without a report line.
 */
import { describe, expect, it } from "vitest";
import { compileFlow } from "./compile";
import type { FlowNode } from "./flow.schema";
import { QEASY_SCENARIOS, qeasyFixture } from "./qeasy-fixtures";
import { importQeasy, type QeasyReportEntry } from "./qeasy-import";
import { QeasyImportError } from "./qeasy-schema";

const node = <T extends FlowNode["type"]>(nodes: FlowNode[], t: T) => nodes.find((n): n is Extract<FlowNode, { type: T }> => n.type === t);
const at = (report: QeasyReportEntry[], path: string) => report.filter((r) => r.path === path);

async function importError(input: Parameters<typeof importQeasy>[0]): Promise<QeasyImportError> {
  try {
    await importQeasy(input);
  } catch (e) {
    if (e instanceof QeasyImportError) return e;
    throw e;
  }
  throw new Error("expected a QeasyImportError");
}

describe("every fixture", () => {
  for (const name of QEASY_SCENARIOS) {
    it(`${name}: imports into a document the flow compiler accepts`, async () => {
      const { document, report } = await importQeasy(qeasyFixture(name));
      expect(report.filter((r) => r.level === "problem")).toEqual([]);
      const compiled = await compileFlow(document);
      expect(compiled.ok).toBe(true);
      // every report line names a path in the input and explains itself in both languages
      for (const r of report) {
        expect(r.path).toMatch(/^(source|target|mapping)(\.|$)/);
        expect(r.message).toMatch(/\(.+\)$/);
      }
    });
  }
});

describe("seed 000: 管易云 gy.erp.shop.get → 金蝶 BD_Customer batchSave", () => {
  it("translates source, mapping and target as published", async () => {
    const { document, report } = await importQeasy(qeasyFixture("guanyi-shop-customer"));
    expect(document.nodes.map((n) => n.type)).toEqual(["source", "mapper", "target"]);
    expect(document.edges.map((e) => `${e.source}->${e.target}`)).toEqual(["source->mapper", "mapper->target"]);
    expect(node(document.nodes, "source")?.data).toEqual({
      connectionId: "沙箱-管易云",
      apiId: "guanyi.gy.erp.shop.get",
      params: {},
      idField: "id",
      numberField: "code",
      pageSize: 100,
      idCheck: true,
      options: {},
    });
    expect(node(document.nodes, "mapper")?.data.fields).toEqual([
      { field: "FName", label: "客户名称", type: "string", value: "{name}" },
      { field: "FNumber", label: "客户编码", type: "string", value: "{code}" },
      { field: "FCreateOrgId", label: "创建组织", type: "string", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
      { field: "FUseOrgId", label: "使用组织", type: "string", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
      { field: "FDescription", label: "描述", type: "string" },
    ]);
    expect(node(document.nodes, "target")?.data).toEqual({
      connectionId: "沙箱-金蝶",
      apiId: "kingdee.BatchSave",
      formId: "BD_Customer",
      batchSize: 1,
      options: { IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: true },
    });
    expect(document.settings.incremental.enabled).toBe(false);
    // params without a value, paging params and the rows assumption are all accounted for
    expect(at(report, "source.request.0")[0]).toMatchObject({ level: "ignored" });
    expect(at(report, "source.otherRequest.0")[0].message).toMatch(/page_size/);
    expect(at(report, "source.otherRequest.1")[0].message).toMatch(/page_no/);
    expect(at(report, "target.operation.rows")[0]).toMatchObject({ level: "assumed" });
    expect(at(report, "target.otherRequest.0.describe")).toEqual([]); // FormId's describe is metadata of a system param, consumed
  });

  it("uses the connection names the caller gives", async () => {
    const { document } = await importQeasy({ ...qeasyFixture("guanyi-shop-customer"), connections: { guanyi: "生产-管易云", kingdee: "生产-金蝶" }, name: "店铺同步" });
    expect(document.name).toBe("店铺同步");
    expect(node(document.nodes, "source")?.data.connectionId).toBe("生产-管易云");
    expect(node(document.nodes, "target")?.data.connectionId).toBe("生产-金蝶");
  });
});

describe("seed 004: 钉钉 备用金 approvals → 金蝶", () => {
  it("expense request: DingTalk source, form step, filter, entry table, incremental window", async () => {
    const { document, report } = await importQeasy(qeasyFixture("dingtalk-pettycash-expense"));
    expect(document.nodes.map((n) => n.type)).toEqual(["source", "dingtalkForm", "filter", "mapper", "target"]);
    const src = node(document.nodes, "source")!.data;
    expect(src).toMatchObject({
      apiId: "dingtalk.processinstance",
      connectionId: "沙箱-钉钉",
      idField: "process_instance_id",
      numberField: "business_id",
      pageSize: 20,
      params: { start_time: "_function ({{LAST_SYNC_TIME}}-(3600 * 24))* 1000", end_time: "{{CURRENT_TIME}}000" },
      options: { processCode: "PROC-SQ-BYJ-7F3A2C1D-5B6E-4D8A-9C0F-2E4A6B8D0C1E" },
    });
    expect(node(document.nodes, "filter")!.data.condition).toEqual([
      [
        { field: "status", logic: "eqv2", value: "COMPLETED" },
        { field: "result", logic: "eq", value: "agree" },
      ],
    ]);
    expect(document.settings.incremental).toMatchObject({ enabled: true, overlapSec: 0 });
    const fields = node(document.nodes, "mapper")!.data.fields as { field: string; value?: string; children?: unknown[] }[];
    const entity = fields.find((f) => f.field === "FEntity")!;
    expect(entity.value).toBe("{{form.费用明细}}");
    expect(entity.children).toHaveLength(2);
    expect(fields.find((f) => f.field === "FDeptID")?.value).toMatch(/^_function CASE '\{\{originator_dept_id\}\}' WHEN '560101' THEN 'BM001'/);
    expect(node(document.nodes, "target")!.data).toMatchObject({ formId: "ER_ExpenseRequest", batchSize: 20, options: { IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: true } });
    expect(at(report, "target.request.9")[0]).toMatchObject({ level: "assumed" });
    expect(at(report, "source.condition_bk")[0]).toMatchObject({ level: "ignored" });
    expect(at(report, "source.request.3")[0].message).toMatch(/size/);
  });

  it("a DingTalk mapping naming a form component directly is flagged with the {{form.…}} spelling", async () => {
    const target = JSON.parse(JSON.stringify(qeasyFixture("dingtalk-pettycash-expense").target)) as { request: { field: string; value?: string }[] };
    target.request.find((f) => f.field === "FCausa")!.value = "{{申请事由}}";
    const { report } = await importQeasy({ source: qeasyFixture("dingtalk-pettycash-expense").source, target });
    const hits = report.filter((r) => /申请事由/.test(r.message));
    expect(hits).toEqual([expect.objectContaining({ path: "target.request.7.value", level: "untranslated" })]);
    expect(hits[0].message).toMatch(/\{\{form\.申请事由\}\}/);
    // the fixture itself (form.… everywhere, instance fields elsewhere) raises none
    const clean = await importQeasy(qeasyFixture("dingtalk-pettycash-expense"));
    expect(clean.report.filter((r) => /不是钉钉审批实例的字段/.test(r.message))).toEqual([]);
  });

  it("department: BD_Department with IsVerifyBaseDataField false and a flat condition", async () => {
    const { document, report } = await importQeasy(qeasyFixture("dingtalk-department"));
    expect(node(document.nodes, "target")!.data).toMatchObject({ formId: "BD_Department", options: { IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: false } });
    expect(node(document.nodes, "target")!.data.batchSize).toBeUndefined();
    expect(node(document.nodes, "filter")!.data.condition).toEqual([[{ field: "status", logic: "eq", value: "COMPLETED" }]]);
    expect(at(report, "source.idCheck")[0]).toMatchObject({ level: "assumed" });
    expect(at(report, "target.operation.method")[0]).toMatchObject({ level: "ignored" });
  });
});

describe("constructs", () => {
  it("splitArray becomes a split node right after the source; every operator family of condition", async () => {
    const { document, report } = await importQeasy(qeasyFixture("guanyi-vip-splitarray"));
    expect(document.nodes.map((n) => n.type)).toEqual(["source", "split", "filter", "mapper", "target"]);
    expect(node(document.nodes, "split")!.data).toEqual({ path: "receive_infos", options: {} });
    const cond = node(document.nodes, "filter")!.data.condition as { logic: string }[][];
    expect(cond.flat().map((c) => c.logic)).toEqual(["in", "neq", "notNull", "like", "isNull", "egt"]);
    expect(node(document.nodes, "source")!.data.idCheck).toBe(false);
    expect(at(report, "source.response")[0]).toMatchObject({ level: "ignored" });
  });

  it("beatFlat becomes a flatten node; entry rows inferred from children; parsers incl. chains and two-stage objects", async () => {
    const { document, report } = await importQeasy(qeasyFixture("guanyi-trade-beatflat"));
    expect(document.nodes.map((n) => n.type)).toEqual(["source", "flatten", "filter", "mapper", "target"]);
    expect(node(document.nodes, "flatten")!.data).toEqual({ path: "details", options: {} });
    expect(node(document.nodes, "source")!.data.params).toEqual({ start_date: "{{LAST_SYNC_TIME|datetime}}", end_date: "{{CURRENT_TIME|datetime}}", date_type: "1", order_state: 1 });
    const fields = node(document.nodes, "mapper")!.data.fields as { field: string; value?: string; parsers?: unknown }[];
    const f = (n: string) => fields.find((x) => x.field === n)!;
    expect(f("F_Tags").parsers).toEqual([{ name: "StringToArray" }, { name: "ArrayUnique" }]);
    expect(f("F_Codes").parsers).toEqual([{ name: "ArrayToString", params: { separator: "|" } }]);
    expect(f("F_Name").parsers).toEqual([{ name: "ConvertJson" }]);
    expect(f("F_Stock").parsers).toEqual([{ name: "ConvertTwoStageObjectParser", params: { params1: "FStockId", params2: "FNumber" } }]);
    expect(f("FSaleOrderEntry").value).toBe("{{details}}");
    expect(f("FCustId").value).toMatch(/^_findCollection find FNumber from 8c2b3f0e/);
    expect(at(report, "target.request.3.value")[0]).toMatchObject({ level: "untranslated" });
    expect(node(document.nodes, "target")!.data.options).toEqual({ IsAutoSubmitAndAudit: false, IsDeleteEntry: true, NeedUpDateFields: ["FNote", "FSaleOrderEntry"] });
    expect(at(report, "target.otherRequest.5")[0].message).toMatch(/key/);
  });

  it("_findCollection scheme ids are rewritten through `schemes`; export → import keeps them", async () => {
    const fx = qeasyFixture("guanyi-trade-beatflat");
    const { document, report } = await importQeasy({ ...fx, schemes: { "8c2b3f0e-5d1a-4e7b-9f3c-2a6d8e4b1c0f": "cm_vip_flow_01" } });
    const f = (node(document.nodes, "mapper")!.data.fields as { field: string; value?: string }[]).find((x) => x.field === "FCustId")!;
    expect(f.value).toBe("_findCollection find FNumber from cm_vip_flow_01 where code={{vip_code}}");
    expect(at(report, "target.request.3.value")).toEqual([expect.objectContaining({ level: "assumed" })]);
  });

  it("Kingdee ExecuteBillQuery source: FormId/FieldKeys/FilterString/OrderString as options, paging dropped; mapping file overrides", async () => {
    const { document, report } = await importQeasy(qeasyFixture("kingdee-dept-supplier"));
    expect(node(document.nodes, "source")!.data).toMatchObject({
      apiId: "kingdee.ExecuteBillQuery",
      connectionId: "沙箱-金蝶",
      pageSize: 500,
      params: {},
      options: { formId: "BD_Department", fieldKeys: "FDEPTID,FNumber,FName,FFullName", filterString: "FNumber like 'BM%'", orderString: "FNumber ASC", topRowCount: 0 },
    });
    const fields = node(document.nodes, "mapper")!.data.fields as { field: string; value?: string }[];
    expect(fields.find((x) => x.field === "FDescription")?.value).toBe("由金蝶部门 {{FFullName}}（{{FNumber}}）生成");
    expect(at(report, "mapping.FDescription")[0]).toMatchObject({ level: "assumed" });
    expect(at(report, "source.otherRequest.4")[0].message).toMatch(/Limit/);
  });

  it("a FilterString with a template goes to params (resolved per run)", async () => {
    const src = { api: "ExecuteBillQuery", id: "FID", otherRequest: [
      { field: "FormId", value: "BD_Customer" },
      { field: "FieldKeys", value: ["FID", "FNumber"] },
      { field: "FilterString", value: "FModifyDate>='{{LAST_SYNC_TIME|datetime}}'" },
    ] };
    const { document } = await importQeasy({ source: src, target: qeasyFixture("guanyi-shop-customer").target });
    const s = node(document.nodes, "source")!.data;
    expect(s.params).toEqual({ FilterString: "FModifyDate>='{{LAST_SYNC_TIME|datetime}}'" });
    expect(s.options).toEqual({ formId: "BD_Customer", fieldKeys: "FID,FNumber" });
    expect(document.settings.incremental.enabled).toBe(true);
  });

  it("Qeasy's other built-in parsers (K3WiseHeiHuCustomParser, workflowRequestTableFields) import and compile", async () => {
    const target = {
      api: "batchSave",
      otherRequest: [{ field: "FormId", value: "BD_Customer" }],
      request: [
        { field: "FName", value: "{{name}}" },
        { field: "F_HeiHu", value: "{{code}}", parser: { name: "K3WiseHeiHuCustomParser", params: "FNumber" } },
        { field: "F_Wf", value: "{{name}}", parser: { name: "workflowRequestTableFields", params: { fieldId: "field1234", view: true, edit: true } } },
      ],
    };
    const { document, report } = await importQeasy({ source: qeasyFixture("guanyi-shop-customer").source, target });
    expect(report.filter((r) => r.level === "problem" || r.level === "untranslated")).toEqual([]);
    const fields = node(document.nodes, "mapper")!.data.fields as { field: string; parsers?: unknown }[];
    expect(fields[1].parsers).toEqual([{ name: "K3WiseHeiHuCustomParser", params: { keyName: "FNumber" } }]);
  });

  it("flat descriptors with `parent` are nested; JSON number values keep their type; mapping as descriptor list or {request}", async () => {
    const target = {
      api: "batchSave",
      otherRequest: [{ field: "FormId", value: "ER_ExpenseRequest" }],
      request: [
        { field: "FBillNo", value: "{{business_id}}" },
        { field: "FEntity", type: "array", value: "{{rows}}" },
        { field: "FOrgAmount", parent: "FEntity", value: "{{rows.amount}}" },
        { field: "FQty", value: 3 },
      ],
    };
    const src = qeasyFixture("guanyi-shop-customer").source;
    const a = await importQeasy({ source: src, target, mapping: [{ field: "FBillNo", value: "X{{business_id}}" }] });
    const fields = node(a.document.nodes, "mapper")!.data.fields as { field: string; value?: string; type?: string; children?: { field: string }[] }[];
    expect(fields.map((f) => f.field)).toEqual(["FBillNo", "FEntity", "FQty"]);
    expect(fields[0].value).toBe("X{{business_id}}");
    expect(fields[1].children?.map((c) => c.field)).toEqual(["FOrgAmount"]);
    expect(fields[2]).toMatchObject({ value: "3", type: "int" });
    expect(at(a.report, "target.request.2.parent")[0]).toMatchObject({ level: "assumed" });
    const b = await importQeasy({ source: src, target, mapping: { request: [{ field: "FNew", value: "{{code}}" }] } });
    expect((node(b.document.nodes, "mapper")!.data.fields as { field: string }[]).map((f) => f.field)).toContain("FNew");
  });
});

describe("what cannot be translated is reported with its path", () => {
  const src = () => JSON.parse(JSON.stringify(qeasyFixture("guanyi-shop-customer").source)) as Record<string, unknown>;
  const tgt = () => JSON.parse(JSON.stringify(qeasyFixture("guanyi-shop-customer").target)) as Record<string, unknown>;

  it("merge, autoCheck, detailApi, unknown operators, unknown keys, unknown and custom parsers, unsupported apis", async () => {
    const s = src();
    s.request = [{ field: "detail_flag", value: "false" }, { field: "detailApi", type: "object", children: [{ field: "api", value: "gy.erp.trade.deliverys.detail.get" }] }];
    s.condition = [[{ field: "status", logic: "between", value: "1,2" }, { field: "code", logic: "EQ", value: "G001" }]];
    s.operation = { method: "groupBy", field: "code" };
    s.somethingNew = 1;
    const t = tgt();
    t.operation = { method: "merge", field: "code", bodyName: "details" };
    t.autoCheck = { api: "ExecuteBillQuery" };
    (t.request as Record<string, unknown>[]).push(
      { field: "F_X", value: "{{x}}", parser: { name: "MyLegacyParser", params: "x" } },
      { field: "F_Y", value: "{{y}}", parser: { name: "CustomParser", params: { ruleId: "orgRule" } } },
      { field: "F_Z", value: "{{z}}", shape: "odd" },
    );
    (t.otherRequest as Record<string, unknown>[]).push({ field: "SomeFlag", value: "1" });
    const { document, report } = await importQeasy({ source: s, target: t });
    const level = (path: string) => at(report, path).map((r) => r.level);
    expect(level("source.request.1")).toEqual(["untranslated"]); // detailApi
    expect(level("source.condition.0.0.logic")).toEqual(["untranslated"]); // between
    expect(node(document.nodes, "filter")!.data.condition).toEqual([[{ field: "code", logic: "eq", value: "G001" }]]); // EQ accepted case-insensitively
    expect(level("source.operation.method")).toEqual(["untranslated"]);
    expect(level("source.operation.field")).toEqual(["untranslated"]);
    expect(level("source.somethingNew")).toEqual(["untranslated"]);
    expect(level("target.operation.method")).toEqual(["untranslated"]);
    expect(at(report, "target.operation.method")[0].message).toMatch(/merge/);
    expect(level("target.operation.field")).toEqual(["untranslated"]);
    expect(level("target.autoCheck")).toEqual(["untranslated"]);
    expect(level("target.request.5.parser")).toEqual(["untranslated"]);
    expect(at(report, "target.request.6.parser")[0].message).toMatch(/orgRule/);
    expect(level("target.request.7.shape")).toEqual(["untranslated"]);
    expect(level("target.otherRequest.4")).toEqual(["untranslated"]);
    // the unknown parser is kept, so the compiler's own problem is in the report too
    expect(report.some((r) => r.level === "problem" && /MyLegacyParser/.test(r.message))).toBe(true);
  });

  it("an api no connector knows keeps a placeholder api id and says what to do", async () => {
    const s = src();
    s.api = "/api/v1/orders";
    const t = tgt();
    t.api = "gy.erp.trade.add";
    const { document, report } = await importQeasy({ source: s, target: t });
    expect(node(document.nodes, "source")!.data.apiId).toBe("qeasy./api/v1/orders");
    expect(at(report, "source.api").some((r) => r.level === "untranslated")).toBe(true);
    expect(at(report, "target.api")[0].level).toBe("untranslated");
  });

  it("page size above the connector's maximum is clamped and reported", async () => {
    const s = src();
    s.pagination = { pageSize: 500 };
    const { document, report } = await importQeasy({ source: s, target: tgt() });
    expect(node(document.nodes, "source")!.data.pageSize).toBe(100);
    expect(at(report, "source.pagination.pageSize")[0]).toMatchObject({ level: "assumed" });
  });
});

describe("malformed Qeasy JSON is refused with JSON paths", () => {
  const tgt = () => qeasyFixture("guanyi-shop-customer").target as Record<string, unknown>;
  const src = () => qeasyFixture("guanyi-shop-customer").source as Record<string, unknown>;

  it("missing api, descriptor without field, clause without logic, bad rows", async () => {
    const e = await importError({
      source: { ...src(), api: undefined, condition: [[{ field: "status", value: "x" }]] },
      target: { ...tgt(), request: [{ field: "FName", value: "{{name}}" }, { label: "无字段名", value: "x" }], operation: { method: "batchArraySave", rows: "many" } },
    });
    const paths = e.issues.map((i) => i.path);
    expect(paths).toContain("source.api");
    expect(paths).toContain("source.condition.0.0.logic");
    expect(paths).toContain("target.request.1.field");
    expect(paths).toContain("target.operation.rows");
    expect(e.message).toMatch(/target\.request\.1\.field/);
  });

  it("not objects, swapped source and target, bad mapping, bad parser notation", async () => {
    const e1 = await importError({ source: [], target: "x" });
    expect(e1.issues.map((i) => i.path)).toEqual(["source", "target"]);
    const e2 = await importError({ source: { ...tgt(), type: "EXECUTE" }, target: { ...src(), type: "QUERY" } });
    expect(e2.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["source.type", "target.type"]));
    expect(e2.message).toMatch(/放反|swapped/);
    const e3 = await importError({ source: src(), target: tgt(), mapping: 42 });
    expect(e3.issues[0].path).toBe("mapping");
    const e4 = await importError({ source: src(), target: { ...tgt(), request: [{ field: "F", value: "1", parser: { params: "FNumber" } }] } });
    expect(e4.issues[0].path).toBe("target.request.0.parser");
  });

  it("every message says what is wrong in Chinese and English", async () => {
    const e = await importError({
      source: { api: "gy.erp.shop.get", pagination: { pageSize: -1 }, request: [{ field: 3 }], beatFlat: 3 },
      target: { api: "batchSave", operation: { method: "batchArraySave", rows: 0 }, request: [{ field: "a", is_required: "y" }] },
    });
    expect(e.issues).toEqual([
      { path: "source.request.0.field", message: "field 应为文本 (field must be a string)" },
      { path: "source.pagination.pageSize", message: "pageSize 应为正整数 (pageSize must be a positive integer)" },
      { path: "source.beatFlat", message: expect.stringMatching(/^beatFlat 应为.*\(expected/) },
      { path: "target.request.0.is_required", message: "is_required 应为 true 或 false (expected true or false)" },
      { path: "target.operation.rows", message: "rows 应为正整数 (rows must be a positive integer)" },
    ]);
  });

  it("children are checked recursively", async () => {
    const e = await importError({ source: src(), target: { ...tgt(), request: [{ field: "FEntity", children: [{ field: "A" }, { field: 7 }] }] } });
    expect(e.issues[0].path).toBe("target.request.0.children.1.field");
  });
});
