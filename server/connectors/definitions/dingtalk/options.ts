/**
 * Node options of the DingTalk approval source.
 *
 * Why this exists: process code is required, page size is capped at 20, and the detail fan-out has its
 * own concurrency and budget.
 */
import { z } from "zod";
import { RateLimitOverride } from "../../schema";
import { CommaList, commonSourceOptions } from "../options-common";

export const DingTalkSourceOptions = z.object({
  processCode: z.string().min(1, "请填写审批模板编码 process_code（PROC-…）"),
  /** Unix ms; usually supplied by the run as params.start_time from the watermark */
  startTime: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  endTime: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  useridList: CommaList.optional(),
  pageSize: z.number().int().min(1).max(20).default(20),
  /** detail (processinstance/get) calls in flight at once */
  concurrency: z.number().int().min(1).max(32).default(4),
  detailRateLimit: RateLimitOverride.optional(),
  ...commonSourceOptions,
});
export type DingTalkSourceOptions = z.infer<typeof DingTalkSourceOptions>;
