import { describe, expect, it } from "vitest";
import { dingtalkFormToRecord, tableRowsToRecords } from "./dingtalk";

describe("dingtalkFormToRecord", () => {
  const values = [
    { name: "报销金额", value: "100.00", id: "MoneyField-1", component_type: "MoneyField" },
    { name: "事由", value: "出差", id: "TextField-1", component_type: "TextField" },
    { name: "事由", value: "second", id: "TextField-2", component_type: "TextField" },
    { name: "明细", value: '[{"rowValue":[{"label":"项目","key":"T-1","value":"交通"},{"label":"金额","key":"M-1","value":"50"}]}]', id: "TableField-1", component_type: "TableField" },
  ];
  it("flattens by label; first duplicate wins; tables become rows", () => {
    expect(dingtalkFormToRecord(values)).toEqual({ 报销金额: "100.00", 事由: "出差", 明细: [{ 项目: "交通", 金额: "50" }] });
  });
  it("accepts the whole instance, v1.0 camelCase, and id keys", () => {
    expect(dingtalkFormToRecord({ process_instance: { form_component_values: values.slice(0, 1) } })).toEqual({ 报销金额: "100.00" });
    expect(dingtalkFormToRecord({ result: { formComponentValues: [{ name: "金额", value: "1", id: "M", componentType: "MoneyField" }] } }, { keys: "both" })).toEqual({ 金额: "1", M: "1" });
    expect(dingtalkFormToRecord(values, { keys: "id" })["TextField-2"]).toBe("second");
  });
  it("an instance whose own result is 'agree' is read as the instance", () => {
    expect(dingtalkFormToRecord({ status: "COMPLETED", result: "agree", form_component_values: values.slice(0, 1) })).toEqual({ 报销金额: "100.00" });
  });
  it("garbage input gives an empty record", () => {
    expect(dingtalkFormToRecord(null)).toEqual({});
    expect(dingtalkFormToRecord([1, null, "x"])).toEqual({});
  });
  it("table rows: bad JSON and non-table arrays are not tables", () => {
    expect(tableRowsToRecords("[{bad")).toBeUndefined();
    expect(tableRowsToRecords("[1,2]")).toBeUndefined();
    expect(tableRowsToRecords([{ rowValue: [{ label: "a", value: "1" }] }])).toEqual([{ a: "1" }]);
  });
});
