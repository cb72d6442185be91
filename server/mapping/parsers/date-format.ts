/**
 * DateFormat — lenient date/time parse, then format in Asia/Shanghai.
 *
 * Why this exists: `2024-3-1 9:06:01`, `2024/03/01`, ISO strings, unix seconds or DingTalk ms
 * timestamps → the `yyyy-MM-dd HH:mm:ss` Kingdee expects (or any pattern; `X` = unix seconds,
 * `x` = unix ms as numbers).
 */
import { z } from "zod";
import { MappingError, showValue } from "../errors";
import { compileDateFormat, formatWith, toEpochMs } from "../time";
import { defineParser } from "./types";

export const DateFormatParams = z.object({
  format: z.string().min(1).max(64).default("yyyy-MM-dd HH:mm:ss"),
  inputUnit: z.enum(["auto", "s", "ms"]).default("auto"),
});
export type DateFormatParams = z.infer<typeof DateFormatParams>;

export const dateFormatParser = defineParser<DateFormatParams>({
  name: "DateFormat",
  label: { zh: "日期格式转换", en: "Date format" },
  description: "2024-3-1 9:06:01 / 毫秒时间戳 → yyyy-MM-dd HH:mm:ss（北京时间）",
  params: [
    { name: "format", label: { zh: "输出格式", en: "Output format" }, description: "yyyy-MM-dd HH:mm:ss；X=秒时间戳，x=毫秒时间戳" },
    { name: "inputUnit", label: { zh: "数字输入单位", en: "Numeric input unit" }, description: "auto / s / ms" },
  ],
  paramsSchema: DateFormatParams,
  positional: "format",
  create: ({ format, inputUnit }) => {
    const tokens = compileDateFormat(format);
    return (v) => {
      const ms = toEpochMs(v, inputUnit);
      if (ms === undefined) throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是有效时间`);
      if (format === "X") return Math.floor(ms / 1000);
      if (format === "x") return ms;
      return formatWith(ms, tokens);
    };
  },
});
