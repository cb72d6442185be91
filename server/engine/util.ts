/**
 * Small pure helpers of the engine: content hashing, path reading, backoff, sleeping.
 *
 * Why this exists: the ledger's change detection must hash the same record the same way on every run
 * and every machine (key order must not matter), and retries everywhere must back off the same way.
 */
import { hash } from "node:crypto";

/** JSON with object keys sorted, so {a,b} and {b,a} hash equal. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i) out += ",";
      const v = value[i];
      out += v === undefined ? "null" : stableStringify(v);
    }
    return out + "]";
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + (v === null || typeof v !== "object" ? (JSON.stringify(v) ?? "null") : stableStringify(v));
    first = false;
  }
  return out + "}";
}

// JSON text already made for an object (the hashed record's stable text), so the ledger does not
// serialise the same payload a second time. Weak: the text lives exactly as long as the object.
const jsonTexts = new WeakMap<object, string>();

/** JSON text of a value, serialised at most once per object. */
export function toJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  let t = jsonTexts.get(value);
  if (t === undefined) {
    t = JSON.stringify(value);
    jsonTexts.set(value, t);
  }
  return t;
}

/**
 * The change-detection hash of a record: sha1 of the salt (mapping fingerprint) and the record's
 * stable text. The text is remembered as the record's JSON (toJson) for the ledger's payload column.
 */
export function contentHash(record: unknown, salt: string): string {
  const text = stableStringify(record);
  if (record !== null && typeof record === "object") jsonTexts.set(record, text);
  return hash("sha1", salt + "\u0000" + text);
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

/** Transient = worth retrying: connector says so, or a plain network error (no classification). */
export function isTransient(e: unknown): boolean {
  if (e && typeof e === "object" && "failureType" in e) return (e as { failureType: unknown }).failureType === "transient";
  if (e instanceof Error && e.name === "AbortError") return false;
  return true;
}

export function newId(prefix = ""): string {
  return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
}
