/**
 * Public entry points of the connector layer: what the engine and the UI call.
 *
 * Why this exists: callers name an API ("guanyi.gy.erp.shop.get", "dingtalk.processinstance",
 * "kingdee.ExecuteBillQuery", "kingdee.BatchSave", "http.generic") and hand over node options; this
 * module validates the options, applies node-level overrides to the definition's defaults, and returns
 * a SourceReader / TargetWriter implementing ./types.ts. Nothing vendor-specific leaks out.
 */
import { z } from "zod";
import { ConnectorError } from "./errors";
import { apiOptionsSchemas, catalogue, getOptionsSchema, type ApiCatalogueEntry } from "./catalogue";
import { dingtalkDefinition } from "./definitions/dingtalk";
import { guanyiDefinition } from "./definitions/guanyi";
import { genericDefinition, GenericHttpSourceOptions } from "./definitions/http/generic";
import { kingdeeDefinition } from "./definitions/kingdee";
import { KingdeeWriteOptions } from "./definitions/kingdee/options";
import { kingdeeTargetWriter } from "./definitions/kingdee/writer";
import type { ConnectorDefinition, OperationApi, SourceApi, TargetApi } from "./schema";
import { executeCall } from "./runtime/call";
import { budgetKey, makeEnv, withRateLimit, withRetry, type ConnectorDeps } from "./runtime/env";
import { declarativeSource, type SourcePlan } from "./runtime/source";
import type { ConnectionConfig, FailureType, ReadOptions, SourceReader, TargetWriter } from "./types";

export { ConnectorError, isConnectorError } from "./errors";
export type { ApiCatalogueEntry } from "./catalogue";
export { apiOptionsSchemas, getOptionsSchema } from "./catalogue";
export { GuanyiSourceOptions } from "./definitions/guanyi/options";
export { DingTalkSourceOptions } from "./definitions/dingtalk/options";
export { KingdeeQueryOptions, KingdeeWriteOptions } from "./definitions/kingdee/options";
export { GenericHttpDefinition, GenericHttpSourceOptions } from "./definitions/http/generic";
export { ConnectorDefinition, parseConnectorDefinition, formatIssues } from "./schema";
export type { RateLimitStore, BucketSpec } from "./runtime/rate-limit/store";
export { MemoryRateLimitStore } from "./runtime/rate-limit/memory-store";
export { clearAuthCache } from "./runtime/auth";
export type { ConnectorDeps } from "./runtime/env";
export type * from "./types";

export const vendorDefinitions: Record<string, ConnectorDefinition> = {
  guanyi: guanyiDefinition,
  dingtalk: dingtalkDefinition,
  kingdee: kingdeeDefinition,
};

const VENDOR_NAMES: Record<string, string> = { guanyi: "管易云", dingtalk: "钉钉", kingdee: "金蝶云星空", http: "HTTP 接口" };

function configError(apiAsset: string, message: string): ConnectorError {
  return new ConnectorError({ failureType: "config", apiAsset, message });
}

function splitApiId(apiId: string): { vendor: string; name: string } {
  const dot = apiId.indexOf(".");
  if (dot <= 0) throw configError(apiId, `未知接口「${apiId}」：应为 "<vendor>.<api>"，如 guanyi.gy.erp.shop.get`);
  return { vendor: apiId.slice(0, dot), name: apiId.slice(dot + 1) };
}

