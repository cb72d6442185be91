/**
 * Classifies one response (or network failure) with an error-handler definition: which action, which
 * failure type, which vendor code and text.
 *
 * Why this exists: classification is data (schema/error-handler.ts); this is the one interpreter.
 * Filters are tried in order; when none matches, HTTP semantics decide (2xx success, 3xx a redirect we
 * do not follow — configuration, 429 rate limited, 5xx and network errors retried, other 4xx
 * configuration failures). A 2xx we cannot read (not JSON, or without the records the caller expects)
 * is never a success: the handler's `unreadable` policy decides, whatever filter matched.
 */
import type { Backoff, BodyCondition, ErrorHandler, ResponseAction, ResponseFilter } from "../schema";
import type { FailureType } from "../types";
import { cleanExcerpt, describeUnreadable, type HttpResult, type NetworkError } from "./http";
import { getPath } from "./json-path";

export interface Classification {
  action: ResponseAction;
  failureType: FailureType;
  message?: string;
  backoff?: Backoff;
  vendorCode?: string;
  vendorMessage?: string;
  /** true when no filter matched and HTTP semantics decided */
  byDefault: boolean;
  /** the message already says everything (no vendor text to append) */
  complete?: boolean;
  /** the vendor text comes from the vendor's JSON (not a cleaned excerpt of some other page) */
  vendorTextFromJson?: boolean;
}

/** What a successful answer must contain for the caller (a source's record list, a detail record). */
export interface BodyExpectation {
  /** dotted path; "" = the body itself */
  path: string;
  shape: "array" | "object";
  /** Chinese name for messages, e.g. "记录列表 shops" */
  label: string;
}

/** Short Chinese names of the common HTTP statuses, for messages. */
const STATUS_NAMES: Record<number, string> = {
  301: "永久重定向",
  302: "重定向",
  303: "重定向",
  307: "临时重定向",
  308: "永久重定向",
  400: "请求错误",
  401: "未认证",
  403: "禁止访问",
  404: "地址不存在",
  405: "方法不允许",
  408: "请求超时",
  409: "冲突",
  413: "请求体过大",
  414: "地址过长",
  429: "限流",
  500: "服务器内部错误",
  501: "功能未实现",
  502: "网关错误",
  503: "服务不可用",
  504: "网关超时",
};

/** "管易云接口", or just "接口" for a vendor without a name (never "接口接口"). */
export function apiName(handler: ErrorHandler): string {
  const name = handler.vendorName || "接口";
  return name.endsWith("接口") ? name : `${name}接口`;
}

/** "HTTP 502（网关错误）", or "HTTP 599" for a status without a common name. */
export function describeStatus(status: number): string {
  const name = STATUS_NAMES[status];
  return name ? `HTTP ${status}（${name}）` : `HTTP ${status}`;
}

function condition(body: unknown, c: BodyCondition): boolean {
  const v = getPath(body, c.path);
  if (c.exists !== undefined && (v !== undefined) !== c.exists) return false;
  if (c.equals && !c.equals.some((e) => e === v)) return false;
  if (c.notEquals && (v === undefined || c.notEquals.some((e) => e === v))) return false;
  if (c.matches !== undefined && (v === undefined || v === null || !new RegExp(c.matches).test(String(v)))) return false;
  return true;
}

function matches(f: ResponseFilter, res: HttpResult | null): boolean {
  switch (f.type) {
    case "NetworkError":
      return res === null;
    case "HttpStatus":
      return res !== null && (f.statuses.includes(res.status) || f.ranges.some((r) => res.status >= r.from && res.status <= r.to));
    case "BodyField":
      return res !== null && res.body !== undefined && f.conditions.every((c) => condition(res.body, c));
    case "BodyText":
      return res !== null && new RegExp(f.matches).test(res.text);
  }
}

