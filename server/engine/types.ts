/**
 * The engine's contracts: the plan it runs, the hooks through which it persists and reports, and the
 * events it emits.
 *
 * Why this exists: the engine must run the same way embedded in the web process, in a worker, and in a
 * test, without knowing about Prisma or React. Everything durable (ledger, checkpoint, events) goes
 * through `RunHooks`; server/runs implements them with Prisma, tests may implement them in memory.
 */
import type { ConnectionConfig, PagingState } from "@/server/connectors/types";

export type StepKind = "filter" | "validate" | "clean" | "flatten" | "split" | "dingtalkForm";

export interface PlanStep {
  nodeId: string;
  kind: StepKind;
  /** the node's data as saved (condition, rules, path …); compiled by the executor with the mapping layer */
  config: Record<string, unknown>;
}

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface PlanSource {
  nodeId: string;
  connectionId: string;
  apiId: string;
  params: Record<string, unknown>;
  idField: string;
  numberField?: string;
  pageSize?: number;
  /** list requests in flight at once (page-number / row-offset paging; cursors read one after the other) */
  concurrency: number;
  options: Record<string, unknown>;
  rateLimit?: Record<string, unknown>;
  retry: RetrySettings;
  /** largest record (serialised JSON, UTF-8 bytes) the run takes; bigger ones are invalid (default 1 MB) */
  maxRecordBytes?: number;
}

export interface PlanTarget {
  nodeId: string;
  connectionId: string;
  apiId: string;
  formId?: string;
  batchSize: number;
  concurrency: number;
  options: Record<string, unknown>;
  businessKeyField?: string;
  /** look up rows with no known target id by business key before sending (update, not duplicate) */
  lookupExisting: boolean;
  rateLimit?: Record<string, unknown>;
  retry: RetrySettings;
}

/** An executable, validated flow: one linear chain source → steps → mapper → target. */
export interface Plan {
  flowId: string;
  flowVersion: number;
  source: PlanSource;
  /** structural steps (flatten/split) first, then filter/validate/clean in graph order */
  steps: PlanStep[];
  mapper: { nodeId: string; fields: unknown[] };
  target: PlanTarget;
  idCheck: boolean;
  incremental: { enabled: boolean; overlapSec: number; initialStart?: string; initialLookbackSec?: number };
  /** fingerprint of the mapping + target form: a changed mapping makes unchanged records "changed" */
  mappingFingerprint: string;
}

export type LedgerStatus = "pending" | "sending" | "written" | "failed" | "invalid" | "skipped";

export interface LedgerEntry {
  sourceId: string;
  number: string | null;
  hash: string | null;
  status: LedgerStatus;
  targetId: string | null;
  targetNumber: string | null;
  attempts: number;
  lastRunId: string | null;
  batchId: string | null;
  sourcePayload?: unknown;
  mappedPayload?: unknown;
}

/** A row about to be sent: part of its batch's write-ahead intent (recorded before the call). */
export interface SendingRow {
  sourceId: string;
  number: string | null;
  hash: string;
  sourcePayload: unknown;
  mappedPayload: unknown;
  /** the payloads' JSON text when the engine already made it (the store serialises otherwise) */
  sourceJson?: string;
  mappedJson?: string;
}

/** The outcome of one record in this run. */
export interface SettleRow {
  sourceId: string;
  status: "written" | "failed" | "invalid" | "pending";
  number?: string | null;
  hash?: string | null;
  targetId?: string | null;
  targetNumber?: string | null;
  error?: string | null;
  sourcePayload?: unknown;
  mappedPayload?: unknown;
  /** the payloads' JSON text when the engine already made it (the store serialises otherwise) */
  sourceJson?: string;
  mappedJson?: string;
  response?: unknown;
  /** how many write attempts this settle accounts for (added to the ledger's attempts) */
  attempts?: number;
  /** the batch whose write produced this outcome (kept on the ledger row for tracing) */
  batchId?: string | null;
  /**
   * the record had no ledger row before this outcome: a first *written* outcome then leaves no history
   * row — the ledger row itself (firstRunId, createdAt) is that entry of its lineage
   */
  firstWrite?: boolean;
}

