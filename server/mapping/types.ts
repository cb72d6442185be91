/**
 * The mapping layer's contract with the engine, the preview procedure and the designer.
 *
 * Why this file exists: a mapper turns one source record into one target document. The engine only
 * needs "compile once, map many"; errors are data (per field), never exceptions, so a bad record is
 * recorded as invalid with every reason instead of stopping a run.
 */

export interface ParserRef {
  /** e.g. "ConvertObjectParser", "DateFormat", "Custom:<ruleId>" */
  name: string;
  /** parser parameters (ConvertObjectParser: { key: "FNumber" }) */
  params?: Record<string, unknown>;
}

export interface FieldMapping {
  /** target field, e.g. "FName"; nested paths with dots are not used: entries use `children` */
  field: string;
  label?: string;
  type?: "string" | "int" | "number" | "boolean" | "object" | "array" | "datetime";
  /** constant, template ("{{name}}", "客户-{code}") or expression ("_function …", "_findCollection …") */
  value?: string;
  parsers?: ParserRef[];
  default?: string;
  required?: boolean;
  /** entry (detail) table: rows come from the source array at `value` (or a JSON string), each mapped by children */
  children?: FieldMapping[];
}

export interface FieldError {
  field: string;
  message: string;
}

export interface MapContext {
  /** variables such as LAST_SYNC_TIME, CURRENT_TIME (unix seconds), PAGINATION_* */
  vars: Record<string, unknown>;
  /** resolves `_findCollection` against another flow's ledger; absent = lookups fail with a clear error */
  findCollection?: (q: { flowId: string; field: string; where: Record<string, string> }) => Promise<unknown>;
}

export interface MapResult {
  doc: Record<string, unknown>;
  errors: FieldError[];
}
