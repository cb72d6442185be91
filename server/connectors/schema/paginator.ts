/**
 * The paginator slot: how to ask for the next page and when to stop.
 *
 * Why this exists: Guanyi numbers pages and reports a record total, Kingdee takes a row offset and
 * reports nothing, DingTalk hands back an opaque cursor. The paging state each one produces is what the
 * engine checkpoints, so it must be plain JSON.
 */
import { z } from "zod";

export const PageIncrement = z.object({
  type: z.literal("PageIncrement"),
  pageSize: z.number().int().positive(),
  /** first page number (Guanyi: 1) */
  startFrom: z.number().int().min(0).default(1),
  /** stop when a page returns fewer records than pageSize */
  stopOnShortPage: z.boolean().default(true),
  /** body path of the total record count (Guanyi `total`); stop once page*pageSize >= total */
  totalPath: z.string().optional(),
});
export type PageIncrement = z.infer<typeof PageIncrement>;

export const OffsetIncrement = z.object({
  type: z.literal("OffsetIncrement"),
  pageSize: z.number().int().positive(),
  startFrom: z.number().int().min(0).default(0),
});
export type OffsetIncrement = z.infer<typeof OffsetIncrement>;

export const CursorPagination = z.object({
  type: z.literal("CursorPagination"),
  pageSize: z.number().int().positive(),
  /** body path of the next cursor (DingTalk `result.next_cursor`); absent/null/"" = last page */
  cursorPath: z.string(),
  /** cursor of the first request (DingTalk: 0) */
  initialCursor: z.union([z.string(), z.number()]).default(0),
});
export type CursorPagination = z.infer<typeof CursorPagination>;

export const NoPagination = z.object({ type: z.literal("NoPagination") });
export type NoPagination = z.infer<typeof NoPagination>;

export const Paginator = z.discriminatedUnion("type", [PageIncrement, OffsetIncrement, CursorPagination, NoPagination]);
export type Paginator = z.infer<typeof Paginator>;