/** A row of a batch intent still open: sent (or about to be) with no outcome stored. */
export interface UncertainRow extends SendingRow {
  batchId: string;
}

export interface Counts {
  read: number;
  filtered: number;
  invalid: number;
  skipped: number;
  written: number;
  failed: number;
}

export function emptyCounts(): Counts {
  return { read: 0, filtered: 0, invalid: 0, skipped: 0, written: 0, failed: 0 };
}

export interface StageTimings {
  readMs: number;
  processMs: number;
  writeMs: number;
  ledgerMs: number;
  totalMs: number;
}

export interface Checkpoint {
  /** where to resume reading (the `next` of the last settled page); null = source exhausted */
  next: PagingState | null;
  /** pages settled so far */
  pages: number;
  counts: Counts;
  sourceTotal?: number;
}

export type EventLevel = "debug" | "info" | "warn" | "error";

export type EngineEventType =
  | "run.started"
  | "run.resumed"
  | "uncertain.settled"
  | "page.fetched"
  | "batch.written"
  | "record.failed"
  | "record.invalid"
  | "retry"
  | "rate_limited"
  | "checkpoint"
  | "cancel.requested"
  | "run.finished";

export interface EngineEvent {
  type: EngineEventType;
  level: EventLevel;
  message: string;
  data?: Record<string, unknown>;
}

/** Which records a run processes. */
export type RunSelection =
  | { mode: "full" }
  /** rows the parent run left failed (still failed in the ledger) */
  | { mode: "failed_only"; parentRunId: string }
  /** chosen records by source id; always re-sent, unchanged or not */
  | { mode: "records"; sourceIds: string[] };

export interface LedgerQuery {
  /** only these source ids */
  sourceIds?: string[];
  /** only rows currently in one of these statuses */
  statuses?: LedgerStatus[];
  /** only rows whose history in this run has one of `statuses` */
  historyRunId?: string;
  /** keyset paging */
  afterSourceId?: string;
  limit: number;
}

export interface LedgerHooks {
  /** current ledger rows for these source ids (absent = never seen) */
  get(sourceIds: string[]): Promise<Map<string, LedgerEntry>>;
  /**
   * Records the batch's write-ahead intent before the write call: one small write per batch naming
   * the rows about to be sent (with their payloads). Stored when the promise resolves.
   */
  openIntent(batchId: string, rows: SendingRow[]): Promise<void>;
  /**
   * Records outcomes (one ledger row and one history row each) and closes the named intents, in one
   * transaction: an intent disappears exactly when its rows' outcomes are stored.
   */
  settle(rows: SettleRow[], closeIntents?: string[]): Promise<void>;
  /** rows of this flow's intents still open (a crash between the call and its settle): outcome unknown */
  uncertain(): Promise<UncertainRow[]>;
  /** rows for reruns (with payloads), ordered by source id */
  select(q: LedgerQuery): Promise<LedgerEntry[]>;
}

export interface RunHooks {
  ledger: LedgerHooks;
  /** commits the resume position after every settled page */
  checkpoint(cp: Checkpoint): Promise<void>;
  /** structured event; the hooks number, persist and publish it (in order) */
  event(e: EngineEvent): void;
  /** progress for live counters (cheap; may be throttled by the implementation) */
  progress?(counts: Counts): void;
}

export interface ResumeState {
  next: PagingState | null;
  pages: number;
  counts: Counts;
}

export interface RunResult {
  status: "succeeded" | "partial" | "failed" | "cancelled";
  counts: Counts;
  pages: number;
  sourceTotal?: number;
  timings: StageTimings;
  error?: string;
}

export type ConnectionResolver = (connectionId: string) => Promise<ConnectionConfig>;
