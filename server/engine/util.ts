/**
 * Small pure helpers of the engine: content hashing, path reading, backoff, sleeping, the one rule of
 * what the engine retries and the text a person reads for a failure.
 *
 * Why this exists: the ledger's change detection must hash the same record the same way on every run
 * and every machine (key order must not matter), retries everywhere must back off the same way, and a
 * call must be retried under one policy only.
 */
import { hash } from "node:crypto";
import { ConnectorError } from "@/server/connectors/errors";
import { DomainError, type DomainErrorCode, userMessage } from "@/server/errors";

/** JSON with object keys sorted, so {a,b} and {b,a} hash equal. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  // Fastest path for JSON-born data: a copy whose objects have their keys inserted in sorted order,
  // written by JSON.stringify's native fast path. Not for objects with array-index keys ("10", "2"):
  // those are enumerated numerically first whatever the insertion order.
  const sorted = sortedCopy(value, 0);
  if (sorted !== undefined) return JSON.stringify(sorted);
  // Fast path for JSON-born data: JSON.stringify with an allowlist writes every object's keys in the
  // list's order, so the sorted union of all keys gives each object's keys sorted, in native code.
  // Every object is checked against the whole list, so records with many objects *and* many distinct
  // keys (rare) take the slow path instead.
  const keys = new Set<string>();
  const objects = { n: 0 };
  // ("__proto__" is read through the prototype by the allowlist, so such records take the slow path too)
  if (collectKeys(value, keys, 0, objects) && objects.n * keys.size <= 20_000 && !keys.has("__proto__")) return JSON.stringify(value, [...keys].sort());
  return stableStringifySlow(value);
}

/** The value with every object's keys in sorted order; undefined when the value holds anything else than plain JSON. */
function sortedCopy(value: unknown, depth: number): unknown {
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === "object") {
        const c = sortedCopy(v, depth + 1);
        if (c === undefined) return undefined;
        out[i] = c;
      } else if (plainScalar(v) && v !== undefined) out[i] = v;
      else return undefined;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined; // Date, Map, class instances…
  const obj = value as Record<string, unknown>;
  const keys = sortedKeys(Object.keys(obj));
  if (!keys) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (v !== null && typeof v === "object") {
      const c = sortedCopy(v, depth + 1);
      if (c === undefined) return undefined;
      out[k] = c;
    } else if (plainScalar(v)) out[k] = v;
    else return undefined;
  }
  return out;
}

const ARRAY_INDEX = /^(0|[1-9]\d{0,9})$/;

/**
 * The keys sorted, or undefined when one is an array index or "__proto__" (not for sortedCopy). The
 * records of one source mostly share their shape, so the last few key lists and their sorted form are
 * kept: a hit costs a comparison instead of a sort (which allocates on every call).
 */
const shapes: { keys: string[]; sorted: string[] | undefined }[] = [];
function sortedKeys(keys: string[]): string[] | undefined {
  for (const s of shapes) {
    const k = s.keys;
    if (k.length !== keys.length) continue;
    let same = true;
    for (let i = 0; i < k.length; i++) {
      if (k[i] !== keys[i]) {
        same = false;
        break;
      }
    }
    if (same) return s.sorted;
  }
  let sorted: string[] | undefined = keys.slice().sort();
  for (const k of sorted) {
    const c0 = k.charCodeAt(0);
    if ((c0 >= 48 && c0 <= 57 && ARRAY_INDEX.test(k)) || k === "__proto__") {
      sorted = undefined;
      break;
    }
  }
  if (shapes.length >= 8) shapes.pop();
  shapes.unshift({ keys, sorted });
  return sorted;
}

/** Gathers every object key; false when the value holds anything plain JSON does not (then: slow path). */
function collectKeys(value: unknown, keys: Set<string>, depth: number, objects: { n: number }): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === "object" ? !collectKeys(v, keys, depth + 1, objects) : !plainScalar(v)) return false;
    return true;
  }
  objects.n++;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false; // Date, Map, class instances…
  for (const k in value as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (v !== null && typeof v === "object" ? !collectKeys(v, keys, depth + 1, objects) : !plainScalar(v)) return false;
    keys.add(k);
  }
  return true;
}

function plainScalar(v: unknown): boolean {
  const t = typeof v;
  return v === null || v === undefined || t === "string" || t === "number" || t === "boolean";
}

function stableStringifySlow(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : stableStringifySlow(v))).join(",") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + stableStringifySlow(obj[k])).join(",") + "}";
}

/**
 * The change-detection hash of a record — sha1 of the salt (mapping fingerprint) and the record's
 * stable text — and that text, which is valid JSON of the record (the ledger stores it as the source
 * payload rather than serialising the record again).
 */
export function hashRecord(record: unknown, salt: string): { hash: string; json: string } {
  const json = stableStringify(record);
  return { hash: hash("sha1", salt + "\u0000" + json), json };
}

const pathSegments = new Map<string, string[]>();

/** Reads "a.b.0.c" from a record (dots and [n] both accepted). */
export function readPath(record: unknown, path: string): unknown {
  // parsed once per path: the engine reads the same id/number paths for every record
  let segs = pathSegments.get(path);
  if (!segs) {
    segs = path
      .replace(/\[(\d+)\]/g, ".$1")
      .split(".")
      .filter((s) => s !== "");
    if (pathSegments.size > 1000) pathSegments.clear();
    pathSegments.set(path, segs);
  }
  let cur: unknown = record;
  for (const seg of segs) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export function asKey(v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Exponential backoff with jitter: base·2^(attempt−1), capped, times a random factor in [0.5, 1]. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, retryAfterMs?: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp * (0.5 + Math.random() * 0.5);
  return Math.max(jittered, retryAfterMs ?? 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === "string" ? e : JSON.stringify(e);
}

/**
 * The text a person may see for a failure the engine met: a DomainError's own message (ours, meant
 * for people); anything else is a bug or an infrastructure fault — it is logged once with its real
 * text (stack, Prisma invocation …) and the person reads userMessage()'s generic sentence.
 */
export function reasonOf(e: unknown, context: string): string {
  if (e instanceof DomainError) return e.message;
  console.error(`[engine] ${context}:`, e);
  return userMessage(e);
}

/** What the engine itself may retry: DomainErrors that say "try again later", and nothing else. */
const ENGINE_RETRYABLE = new Set<DomainErrorCode>(["SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT", "TOO_MANY_REQUESTS"]);

/**
 * Transient = worth the engine retrying. One retry policy per call:
 * - a ConnectorError was already retried under the connector's own policy (attempts, backoff, overall
 *   deadline) — retrying it again here would nest retries (5 × 30 s inside × 6); the engine settles
 *   instead (write: lookup, then failed; read: the run fails, resumable);
 * - an unknown error (TypeError, a driver's error) is a bug or an infrastructure fault, never transient;
 * - an abort is a stop, not a failure.
 * Row-level retries of `retryable` outcomes in a batch answer are a separate matter (executor.ts).
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof DomainError)) return false;
  if (e instanceof ConnectorError) return false;
  return ENGINE_RETRYABLE.has(e.code);
}

export function newId(prefix = ""): string {
  return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
}
