/**
 * Export back to Qeasy, and the property that matters: import → export → import gives the same
 * document (for every fixture and for generated configs).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFlowDoc } from "./flow.schema";
import { exportQeasy } from "./qeasy-export";
import { QEASY_SCENARIOS, qeasyFixture } from "./qeasy-fixtures";
import { importQeasy } from "./qeasy-import";

async function roundTrip(input: { source: unknown; target: unknown; mapping?: unknown }) {
  const first = await importQeasy(input);
  const exported = exportQeasy(first.document);
  const second = await importQeasy({ source: exported.source, target: exported.target });
  return { first, exported, second };
}

describe("export", () => {
  it("seed 000 comes back in the published shape", async () => {
    const { document } = await importQeasy(qeasyFixture("guanyi-shop-customer"));
    const { source, target, report } = exportQeasy(document);
    expect(source).toMatchObject({ api: "gy.erp.shop.get", type: "QUERY", method: "POST", id: "id", number: "code", idCheck: true, pagination: { pageSize: 100 } });
    expect(source.otherRequest).toEqual([
      { field: "page_size", label: "分页大小", type: "string", value: "{{PAGINATION_PAGE_SIZE}}" },
      { field: "page_no", label: "页号", type: "string", value: "{{PAGINATION_START_PAGE}}" },
    ]);
    expect(target).toMatchObject({ api: "batchSave", type: "EXECUTE", operation: { method: "batchArraySave", rowsKey: "array", rows: 1 } });
    expect((target.request as unknown[])[2]).toEqual({ field: "FCreateOrgId", label: "创建组织", type: "string", value: "100", parser: { name: "ConvertObjectParser", params: "FNumber" } });
    expect(target.otherRequest).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "FormId", value: "BD_Customer" }),
        expect.objectContaining({ field: "IsAutoSubmitAndAudit", value: true }),
      ]),
    );
    expect(report.every((r) => r.level === "ignored")).toBe(true); // only the connection names
  });

  it("reports what Qeasy cannot hold: validation/cleaning nodes, schedules, overrides", async () => {
    const { document } = await importQeasy(qeasyFixture("guanyi-shop-customer"));
    const raw = JSON.parse(JSON.stringify(document));
    raw.nodes.splice(1, 0, { id: "v", type: "validate", position: { x: 0, y: 0 }, data: { rules: [{ type: "required", field: "code" }] } });
    raw.edges = [
      { id: "a", source: "source", target: "v" },
      { id: "b", source: "v", target: "mapper" },
      { id: "c", source: "mapper", target: "target" },
    ];
    raw.settings.schedule = { cron: "0 */30 * * * *" };
    raw.nodes[0].data.options = { concurrency: 2 };
    raw.nodes[3].data.concurrency = 4;
    const parsed = parseFlowDoc(raw);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { report } = exportQeasy(parsed.doc);
    const paths = report.filter((r) => r.level === "untranslated").map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(["nodes.1", "settings.schedule", "nodes.0.data.options.concurrency", "nodes.3.data.concurrency"]));
  });

  it("the example flows shipped in examples/ export without losing their mapping", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    for (const f of ["guanyi-shops-to-kingdee-customers.json", "dingtalk-pettycash-to-kingdee.json"]) {
      const parsed = parseFlowDoc(JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../examples", f), "utf8")));
      if (!parsed.ok) throw new Error(f);
      const { target, report } = exportQeasy(parsed.doc);
      const mapper = parsed.doc.nodes.find((n) => n.type === "mapper")!;
      expect((target.request as unknown[]).length).toBe((mapper.data as { fields: unknown[] }).fields.length);
      expect(report.some((r) => r.path.startsWith("nodes.") && r.level === "untranslated")).toBe(true); // the validate node
      const back = await importQeasy({ source: exportQeasy(parsed.doc).source, target });
      expect((back.document.nodes.find((n) => n.type === "mapper")!.data as { fields: unknown[] }).fields).toEqual((mapper.data as { fields: unknown[] }).fields);
    }
  });
});

