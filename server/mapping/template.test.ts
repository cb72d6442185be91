import { describe, expect, it } from "vitest";
import { MappingError } from "./errors";
import { compileTemplate, renderTemplate } from "./template";
import { resolveTemplate, templateVariables } from "./validate";

const ctx = { vars: { LAST_SYNC_TIME: 1709254800, CURRENT_TIME: 1709258400, PAGINATION_PAGE_SIZE: 100, PAGINATION_START_PAGE: 1 } };
const r = (t: string, rec: Record<string, unknown> = {}) => resolveTemplate(t, rec, ctx);

describe("templates", () => {
  it("a constant is returned as text", () => {
    expect(r("BD_Customer")).toBe("BD_Customer");
    expect(r("")).toBe("");
    expect(compileTemplate("abc").constant).toBe("abc");
  });
  it("a single placeholder keeps the value's type", () => {
    const rec = { n: 12.5, o: { a: 1 }, arr: [1, 2], b: false, z: null };
    expect(r("{{n}}", rec)).toBe(12.5);
    expect(r("{{o}}", rec)).toEqual({ a: 1 });
    expect(r("{{arr}}", rec)).toEqual([1, 2]);
    expect(r("{{b}}", rec)).toBe(false);
    expect(r("{{z}}", rec)).toBeNull();
    expect(r("{{missing}}", rec)).toBeUndefined();
  });
  it("mixed text yields a string; objects become JSON, null/missing empty", () => {
    expect(r("客户-{{code}}-{name}", { code: "G1", name: "店" })).toBe("客户-G1-店");
    expect(r("n={{n}} o={{o}} z={{z}} m={{m}}", { n: 1, o: { a: 1 }, z: null })).toBe('n=1 o={"a":1} z= m=');
  });
  it("single braces are a placeholder only for identifier paths", () => {
    expect(r("{name}", { name: "x" })).toBe("x");
    expect(r('{"FNumber":"100"}', {})).toBe('{"FNumber":"100"}');
    expect(r("{0} and { a b }", { a: 1 })).toBe("{0} and { a b }");
    expect(r("{PAGINATION_START_PAGE}")).toBe(1);
    expect(r("{金额}", { 金额: "100.00" })).toBe("100.00");
  });
  it("escaped braces are literal", () => {
    expect(r("\\{name\\}", { name: "x" })).toBe("{name}");
  });
  it("nested paths, array index, array rows", () => {
    const rec = { a: { b: { c: "deep" } }, details_list: [{ goods_no: "A" }, { goods_no: "B" }] };
    expect(r("{{a.b.c}}", rec)).toBe("deep");
    expect(r("{{details_list[1].goods_no}}", rec)).toBe("B");
    expect(r("{{details_list.0.goods_no}}", rec)).toBe("A");
    expect(r("{{details_list.goods_no}}", rec)).toEqual(["A", "B"]);
    expect(r("{{a.x.y}}", rec)).toBeUndefined();
  });
  it("a literal dotted key wins (K3Cloud FieldKeys columns)", () => {
    expect(r("{{FCreateOrgId.FNumber}}", { "FCreateOrgId.FNumber": "100" })).toBe("100");
  });
  it("does not read inherited properties", () => {
    expect(r("{{constructor}}", {})).toBeUndefined();
    expect(r("{{__proto__}}", {})).toBeUndefined();
    expect(r("{{toString}}", {})).toBeUndefined();
  });
  it("context variables and pipes in Asia/Shanghai", () => {
    expect(r("{{LAST_SYNC_TIME}}")).toBe(1709254800);
    expect(r("{{LAST_SYNC_TIME|datetime}}")).toBe("2024-03-01 09:00:00");
    expect(r("{{LAST_SYNC_TIME|date}}")).toBe("2024-03-01");
    expect(r("{{LAST_SYNC_TIME|timestamp_ms}}")).toBe(1709254800000);
    expect(r("{{CURRENT_TIME}}000")).toBe("1709258400000");
    expect(r("FModifyDate>='{{LAST_SYNC_TIME|datetime}}'")).toBe("FModifyDate>='2024-03-01 09:00:00'");
    expect(r("{{ LAST_SYNC_TIME | datetime }}")).toBe("2024-03-01 09:00:00");
    expect(r("{{t|timestamp}}", { t: "2024-03-01 09:00:00" })).toBe(1709254800);
  });
  it("context variables win over record fields of the same name", () => {
    expect(r("{{LAST_SYNC_TIME}}", { LAST_SYNC_TIME: "x" })).toBe(1709254800);
  });
  it("pagination placeholders", () => {
    expect(r("{PAGINATION_PAGE_SIZE}")).toBe(100);
    expect(r("{{PAGINATION_PAGE_SIZE}}")).toBe(100);
  });
  it("Chinese, emoji and long strings", () => {
    const long = "长".repeat(100_000);
    expect(r("{{s}}😀", { s: "你好" })).toBe("你好😀");
    expect(r("{{s}}!", { s: long })).toHaveLength(100_001);
  });
  it("deep nesting", () => {
    let o: Record<string, unknown> = { v: 1 };
    const path: string[] = [];
    for (let i = 0; i < 50; i++) {
      o = { k: o };
      path.push("k");
    }
    expect(r(`{{${path.join(".")}.v}}`, o)).toBe(1);
  });
  it("syntax errors are MappingError with position", () => {
    expect(() => compileTemplate("a {{name")).toThrow(MappingError);
    expect(() => compileTemplate("a {{name")).toThrow(/未闭合/);
    expect(() => compileTemplate("{{}}")).toThrow(/缺少字段名/);
    expect(() => compileTemplate("{{x|bogus}}")).toThrow(/不支持/);
    expect(() => compileTemplate("{{a..b}}")).toThrow(MappingError);
    expect(() => compileTemplate("{{a[x]}}")).toThrow(/下标/);
  });
  it("a pipe on a non-date is a coercion error", () => {
    expect(() => r("{{x|datetime}}", { x: "abc" })).toThrow(/不是有效时间/);
    expect(r("{{x|datetime}}", {})).toBeUndefined();
  });
  it("output length is bounded", () => {
    const t = compileTemplate("{{a}}{{a}}");
    expect(() => renderTemplate(t, { record: { a: "x".repeat(600) } }, { vars: {} }, { ...limitsSmall })).toThrow(/上限/);
  });
  it("templateVariables lists referenced names", () => {
    expect(templateVariables("客户-{{code}}-{name}-{{code}}")).toEqual(["code", "name"]);
    expect(templateVariables("_function CONCAT('{{a}}', {{b.c}})")).toEqual(["a", "b.c"]);
    expect(templateVariables("_findCollection find FID from f1 where FNumber={{code}}")).toEqual(["code"]);
    expect(templateVariables("{{LAST_SYNC_TIME|datetime}}")).toEqual(["LAST_SYNC_TIME"]);
    expect(templateVariables("{{broken")).toEqual([]);
  });
});

const limitsSmall = {
  maxTemplateLength: 1000,
  maxExpressionLength: 1000,
  maxDepth: 10,
  maxOutputLength: 1000,
  maxRegexInputLength: 1000,
  maxRegexPatternLength: 100,
  maxRows: 10,
  customTimeoutMs: 100,
  customMaxStack: 50,
};
