/**
 * What every pagination strategy provides to the source reader.
 *
 * Why this exists: the reader loop is the same for all vendors — build request from the paging state,
 * call, select records, ask the strategy for the next state — so each strategy is a small pure object.
 */
import type { PagingState } from "../../types";
import type { TemplateVars } from "../template";

export interface PageResult {
  /** number of records the page held */
  count: number;
  /** the parsed response body */
  body: unknown;
}

export interface PaginatorRuntime {
  readonly pageSize: number | undefined;
  initial(): PagingState;
  /** placeholders for the request templates ({{PAGINATION_PAGE_SIZE}} …) */
  vars(state: PagingState): TemplateVars;
  /** state of the following page, or null when this page was the last */
  next(state: PagingState, page: PageResult): PagingState | null;
  /**
   * The following page's state as it will be if this page comes back full — known before the answer
   * for page numbers and row offsets, so those pages can be requested ahead (null: past the reported
   * total). Absent where only the answer tells (cursors).
   */
  ahead?(state: PagingState, total: number | undefined): PagingState | null;
  /** total record count reported by the vendor, when it reports one */
  total(body: unknown): number | undefined;
}

export function num(v: unknown, fallback: number): number {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}
