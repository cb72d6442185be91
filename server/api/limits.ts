/**
 * Size limits on what a person sends (imports, uploads).
 *
 * Why this exists: an import is pasted or uploaded JSON of any size; without a limit one request can
 * hold the server's memory and CPU (parse, translate, validate). The HTTP layer already parsed it, so
 * this bounds the work that follows and answers with one sentence naming the limit.
 */
import { z } from "zod";

/** Most bytes one imported JSON document (a Qeasy source, target or mapping; a scheme file) may have. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** Any JSON value whose serialised size is at most `max` bytes. */
export function boundedJson(label: string, max = MAX_IMPORT_BYTES) {
  return z.unknown().superRefine((value, ctx) => {
    if (value === undefined) return;
    let size = 0;
    try {
      size = Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
    } catch {
      ctx.addIssue({ code: "custom", message: `${label}不是可读的 JSON (not JSON)` });
      return;
    }
    if (size > max) ctx.addIssue({ code: "custom", message: `${label}超过 ${Math.round(max / 1024 / 1024)} MB 上限（${Math.round(size / 1024 / 1024)} MB）(larger than the import limit)` });
  });
}