function firstPresent(body: unknown, paths: string[]): string | undefined {
  for (const p of paths) {
    const v = getPath(body, p);
    if (v !== undefined && v !== null && v !== "") return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return undefined;
}

function shapeOk(v: unknown, shape: BodyExpectation["shape"]): boolean {
  return shape === "array" ? Array.isArray(v) : v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Why a 2xx answer cannot be used, as a Chinese sentence — or undefined when it can. `asset` names the
 * call in the message.
 */
export function unreadableReason(handler: ErrorHandler, res: HttpResult, asset: string, expect?: BodyExpectation): string | undefined {
  const name = handler.vendorName || "接口";
  const where = `${describeStatus(res.status).replace(/（.*）$/, "")}，${asset}`;
  const excerpt = cleanExcerpt(res.text);
  const tail = excerpt ? `：${excerpt}` : "";
  if (res.body === undefined) {
    return `${name}返回了无法识别的内容（${describeUnreadable(res.unreadable ?? "text")}，${where}）${tail}`;
  }
  if (!expect) return undefined;
  const v = expect.path === "" ? res.body : getPath(res.body, expect.path);
  if (v === undefined || v === null) return `${name}返回的内容缺少${expect.label}（${where}）${tail}`;
  if (!shapeOk(v, expect.shape)) return `${name}返回的${expect.label}不是${expect.shape === "array" ? "数组" : "对象"}（${where}）${tail}`;
  return undefined;
}

export function classify(handler: ErrorHandler, res: HttpResult | null, netErr?: NetworkError, opts: { asset?: string; expect?: BodyExpectation } = {}): Classification {
  const vendorCode = res?.body !== undefined ? firstPresent(res?.body, handler.vendorCodePaths) : undefined;
  let vendorMessage = res?.body !== undefined ? firstPresent(res?.body, handler.vendorMessagePaths) : undefined;
  const vendorTextFromJson = vendorMessage !== undefined || vendorCode !== undefined;
  // a page that is not JSON (an nginx error page…) is never copied: a short cleaned excerpt at most
  if (!vendorMessage && res && res.body === undefined && res.text) vendorMessage = cleanExcerpt(res.text) || undefined;
  if (!vendorMessage && netErr) vendorMessage = netErr.code;
  const base = { vendorCode, vendorMessage, vendorTextFromJson };

  const ok = res !== null && res.status >= 200 && res.status < 300;
  const unreadable = (): Classification | undefined => {
    if (!ok) return undefined;
    const reason = unreadableReason(handler, res, opts.asset ?? "", opts.expect);
    if (!reason) return undefined;
    return { action: handler.unreadable.action, failureType: handler.unreadable.failureType, message: reason, ...base, byDefault: false, complete: true };
  };

  for (const f of handler.filters) {
    if (matches(f, res)) {
      if (f.action === "SUCCESS" || f.action === "IGNORE") {
        const u = unreadable();
        if (u) return u;
      }
      return { action: f.action, failureType: f.failureType, message: f.message, backoff: f.backoff, ...base, byDefault: false };
    }
  }
  if (res === null) return { action: "RETRY", failureType: "transient", ...base, byDefault: true };
  if (ok) return unreadable() ?? { action: "SUCCESS", failureType: "transient", ...base, byDefault: true };
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get("location") ?? "";
    let host = "";
    let login = false;
    try {
      const u = new URL(location, "http://unknown.invalid/");
      host = u.host === "unknown.invalid" ? "" : u.host;
      login = /login|signin|sign-in|logon|sso|passport|auth|cas\b|登录/i.test(u.pathname + u.search);
    } catch {
      /* an unparsable Location names no host */
    }
    const arrow = host ? ` → ${host}` : location ? ` → ${cleanExcerpt(location, 60)}` : "";
    const message =
      `${apiName(handler)}被重定向到${login ? "登录页" : "其他地址"}（HTTP ${res.status}${arrow}${opts.asset ? `，${opts.asset}` : ""}）：` +
      `接口调用不跟随重定向；请检查连接的接口地址（协议、主机、路径）是否正确，以及凭据是否已失效`;
    return { action: "FAIL", failureType: "config", message, ...base, vendorMessage: undefined, byDefault: true, complete: true };
  }
  if (res.status === 429) return { action: "RATE_LIMITED", failureType: "transient", ...base, byDefault: true };
  if (res.status >= 500 || res.status === 408) return { action: "RETRY", failureType: "transient", ...base, byDefault: true };
  return { action: "FAIL", failureType: "config", ...base, byDefault: true };
}
