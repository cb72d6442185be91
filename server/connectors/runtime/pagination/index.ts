/**
 * Picks the pagination strategy for a paginator definition.
 *
 * Why this exists: one switch on the discriminant, so adding a strategy is one file plus one line.
 */
import type { Paginator } from "../../schema";
import { cursorPagination } from "./cursor-pagination";
import { noPagination } from "./no-pagination";
import { offsetIncrement } from "./offset-increment";
import { pageIncrement } from "./page-increment";
import type { PaginatorRuntime } from "./paginator";

export type { PaginatorRuntime, PageResult } from "./paginator";

export function createPaginator(def: Paginator): PaginatorRuntime {
  switch (def.type) {
    case "PageIncrement":
      return pageIncrement(def);
    case "OffsetIncrement":
      return offsetIncrement(def);
    case "CursorPagination":
      return cursorPagination(def);
    case "NoPagination":
      return noPagination();
  }
}
