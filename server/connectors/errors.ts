/**
 * The one error class the connector layer throws.
 *
 * Why this exists: the engine stops a run with this error's message and the UI shows it to a person,
 * so it carries what failed (API asset, page), why (failure type, HTTP status, vendor code and text)
 * and a Chinese-first sentence saying what to do. Messages are built from redacted text only.
 */
import { DomainError, type DomainErrorCode } from "@/server/errors";
import type { FailureType, PagingState } from "./types";

export interface ConnectorErrorInit {
  failureType: FailureType;
  message: string;
  apiAsset: string;
  httpStatus?: number;
  vendorCode?: string;
  vendorMessage?: string;
  page?: PagingState;
  /** number of attempts made before giving up */
  attempts?: number;
  /** the call (or its overall deadline) timed out */
  timedOut?: boolean;
  cause?: unknown;
}

/** config problems are the user's to fix (412); anything else is the remote system's doing (502 / 504). */
function domainCode(init: ConnectorErrorInit): DomainErrorCode {
  if (init.failureType === "config") return "PRECONDITION_FAILED";
  return init.timedOut ? "GATEWAY_TIMEOUT" : "BAD_GATEWAY";
}

export class ConnectorError extends DomainError {
  readonly failureType: FailureType;
  readonly apiAsset: string;
  readonly httpStatus?: number;
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  page?: PagingState;
  /** attempts made before giving up (set by the call loop on everything it throws) */
  attempts?: number;
  /** the call timed out: its overall deadline passed, or its last attempt timed out */
  readonly timedOut: boolean;

  constructor(init: ConnectorErrorInit) {
    super(domainCode(init), init.message, { cause: init.cause });
    this.failureType = init.failureType;
    this.apiAsset = init.apiAsset;
    this.httpStatus = init.httpStatus;
    this.vendorCode = init.vendorCode;
    this.vendorMessage = init.vendorMessage;
    this.page = init.page;
    this.attempts = init.attempts;
    this.timedOut = init.timedOut === true;
  }

  /** true when running the same thing again later may succeed */
  get retryable(): boolean {
    return this.failureType === "transient";
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      failureType: this.failureType,
      apiAsset: this.apiAsset,
      httpStatus: this.httpStatus,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      page: this.page,
      attempts: this.attempts,
      timedOut: this.timedOut,
    };
  }
}

export function isConnectorError(e: unknown): e is ConnectorError {
  return e instanceof ConnectorError;
}
