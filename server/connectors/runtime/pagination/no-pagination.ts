/**
 * No pagination: one request, one page.
 *
 * Why this exists: small lookups (warehouses, a single document) still go through the source loop.
 */
import type { PaginatorRuntime } from "./paginator";

export function noPagination(): PaginatorRuntime {
  return { pageSize: undefined, initial: () => ({}), vars: () => ({}), next: () => null, total: () => undefined };
}
