/**
 * Wait as long as the server says (`Retry-After: <seconds>` or an HTTP date), else fall back.
 *
 * Why this exists: a 429 with Retry-After is the server telling us the exact budget; guessing shorter
 * provokes another refusal, guessing longer wastes throughput.
 */
import type { WaitFromHeader } from "../../schema";
import { constantDelay } from "./constant";
import { exponentialDelay } from "./exponential";

export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

export function waitFromHeaderDelay(def: WaitFromHeader, attempt: number, headers: Headers | undefined): number {
  const fromHeader = parseRetryAfter(headers?.get(def.header));
  if (fromHeader !== undefined) return Math.min(def.maxMs, fromHeader);
  return def.fallback.type === "Constant" ? constantDelay(def.fallback) : exponentialDelay(def.fallback, attempt);
}
