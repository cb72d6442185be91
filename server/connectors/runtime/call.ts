/**
 * One logical API call: rate budget → build request from templates → authenticate → send → classify →
 * retry / refresh / fail, then one report to the observer.
 *
 * Why this exists: every source page, detail fetch and target batch goes through here, so retries,
 * backoff, token refresh, rate limits, redaction and error messages behave the same everywhere.
 * Anything thrown out of it is a ConnectorError with a Chinese-first message and the vendor's own text,
 * and with `attempts` set: this is the one retry policy of a call (the engine does not retry it again).
 * The policy is bounded by an overall deadline (`deadlineMs`): every attempt and every wait counts, and
 * each attempt's timeout is cut to the time left.
 */
import type { ErrorHandler, HttpRequester, RateLimit } from "../schema";
import type { CallObserver, ConnectionConfig, PagingState } from "../types";
import { ConnectorError } from "../errors";
import type { AuthRuntime } from "./auth";
import { backoffDelay } from "./backoff";
import { apiName, classify, describeStatus, type BodyExpectation, type Classification } from "./error-handler";
import type { OutboundPolicy } from "./outbound";
import { OutboundRefusedError } from "./outbound";
import { DEFAULT_MAX_RESPONSE_BYTES, NetworkError, ResponseTooLargeError, sendHttp, type HttpResult, type PreparedRequest } from "./http";
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
  /** most bytes one response may have (definition default, connection override) */
  maxResponseBytes?: number;
  /** where calls may go (runtime/outbound.ts); absent = public addresses only */
  outbound?: OutboundPolicy;
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
  /** what a 2xx answer must contain (a record list, a detail record); without it the answer is unreadable */
  expect?: BodyExpectation;
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

/** "3 分钟", "90 秒", "1.5 秒" */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} 分钟`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} 秒`;
  return `${Math.round(ms)} 毫秒`;
}

