/**
 * `_findCollection find <field> from <flowId> where k={{v}}` resolved against another flow's ledger.
 *
 * Why here: the mapping layer only knows the question; the stored data of other schemes lives in the
 * database. Qeasy's meaning is "look up a field in the records another scheme has stored", so a record
 * is matched on its stored source payload (falling back to the mapped document for keys only the
 * target side has), and the answer may be any field of it — plus `targetId` / `targetNumber`, what
 * the other scheme's target assigned.
 *
 * One index per (flow, where-keys) is built on first use and kept for the run: a run asks the same
 * question for every record, and the database is read once instead of once per record.
 */
import type { Db } from "../db";
import { DomainError } from "../errors";
import { readPath } from "../engine/util";
import { payloadReader } from "./batch-payloads";
import type { MapContext } from "../mapping/types";

type View = Record<string, unknown>;
const PAGE = 2000;
/** A lookup table larger than this is refused with a message rather than exhausting memory. */
const MAX_ROWS = 500_000;

function keyOf(view: View, keys: string[]): string | null {
  const parts: string[] = [];
  for (const k of keys) {
    const v = readPath(view, k);
    if (v === undefined || v === null || typeof v === "object") return null;
    parts.push(String(v));
  }
  return parts.join("\u0000");
}

async function buildIndex(db: Db, flowId: string, keys: string[]): Promise<Map<string, View>> {
  const index = new Map<string, View>();
  let cursor: string | undefined;
  let seen = 0;
  const readPayloads = payloadReader(db);
  for (;;) {
    const rows = await readPayloads(
      await db.syncRecord.findMany({
        where: { flowId, ...(cursor !== undefined ? { sourceId: { gt: cursor } } : {}) },
        orderBy: { sourceId: "asc" },
        take: PAGE,
        select: { sourceId: true, number: true, targetId: true, targetNumber: true, batchId: true, sourcePayload: true, mappedPayload: true },
      }),
    );
    for (const r of rows) {
      const view: View = {
        ...((r.mappedPayload as View | null) ?? {}),
        ...((r.sourcePayload as View | null) ?? {}),
        targetId: r.targetId,
        targetNumber: r.targetNumber,
        sourceId: r.sourceId,
      };
      const k = keyOf(view, keys);
      if (k !== null && !index.has(k)) index.set(k, view);
    }
    seen += rows.length;
    if (seen > MAX_ROWS) throw new DomainError("BAD_REQUEST", `方案 ${flowId} 的数据超过 ${MAX_ROWS} 条，_findCollection 无法建立查找表 (lookup table too large)`);
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1].sourceId;
  }
  return index;
}

export function ledgerFindCollection(db: Db): NonNullable<MapContext["findCollection"]> {
  const indexes = new Map<string, Promise<Map<string, View>>>();
  return async ({ flowId, field, where }) => {
    const keys = Object.keys(where).sort();
    const sig = `${flowId}\u0000${keys.join("\u0000")}`;
    let index = indexes.get(sig);
    if (!index) {
      const exists = await db.flow.findUnique({ where: { id: flowId }, select: { id: true } });
      if (!exists) throw new DomainError("BAD_REQUEST", `_findCollection 引用的方案 ${flowId} 不存在 (no scheme with this id)`);
      index = buildIndex(db, flowId, keys);
      indexes.set(sig, index);
    }
    const hit = (await index).get(keys.map((k) => String(where[k])).join("\u0000"));
    return hit === undefined ? null : (readPath(hit, field) ?? null);
  };
}
