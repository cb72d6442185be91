/**
 * MappingError — the one error class of the mapping layer.
 *
 * Why this exists: compile-time problems (bad template, unknown parser, unsupported `_function`)
 * and run-time problems (value cannot be coerced, lookup failed, limit exceeded) must be told apart
 * by code, carry the field path they concern, and never be confused with programming errors.
 * At run time the mapper turns them into `FieldError` data; they are thrown only by compile steps.
 *
 * A MappingError is a DomainError with code BAD_REQUEST (the mapping a person wrote is wrong); its own
 * finer kind is `mappingCode`, so the two meanings of "code" never meet.
 */
import { DomainError } from "../errors";

export type MappingErrorCode =
  | "TEMPLATE_SYNTAX"
  | "EXPR_SYNTAX"
  | "EXPR_UNSUPPORTED"
  | "EXPR_EVAL"
  | "FIND_SYNTAX"
  | "FIND_UNAVAILABLE"
  | "FIND_FAILED"
  | "PARSER_UNKNOWN"
  | "PARSER_PARAMS"
  | "PARSER_FAILED"
  | "COERCE"
  | "REQUIRED"
  | "LIMIT"
  | "REGEX_UNSAFE"
  | "UNKNOWN_VARIABLE"
  | "UNKNOWN_FIELD"
  | "INVALID_MAPPING"
  | "INVALID_INPUT";

export interface FieldErrorLike {
  field: string;
  message: string;
}

export class MappingError extends DomainError {
  /** what is wrong with the mapping (the API's `code` is always BAD_REQUEST) */
  readonly mappingCode: MappingErrorCode;
  field?: string;
  /** for INVALID_MAPPING thrown by compileMapper: every problem found */
  readonly errors?: FieldErrorLike[];

  constructor(mappingCode: MappingErrorCode, message: string, opts?: { field?: string; errors?: FieldErrorLike[] }) {
    super("BAD_REQUEST", opts?.field ? `${opts.field}: ${message}` : message, opts?.errors ? { details: opts.errors } : undefined);
    this.mappingCode = mappingCode;
    this.field = opts?.field;
    this.errors = opts?.errors;
  }

  /** message without the field prefix (for FieldError.message, where the field is separate) */
  get reason(): string {
    return this.field && this.message.startsWith(`${this.field}: `)
      ? this.message.slice(this.field.length + 2)
      : this.message;
  }
}

/** Turn anything thrown inside evaluation into a MappingError (programming errors are wrapped, not leaked). */
export function asMappingError(e: unknown, mappingCode: MappingErrorCode = "EXPR_EVAL"): MappingError {
  if (e instanceof MappingError) return e;
  if (e instanceof RangeError) return new MappingError("LIMIT", `超出计算限制: ${e.message}`);
  const msg = e instanceof Error ? e.message : String(e);
  return new MappingError(mappingCode, msg);
}

/** Short, safe rendering of a value inside an error message. */
export function showValue(v: unknown, max = 60): string {
  let s: string;
  if (typeof v === "string") s = `'${v}'`;
  else if (v === undefined) s = "undefined";
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
