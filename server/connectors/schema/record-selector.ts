/**
 * The record-selector slot: where the records are in a response.
 *
 * Why this exists: Guanyi puts them under a method-specific key (`shops`, `vips`), DingTalk under
 * `result.list`, and Kingdee's ExecuteBillQuery returns bare arrays of values in FieldKeys order.
 */
import { z } from "zod";

/**
 * What an answer without the list key means. "error" (default): the reply is unreadable (retried,
 * then the call fails) — a missing key must never read as "no records". "empty": the vendor is known
 * to omit the key on empty pages; only then is its absence an empty page.
 */
export const MissingMeans = z.enum(["error", "empty"]).default("error");

export const FieldPathSelector = z.object({
  type: z.literal("FieldPath"),
  /** dotted path to the array ("shops", "result.list"); "" = the body itself */
  path: z.string(),
  /** when the selected items are scalars (ids), wrap each one as { [wrapAs]: value } */
  wrapAs: z.string().optional(),
  missingMeans: MissingMeans,
});
export type FieldPathSelector = z.infer<typeof FieldPathSelector>;

export const RowArraySelector = z.object({
  type: z.literal("RowArray"),
  path: z.string().default(""),
  /** template giving the column names, comma-separated (Kingdee FieldKeys) */
  columns: z.string(),
  missingMeans: MissingMeans,
});
export type RowArraySelector = z.infer<typeof RowArraySelector>;

export const RecordSelector = z.discriminatedUnion("type", [FieldPathSelector, RowArraySelector]);
export type RecordSelector = z.infer<typeof RecordSelector>;
