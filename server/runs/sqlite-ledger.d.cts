// Types of sqlite-ledger.cjs (plain CommonJS so the ledger thread can load it without a compiler).
import type Database from "better-sqlite3";

/** [sourceId, number, hash, sourceJson, mappedJson] */
export type IntentRow = [string, string | null, string, string | null, string | null];
/**
 * [sourceId, status, number, hash, targetId, targetNumber, attempts, error, batchId, sourceJson, mappedJson, responseJson];
 * sourceJson / mappedJson `undefined`: the texts this batch's intent carried; a 13th element `true`: a first write
 * (a first written outcome leaves no history row).
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
  string | null | undefined,
  string | null | undefined,
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
