/**
 * What every authenticator provides to the call loop, plus helpers they share.
 *
 * Why this exists: the call loop applies credentials, hands every response back (session cookies),
 * and asks for a refresh when the error handler says REFRESH_TOKEN_THEN_RETRY. Token/session state
 * is cached per connection identity (runtime/auth/index.ts) so readers and writers share one token.
 */
import type { CallObserver, ConnectionConfig } from "../../types";
import { ConnectorError } from "../../errors";
import type { HttpResult, PreparedRequest } from "../http";
import { cleanExcerpt, describeUnreadable, NetworkError, ResponseTooLargeError, sendHttp } from "../http";
import type { Redactor } from "../redact";
import { OutboundRefusedError, type OutboundPolicy } from "../outbound";

export interface AuthCallContext {
  observer?: CallObserver;
  signal?: AbortSignal;
  redactor: Redactor;
  /** where the exchange may go (runtime/outbound.ts); absent = public addresses only */
  outbound?: OutboundPolicy;
}

export interface AuthRuntime {
  /** Adds credentials to the request; resolves with the credential generation used. */
  apply(req: PreparedRequest, ctx: AuthCallContext): Promise<number>;
  /** Sees every response (captures session cookies). */
  onResponse?(res: HttpResult): void;
  /** Drops the credential of generation `gen` (if still current) and obtains a new one. */
  refresh(gen: number, ctx: AuthCallContext): Promise<void>;
}

export function credential(conn: ConnectionConfig, name: string): string | undefined {
  const s = conn.secrets[name];
  if (typeof s === "string" && s !== "") return s;
  const v = conn.settings[name];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

export function requireCredential(conn: ConnectionConfig, name: string, vendorName: string, apiAsset: string): string {
  const v = credential(conn, name);
  if (v === undefined) {
    throw new ConnectorError({ failureType: "config", apiAsset, message: `${vendorName}连接缺少必填项「${name}」：请在连接设置中填写` });
  }
  return v;
}

/**
 * Performs an authentication exchange (token, login) and reports it like any other call. Network
 * trouble and a 2xx that is not JSON (an HTML page) become transient ConnectorErrors; the caller's
 * retry loop decides whether to try again. A redirect (not followed) or an oversized answer is
 * configuration.
 */
export async function authExchange(
  apiAsset: string,
  req: PreparedRequest,
  ctx: AuthCallContext,
  vendorName: string,
  timeoutMs = 15_000,
): Promise<HttpResult> {
  try {
    const res = await sendHttp(req, timeoutMs, ctx.signal, { maxBytes: AUTH_MAX_BYTES, policy: ctx.outbound });
    ctx.observer?.onCall?.({
      apiAsset,
      method: req.method,
      url: ctx.redactor.url(req.url.toString()),
      durationMs: Math.round(res.durationMs),
      httpStatus: res.status,
      ok: res.status >= 200 && res.status < 300,
      retries: 0,
      rateLimitWaitMs: 0,
    });
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location") ?? "";
      let host = "";
      try {
        host = new URL(location, req.url).host;
      } catch {
        /* no host to name */
      }
      throw new ConnectorError({
        failureType: "config",
        apiAsset,
        httpStatus: res.status,
        message: `${vendorName}认证接口被重定向（HTTP ${res.status}${host ? ` → ${host}` : ""}）：请检查连接的服务器地址是否正确`,
      });
    }
    if (res.status >= 200 && res.status < 300 && res.body === undefined) {
      const excerpt = ctx.redactor.text(cleanExcerpt(res.text));
      throw new ConnectorError({
        failureType: "transient",
        apiAsset,
        httpStatus: res.status,
        vendorMessage: excerpt || undefined,
        message: `${vendorName}认证服务返回了无法识别的内容（${describeUnreadable(res.unreadable ?? "text")}，HTTP ${res.status}）${excerpt ? `：${excerpt}` : ""}`,
      });
    }
    return res;
  } catch (e) {
    if (e instanceof ResponseTooLargeError) {
      throw new ConnectorError({ failureType: "config", apiAsset, httpStatus: e.status, message: `${vendorName}认证服务的响应超过 ${AUTH_MAX_BYTES / 1024 / 1024} MB 上限：请检查连接的服务器地址是否正确`, cause: e });
    }
    if (e instanceof OutboundRefusedError) {
      throw new ConnectorError({ failureType: "config", apiAsset, message: `${vendorName}认证请求被出站策略拒绝：${e.message}`, cause: e });
    }
    if (e instanceof NetworkError) {
      ctx.observer?.onCall?.({
        apiAsset,
        method: req.method,
        url: ctx.redactor.url(req.url.toString()),
        durationMs: Math.round(e.durationMs),
        ok: false,
        retries: 0,
        rateLimitWaitMs: 0,
        error: e.message,
      });
      throw new ConnectorError({ failureType: "transient", apiAsset, message: `无法连接${vendorName}认证服务：网络错误 ${e.code}`, cause: e });
    }
    throw e;
  }
}

/** a token or login answer is a few hundred bytes; anything near this is not one */
const AUTH_MAX_BYTES = 1024 * 1024;

/** Shares one in-flight promise between concurrent callers (one token fetch, not twenty). */
export class SingleFlight {
  private inflight: Promise<void> | null = null;
  run(fn: () => Promise<void>): Promise<void> {
    if (!this.inflight) {
      this.inflight = fn().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }
}
