/**
 * NumberFormat — number/decimal with precision.
 *
 * Why this exists: amounts arrive as "1,234.5" or 12.345 and targets want 2 decimals; rounding is
 * decimal (half away from zero, like MySQL ROUND), never binary-float surprises (1.005 → 1.01).
 */
import { z } from "zod";
import { MappingError, showValue } from "../errors";
import { roundHalfAway, truncateDec } from "../expr/functions";
import { defineParser } from "./types";

export const NumberFormatParams = z.object({
  precision: z.number().int().min(0).max(12).optional(),
  mode: z.enum(["round", "floor", "ceil", "trunc"]).default("round"),
  /** "string" keeps trailing zeros ("12.50") */
  output: z.enum(["number", "string"]).default("number"),
});
export type NumberFormatParams = z.infer<typeof NumberFormatParams>;

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const numberFormatParser = defineParser<NumberFormatParams>({
  name: "NumberFormat",
  label: { zh: "数字精度", en: "Number precision" },
  description: '"1,234.567" → 1234.57（保留小数位，四舍五入）',
  params: [
    { name: "precision", label: { zh: "小数位数", en: "Decimals" } },
    { name: "mode", label: { zh: "舍入方式", en: "Rounding" }, description: "round / floor / ceil / trunc" },
    { name: "output", label: { zh: "输出类型", en: "Output" }, description: "number / string" },
  ],
  paramsSchema: NumberFormatParams,
  positional: "precision",
  create: ({ precision, mode, output }) => (v) => {
    let n: number;
    if (typeof v === "number") n = v;
    else if (typeof v === "string") {
      // CHOICE: thousands separators, currency signs and spaces are removed before parsing.
      const s = v.replace(/[,，\s¥￥$]/g, "");
      if (!NUM_RE.test(s)) throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是有效数字`);
      n = Number(s);
    } else if (typeof v === "boolean") n = v ? 1 : 0;
    else throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是有效数字`);
    if (!Number.isFinite(n)) throw new MappingError("PARSER_FAILED", `${showValue(v)} 不是有效数字`);
    if (precision !== undefined) {
      const f = 10 ** precision;
      if (mode === "round") n = roundHalfAway(n, precision);
      else if (mode === "trunc") n = truncateDec(n, precision);
      else {
        const r = roundHalfAway(n * f, 6); // strip float noise before floor/ceil
        n = roundHalfAway((mode === "floor" ? Math.floor(r) : Math.ceil(r)) / f, precision);
      }
    }
    if (output === "string") return precision !== undefined ? n.toFixed(precision) : String(n);
    return n;
  },
});
