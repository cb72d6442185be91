/**
 * The rate-limit budget of one API asset.
 *
 * Why this exists: vendors throttle per app per API (DingTalk 20 req/s, monthly quotas); we would rather
 * wait before a call than be refused after it. The runtime enforces this with a token bucket whose
 * state lives behind `RateLimitStore` (runtime/rate-limit/).
 */
import { z } from "zod";

export const RateLimit = z.object({
  perSecond: z.number().positive().optional(),
  perMinute: z.number().positive().optional(),
  perMonth: z.number().int().positive().optional(),
  /** tokens that may be spent back to back; 1 = evenly spaced calls (never trips a fixed window) */
  burst: z.number().int().positive().default(1),
  /** fraction of the vendor's limit we actually use, to absorb network jitter (see bench README) */
  safetyFactor: z.number().gt(0).max(1).default(0.95),
  /** also refuse to send more than floor(perSecond) calls in any sliding second (guards event-loop stalls) */
  strictWindow: z.boolean().default(true),
});
export type RateLimit = z.infer<typeof RateLimit>;

/** Node-level overrides: every field optional. */
export const RateLimitOverride = RateLimit.partial();
export type RateLimitOverride = z.infer<typeof RateLimitOverride>;
