/**
 * One logical API call: rate budget → build request from templates → authenticate → send → classify →
 * retry / refresh / fail, then one report to the observer.
 *
 * Why this exists: every source page, detail fetch and target batch goes through here, so retries,
 * backoff, token refresh, rate limits, redaction and error messages behave the same everywhere.
 * Anything thrown out of it is a ConnectorError with a Chinese-first message and the vendor's own text.
 */
import type { ErrorHandler, HttpRequester, RateLimit } from "../schema";
import type { CallObserver, ConnectionConfig, PagingState } from "../types";
import { ConnectorError } from "../errors";
import type { AuthRuntime } from "./auth";
import { backoffDelay } from "./backoff";
import { classify, type Classification } from "./error-handler";
import { NetworkError, sendHttp, type HttpResult, type PreparedRequest } from "./http";
import type { RateLimitStore } from "./rate-limit/store";
import { acquireBudget, sleep } from "./rate-limit/token-bucket";
import type { Redactor } from "./redact";
import { dropEmpty, resolveTemplate, type TemplateVars } from "./template";

export interface CallEnv {
  conn: ConnectionConfig;
  auth: AuthRuntime;
  store: RateLimitStore;
  redactor: Redactor;
  observer?: CallObserver;
  signal?: AbortSignal;
}

export interface CallSpec {
  apiAsset: string;
  requester: HttpRequester;
  errorHandler: ErrorHandler;
  rateLimit?: RateLimit;
  /** key of the rate budget (defaults to connection base URL + asset) */
  rateLimitKey?: string;
  vars: TemplateVars;
  page?: PagingState;
}

export interface CallResult extends HttpResult {
  classification: Classification;
  attempts: number;
}

/** Joins the connection base URL and a (templated) path. */
export function joinUrl(base: string, path: string): URL {
  if (/^https?:\/\//.test(path)) return new URL(path);
  const b = base.endsWith("/") ? base : `${base}/`;
  return new URL(path.replace(/^\//, ""), b);
}

/** Expands `"...": "{{params}}"` spreads inside a resolved body object. */
function spread(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(spread);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "...") {
        if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(out, v);
      } else {
        out[k] = spread(v);
      }
    }
    return out;
  }
  return value;
}

export function buildRequest(conn: ConnectionConfig, requester: HttpRequester, vars: TemplateVars): PreparedRequest {
  const url = joinUrl(conn.baseUrl, String(resolveTemplate(requester.path, vars) ?? ""));
  if (requester.query) {
    let q = spread(resolveTemplate(requester.query, vars)) as Record<string, unknown>;
    if (requester.dropEmpty) q = dropEmpty(q);
    for (const [k, v] of Object.entries(q)) {
      if (v !== undefined && v !== null) url.searchParams.set(k, typeof v === "object" ? JSON.stringify(v) : String(v));
    }
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(requester.headers ?? {})) {
    const r = resolveTemplate(v, vars);
    if (r !== undefined && r !== null && r !== "") headers[k] = String(r);
  }
  let body: unknown = requester.body === undefined ? undefined : spread(resolveTemplate(requester.body, vars));
  if (requester.dropEmpty && body && typeof body === "object" && !Array.isArray(body)) body = dropEmpty(body as Record<string, unknown>);
  return { method: requester.method, url, headers, body, bodyEncoding: requester.bodyEncoding };
}

function describeNetwork(code: string): string {
  if (code === "ETIMEDOUT") return "请求超时";
  if (code === "ECONNREFUSED") return "连接被拒绝（服务未启动或地址错误）";
  if (code === "ENOTFOUND") return "域名无法解析（请检查接口地址）";
  return `连接中断（${code}）`;
}

function vendorName(h: ErrorHandler): string {
  return h.vendorName || "接口";
}

function failMessage(h: ErrorHandler, asset: string, c: Classification, res: HttpResult | null, netErr: NetworkError | undefined, attempts: number, redactor: Redactor): string {
  const name = vendorName(h);
  let base: string;
  if (c.message) base = c.message;
  else if (netErr) base = `无法连接${name}（${asset}）：${describeNetwork(netErr.code)}`;
  else if (res && res.status >= 500) base = `${name}服务暂时不可用（${asset}，HTTP ${res.status}）`;
  else if (res && res.status === 429) base = `${name}限流（${asset}，HTTP 429）`;
  else if (res && (res.status === 401 || res.status === 403)) base = `${name}拒绝访问（${asset}，HTTP ${res.status}）：请检查连接凭据与接口权限`;
  else if (res && res.status >= 400) base = `${name}请求失败（${asset}，HTTP ${res.status}）：请检查接口地址与参数`;
  else base = `${name}调用失败（${asset}）`;
  const vendorText = c.vendorMessage || c.vendorCode ? `（${name}返回：${[c.vendorCode, c.vendorMessage].filter(Boolean).join(" ")}）` : "";
  const tries = attempts > 1 ? `；已尝试 ${attempts} 次` : "";
  return redactor.text(`${base}${vendorText}${tries}`);
}

