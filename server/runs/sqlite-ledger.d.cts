// Types of sqlite-ledger.cjs (plain CommonJS so the ledger thread can load it without a compiler).
import type Database from "better-sqlite3";

/** [sourceId, number, hash, sourceJson, mappedJson] */
export type IntentRow = [string, string | null, string, string | null, string | null];
/**
 * [sourceId, status, number, hash, targetId, targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson, firstWrite?];
 * sourceJson / mappedJson only for a row without a batch (its batch's intent holds the payloads otherwise);
 * firstWrite `true`: the record had no ledger row before (a first written outcome leaves no history row).
 */
export type SettleRowMsg = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  number,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  boolean?,
];

export interface IntentMsg {
  flowId: string;
  runId: string;
  batchId: string;
  /** SQLite DATETIME text */
  at: string;
  rows: IntentRow[];
}

export interface SettleMsg {
  flowId: string;
  runId: string;
  at: string;
  close: string[];
  rows: SettleRowMsg[];
}

export interface LedgerWriter {
  intent(m: IntentMsg): void;
  settle(m: SettleMsg): void;
}

export function ledgerWriter(conn: Database.Database): LedgerWriter;
export function intentText(rows: IntentRow[]): string;
export function rowId(): string;
/** the ON CONFLICT clause by which an outcome updates an existing SyncRecord row (SQLite and PostgreSQL) */
export const SETTLE_CONFLICT: string;
