/**
 * In-memory rate-limit state: a token bucket in its GCRA form (one "theoretical arrival time" per key).
 *
 * Why this exists: the embedded mode's store. GCRA is exactly a token bucket of capacity `burst`
 * refilled every `intervalMs`, but needs a single number of state, which also makes the future shared
 * (database) store a one-row atomic update.
 */
import type { BucketSpec, RateLimitStore } from "./store";

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly tat = new Map<string, number>();
  private readonly quotas = new Map<string, { windowId: string; count: number }>();

  async reserve(key: string, spec: BucketSpec, nowMs: number): Promise<number> {
    const tat = Math.max(this.tat.get(key) ?? nowMs, nowMs);
    const allowAt = tat - (Math.max(1, spec.burst) - 1) * spec.intervalMs;
    this.tat.set(key, tat + spec.intervalMs);
    return Math.max(0, allowAt - nowMs);
  }

  async incrementQuota(key: string, windowId: string): Promise<number> {
    const q = this.quotas.get(key);
    if (!q || q.windowId !== windowId) {
      this.quotas.set(key, { windowId, count: 1 });
      return 1;
    }
    q.count += 1;
    return q.count;
  }
}

/** Process-wide default store (embedded mode), shared by every reader and writer of this process. */
export const defaultRateLimitStore: RateLimitStore = new MemoryRateLimitStore();
