/**
 * Cursor pagination (DingTalk listids: send `cursor`, read `result.next_cursor`; absent = last page).
 *
 * Why this exists: the cursor is opaque — we never compute it, we only echo it. A cursor that does not
 * move would loop forever, so it also ends the read.
 */
import type { CursorPagination } from "../../schema";
import { getPath } from "../json-path";
import type { PaginatorRuntime } from "./paginator";

export function cursorPagination(def: CursorPagination): PaginatorRuntime {
  return {
    pageSize: def.pageSize,
    initial: () => ({ cursor: def.initialCursor }),
    vars: (state) => ({ PAGINATION_PAGE_SIZE: def.pageSize, PAGINATION_CURSOR: state.cursor ?? def.initialCursor }),
    next: (state, page) => {
      const c = getPath(page.body, def.cursorPath);
      if (c === undefined || c === null || c === "") return null;
      if (c === state.cursor) return null;
      return { cursor: c };
    },
    total: () => undefined,
  };
}
