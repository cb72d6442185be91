import { describe, expect, it } from "vitest";
import { noPagination } from "./no-pagination";

describe("NoPagination", () => {
  it("reads exactly one page", () => {
    const p = noPagination();
    expect(p.initial()).toEqual({});
    expect(p.next({}, { count: 100, body: {} })).toBeNull();
  });
});
