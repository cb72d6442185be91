/**
 * The error-handler slot: how a response (or a network failure) is classified, and how long to wait
 * before trying again.
 *
 * Why this exists: "is this worth retrying?" differs per vendor (Guanyi answers HTTP 200 with
 * `success:false`, DingTalk with a non-zero `errcode`, Kingdee with `ResponseStatus.IsSuccess:false`).
 * Keeping the classification as data means a new vendor quirk is a definition change, not new code.
 */
import { z } from "zod";
import { FailureTypeSchema } from "./common";

export const ResponseAction = z.enum(["SUCCESS", "RETRY", "RATE_LIMITED", "REFRESH_TOKEN_THEN_RETRY", "FAIL", "IGNORE"]);
export type ResponseAction = z.infer<typeof ResponseAction>;

export const Exponential = z.object({
  type: z.literal("Exponential"),
  baseMs: z.number().int().min(0).default(500),
  factor: z.number().min(1).default(2),
  maxMs: z.number().int().min(0).default(30_000),
  /** full: uniform in [0, d]; equal: d/2 + uniform in [0, d/2]; none: exactly d */
  jitter: z.enum(["full", "equal", "none"]).default("equal"),
});
export type Exponential = z.infer<typeof Exponential>;

export const Constant = z.object({ type: z.literal("Constant"), ms: z.number().int().min(0) });
export type Constant = z.infer<typeof Constant>;

export const WaitFromHeader = z.object({
  type: z.literal("WaitFromHeader"),
  header: z.string().default("Retry-After"),
  /** used when the header is absent or unreadable */
  fallback: z.discriminatedUnion("type", [Exponential, Constant]),
  maxMs: z.number().int().min(0).default(60_000),
});
export type WaitFromHeader = z.infer<typeof WaitFromHeader>;

export const Backoff = z.discriminatedUnion("type", [Exponential, Constant, WaitFromHeader]);
export type Backoff = z.infer<typeof Backoff>;

const filterCommon = {
  action: ResponseAction,
  failureType: FailureTypeSchema.default("transient"),
  /** Chinese-first message for a person; the vendor's own text is appended */
  message: z.string().optional(),
  /** overrides the handler's backoff for this case (e.g. DingTalk 90018: wait ≥ 1 s) */
  backoff: Backoff.optional(),
};

export const HttpStatusFilter = z.object({
  type: z.literal("HttpStatus"),
  statuses: z.array(z.number().int()).default([]),
  ranges: z.array(z.object({ from: z.number().int(), to: z.number().int() })).default([]),
  ...filterCommon,
});
export type HttpStatusFilter = z.infer<typeof HttpStatusFilter>;

export const BodyCondition = z.object({
  /** dotted path into the parsed body; numeric segments index arrays ("0.0.Result") */
  path: z.string(),
  /** the value equals one of these (compared strictly, so "0" ≠ 0) */
  equals: z.array(z.unknown()).optional(),
  /** the value is present and equals none of these (an absent field never matches) */
  notEquals: z.array(z.unknown()).optional(),
  /** String(value) matches this regular expression */
  matches: z.string().optional(),
  exists: z.boolean().optional(),
});
export type BodyCondition = z.infer<typeof BodyCondition>;

export const BodyFieldFilter = z.object({
  type: z.literal("BodyField"),
  /** all conditions must hold */
  conditions: z.array(BodyCondition).min(1),
  ...filterCommon,
});
export type BodyFieldFilter = z.infer<typeof BodyFieldFilter>;

export const BodyTextFilter = z.object({
  type: z.literal("BodyText"),
  /** regular expression tested against the raw response text */
  matches: z.string(),
  ...filterCommon,
});
export type BodyTextFilter = z.infer<typeof BodyTextFilter>;

export const NetworkErrorFilter = z.object({
  type: z.literal("NetworkError"),
  ...filterCommon,
});
export type NetworkErrorFilter = z.infer<typeof NetworkErrorFilter>;

export const ResponseFilter = z.discriminatedUnion("type", [HttpStatusFilter, BodyFieldFilter, BodyTextFilter, NetworkErrorFilter]);
export type ResponseFilter = z.infer<typeof ResponseFilter>;

export const ErrorHandler = z.object({
  type: z.literal("DefaultErrorHandler"),
  /** first match wins; when none matches: 2xx → SUCCESS, 429 → RATE_LIMITED, 5xx/network → RETRY, else FAIL */
  filters: z.array(ResponseFilter).default([]),
  /** where the vendor's code and text are, for reports and messages (first present wins) */
  vendorCodePaths: z.array(z.string()).default([]),
  vendorMessagePaths: z.array(z.string()).default([]),
  /** human name of the vendor in messages ("管易云") */
  vendorName: z.string().default("接口"),
  backoff: Backoff.default({ type: "Exponential", baseMs: 500, factor: 2, maxMs: 30_000, jitter: "equal" }),
  /** attempts per call, the first included (rate-limited waits are bounded by maxTotalWaitMs instead) */
  maxAttempts: z.number().int().min(1).default(5),
  /** total time a call may spend waiting between attempts */
  maxTotalWaitMs: z.number().int().min(0).default(120_000),
  /**
   * overall deadline of one call: every attempt and every wait between attempts (each attempt's own
   * timeout is cut to what is left). Past it the call fails with `timedOut`.
   */
  deadlineMs: z.number().int().positive().default(180_000),
  /**
   * a 2xx answer that cannot be read: not JSON (HTML page, truncated JSON, empty body, plain text), or
   * JSON without the records the API promises (list key absent). Never a success; by default retried
   * like a transient fault under this handler's policy, then the call fails.
   */
  unreadable: z
    .object({
      action: z.enum(["RETRY", "FAIL"]).default("RETRY"),
      failureType: FailureTypeSchema.default("transient"),
    })
    .default({ action: "RETRY", failureType: "transient" }),
});
export type ErrorHandler = z.infer<typeof ErrorHandler>;

/** Node-level retry overrides. */
export const RetryOverride = z.object({
  maxAttempts: z.number().int().min(1).max(50).optional(),
  maxTotalWaitMs: z.number().int().min(0).optional(),
  /** overall deadline per call (attempts + waits) */
  deadlineMs: z.number().int().positive().optional(),
  /** replaces the handler's backoff *and* the per-filter ones (e.g. fast tests) */
  backoff: Backoff.optional(),
  /** flow-level retry policy (server/flows RetryPolicy): exponential base / cap, keeps per-filter backoffs */
  baseDelayMs: z.number().int().min(0).optional(),
  maxDelayMs: z.number().int().min(0).optional(),
});
export type RetryOverride = z.infer<typeof RetryOverride>;
