import { describe, expect, it } from "vitest";
import { OffsetIncrement } from "../../schema";
import { offsetIncrement } from "./offset-increment";

describe("OffsetIncrement", () => {
  const p = offsetIncrement(OffsetIncrement.parse({ type: "OffsetIncrement", pageSize: 50 }));
  it("advances StartRow by the rows received and stops on a short page", () => {
    expect(p.initial()).toEqual({ offset: 0 });
    expect(p.vars({ offset: 100 })).toEqual({ PAGINATION_PAGE_SIZE: 50, PAGINATION_START_ROW: 100 });
    expect(p.next({ offset: 0 }, { count: 50, body: [] })).toEqual({ offset: 50 });
    expect(p.next({ offset: 50 }, { count: 49, body: [] })).toBeNull();
    expect(p.next({ offset: 100 }, { count: 0, body: [] })).toBeNull();
  });
  it("knows the next offset before the answer (requests ahead): the one a full page leads to", () => {
    expect(p.ahead?.({ offset: 100 }, undefined)).toEqual({ offset: 150 });
    expect(p.ahead?.({ offset: 150 }, undefined)).toEqual(p.next({ offset: 150 }, { count: 50, body: [] }));
  });
});
