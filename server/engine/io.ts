/**
 * The engine's one seam to the connector layer: opens a source reader and a target writer for a plan.
 *
 * Why this exists: the connector layer validates node options per api id; keeping the translation
 * from plan settings (page size, form id, vendor flags, rate-limit overrides) in one file means the
 * executor never changes when those options do.
 *
 * One retry policy per call (the flow's retry settings, applied by the connector): source pages and
 * target lookups are reads, retried inside the connector under the flow's policy; the engine does not
 * retry a ConnectorError again (engine/util.ts isTransient).
 * CHOICE: writes are sent with the connector's own retries off for failed attempts (`maxAttempts: 1`).
 * A write that failed in transit may still have landed; only the engine can settle that (lookup by
 * business key) before sending again, so the engine owns write retries (row-level, lookup first).
 * Rate-limit answers and token refreshes (the request was refused, nothing landed) are still retried
 * inside the connector.
 */
import { ConnectorError, createSourceReader, createTargetWriter, runOperation } from "@/server/connectors";
import type { CallObserver, ConnectionConfig, SourceReader, TargetWriter } from "@/server/connectors/types";
import type { PlanSource, PlanTarget, RetrySettings } from "./types";

export interface IoDeps {
  observer?: CallObserver;
  signal?: AbortSignal;
}

/** The flow's retry settings as the connector's retry override; a node's own `options.retry` wins. */
function readRetry(retry: RetrySettings, own: unknown): Record<string, unknown> {
  return { maxAttempts: retry.maxAttempts, baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs, ...((own as Record<string, unknown> | undefined) ?? {}) };
}

export function openReader(conn: ConnectionConfig, src: PlanSource, deps: IoDeps): SourceReader {
  const options: Record<string, unknown> = { ...src.options, retry: readRetry(src.retry, src.options.retry) };
  if (src.pageSize !== undefined) options.pageSize = src.pageSize;
  if (src.rateLimit) options.rateLimit = src.rateLimit;
  return createSourceReader(conn, src.apiId, options, { observer: deps.observer, signal: deps.signal });
}

export function openWriter(conn: ConnectionConfig, tgt: PlanTarget, deps: IoDeps): TargetWriter {
  const options: Record<string, unknown> = { ...tgt.options, batchSize: tgt.batchSize };
  if (tgt.formId) options.formId = tgt.formId;
  if (tgt.businessKeyField) options.businessKeyField = tgt.businessKeyField;
  if (tgt.rateLimit) options.rateLimit = tgt.rateLimit;
  const connDeps = { observer: deps.observer, signal: deps.signal };
  const writes = createTargetWriter(conn, tgt.apiId, { ...options, retry: { maxAttempts: 1, ...((tgt.options.retry as Record<string, unknown> | undefined) ?? {}) } }, connDeps);
  const reads = createTargetWriter(conn, tgt.apiId, { ...options, retry: readRetry(tgt.retry, tgt.options.retry) }, connDeps);
  return { ...writes, lookupByKeys: (keys, o) => reads.lookupByKeys(keys, o) };
}

/**
 * Called before documents that already exist at the target are saved again (the update path).
 * CHOICE: Kingdee refuses to save an audited document; when the node saves with IsAutoSubmitAndAudit
 * the documents we wrote are audited, so they are un-audited first (the save then audits them again).
 * Per-document refusals ("不能反审核" for a document that is not audited) are ignored: the save that
 * follows reports whatever is really wrong, row by row.
 */
export function updatePreparer(conn: ConnectionConfig, tgt: PlanTarget, deps: IoDeps): ((targetIds: string[]) => Promise<void>) | undefined {
  if (conn.vendor !== "kingdee" || tgt.options.IsAutoSubmitAndAudit !== true || !tgt.formId) return undefined;
  const formId = tgt.formId;
  return async (ids) => {
    if (!ids.length) return;
    try {
      await runOperation(conn, "kingdee.UnAudit", { formId, ids }, { observer: deps.observer, signal: deps.signal });
    } catch (e) {
      if (e instanceof ConnectorError && e.failureType === "data") return;
      throw e;
    }
  };
}
