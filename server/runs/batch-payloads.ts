/**
 * Reads a ledger row's payloads — the source record and the mapped document of its last attempt —
 * wherever they are stored: on the row itself (an outcome stored without a batch: an invalid record),
 * or in the SyncIntent row of the batch that wrote it (SyncRecord.batchId), which holds the payloads
 * of all its rows once.
 *
 * Why this exists: the engine writes each record's payloads once, with its batch's write-ahead intent
 * (one row per batch), instead of copying them into every ledger row as well — on SQLite the copy was
 * the largest part of the ledger's cost per record. Everyone who shows or re-sends payloads (lineage,
 * reruns, the pending sweep, `_findCollection`) reads them through here; a reader that pages through
 * many rows keeps the last batches it parsed, since neighbouring rows mostly share a batch.
 */
import type { Db } from "@/server/db";
import type { SendingRow } from "@/server/engine/types";

export interface PayloadRow {
  sourceId: string;
  batchId: string | null;
  sourcePayload?: unknown;
  mappedPayload?: unknown;
}

type BatchPayloads = Map<string, { sourcePayload: unknown; mappedPayload: unknown }>;

/** The rows of one intent's stored text (a JSON array of {sourceId, number, hash, sourcePayload, mappedPayload}). */
export function parseIntentRows(batchId: string, text: string): SendingRow[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    throw new Error(`批次意图 ${batchId} 已损坏，无法解析 (write intent ${batchId} is not valid JSON)`);
  }
  return Array.isArray(rows) ? (rows as SendingRow[]).filter((r) => r && typeof r.sourceId === "string") : [];
}

function parseBatchPayloads(batchId: string, text: string): BatchPayloads {
  const out: BatchPayloads = new Map();
  for (const r of parseIntentRows(batchId, text)) out.set(r.sourceId, { sourcePayload: r.sourcePayload ?? null, mappedPayload: r.mappedPayload ?? null });
  return out;
}

/** A row whose payloads are its batch's (none on the row itself). */
function needsBatch(r: PayloadRow): boolean {
  return !!r.batchId && (r.sourcePayload === null || r.sourcePayload === undefined) && (r.mappedPayload === null || r.mappedPayload === undefined);
}

/**
 * Fills `sourcePayload` / `mappedPayload` of rows whose payloads are in their batch, in place, and
 * returns the rows. Keeps up to `cacheBatches` parsed batches for the next call.
 */
export function payloadReader(db: Db, cacheBatches = 16): <T extends PayloadRow>(rows: T[]) => Promise<T[]> {
  const cache = new Map<string, BatchPayloads>();
  return async (rows) => {
    const missing = [...new Set(rows.filter(needsBatch).map((r) => r.batchId as string))].filter((id) => !cache.has(id));
    const loaded = new Map<string, BatchPayloads>();
    for (let i = 0; i < missing.length; i += 500) {
      const found = await db.syncIntent.findMany({ where: { id: { in: missing.slice(i, i + 500) } }, select: { id: true, rows: true } });
      for (const b of found) loaded.set(b.id, parseBatchPayloads(b.id, b.rows));
    }
    for (const r of rows) {
      if (!needsBatch(r)) continue;
      const p = (cache.get(r.batchId as string) ?? loaded.get(r.batchId as string))?.get(r.sourceId);
      if (!p) continue;
      r.sourcePayload = p.sourcePayload;
      r.mappedPayload = p.mappedPayload;
    }
    for (const [id, b] of loaded) {
      cache.set(id, b);
      if (cache.size > cacheBatches) cache.delete(cache.keys().next().value as string);
    }
    return rows;
  };
}

/** One-off: the rows with their payloads filled (see payloadReader). */
export function withPayloads<T extends PayloadRow>(db: Db, rows: T[]): Promise<T[]> {
  return payloadReader(db)(rows);
}
