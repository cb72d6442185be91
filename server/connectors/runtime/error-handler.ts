/**
 * Classifies one response (or network failure) with an error-handler definition: which action, which
 * failure type, which vendor code and text.
 *
 * Why this exists: classification is data (schema/error-handler.ts); this is the one interpreter.
 * Filters are tried in order; when none matches, HTTP semantics decide (2xx success, 429 rate limited,
 * 5xx and network errors retried, other 4xx configuration failures).
 */
import type { Backoff, BodyCondition, ErrorHandler, ResponseAction, ResponseFilter } from "../schema";
import type { FailureType } from "../types";
import type { HttpResult, NetworkError } from "./http";
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

export function classify(handler: ErrorHandler, res: HttpResult | null, netErr?: NetworkError): Classification {
  const vendorCode = res?.body !== undefined ? firstPresent(res?.body, handler.vendorCodePaths) : undefined;
  let vendorMessage = res?.body !== undefined ? firstPresent(res?.body, handler.vendorMessagePaths) : undefined;
  if (!vendorMessage && res && res.body === undefined && res.text) vendorMessage = res.text.slice(0, 300);
  if (!vendorMessage && netErr) vendorMessage = netErr.code;
  for (const f of handler.filters) {
    if (matches(f, res)) {
      return { action: f.action, failureType: f.failureType, message: f.message, backoff: f.backoff, vendorCode, vendorMessage, byDefault: false };
    }
  }
  if (res === null) return { action: "RETRY", failureType: "transient", vendorCode, vendorMessage, byDefault: true };
  if (res.status >= 200 && res.status < 300) return { action: "SUCCESS", failureType: "transient", vendorCode, vendorMessage, byDefault: true };
  if (res.status === 429) return { action: "RATE_LIMITED", failureType: "transient", vendorCode, vendorMessage, byDefault: true };
  if (res.status >= 500 || res.status === 408) return { action: "RETRY", failureType: "transient", vendorCode, vendorMessage, byDefault: true };
  return { action: "FAIL", failureType: "config", vendorCode, vendorMessage, byDefault: true };
}