function parseOptions<T>(apiId: string, options: Record<string, unknown>): T {
  const schema = getOptionsSchema(apiId);
  if (!schema) throw configError(apiId, `未知接口「${apiId}」：请从接口目录中选择`);
  const r = schema.safeParse(options ?? {});
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}：${i.message}`).join("；");
    throw configError(apiId, `节点设置有误：${detail}`);
  }
  return r.data as T;
}

function checkVendor(conn: ConnectionConfig, vendor: string, apiId: string): void {
  if (conn.vendor !== vendor) {
    throw configError(apiId, `连接类型不匹配：接口 ${apiId} 需要${VENDOR_NAMES[vendor] ?? vendor}连接，当前连接是 ${conn.vendor}`);
  }
}

function withPageSize(api: SourceApi, pageSize: number | undefined): SourceApi {
  if (pageSize === undefined || api.paginator.type === "NoPagination") return api;
  return { ...api, paginator: { ...api.paginator, pageSize } };
}

interface CommonOpts {
  params?: Record<string, unknown>;
  retry?: Parameters<typeof withRetry>[1];
  rateLimit?: Parameters<typeof withRateLimit>[1];
  pageSize?: number;
  detailRateLimit?: Parameters<typeof withRateLimit>[1];
}

/** A reader over one source API. `options` are the node's settings (validated here). */
export function createSourceReader(
  conn: ConnectionConfig,
  apiId: string,
  options: Record<string, unknown>,
  deps?: ConnectorDeps,
): SourceReader {
  const { vendor, name } = splitApiId(apiId);
  checkVendor(conn, vendor, apiId);
  let def: ConnectorDefinition;
  let api: SourceApi;
  let parsed: CommonOpts & Record<string, unknown>;
  if (vendor === "http") {
    if (name !== "generic") throw configError(apiId, `未知接口「${apiId}」`);
    const o = parseOptions<z.infer<typeof GenericHttpSourceOptions>>(apiId, options);
    def = genericDefinition(o.definition, conn.settings.authenticator);
    api = o.definition.api;
    parsed = o;
  } else {
    const d = vendorDefinitions[vendor];
    const a = d?.apis.find((x) => x.id === name);
    if (!d || !a || a.kind !== "source") throw configError(apiId, `未知的源接口「${apiId}」：请从接口目录中选择`);
    def = d;
    api = a;
    parsed = parseOptions<CommonOpts & Record<string, unknown>>(apiId, options);
  }
  api = withPageSize(api, parsed.pageSize);
  const handler = api.errorHandler ?? def.errorHandler;
  const plan: SourcePlan = {
    conn,
    def,
    api,
    asset: `${vendor}.${api.id}`,
    errorHandler: withRetry(handler, parsed.retry),
    rateLimit: withRateLimit(api.rateLimit ?? def.rateLimit, parsed.rateLimit),
    detailErrorHandler: api.detail ? withRetry(api.detail.errorHandler ?? handler, parsed.retry) : undefined,
    detailRateLimit: api.detail ? withRateLimit(api.detail.rateLimit ?? def.rateLimit, parsed.detailRateLimit) : undefined,
    options: parsed,
    deps,
  };
  const reader = declarativeSource(plan);
  const staticParams = parsed.params ?? {};
  return {
    read: (opts: ReadOptions) => reader.read({ ...opts, params: { ...staticParams, ...(opts.params ?? {}) } }),
  };
}

function kingdeeQueryPlan(conn: ConnectionConfig, deps: ConnectorDeps | undefined, retry: CommonOpts["retry"]): Omit<SourcePlan, "options"> {
  const api = kingdeeDefinition.apis.find((a): a is SourceApi => a.kind === "source" && a.id === "ExecuteBillQuery") as SourceApi;
  return {
    conn,
    def: kingdeeDefinition,
    api,
    asset: "kingdee.ExecuteBillQuery",
    errorHandler: withRetry(api.errorHandler ?? kingdeeDefinition.errorHandler, retry),
    rateLimit: withRateLimit(api.rateLimit ?? kingdeeDefinition.rateLimit, undefined),
    deps,
  };
}

/** A writer to one target API ("kingdee.BatchSave" | "kingdee.Save"). */
export function createTargetWriter(
  conn: ConnectionConfig,
  apiId: string,
  options: Record<string, unknown>,
  deps?: ConnectorDeps,
): TargetWriter {
  const { vendor, name } = splitApiId(apiId);
  checkVendor(conn, vendor, apiId);
  const api = vendorDefinitions[vendor]?.apis.find((x) => x.id === name);
  if (vendor !== "kingdee" || !api || api.kind !== "target") throw configError(apiId, `未知的目标接口「${apiId}」：目前支持 kingdee.BatchSave、kingdee.Save`);
  const o = parseOptions<z.infer<typeof KingdeeWriteOptions>>(apiId, options);
  const target = api as TargetApi;
  return kingdeeTargetWriter({
    conn,
    def: kingdeeDefinition,
    api: target,
    asset: `kingdee.${target.id}`,
    errorHandler: withRetry(target.errorHandler ?? kingdeeDefinition.errorHandler, o.retry),
    rateLimit: withRateLimit(target.rateLimit ?? kingdeeDefinition.rateLimit, o.rateLimit),
    options: o,
    queryPlan: kingdeeQueryPlan(conn, deps, o.retry),
    deps,
  });
}

/**
 * Runs a one-off operation (Kingdee Submit / Audit / UnAudit / Delete / View) and returns the parsed
 * response. vars: formId plus numbers / ids (Submit…) or number / id (View).
 */
export async function runOperation(
  conn: ConnectionConfig,
  apiId: string,
  input: { formId: string; numbers?: string[]; ids?: string[]; number?: string; id?: string },
  deps?: ConnectorDeps,
): Promise<unknown> {
  const { vendor, name } = splitApiId(apiId);
  checkVendor(conn, vendor, apiId);
  const def = vendorDefinitions[vendor];
  const api = def?.apis.find((x): x is OperationApi => x.kind === "operation" && x.id === name);
  if (!def || !api) throw configError(apiId, `未知的操作接口「${apiId}」`);
  const env = makeEnv(conn, def, deps, deps?.signal);
  const res = await executeCall(env, {
    apiAsset: apiId,
    requester: api.requester,
    errorHandler: api.errorHandler ?? def.errorHandler,
    rateLimit: api.rateLimit ?? def.rateLimit,
    rateLimitKey: budgetKey(conn, apiId),
    vars: {
      options: { formId: input.formId },
      settings: conn.settings,
      NUMBERS: input.numbers ?? [],
      IDS: (input.ids ?? []).join(","),
      NUMBER: input.number ?? "",
      ID: input.id ?? "",
    },
  });
  const status = (res.body as { Result?: { ResponseStatus?: { IsSuccess?: boolean; Errors?: { Message?: string }[]; MsgCode?: number } } })?.Result?.ResponseStatus;
  if (status && status.IsSuccess === false) {
    const msg = (status.Errors ?? []).map((e) => e.Message).filter(Boolean).join("；");
    throw new ConnectorError({ failureType: "data", apiAsset: apiId, vendorCode: String(status.MsgCode ?? ""), vendorMessage: msg, message: `金蝶云星空${api.label.zh}失败（金蝶返回：${msg}）` });
  }
  return res.body;
}

const TEST_OPTIONS: Record<string, { apiId: string; options: Record<string, unknown> }> = {
  guanyi: { apiId: "guanyi.gy.erp.shop.get", options: { pageSize: 1 } },
  kingdee: { apiId: "kingdee.ExecuteBillQuery", options: { formId: "BD_Customer", fieldKeys: "FNumber", pageSize: 1, topRowCount: 1 } },
};

/** The cheapest authenticated call for a connection; never throws. */
export async function testConnection(conn: ConnectionConfig): Promise<{ ok: true; message: string } | { ok: false; message: string; failureType: FailureType }> {
  const name = VENDOR_NAMES[conn.vendor] ?? conn.vendor;
  const fast = { retry: { maxAttempts: 2, maxTotalWaitMs: 3000 } };
  try {
    if (conn.vendor === "dingtalk") {
      // the token exchange is the cheapest authenticated call (listids needs a process code)
      const env = makeEnv(conn, dingtalkDefinition, undefined);
      await env.auth.apply({ method: "GET", url: new URL("http://127.0.0.1/"), headers: {}, bodyEncoding: "none" }, { redactor: env.redactor, outbound: env.outbound });
      return { ok: true, message: "钉钉连接成功：已获取 access_token" };
    }
    const t = TEST_OPTIONS[conn.vendor];
    if (!t) return { ok: false, message: `${name}连接无法自动测试：请在节点中预览数据`, failureType: "config" };
    const reader = createSourceReader(conn, t.apiId, { ...t.options, ...fast });
    const it = reader.read({ params: {} })[Symbol.asyncIterator]();
    const first = await it.next();
    await it.return?.();
    const total = first.done ? undefined : first.value.total;
    return { ok: true, message: `${name}连接成功${total !== undefined ? `（共 ${total} 条记录可读）` : ""}` };
  } catch (e) {
    if (e instanceof ConnectorError) return { ok: false, message: e.message, failureType: e.failureType };
    return { ok: false, message: `${name}连接测试失败：${e instanceof Error ? e.message : String(e)}`, failureType: "transient" };
  }
}

/** The API catalogue for the designer. */
export function listApis(): ApiCatalogueEntry[] {
  return catalogue.map((e) => ({ ...e, defaultOptions: { ...e.defaultOptions }, optionDescriptions: { ...e.optionDescriptions } }));
}

/** Every api id the catalogue knows (keys of apiOptionsSchemas). */
export const apiIds = Object.keys(apiOptionsSchemas);
