/**
 * Small pure helpers of the engine: content hashing, path reading, backoff, sleeping.
 *
 * Why this exists: the ledger's change detection must hash the same record the same way on every run
 * and every machine (key order must not matter), and retries everywhere must back off the same way.
 */
import { createHash } from "node:crypto";

/** JSON with object keys sorted, so {a,b} and {b,a} hash equal. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map((v) => (v === undefined ? "null" : stableStringify(v))).join(",") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + stableStringify(obj[k])).join(",") + "}";
}

export function contentHash(record: unknown, salt: string): string {
  return createHash("sha1").update(salt).update("\u0000").update(stableStringify(record)).digest("hex");
}

/** Reads "a.b.0.c" from a record (dots and [n] both accepted). */
export function readPath(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const seg of path.replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (seg === "") continue;
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
