/**
 * Type coercion by a mapping's `type` (int / number / boolean / string / datetime / object / array).
 *
 * Why this exists: sources send numbers as strings ("100.00"), booleans as "是"/"1", dates in many
 * shapes; targets (Kingdee) need real types. Impossible conversions are reported with the value,
 * e.g. "'12a' 不是有效数字", never silently turned into 0 or NaN.
 * CHOICE: '' and null coerce to null for non-string types (then `default`/`required` apply).
 */
import { MappingError, showValue } from "./errors";
import type { FieldType } from "./schema";
import { formatDateTime, toEpochMs } from "./time";
import { toText } from "./template";

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED_RE = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const TRUE_WORDS = new Set(["true", "1", "yes", "y", "on", "是", "真", "t"]);
const FALSE_WORDS = new Set(["false", "0", "no", "n", "off", "否", "假", "f"]);

function parseNumber(v: unknown): number | null | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const s = v.trim();
    if (s === "") return null;
    if (NUM_RE.test(s)) return Number(s);
    // CHOICE: strictly grouped thousands separators are accepted ("1,500.50" from DingTalk MoneyField).
    if (GROUPED_RE.test(s)) return Number(s.replace(/,/g, ""));
    return undefined;
  }
  return undefined;
}

export function coerce(v: unknown, type: FieldType): unknown {
  if (v === undefined || v === null) return v;
  switch (type) {
    case "string":
      return typeof v === "string" ? v : toText(v);
    case "int": {
      const n = parseNumber(v);
      if (n === null) return null;
      if (n === undefined) throw new MappingError("COERCE", `${showValue(v)} 不是有效整数`);
      if (!Number.isInteger(n)) throw new MappingError("COERCE", `${showValue(v)} 不是有效整数`);
      if (!Number.isSafeInteger(n)) throw new MappingError("COERCE", `${showValue(v)} 超出整数范围`);
      return n;
    }
    case "number": {
      const n = parseNumber(v);
      if (n === null) return null;
      if (n === undefined) throw new MappingError("COERCE", `${showValue(v)} 不是有效数字`);
      return n;
    }
    case "boolean": {
      if (typeof v === "boolean") return v;
      if (typeof v === "number") {
        if (v === 1 || v === 0) return v === 1;
      } else if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "") return null;
        if (TRUE_WORDS.has(s)) return true;
        if (FALSE_WORDS.has(s)) return false;
      }
      throw new MappingError("COERCE", `${showValue(v)} 不是有效布尔值`);
    }
    case "datetime": {
      if (v === "") return null;
      const ms = toEpochMs(v);
      if (ms === undefined) throw new MappingError("COERCE", `${showValue(v)} 不是有效时间`);
      return formatDateTime(ms);
    }
    case "object": {
      if (typeof v === "object" && !Array.isArray(v)) return v;
      if (typeof v === "string") {
        if (v.trim() === "") return null;
        const parsed = tryJson(v);
        if (parsed !== undefined && parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
      }
      throw new MappingError("COERCE", `${showValue(v)} 不是有效对象`);
    }
    case "array": {
      if (Array.isArray(v)) return v;
      if (typeof v === "string") {
        if (v.trim() === "") return [];
        const parsed = tryJson(v);
        if (Array.isArray(parsed)) return parsed;
      }
      throw new MappingError("COERCE", `${showValue(v)} 不是有效数组`);
    }
  }
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
