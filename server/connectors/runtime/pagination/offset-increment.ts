/**
 * Row-offset pagination (Kingdee ExecuteBillQuery `StartRow` / `Limit`): the response carries no total,
 * so keep asking with `StartRow += Limit` until a page comes back shorter than `Limit`.
 *
 * Why this exists: an exactly-full last page costs one more (empty) request; there is no other signal.
 */
import type { OffsetIncrement } from "../../schema";
import { num, type PaginatorRuntime } from "./paginator";

export function offsetIncrement(def: OffsetIncrement): PaginatorRuntime {
  return {
    pageSize: def.pageSize,
    initial: () => ({ offset: def.startFrom }),
    vars: (state) => ({ PAGINATION_PAGE_SIZE: def.pageSize, PAGINATION_START_ROW: num(state.offset, def.startFrom) }),
    next: (state, page) => (page.count < def.pageSize ? null : { offset: num(state.offset, def.startFrom) + page.count }),
    ahead: (state) => ({ offset: num(state.offset, def.startFrom) + def.pageSize }),
    total: () => undefined,
  };
}
