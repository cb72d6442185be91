import { describe, expect, it } from "vitest";
import { dropEmpty, resolveString, resolveTemplate } from "./template";

describe("template resolver", () => {
  const vars = { PAGINATION_PAGE_SIZE: 100, params: { code: "G001", keys: ["a", "b"] }, options: { formId: "BD_Customer" } };

  it("keeps the type of a whole-string placeholder", () => {
    expect(resolveString("{{PAGINATION_PAGE_SIZE}}", vars)).toBe(100);
    expect(resolveString("{{ options.formId }}", vars)).toBe("BD_Customer");
  });
  it("interpolates text and falls back to params for bare names", () => {
    expect(resolveString("shop-{{code}}/{{PAGINATION_PAGE_SIZE}}", vars)).toBe("shop-G001/100");
    expect(resolveString("{{missing}}", vars)).toBeUndefined();
  });
  it("applies pipes", () => {
    expect(resolveString("{{params.keys|csv}}", vars)).toBe("a,b");
    expect(resolveString("{{params|json}}", vars)).toBe(JSON.stringify(vars.params));
  });
  it("resolves trees and omits undefined fields", () => {
    expect(resolveTemplate({ a: "{{code}}", b: "{{nope}}", c: ["{{PAGINATION_PAGE_SIZE}}"] }, vars)).toEqual({ a: "G001", c: [100] });
    expect(dropEmpty({ a: "", b: null, c: 0, d: "x" })).toEqual({ c: 0, d: "x" });
  });
});
