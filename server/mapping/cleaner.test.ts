import { describe, expect, it } from "vitest";
import { compileCleaner, toHalfWidth } from "./cleaner";

describe("compileCleaner", () => {
  it("drops empty and unknown fields", () => {
    const c = compileCleaner([{ type: "dropEmpty" }, { type: "dropUnknown", keep: ["id", "name", "tags"] }]);
    expect(c([{ id: 1, name: "a", x: 1, e: "", s: "  ", n: null, tags: [] }])).toEqual([{ id: 1, name: "a" }]);
  });
  it("standardises dates, leaves non-dates alone", () => {
    const c = compileCleaner([{ type: "standardizeDates", fields: ["modified", "bad", "ms"] }]);
    expect(c({ modified: "2024/3/1 9:06", bad: "n/a", ms: 1709254800000 })).toEqual({
      modified: "2024-03-01 09:06:00",
      bad: "n/a",
      ms: "2024-03-01 09:00:00",
    });
    expect(compileCleaner([{ type: "standardizeDates", fields: ["d"], format: "yyyy-MM-dd" }])({ d: "2024-3-1" })).toEqual({ d: "2024-03-01" });
  });
  it("normalises whitespace and full-width characters (nested too)", () => {
    const c = compileCleaner([{ type: "fullWidthToHalfWidth" }, { type: "normalizeWhitespace" }]);
    expect(c({ name: "\u3000ＡＢＣ１２３，（测试）  店\n", nested: { a: ["  x  y "] }, n: 5 })).toEqual({
      name: "ABC123,(测试) 店",
      nested: { a: ["x y"] },
      n: 5,
    });
    expect(toHalfWidth("～！＠")).toBe("~!@");
  });
  it("dedupes by id within a page (last wins by default)", () => {
    const page = [
      { id: 1, v: "old" },
      { id: 2, v: "x" },
      { id: 1, v: "new" },
      { v: "no id" },
    ];
    expect(compileCleaner([{ type: "dedupe", idField: "id" }])(page)).toEqual([{ id: 2, v: "x" }, { id: 1, v: "new" }, { v: "no id" }]);
    expect(compileCleaner([{ type: "dedupe", idField: "id", keep: "first" }])(page)).toEqual([{ id: 1, v: "old" }, { id: 2, v: "x" }, { v: "no id" }]);
  });
  it("does not mutate input; rejects malformed rules with the path", () => {
    const r = { a: " x " };
    compileCleaner([{ type: "normalizeWhitespace" }])(r);
    expect(r.a).toBe(" x ");
    expect(() => compileCleaner([{ type: "dropUnknown" }] as never)).toThrow(/rules\[0\]/);
  });
});

describe("compileCleaner — dingtalkForm", () => {
  it("merges the approval form by label; record fields win", () => {
    const c = compileCleaner([{ type: "dingtalkForm" }]);
    const r = c({ title: "t", form_component_values: [{ name: "金额", value: "100.00" }, { name: "title", value: "x" }] });
    expect(r).toMatchObject({ title: "t", 金额: "100.00" });
    expect(c({ process_instance: { form_component_values: [{ name: "事由", value: "出差" }] } })).toMatchObject({ 事由: "出差" });
    expect(c({ a: 1 })).toEqual({ a: 1 });
  });
});
