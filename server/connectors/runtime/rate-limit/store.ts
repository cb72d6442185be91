/**
 * Where rate-limit budgets keep their state.
 *
 * Why this exists: in embedded mode one process owns every budget, in distributed mode several workers
 * share one DingTalk app's 20 req/s. The limiter only needs two atomic operations, so a PostgreSQL
 * implementation can replace the in-memory one without touching callers.
 */

export interface BucketSpec {
  /** ms between tokens (1000 / rate per second) */
  intervalMs: number;
  /** tokens that may be spent back to back */
  burst: number;
}

export interface RateLimitStore {
  /**
   * Reserves the next token of bucket `key` and resolves with how long the caller must wait before
   * using it (0 = now). Reservations are atomic and first come, first served, so concurrent callers
   * are spaced without polling.
   */
  reserve(key: string, spec: BucketSpec, nowMs: number): Promise<number>;
  /** Adds one call to a quota counter (e.g. month "2026-11") and resolves with the new count. */
  incrementQuota(key: string, windowId: string): Promise<number>;
}
