/**
 * The generic HTTP JSON connector: a user describes a whole source API (requester, paginator, record
 * selector, authenticator, error handler, budget) as data in the designer.
 *
 * Why this exists: any JSON-over-HTTP API can become a source without code; the same zod schema that
 * validates the built-in vendors validates the user's description, with a path to the bad field.
 */
import { z } from "zod";
import { Authenticator, ConnectorDefinition, ErrorHandler, RateLimit, SourceApi } from "../../schema";
import { commonSourceOptions } from "../options-common";

export const GenericHttpDefinition = z.object({
  authenticator: Authenticator.optional(),
  errorHandler: ErrorHandler.optional(),
  rateLimit: RateLimit.optional(),
  /** most bytes one response may have (default 32 MB) */
  maxResponseBytes: z.number().int().positive().optional(),
  api: SourceApi,
});
export type GenericHttpDefinition = z.infer<typeof GenericHttpDefinition>;

export const GenericHttpSourceOptions = z.object({
  definition: GenericHttpDefinition,
  pageSize: z.number().int().min(1).max(100_000).optional(),
  ...commonSourceOptions,
});
export type GenericHttpSourceOptions = z.infer<typeof GenericHttpSourceOptions>;

/** Wraps a user's API description into a connector definition (authenticator from it or the connection). */
export function genericDefinition(d: GenericHttpDefinition, connAuthenticator: unknown): ConnectorDefinition {
  const auth = d.authenticator ?? (connAuthenticator === undefined ? { type: "NoAuth" } : Authenticator.parse(connAuthenticator));
  return ConnectorDefinition.parse({
    vendor: "http",
    label: { zh: "通用 HTTP JSON 接口", en: "Generic HTTP JSON API" },
    authenticator: auth,
    errorHandler: d.errorHandler ?? { type: "DefaultErrorHandler", vendorName: "接口" },
    rateLimit: d.rateLimit,
    maxResponseBytes: d.maxResponseBytes,
    apis: [d.api],
  });
}
