/**
 * compileValidator — validation rules checked before mapping (required, type, regex, enum, range,
 * length). An invalid record carries every reason, not just the first.
 *
 * Why this exists: a bad source record must be recorded as `invalid` with reasons an analyst can act
 * on ("金额: '12a' 不是有效数字"), instead of failing at the target.
 * CHOICE: only `required` complains about empty values; the other rules skip empty fields.
 */
import { coerce } from "./coerce";
import { MappingError, asMappingError, showValue } from "./errors";
import { DEFAULT_LIMITS } from "./limits";
import { looseEq } from "./filter";
import { compilePath } from "./path";
import { assertRegexInput, compileSafeRegex } from "./safe-regex";
import { ValidationRule } from "./schema";
import { toText } from "./template";
import type { FieldError } from "./types";

const empty = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);

type Check = (r: Record<string, unknown>) => string | null;

function compileRule(rule: ValidationRule): Check {
  const get = compilePath(rule.field);
  const msg = (m: string) => rule.message ?? m;
  switch (rule.type) {
    case "required":
      return (r) => (empty(get(r)) ? msg("必填，但值为空") : null);
    case "type":
      return (r) => {
        const v = get(r);
        if (empty(v)) return null;
        try {
          coerce(v, rule.dataType);
          return null;
        } catch (e) {
          return msg(asMappingError(e).reason);
        }
      };
    case "regex": {
      const re = compileSafeRegex(rule.pattern, rule.flags ?? "", DEFAULT_LIMITS);
      return (r) => {
        const v = get(r);
        if (empty(v)) return null;
        const s = toText(v);
        try {
          assertRegexInput(s, DEFAULT_LIMITS);
        } catch (e) {
          return asMappingError(e).reason;
        }
        re.lastIndex = 0;
        return re.test(s) ? null : msg(`${showValue(v)} 不符合格式 /${rule.pattern}/`);
      };
    }
    case "enum":
      return (r) => {
        const v = get(r);
        if (empty(v)) return null;
        return rule.values.some((w) => looseEq(v, w))
          ? null
          : msg(`${showValue(v)} 不在允许的取值中（${rule.values.map((x) => toText(x)).join(", ")}）`);
      };
    case "range":
      return (r) => {
        const v = get(r);
        if (empty(v)) return null;
        let n: number;
        try {
          n = coerce(v, "number") as number;
        } catch (e) {
          return msg(asMappingError(e).reason);
        }
        if (rule.min !== undefined && n < rule.min) return msg(`${showValue(v)} 小于最小值 ${rule.min}`);
        if (rule.max !== undefined && n > rule.max) return msg(`${showValue(v)} 大于最大值 ${rule.max}`);
        return null;
      };
    case "length":
      return (r) => {
        const v = get(r);
        if (empty(v)) return null;
        const len = Array.isArray(v) ? v.length : Array.from(toText(v)).length;
        if (rule.min !== undefined && len < rule.min) return msg(`长度 ${len} 小于 ${rule.min}`);
        if (rule.max !== undefined && len > rule.max) return msg(`长度 ${len} 大于 ${rule.max}`);
        return null;
      };
  }
}

export function compileValidator(rules: ValidationRule[] | unknown): (record: Record<string, unknown>) => FieldError[] {
  const parsed = ValidationRule.array().safeParse(rules ?? []);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `rules${i.path.map((p) => `[${String(p)}]`).join("")}: ${i.message}`).join("; ");
    throw new MappingError("INVALID_INPUT", `校验规则格式错误: ${msg}`);
  }
  const checks = parsed.data.map((rule) => ({ field: rule.field, check: compileRule(rule) }));
  return (record) => {
    const errors: FieldError[] = [];
    const r = record ?? {};
    for (const c of checks) {
      const m = c.check(r);
      if (m !== null) errors.push({ field: c.field, message: m });
    }
    return errors;
  };
}