/** Performs a call with retries. Resolves for SUCCESS and IGNORE; throws ConnectorError otherwise. */
export async function executeCall(env: CallEnv, spec: CallSpec): Promise<CallResult> {
  const h = spec.errorHandler;
  const key = spec.rateLimitKey ?? `${env.conn.baseUrl}|${spec.apiAsset}`;
  const started = performance.now();
  let attempts = 0;
  let failedAttempts = 0;
  let rateLimitedRetries = 0;
  let refreshed = false;
  let totalWait = 0;
  let rateLimitWaitMs = 0;
  let last: { res: HttpResult | null; c: Classification; net?: NetworkError } | null = null;
  let lastUrl = env.conn.baseUrl;

  const report = (ok: boolean, error?: string): void => {
    if (!env.observer?.onCall) return; // nobody listens: skip the redaction work
    env.observer.onCall({
      apiAsset: spec.apiAsset,
      method: spec.requester.method,
      url: env.redactor.url(lastUrl),
      durationMs: Math.round(performance.now() - started),
      httpStatus: last?.res?.status,
      vendorCode: last?.c.vendorCode,
      ok,
      retries: Math.max(0, attempts - 1),
      rateLimitWaitMs: Math.round(rateLimitWaitMs),
      error: error ? env.redactor.text(error) : undefined,
    });
  };

  const fail = (c: Classification, res: HttpResult | null, net: NetworkError | undefined, cause?: unknown): never => {
    const message = failMessage(h, spec.apiAsset, c, res, net, attempts, env.redactor);
    report(false, message);
    throw new ConnectorError({
      failureType: c.failureType,
      apiAsset: spec.apiAsset,
      httpStatus: res?.status,
      vendorCode: c.vendorCode,
      vendorMessage: c.vendorMessage ? env.redactor.text(c.vendorMessage) : undefined,
      message,
      page: spec.page,
      attempts,
      cause,
    });
  };

  for (;;) {
    attempts += 1;
    rateLimitWaitMs += await acquireBudget(env.store, key, spec.rateLimit, env.signal);
    const req = buildRequest(env.conn, spec.requester, spec.vars);
    lastUrl = req.url.toString();
    let gen = 0;
    let res: HttpResult | null = null;
    let net: NetworkError | undefined;
    let c: Classification;
    try {
      gen = await env.auth.apply(req, { observer: env.observer, signal: env.signal, redactor: env.redactor });
      try {
        res = await sendHttp(req, spec.requester.timeoutMs, env.signal);
        env.auth.onResponse?.(res);
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        net = e;
      }
      c = classify(h, res, net);
    } catch (e) {
      if (e instanceof ConnectorError && e.failureType === "transient") {
        // the authentication exchange itself failed transiently (network): retry like any other call
        c = { action: "RETRY", failureType: "transient", message: e.message, byDefault: false };
      } else {
        if (e instanceof ConnectorError) {
          report(false, e.message);
          if (!e.page) e.page = spec.page;
        }
        throw e;
      }
    }
    last = { res, c, net };

    let delay = 0;
    switch (c.action) {
      case "SUCCESS":
      case "IGNORE":
        report(true);
        return { ...(res as HttpResult), classification: c, attempts };
      case "FAIL":
        return fail(c, res, net);
      case "REFRESH_TOKEN_THEN_RETRY":
        if (refreshed) return fail(c, res, net);
        refreshed = true;
        env.observer?.onRetry?.({ apiAsset: spec.apiAsset, attempt: attempts, waitMs: 0, reason: env.redactor.text(`刷新凭据后重试（${c.vendorCode ?? ""} ${c.vendorMessage ?? ""}）`), rateLimited: false });
        try {
          await env.auth.refresh(gen, { observer: env.observer, signal: env.signal, redactor: env.redactor });
        } catch (e) {
          if (e instanceof ConnectorError && !e.page) e.page = spec.page;
          report(false, e instanceof Error ? e.message : String(e));
          throw e;
        }
        continue;
      case "RATE_LIMITED":
        rateLimitedRetries += 1;
        if (rateLimitedRetries > 50) return fail(c, res, net);
        delay = backoffDelay(c.backoff ?? h.backoff, rateLimitedRetries, res?.headers);
        break;
      case "RETRY":
        failedAttempts += 1;
        if (failedAttempts >= h.maxAttempts) return fail(c, res, net);
        delay = backoffDelay(c.backoff ?? h.backoff, failedAttempts, res?.headers);
        break;
    }
    if (totalWait + delay > h.maxTotalWaitMs) return fail(c, res, net);
    totalWait += delay;
    env.observer?.onRetry?.({
      apiAsset: spec.apiAsset,
      attempt: attempts,
      waitMs: delay,
      reason: env.redactor.text(
        [net ? describeNetwork(net.code) : res ? `HTTP ${res.status}` : "", c.vendorCode, c.vendorMessage].filter(Boolean).join(" ") || c.message || "retry",
      ),
      rateLimited: c.action === "RATE_LIMITED",
    });
    await sleep(delay, env.signal);
  }
}
