/**
 * Kingdee target writer: BatchSave / Save a batch of mapped documents and report one outcome per row
 * (partial failures mapped by `DIndex`), and look documents up by business key with ExecuteBillQuery.
 *
 * Why this exists: the engine's exactly-once guarantee rests on two things here — every row gets an
 * outcome (written with its id/number, or failed with the vendor's field and message and whether a
 * resend may help), and rows whose outcome is unknown after a crash can be settled by asking Kingdee
 * whether the business key exists. Auth/config failures throw (the run stops with the message); a
 * whole-batch transient failure returns every row as failed + retryable.
 */
import type { ConnectorDefinition, ErrorHandler, RateLimit, TargetApi } from "../../schema";
import type { ConnectionConfig, RowOutcome, TargetWriter, WriteOptions } from "../../types";
import { ConnectorError } from "../../errors";
import { executeCall } from "../../runtime/call";
import { budgetKey, combineSignals, makeEnv, type ConnectorDeps } from "../../runtime/env";
import { getPath } from "../../runtime/json-path";
import type { SourcePlan } from "../../runtime/source";
import { declarativeSource } from "../../runtime/source";
import type { KingdeeWriteOptions } from "./options";
import { kingdeeKeyFields } from "./options";

export interface KingdeeTargetPlan {
  conn: ConnectionConfig;
  def: ConnectorDefinition;
  api: TargetApi;
  asset: string;
  errorHandler: ErrorHandler;
  rateLimit?: RateLimit;
  options: KingdeeWriteOptions;
  /** plan of ExecuteBillQuery for lookups (same connection) */
  queryPlan: Omit<SourcePlan, "options">;
  deps?: ConnectorDeps;
}

interface KdStatus {
  IsSuccess?: boolean;
  MsgCode?: number;
  Errors?: { FieldName?: string | null; Message?: string; DIndex?: number }[];
  SuccessEntitys?: { Id?: unknown; Number?: unknown; BillNo?: unknown; DIndex?: number }[];
}

const RETRYABLE_MSG_CODES = new Set([13, 14]); // network-control conflict, call limit

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === "" ? undefined : String(v);
}

/** Maps a Save/BatchSave response to outcomes for `count` documents. */
export function mapSaveResult(body: unknown, count: number): RowOutcome[] {
  const status = (getPath(body, "Result.ResponseStatus") ?? {}) as KdStatus;
  const out: (RowOutcome | undefined)[] = new Array(count).fill(undefined);
  const successes = status.SuccessEntitys ?? [];
  successes.forEach((s, i) => {
    const idx = typeof s.DIndex === "number" ? s.DIndex : count === successes.length ? i : -1;
    if (idx >= 0 && idx < count) {
      out[idx] = { status: "written", targetId: str(s.Id) ?? "", targetNumber: str(s.Number) ?? str(s.BillNo), response: s };
    }
  });
  if (count === 1 && !out[0] && status.IsSuccess) {
    const id = str(getPath(body, "Result.Id"));
    if (id) out[0] = { status: "written", targetId: id, targetNumber: str(getPath(body, "Result.Number")), response: getPath(body, "Result") };
  }
  const retryable = RETRYABLE_MSG_CODES.has(Number(status.MsgCode));
  // Row validation failures come with MsgCode 11 (or 13 network control). Any other code with
  // nothing saved is a whole-call failure (parameter error …) even if the server put DIndex 0 on it.
  const wholeCall = status.IsSuccess === false && successes.length === 0 && ![11, 13].includes(Number(status.MsgCode)) && count > 1;
  const unindexed: { field?: string; message: string }[] = [];
  for (const e of status.Errors ?? []) {
    const msg = e.Message ?? "金蝶云星空保存失败";
    const field = e.FieldName ?? undefined;
    const idx = wholeCall ? -1 : typeof e.DIndex === "number" ? e.DIndex : count === 1 ? 0 : -1;
    if (idx >= 0 && idx < count) {
      const prev = out[idx];
      if (prev && prev.status === "failed") {
        prev.message = `${prev.message}；${msg}`;
      } else {
        out[idx] = { status: "failed", message: msg, field: field || undefined, retryable, response: e };
      }
    } else {
      unindexed.push({ field: field || undefined, message: msg });
    }
  }
  return out.map((o): RowOutcome => {
    if (o) return o;
    if (unindexed.length > 0) {
      return { status: "failed", message: unindexed.map((u) => u.message).join("；"), field: unindexed[0].field, retryable };
    }
    // Neither saved nor rejected: the outcome is unknown; the engine settles it by business key.
    return { status: "failed", message: "金蝶云星空未返回该行的保存结果（结果未知，请按业务编码核对后重推）", retryable: true };
  });
}

