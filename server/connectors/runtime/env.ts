/**
 * Assembles what a call needs (authenticator, redactor, rate store, observer, abort signal) for one
 * connection, and merges node-level retry / rate-limit overrides into a definition's defaults.
 *
 * Why this exists: sources, targets and testConnection build the same environment; the budget key and
 * the override rules must not drift between them.
 */
import { createHash } from "node:crypto";
import type { ConnectorDefinition, ErrorHandler, RateLimit, RateLimitOverride, RetryOverride } from "../schema";
import type { CallObserver, ConnectionConfig } from "../types";
import { getAuth } from "./auth";
import type { CallEnv } from "./call";
import { effectivePolicy } from "./outbound";
import { defaultRateLimitStore } from "./rate-limit/memory-store";
import type { RateLimitStore } from "./rate-limit/store";
import { Redactor } from "./redact";

export interface ConnectorDeps {
  observer?: CallObserver;
  rateLimits?: RateLimitStore;
  signal?: AbortSignal;
}

/**
 * Wraps an observer so a failing one can never fail a call: a write whose report throws would
 * otherwise look failed although it landed.
 */
export function safeObserver(o: CallObserver | undefined): CallObserver | undefined {
  if (!o) return undefined;
  return {
    onCall: o.onCall
      ? (r) => {
          try {
            o.onCall?.(r);
          } catch {
            /* reporting must not change the outcome of a call */
          }
        }
      : undefined,
    onRetry: o.onRetry
      ? (i) => {
          try {
            o.onRetry?.(i);
          } catch {
            /* idem */
          }
        }
      : undefined,
  };
}

/**
 * The response-size limit of a connection: its settings' `maxResponseBytes` (a positive number, or a
 * numeric string as forms send it) over the definition's.
 */
export function responseLimit(conn: ConnectionConfig, def: ConnectorDefinition): number {
  const raw = conn.settings.maxResponseBytes;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : def.maxResponseBytes;
}

export function makeEnv(conn: ConnectionConfig, def: ConnectorDefinition, deps: ConnectorDeps | undefined, signal?: AbortSignal): CallEnv {
  return {
    maxResponseBytes: responseLimit(conn, def),
    conn,
    auth: getAuth(def.authenticator, conn),
    store: deps?.rateLimits ?? defaultRateLimitStore,
    redactor: new Redactor(Object.values(conn.secrets)),
    observer: safeObserver(deps?.observer),
    signal,
    outbound: effectivePolicy(conn),
  };
}

export function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const s = signals.filter((x): x is AbortSignal => x !== undefined);
  if (s.length === 0) return undefined;
  if (s.length === 1) return s[0];
  return AbortSignal.any(s);
}

/** Budget key: one bucket per vendor app identity per API asset, whatever node uses it. */
export function budgetKey(conn: ConnectionConfig, asset: string): string {
  const ident = ["appkey", "appKey", "appId", "acctId", "username", "userName"]
    .map((k) => conn.settings[k] ?? conn.secrets[k] ?? "")
    .join("|");
  const h = createHash("sha256").update(ident).digest("hex").slice(0, 12);
  return `${conn.vendor}|${conn.baseUrl}|${h}|${asset}`;
}

export function withRetry(h: ErrorHandler, o: RetryOverride | undefined): ErrorHandler {
  if (!o) return h;
  const policy =
    o.baseDelayMs !== undefined || o.maxDelayMs !== undefined
      ? { type: "Exponential" as const, baseMs: o.baseDelayMs ?? 500, factor: 2, maxMs: o.maxDelayMs ?? 30_000, jitter: "equal" as const }
      : undefined;
  return {
    ...h,
    maxAttempts: o.maxAttempts ?? h.maxAttempts,
    maxTotalWaitMs: o.maxTotalWaitMs ?? h.maxTotalWaitMs,
    deadlineMs: o.deadlineMs ?? h.deadlineMs,
    backoff: o.backoff ?? policy ?? h.backoff,
    // an explicit backoff override also replaces per-filter backoffs (tests, impatient nodes)
    filters: o.backoff ? h.filters.map((f) => ({ ...f, backoff: undefined })) : h.filters,
  };
}

export function withRateLimit(r: RateLimit | undefined, o: RateLimitOverride | undefined): RateLimit | undefined {
  if (!o) return r;
  const merged = { burst: 1, safetyFactor: 0.95, strictWindow: true, ...(r ?? {}), ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  return merged.perSecond || merged.perMinute || merged.perMonth ? (merged as RateLimit) : undefined;
}