/** "32 MB", "512 KB", "100 字节" */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} 字节`;
}

function describeFailure(h: ErrorHandler, asset: string, c: Classification, res: HttpResult | null, netErr: NetworkError | undefined): string {
  const name = vendorName(h);
  if (c.message) return c.message;
  if (netErr) return `无法连接${name}（${asset}）：${describeNetwork(netErr.code)}`;
  if (res && res.status >= 500) return `${name}接口不可用：${describeStatus(res.status)}（${asset}）`;
  if (res && res.status === 429) return `${name}限流（${asset}，HTTP 429）`;
  if (res && (res.status === 401 || res.status === 403)) return `${name}拒绝访问（${asset}，${describeStatus(res.status)}）：请检查连接凭据与接口权限`;
  if (res && res.status >= 400) return `${name}请求失败（${asset}，${describeStatus(res.status)}）：请检查接口地址与参数`;
  return `${name}调用失败（${asset}）`;
}

/** The vendor's own words for a message: its JSON code/text, or a short plain-text excerpt of a 4xx — never an error page. */
function vendorText(h: ErrorHandler, c: Classification, res: HttpResult | null): string {
  if (c.complete) return "";
  const name = vendorName(h);
  const fromPage = !c.vendorTextFromJson && res !== null && (res.status >= 500 || res.unreadable === "html");
  if (fromPage || (!c.vendorMessage && !c.vendorCode)) return "";
  if (!c.vendorTextFromJson && res === null) return ""; // a network error code is already in the sentence
  return `（${name}返回：${[c.vendorCode, c.vendorMessage].filter(Boolean).join(" ")}）`;
}

function failMessage(h: ErrorHandler, asset: string, c: Classification, res: HttpResult | null, netErr: NetworkError | undefined, attempts: number, redactor: Redactor): string {
  if (!c.message && res && res.status >= 500) {
    // an outage: the status in words and how hard we tried, no error page (nginx HTML, English)
    // (one attempt says nothing about trying: a caller that retries by itself, like the engine for
    // writes, adds its own count)
    const tried = attempts > 1 ? `，已尝试 ${attempts} 次` : "";
    return redactor.text(`${apiName(h)}不可用：${describeStatus(res.status)}${tried}（${asset}）${vendorText(h, c, res)}`);
  }
  const tries = attempts > 1 ? `；已尝试 ${attempts} 次` : "";
  return redactor.text(`${describeFailure(h, asset, c, res, netErr)}${vendorText(h, c, res)}${tries}`);
}

/** Performs a call with retries. Resolves for SUCCESS and IGNORE; throws ConnectorError otherwise. */
export async function executeCall(env: CallEnv, spec: CallSpec): Promise<CallResult> {
  const h = spec.errorHandler;
  const key = spec.rateLimitKey ?? `${env.conn.baseUrl}|${spec.apiAsset}`;
  const started = performance.now();
  // CHOICE: the deadline covers the vendor's time (attempts and the waits between them), not our own
  // queueing for the rate budget, which is self-imposed and bounded by the budget itself: each budget
  // wait moves the deadline by its length.
  let deadline = started + h.deadlineMs;
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

  const throwError = (message: string, c: Classification, res: HttpResult | null, net: NetworkError | undefined, timedOut: boolean, cause?: unknown): never => {
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
      timedOut: timedOut || net?.code === "ETIMEDOUT",
      cause,
    });
  };

  const fail = (c: Classification, res: HttpResult | null, net: NetworkError | undefined, cause?: unknown): never =>
    throwError(failMessage(h, spec.apiAsset, c, res, net, attempts, env.redactor), c, res, net, false, cause);

  /** the deadline passed (or the next wait would pass it): one clear sentence, `timedOut` set */
  const failDeadline = (): never => {
    const c: Classification = last?.c ?? { action: "RETRY", failureType: "transient", byDefault: true };
    const lastFailure = last ? describeFailure(h, spec.apiAsset, c, last.res, last.net) + vendorText(h, c, last.res) : "";
    const message = env.redactor.text(
      `${apiName(h)}（${spec.apiAsset}）在 ${formatDuration(h.deadlineMs)}内未能完成（已尝试 ${attempts} 次）${lastFailure ? `：最后一次失败：${lastFailure}` : ""}`,
    );
    return throwError(message, { ...c, failureType: c.failureType === "config" ? "config" : "transient" }, last?.res ?? null, last?.net, true);
  };

  /** every ConnectorError leaving this call says how many attempts were made */
  const withAttempts = (e: unknown): unknown => {
    if (e instanceof ConnectorError) {
      if (e.attempts === undefined) e.attempts = attempts;
      if (!e.page) e.page = spec.page;
    }
    return e;
  };

  for (;;) {
    attempts += 1;
    const budgetWait = await acquireBudget(env.store, key, spec.rateLimit, env.signal);
    rateLimitWaitMs += budgetWait;
    deadline += budgetWait;
    const req = buildRequest(env.conn, spec.requester, spec.vars);
    lastUrl = req.url.toString();
    let gen = 0;
    let res: HttpResult | null = null;
    let net: NetworkError | undefined;
    let c: Classification;
    try {
      gen = await env.auth.apply(req, { observer: env.observer, signal: env.signal, redactor: env.redactor, outbound: env.outbound });
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        attempts -= 1; // this attempt never went out
        return failDeadline();
      }
      try {
        res = await sendHttp(req, Math.min(spec.requester.timeoutMs, remaining), env.signal, {
          maxBytes: env.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
          followRedirects: spec.requester.followRedirects,
          policy: env.outbound,
        });
        env.auth.onResponse?.(res);
      } catch (e) {
        if (e instanceof ResponseTooLargeError) {
          const tooLarge: Classification = {
            action: "FAIL",
            failureType: "config",
            byDefault: false,
            complete: true,
            message:
              `${vendorName(h)}的响应超过 ${formatBytes(e.limit)} 上限（${spec.apiAsset}，HTTP ${e.status}），已在读到上限时中止：` +
              `请减小分页大小或收窄查询条件；确需更大的响应时，在连接设置中调高 maxResponseBytes`,
          };
          last = { res: null, c: tooLarge };
          return fail(tooLarge, null, undefined, e);
        }
        if (e instanceof OutboundRefusedError) {
          const refused: Classification = { action: "FAIL", failureType: "config", byDefault: false, complete: true, message: `${vendorName(h)}调用被出站策略拒绝（${spec.apiAsset}）：${e.message}` };
          last = { res: null, c: refused };
          return fail(refused, null, undefined, e);
        }
        if (!(e instanceof NetworkError)) throw e;
        net = e;
      }
      c = classify(h, res, net, { asset: spec.apiAsset, expect: spec.expect });
    } catch (e) {
      if (e instanceof ConnectorError && e.failureType === "transient") {
        // the authentication exchange itself failed transiently (network): retry like any other call
        c = { action: "RETRY", failureType: "transient", message: e.message, byDefault: false, complete: true };
      } else {
        if (e instanceof ConnectorError) report(false, e.message);
        throw withAttempts(e);
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
          await env.auth.refresh(gen, { observer: env.observer, signal: env.signal, redactor: env.redactor, outbound: env.outbound });
        } catch (e) {
          report(false, e instanceof Error ? e.message : String(e));
          throw withAttempts(e);
        }
        if (performance.now() >= deadline) return failDeadline();
        continue;
      case "RATE_LIMITED":
        rateLimitedRetries += 1;
        if (rateLimitedRetries > 50) return fail(c, res, net);
        delay = backoffDelay(c.backoff ?? h.backoff, rateLimitedRetries, res?.headers);
        break;
      case "RETRY":
        failedAttempts += 1;
        if (failedAttempts >= h.maxAttempts) return performance.now() >= deadline ? failDeadline() : fail(c, res, net);
        delay = backoffDelay(c.backoff ?? h.backoff, failedAttempts, res?.headers);
        break;
    }
    if (totalWait + delay > h.maxTotalWaitMs) return fail(c, res, net);
    // no time left for the wait and another attempt: say so now instead of sleeping into the deadline
    if (performance.now() + delay >= deadline) return failDeadline();
    totalWait += delay;
    env.observer?.onRetry?.({
      apiAsset: spec.apiAsset,
      attempt: attempts,
      waitMs: delay,
      reason: env.redactor.text(
        (c.complete ? c.message : undefined) ||
          [net ? describeNetwork(net.code) : res ? `HTTP ${res.status}` : "", c.vendorCode, c.vendorMessage].filter(Boolean).join(" ") ||
          c.message ||
          "retry",
      ),
      rateLimited: c.action === "RATE_LIMITED",
    });
    await sleep(delay, env.signal);
  }
}
