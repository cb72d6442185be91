/**
 * Page-number pagination (Guanyi `page_no` / `page_size`, 1-based): stop on a short or empty page, or
 * once `page * pageSize >= total` when the vendor reports a record total.
 *
 * Why this exists: Guanyi's docs say to iterate 1..ceil(total/page_size); trusting `total` saves the
 * extra empty request after an exactly-full last page, and the short-page rule covers APIs without it.
 */
import type { PageIncrement } from "../../schema";
import { getPath } from "../json-path";
import { num, type PaginatorRuntime } from "./paginator";

export function pageIncrement(def: PageIncrement): PaginatorRuntime {
  const total = (body: unknown): number | undefined => {
    if (!def.totalPath) return undefined;
    const t = getPath(body, def.totalPath);
    const n = num(t, NaN);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    pageSize: def.pageSize,
    initial: () => ({ page: def.startFrom }),
    vars: (state) => ({
      PAGINATION_PAGE_SIZE: def.pageSize,
      PAGINATION_START_PAGE: num(state.page, def.startFrom),
      PAGINATION_PAGE: num(state.page, def.startFrom),
    }),
    next: (state, page) => {
      const current = num(state.page, def.startFrom);
      if (page.count === 0) return null;
      if (def.stopOnShortPage && page.count < def.pageSize) return null;
      const t = total(page.body);
      if (t !== undefined && (current - def.startFrom + 1) * def.pageSize >= t) return null;
      return { page: current + 1 };
    },
    ahead: (state, t) => {
      const current = num(state.page, def.startFrom);
      if (t !== undefined && (current - def.startFrom + 1) * def.pageSize >= t) return null;
      return { page: current + 1 };
    },
    total,
  };
}
