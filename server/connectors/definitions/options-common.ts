/**
 * Node-option pieces every API shares: retry and rate-limit overrides, static request params.
 *
 * Why this exists: a node can tighten or loosen the connector's defaults (max attempts, total wait,
 * budget) without editing the definition, and the flow compiler validates that with the same zod.
 */
import { z } from "zod";
import { RateLimitOverride, RetryOverride } from "../schema";

export const commonSourceOptions = {
  /** static request parameters set on the node; the run's params (watermarks) override them */
  params: z.record(z.string(), z.unknown()).default({}),
  retry: RetryOverride.optional(),
  rateLimit: RateLimitOverride.optional(),
};

export const commonTargetOptions = {
  retry: RetryOverride.optional(),
  rateLimit: RateLimitOverride.optional(),
};

/** "a,b" or ["a","b"] → "a,b" */
export const CommaList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean).join(","));
