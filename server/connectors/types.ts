/**
 * The connector layer's contract with the run engine (and with the UI's "test connection").
 *
 * Why this file exists: the engine (server/engine) must not know how Guanyi signs or how Kingdee
 * logs in; it only needs "give me pages" and "write this batch, tell me per row". Everything
 * vendor-specific stays behind these interfaces, so the engine is tested with real connectors
 * against the simulators and never with mocks of this layer.
 */

import type { OutboundPolicy } from "./runtime/outbound";

export type { OutboundPolicy } from "./runtime/outbound";

/** Why a call failed, which decides what a person (or the engine) should do about it. */
export type FailureType = "transient" | "config" | "data";

/** JSON-serialisable paging position; the engine stores it as the run's checkpoint. */
export type PagingState = Record<string, unknown>;

/** A vendor connection as the engine hands it to the connector layer (secrets already decrypted). */
export interface ConnectionConfig {
  /** connector family: "guanyi" | "dingtalk" | "kingdee" | "http" */
  vendor: string;
  /** e.g. http://127.0.0.1:18101 (Guanyi gateway host), http://host/k3cloud/ (Kingdee) */
  baseUrl: string;
  /** non-secret settings (Kingdee acctId, lcid, auth mode; DingTalk agent id …) */
  settings: Record<string, unknown>;
  /** secrets (appsecret, sessionkey, password …): never logged, never reported */
  secrets: Record<string, string>;
  /** bound to a local simulator (沙箱): loopback and private addresses are allowed by construction */
  sandbox?: boolean;
  /** the workspace's outbound policy (设置 → 出站访问); absent = public addresses only */
  outbound?: OutboundPolicy;
}

/** One page read from a source. */
export interface SourcePage {
  /** 0-based index of this page within the run (for logs and progress) */
  pageIndex: number;
  records: Record<string, unknown>[];
  /** the paging state that produced this page (re-reading it yields this page again) */
  state: PagingState;
  /** where to resume after this page is settled; null when this was the last page */
  next: PagingState | null;
  /** total record count when the vendor reports one (Guanyi `total`), for progress bars */
  total?: number;
}

export interface ReadOptions {
  /** request parameters after template resolution by the caller (e.g. modify_start_date) */
  params: Record<string, unknown>;
  /** resume from this state (a checkpoint's `next`); absent = from the beginning */
  resumeFrom?: PagingState | null;
  signal?: AbortSignal;
  /**
   * List requests in flight at once (default 1: the next page is requested while the current one is
   * processed; 0: only when the consumer asks for it). More only helps where the next page is known
   * before the answer — page numbers and row offsets; cursor-paged sources read one after the other.
   */
  pagesInFlight?: number;
}

export interface SourceReader {
  /** Pages one at a time, never the whole result set. */
  read(opts: ReadOptions): AsyncIterable<SourcePage>;
}

export type RowOutcome =
  | { status: "written"; targetId: string; targetNumber?: string; response?: unknown }
  | {
      status: "failed";
      message: string;
      /** vendor field the message is about, when the vendor says so */
      field?: string;
      /** true when sending the same row again may succeed (network, rate limit) */
      retryable: boolean;
      response?: unknown;
    };

export interface WriteOptions {
  signal?: AbortSignal;
}

export interface TargetWriter {
  /** Writes a batch; returns exactly one outcome per input document, in input order. */
  writeBatch(docs: Record<string, unknown>[], opts?: WriteOptions): Promise<RowOutcome[]>;
  /**
   * Looks documents up by business key (Kingdee FNumber / FBillNo) to settle rows whose write
   * outcome is unknown, and to find internal ids for updates. Keys not found are absent.
   */
  lookupByKeys(keys: string[], opts?: WriteOptions): Promise<Map<string, { targetId: string; targetNumber?: string }>>;
  /** The document field holding the business key (e.g. "FNumber"), so the engine can read it from mapped docs. */
  readonly businessKeyField: string;
  /** The document field holding the internal id for updates (e.g. "FCUSTID"). */
  readonly idField: string;
}

/** What every HTTP call reports (to the API-asset statistics and to run events). Never holds secrets. */
export interface CallReport {
  apiAsset: string;
  method: string;
  url: string;
  durationMs: number;
  httpStatus?: number;
  vendorCode?: string;
  ok: boolean;
  retries: number;
  rateLimitWaitMs: number;
  error?: string;
}

export interface CallObserver {
  /** one report per finished call; leave it out when unused: the report (redacted URL) is then not built */
  onCall?(report: CallReport): void;
  /** a retry is about to happen (for run events: "retry", "rate_limited") */
  onRetry?(info: { apiAsset: string; attempt: number; waitMs: number; reason: string; rateLimited: boolean }): void;
}
