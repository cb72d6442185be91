import { describe, expect, it } from "vitest";
import { CursorPagination } from "../../schema";
import { cursorPagination } from "./cursor-pagination";

describe("CursorPagination", () => {
  const p = cursorPagination(CursorPagination.parse({ type: "CursorPagination", pageSize: 20, cursorPath: "result.next_cursor" }));
  it("starts at cursor 0 and follows next_cursor until it is absent", () => {
    expect(p.initial()).toEqual({ cursor: 0 });
    expect(p.vars({ cursor: 20 })).toEqual({ PAGINATION_PAGE_SIZE: 20, PAGINATION_CURSOR: 20 });
    expect(p.next({ cursor: 0 }, { count: 20, body: { result: { list: [], next_cursor: 20 } } })).toEqual({ cursor: 20 });
    expect(p.next({ cursor: 20 }, { count: 3, body: { result: { list: [] } } })).toBeNull();
  });
  it("ends when the cursor does not move", () => {
    expect(p.next({ cursor: 20 }, { count: 20, body: { result: { next_cursor: 20 } } })).toBeNull();
  });
});