describe("import → export → import is stable", () => {
  for (const name of QEASY_SCENARIOS) {
    it(name, async () => {
      const { first, second } = await roundTrip(qeasyFixture(name));
      expect(second.document).toEqual(first.document);
    });
  }

  it("property: generated configs", async () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    const fieldName = fc.stringMatching(/^F[A-Za-z]{1,8}$/);
    const value = fc.oneof(
      ident.map((x) => `{{${x}}}`),
      ident.map((x) => `{${x}}`),
      fc.constantFrom("100", "BD_Customer", "_function CONCAT('{{code}}', '-', '{{name}}')", "_function CASE '{{a}}' WHEN '1' THEN 'x' ELSE 'y' END", "{{LAST_SYNC_TIME|datetime}}"),
      fc.integer({ min: 0, max: 1000 }),
    );
    const parser = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom("FNumber", "FNUMBER", "FStaffNumber").map((k) => ({ name: "ConvertObjectParser", params: k })),
      fc.constant({ name: "ConvertTwoStageObjectParser", params1: "FStockId", params2: "FNumber" }),
      fc.constant("StringToArray,ArrayUnique"),
      fc.constantFrom(",", "|").map((s) => ({ name: "ArrayToString", params: s })),
      fc.constant({ name: "ConvertJson" }),
      fc.constant({ name: "K3WiseHeiHuCustomParser", params: "FNumber" }),
      fc.constant({ name: "workflowRequestTableFields", params: { fieldId: "field1", view: true, edit: false } }),
      fc.constant({ name: "CustomParser", params: { ruleId: "orgRule" } }),
    );
    const descriptor = fc.record(
      {
        field: fieldName,
        label: fc.constantFrom("名称", "编码", "备注"),
        type: fc.constantFrom("string", "int", "number", "boolean", "datetime"),
        value,
        is_required: fc.boolean(),
        parser,
      },
      { requiredKeys: ["field"] },
    );
    const uniqueFields = fc.uniqueArray(descriptor, { selector: (d) => d.field, minLength: 1, maxLength: 6 });
    const entry = fc.option(
      fc.uniqueArray(fc.record({ field: fieldName, value: ident.map((x) => `{{details.${x}}}`) }), { selector: (d) => d.field, minLength: 1, maxLength: 3 }),
      { nil: undefined },
    );
    const clause = fc.record({
      field: ident,
      logic: fc.constantFrom("eq", "eqv2", "neq", "in", "notin", "gt", "egt", "lt", "elt", "like", "isNull", "notNull"),
      value: fc.oneof(fc.constantFrom("A", "1", "x,y"), fc.integer()),
    });
    const config = fc.record({
      api: fc.constantFrom("gy.erp.shop.get", "gy.erp.trade.get", "topapi/processinstance/get", "ExecuteBillQuery"),
      pageSize: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
      idCheck: fc.option(fc.boolean(), { nil: undefined }),
      params: fc.dictionary(ident, fc.oneof(fc.constantFrom("1", "{{CURRENT_TIME}}000", "{{LAST_SYNC_TIME|datetime}}"), fc.integer()), { maxKeys: 3 }),
      condition: fc.option(fc.array(fc.array(clause, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      beatFlat: fc.option(fc.constantFrom(["details"], ["details", "payments"]), { nil: undefined }),
      split: fc.option(fc.constantFrom("items", "receive_infos"), { nil: undefined }),
      fields: uniqueFields,
      entry,
      rows: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
      flags: fc.record({ IsAutoSubmitAndAudit: fc.boolean(), IsVerifyBaseDataField: fc.constantFrom("true", "false") }, { requiredKeys: [] }),
      api2: fc.constantFrom("batchSave", "BatchSave", "save"),
    });
    await fc.assert(
      fc.asyncProperty(config, async (c) => {
        const source: Record<string, unknown> = {
          api: c.api,
          id: "id",
          number: "code",
          request: [
            ...Object.entries(c.params).map(([field, v]) => ({ field, value: v })),
            ...(c.api.includes("processinstance") ? [{ field: "process_code", value: "PROC-X" }] : []),
          ],
          otherRequest: c.api === "ExecuteBillQuery" ? [{ field: "FormId", value: "BD_Customer" }, { field: "FieldKeys", value: "FID,FNumber" }] : [],
        };
        if (c.pageSize !== undefined) source.pagination = { pageSize: c.pageSize };
        if (c.idCheck !== undefined) source.idCheck = c.idCheck;
        if (c.condition) source.condition = c.condition;
        if (c.beatFlat) source.beatFlat = c.beatFlat;
        if (c.split) source.operation = { method: "splitArray", arrayKey: c.split };
        const fields: Record<string, unknown>[] = c.fields.map((d) => ({ ...d }));
        if (c.entry && !fields.some((f) => f.field === "FEntity")) fields.push({ field: "FEntity", type: "array", children: c.entry });
        const target: Record<string, unknown> = {
          api: c.api2,
          request: fields,
          otherRequest: [{ field: "FormId", value: "BD_Customer" }, ...Object.entries(c.flags).map(([field, value]) => ({ field, value }))],
        };
        if (c.rows !== undefined) target.operation = { method: "batchArraySave", rowsKey: "array", rows: c.rows };
        const { first, second } = await roundTrip({ source, target });
        expect(second.document).toEqual(first.document);
      }),
      { numRuns: 60 },
    );
  });
});
