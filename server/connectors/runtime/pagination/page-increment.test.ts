import { describe, expect, it } from "vitest";
import { PageIncrement } from "../../schema";
import { pageIncrement } from "./page-increment";

describe("PageIncrement", () => {
  const p = pageIncrement(PageIncrement.parse({ type: "PageIncrement", pageSize: 10, totalPath: "total" }));
  it("starts at page 1 and exposes placeholders", () => {
    expect(p.initial()).toEqual({ page: 1 });
    expect(p.vars({ page: 3 })).toMatchObject({ PAGINATION_PAGE_SIZE: 10, PAGINATION_START_PAGE: 3 });
  });
  it("stops on a short page, an empty page, or when total is reached", () => {
    expect(p.next({ page: 1 }, { count: 10, body: { total: 25 } })).toEqual({ page: 2 });
    expect(p.next({ page: 3 }, { count: 5, body: { total: 25 } })).toBeNull();
    expect(p.next({ page: 2 }, { count: 10, body: { total: 20 } })).toBeNull(); // exactly full last page
    expect(p.next({ page: 1 }, { count: 0, body: { total: 0 } })).toBeNull();
    expect(p.next({ page: 1 }, { count: 10, body: { total: "30" } })).toEqual({ page: 2 });
  });
  it("knows the next page before the answer (requests ahead), up to the reported total", () => {
    expect(p.ahead?.({ page: 1 }, undefined)).toEqual({ page: 2 });
    expect(p.ahead?.({ page: 2 }, 25)).toEqual({ page: 3 });
    expect(p.ahead?.({ page: 3 }, 25)).toBeNull();
    expect(p.ahead?.({ page: 2 }, 20)).toBeNull();
  });
  it("without a total, only a short page stops", () => {
    const q = pageIncrement(PageIncrement.parse({ type: "PageIncrement", pageSize: 10 }));
    expect(q.next({ page: 1 }, { count: 10, body: {} })).toEqual({ page: 2 });
    expect(q.total({ total: 3 })).toBeUndefined();
  });
});