function quoteList(keys: string[]): string {
  return keys.map((k) => `'${k.replace(/'/g, "''")}'`).join(",");
}

export function kingdeeTargetWriter(plan: KingdeeTargetPlan): TargetWriter {
  const keys = kingdeeKeyFields(plan.options.formId);
  const businessKeyField = plan.options.businessKeyField ?? keys.businessKeyField;
  const idField = plan.options.idField ?? keys.idField;
  const batchSize = plan.api.outcome.batch ? Math.min(plan.options.batchSize ?? 100, 1000) : 1;
  const budget = budgetKey(plan.conn, plan.asset);

  const writeChunk = async (docs: Record<string, unknown>[], signal?: AbortSignal): Promise<RowOutcome[]> => {
    const env = makeEnv(plan.conn, plan.def, plan.deps, signal);
    try {
      const res = await executeCall(env, {
        apiAsset: plan.asset,
        requester: plan.api.requester,
        errorHandler: plan.errorHandler,
        rateLimit: plan.rateLimit,
        rateLimitKey: budget,
        vars: { options: plan.options, settings: plan.conn.settings, MODEL: plan.api.outcome.batch ? docs : docs[0] },
      });
      return mapSaveResult(res.body, docs.length);
    } catch (e) {
      if (e instanceof ConnectorError && e.failureType === "transient") {
        return docs.map(() => ({ status: "failed", message: e.message, retryable: true }));
      }
      if (e instanceof ConnectorError && e.failureType === "data") {
        return docs.map(() => ({ status: "failed", message: e.message, retryable: false }));
      }
      throw e;
    }
  };

  return {
    businessKeyField,
    idField,
    async writeBatch(docs: Record<string, unknown>[], opts?: WriteOptions): Promise<RowOutcome[]> {
      const signal = combineSignals(plan.deps?.signal, opts?.signal);
      const out: RowOutcome[] = [];
      for (let i = 0; i < docs.length; i += batchSize) {
        out.push(...(await writeChunk(docs.slice(i, i + batchSize), signal)));
      }
      return out;
    },
    async lookupByKeys(keysIn: string[], opts?: WriteOptions) {
      const found = new Map<string, { targetId: string; targetNumber?: string }>();
      const unique = [...new Set(keysIn.filter((k) => typeof k === "string" && k !== ""))];
      const CHUNK = 200;
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const reader = declarativeSource({
          ...plan.queryPlan,
          deps: { ...plan.deps, signal: combineSignals(plan.deps?.signal, opts?.signal) },
          options: {
            formId: plan.options.formId,
            fieldKeys: `${idField},${businessKeyField}`,
            filterString: `${businessKeyField} IN (${quoteList(chunk)})`,
            orderString: `${idField} ASC`,
            pageSize: 2000,
          },
        });
        for await (const page of reader.read({ params: {} })) {
          for (const r of page.records) {
            const k = str(r[businessKeyField]);
            const id = str(r[idField]);
            if (k && id && !found.has(k)) found.set(k, { targetId: id, targetNumber: k });
          }
        }
      }
      return found;
    },
  };
}
