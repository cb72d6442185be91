/**
 * A connector definition: a vendor's authenticator and error handling plus its APIs (sources,
 * targets, operations), all data validated by zod.
 *
 * Why this exists: in the spirit of Airbyte's low-code manifest, a connector is a document, not a
 * class. The built-in vendors are written in this form (definitions/<vendor>/) and a user can describe
 * any JSON-over-HTTP API the same way (the generic HTTP connector), with errors that point to the bad
 * field.
 */
import { z } from "zod";
import { Authenticator } from "./authenticator";
import { Label } from "./common";
import { ErrorHandler } from "./error-handler";
import { Paginator } from "./paginator";
import { RateLimit } from "./rate-limit";
import { RecordSelector } from "./record-selector";
import { HttpRequester } from "./requester";

/** Second call per listed record (DingTalk: listids gives ids, processinstance/get gives the instance). */
export const DetailFetch = z.object({
  type: z.literal("DetailFetch"),
  /** api asset of the detail call, for its own rate budget and reports */
  asset: z.string().min(1),
  requester: HttpRequester,
  /** where the record is in the detail response ("process_instance"); "" = whole body. An answer
   *  without an object there is unreadable (retried, then the call fails), never a skipped record. */
  recordPath: z.string(),
  /** field of the listed item holding the id; exposed to the detail requester as {{DETAIL_ID}} */
  idField: z.string().default("id"),
  /** copy the id into the detail record under this name */
  attachIdAs: z.string().optional(),
  concurrency: z.number().int().min(1).max(64).default(4),
  rateLimit: RateLimit.optional(),
  errorHandler: ErrorHandler.optional(),
});
export type DetailFetch = z.infer<typeof DetailFetch>;

export const SourceApi = z.object({
  kind: z.literal("source"),
  /** api id within the vendor, e.g. "gy.erp.shop.get" */
  id: z.string().min(1),
  label: Label,
  requester: HttpRequester,
  paginator: Paginator,
  recordSelector: RecordSelector,
  detail: DetailFetch.optional(),
  /** max page size the vendor accepts (designer hint, enforced by node options) */
  maxPageSize: z.number().int().positive().optional(),
  rateLimit: RateLimit.optional(),
  errorHandler: ErrorHandler.optional(),
  /** record fields giving the id / business number (designer defaults for the ledger) */
  idField: z.string().optional(),
  numberField: z.string().optional(),
});
export type SourceApi = z.infer<typeof SourceApi>;

/** How a write response becomes one outcome per row. */
export const KingdeeSaveOutcome = z.object({ type: z.literal("KingdeeSaveResult"), batch: z.boolean() });
export const TargetOutcome = z.discriminatedUnion("type", [KingdeeSaveOutcome]);
export type TargetOutcome = z.infer<typeof TargetOutcome>;

export const TargetApi = z.object({
  kind: z.literal("target"),
  id: z.string().min(1),
  label: Label,
  requester: HttpRequester,
  outcome: TargetOutcome,
  maxBatchSize: z.number().int().positive().default(1),
  rateLimit: RateLimit.optional(),
  errorHandler: ErrorHandler.optional(),
});
export type TargetApi = z.infer<typeof TargetApi>;

/** A call that is neither a paged read nor a row write (Kingdee Submit / Audit / View). */
export const OperationApi = z.object({
  kind: z.literal("operation"),
  id: z.string().min(1),
  label: Label,
  requester: HttpRequester,
  rateLimit: RateLimit.optional(),
  errorHandler: ErrorHandler.optional(),
});
export type OperationApi = z.infer<typeof OperationApi>;

export const ApiDefinition = z.discriminatedUnion("kind", [SourceApi, TargetApi, OperationApi]);
export type ApiDefinition = z.infer<typeof ApiDefinition>;

export const ConnectorDefinition = z.object({
  vendor: z.string().min(1),
  label: Label,
  authenticator: Authenticator,
  errorHandler: ErrorHandler,
  rateLimit: RateLimit.optional(),
  /** api id of the cheapest authenticated call, used by testConnection */
  testApi: z.string().optional(),
  /**
   * most bytes one response may have; the body is abandoned while streaming once it is exceeded (a
   * connection may set `maxResponseBytes` in its settings to override)
   */
  maxResponseBytes: z.number().int().positive().default(32 * 1024 * 1024),
  apis: z.array(ApiDefinition),
});
export type ConnectorDefinition = z.infer<typeof ConnectorDefinition>;

/** Parses a definition; throws a ZodError whose issues carry the path to the bad field. */
export function parseConnectorDefinition(input: unknown): ConnectorDefinition {
  return ConnectorDefinition.parse(input);
}

/** Formats zod issues as "apis.0.paginator.type: …" lines for a person. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("\n");
}
