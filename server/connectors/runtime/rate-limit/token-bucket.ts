/**
 * Enforces an API asset's rate budget before each call: per second, per minute (token buckets) and
 * per month (a quota counter that fails instead of waiting).
 *
 * Why this exists: waiting a few ms before a call is far cheaper than a vendor refusal plus a backoff.
 * The vendor counts in fixed windows; a bucket with burst = rate could put `rate` calls at the end of
 * one window and `rate` more at the start of the next and be refused, so budgets default to burst 1
 * (evenly spaced calls) at a safety factor below the limit (see server/bench/connectors/README.md).
 */
import type { RateLimit } from "../../schema";
import { ConnectorError } from "../../errors";
import type { RateLimitStore } from "./store";

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function monthId(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * Second net, per process: never let more than `floor(perSecond)` calls leave within any sliding
 * second. The bucket already spaces calls; this only matters after an event-loop stall, when timers
 * that were spaced fire together and would land in one vendor window.
 */
const recentSends = new Map<string, number[]>();

async function slidingWindowGuard(key: string, perSecond: number, signal?: AbortSignal): Promise<number> {
  const max = Math.floor(perSecond);
  if (max < 1) return 0;
  let waited = 0;
  for (;;) {
    const now = Date.now();
    let sent = recentSends.get(key);
    if (!sent) {
      if (recentSends.size > 10_000) recentSends.clear();
      sent = [];
      recentSends.set(key, sent);
    }
    while (sent.length && sent[0] <= now - 1000) sent.shift();
    if (sent.length < max) {
      sent.push(now);
      return waited;
    }
    const w = sent[0] + 1000 - now + 1;
    await sleep(w, signal);
    waited += w;
  }
}

/** Waits until the budget of `key` allows one more call; resolves with the time waited (ms). */
export async function acquireBudget(
  store: RateLimitStore,
  key: string,
  limit: RateLimit | undefined,
  signal?: AbortSignal,
): Promise<number> {
  if (!limit) return 0;
  const factor = limit.safetyFactor ?? 0.95;
  const now = Date.now();
  let wait = 0;
  if (limit.perSecond) {
    wait = Math.max(wait, await store.reserve(`${key}:s`, { intervalMs: 1000 / (limit.perSecond * factor), burst: limit.burst ?? 1 }, now));
  }
  if (limit.perMinute) {
    wait = Math.max(wait, await store.reserve(`${key}:m`, { intervalMs: 60_000 / (limit.perMinute * factor), burst: limit.burst ?? 1 }, now));
  }
  if (limit.perMonth) {
    const used = await store.incrementQuota(`${key}:month`, monthId(new Date(now)));
    if (used > limit.perMonth) {
      throw new ConnectorError({
        failureType: "config",
        apiAsset: key,
        message: `接口 ${key} 本月调用额度（${limit.perMonth} 次）已用完：请提升额度或下月再运行`,
      });
    }
  }
  await sleep(wait, signal);
  if (limit.perSecond && limit.strictWindow !== false) wait += await slidingWindowGuard(key, limit.perSecond, signal);
  return wait;
}
