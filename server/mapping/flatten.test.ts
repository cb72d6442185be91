import { describe, expect, it } from "vitest";
import { flattenRecords, splitArray } from "./flatten";

const order = { id: "T1", code: "SO1", details_list: [{ goods_no: "A", qty: 1 }, { goods_no: "B", qty: 2 }] };

describe("flattenRecords (beatFlat)", () => {
  it("one row per element, prefixed fields, id suffix from 1", () => {
    const rows = flattenRecords([order], ["details_list"]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: "T1-1", code: "SO1", details_list_goods_no: "A", details_list_qty: 1, details_list: { goods_no: "A", qty: 1 } });
    expect(rows[1].id).toBe("T1-2");
  });
  it("keeps records without the array; option form and index base", () => {
    expect(flattenRecords([{ id: 1 }], "details_list")).toEqual([{ id: 1 }]);
    expect(flattenRecords([order], { path: "details_list", indexBase: 0 })[0].id).toBe("T1-0");
  });
});

describe("splitArray", () => {
  it("one record per element with element fields over the parent", () => {
    const rows = splitArray([{ id: "P", shop: "S", details: [{ id: "d1", qty: 1 }, { qty: 2 }] }], "details");
    expect(rows).toEqual([
      { id: "d1", shop: "S", qty: 1 },
      { id: "P-2", shop: "S", qty: 2 },
    ]);
  });
  it("accepts one record and {path, size} (chunks)", () => {
    const rows = splitArray({ id: 1, items: [1, 2, 3, 4, 5] }, { path: "items", size: 2 });
    expect(rows.map((r) => r.items)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe("structural ops and hostile keys", () => {
  it("a __proto__ key in data stays an own property", () => {
    const el = JSON.parse('{"__proto__": {"polluted": 1}, "x": 1}') as Record<string, unknown>;
    const rows = splitArray([{ id: 1, items: [el] }], "items");
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const flat = flattenRecords([{ id: 1, items: [el] }], "items");
    expect(Object.getPrototypeOf(flat[0])).toBe(Object.prototype);
  });
});
