/**
 * Implementations of the supported `_function` functions (eager ones; IF/IFNULL/COALESCE/CASE are
 * lazy and live in the evaluator).
 *
 * Why this exists: MySQL semantics for the functions Qeasy configs use, in Asia/Shanghai time,
 * with output-size limits, and strings measured in Unicode code points (utf8mb4).
 */
import { MappingError, showValue } from "../errors";
import type { Limits } from "../limits";
import { formatDate, formatDateTime, fromParts, partsOf, toEpochMs } from "../time";
import type { IntervalUnit } from "./ast";
import { clean, compare, toNum, toStr, type Val } from "./values";

export interface FnEnv {
  limits: Limits;
  nowMs: number;
}

export interface IntervalVal {
  interval: true;
  n: number;
  unit: IntervalUnit;
}

const chars = (s: string) => Array.from(s);

function cap(s: string, env: FnEnv): string {
  if (s.length > env.limits.maxOutputLength)
    throw new MappingError("LIMIT", `_function 结果长度超过上限 ${env.limits.maxOutputLength}`);
  return s;
}

function int(v: Val, what: string): number | null {
  const n = toNum(v);
  if (n === null) return null;
  if (!Number.isFinite(n)) throw new MappingError("EXPR_EVAL", `${what} 不是有效数字`);
  return Math.trunc(n);
}

/** Decimal rounding half away from zero (MySQL ROUND on exact values); d may be negative. */
export function roundHalfAway(x: number, d: number): number {
  const sign = x < 0 ? -1 : 1;
  const abs = Math.abs(x);
  const s = String(abs);
  let r: number;
  if (s.includes("e")) {
    const f = 10 ** d;
    r = Math.round(abs * f) / f;
  } else r = Number(`${Math.round(Number(`${s}e${d}`))}e${-d}`);
  return clean(sign * r) + 0;
}

export function truncateDec(x: number, d: number): number {
  const s = String(Math.abs(x));
  if (s.includes("e")) {
    const f = 10 ** d;
    return clean(Math.trunc(x * f) / f) + 0;
  }
  const sign = x < 0 ? -1 : 1;
  return clean(sign * Number(`${Math.trunc(Number(`${s}e${d}`))}e${-d}`)) + 0;
}

export function toMs(v: Val, fn: string): number | null {
  if (v === null) return null;
  if (typeof v === "boolean") throw new MappingError("EXPR_EVAL", `${fn}: ${showValue(v)} 不是有效时间`);
  const ms = toEpochMs(v);
  if (ms === undefined) throw new MappingError("EXPR_EVAL", `${fn}: ${showValue(v)} 不是有效时间`);
  return ms;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** MySQL DATE_FORMAT specifiers. */
export function mysqlDateFormat(ms: number, fmt: string): string {
  const p = partsOf(ms);
  let out = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%" || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    const f = fmt[++i];
    const h12 = p.H % 12 === 0 ? 12 : p.H % 12;
    switch (f) {
      case "Y": out += String(p.y).padStart(4, "0"); break;
      case "y": out += p2(p.y % 100); break;
      case "m": out += p2(p.M); break;
      case "c": out += p.M; break;
      case "d": out += p2(p.d); break;
      case "e": out += p.d; break;
      case "H": out += p2(p.H); break;
      case "k": out += p.H; break;
      case "h": case "I": out += p2(h12); break;
      case "l": out += h12; break;
      case "i": out += p2(p.m); break;
      case "s": case "S": out += p2(p.s); break;
      case "f": out += String(p.S * 1000).padStart(6, "0"); break;
      case "p": out += p.H < 12 ? "AM" : "PM"; break;
      case "T": out += `${p2(p.H)}:${p2(p.m)}:${p2(p.s)}`; break;
      case "r": out += `${p2(h12)}:${p2(p.m)}:${p2(p.s)} ${p.H < 12 ? "AM" : "PM"}`; break;
      case "M": out += MONTHS[p.M - 1]; break;
      case "b": out += MONTHS[p.M - 1].slice(0, 3); break;
      case "W": out += DAYS[p.wd]; break;
      case "a": out += DAYS[p.wd].slice(0, 3); break;
      case "w": out += p.wd; break;
      case "j": {
        const start = Date.UTC(p.y, 0, 1);
        const day = Math.floor((Date.UTC(p.y, p.M - 1, p.d) - start) / 86_400_000) + 1;
        out += String(day).padStart(3, "0");
        break;
      }
      default: out += f; // includes %%
    }
  }
  return out;
}

export function addInterval(ms: number, iv: IntervalVal, sign: 1 | -1): number {
  const n = iv.n * sign;
  switch (iv.unit) {
    case "SECOND": return ms + n * 1000;
    case "MINUTE": return ms + n * 60_000;
    case "HOUR": return ms + n * 3_600_000;
    case "DAY": return ms + n * 86_400_000;
    case "WEEK": return ms + n * 7 * 86_400_000;
    case "MONTH":
    case "YEAR": {
      const p = partsOf(ms);
      const total = p.y * 12 + (p.M - 1) + (iv.unit === "YEAR" ? n * 12 : n);
      const y = Math.floor(total / 12);
      const M = (total % 12) + 1;
      // clamp the day to the end of the target month (MySQL: 2024-01-31 + 1 MONTH = 2024-02-29)
      let d = p.d;
      let r = fromParts(y, M, d, p.H, p.m, p.s, p.S);
      while (r === undefined && d > 28) r = fromParts(y, M, --d, p.H, p.m, p.s, p.S);
      if (r === undefined) throw new MappingError("EXPR_EVAL", "日期超出范围");
      return r;
    }
  }
}

function isDateOnly(v: Val): boolean {
  return typeof v === "string" && /^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}\s*$/.test(v);
}

export function dateArith(d: Val, iv: IntervalVal, sign: 1 | -1, fn: string): Val {
  const ms = toMs(d, fn);
  if (ms === null) return null;
  const r = addInterval(ms, iv, sign);
  const dayUnit = iv.unit === "DAY" || iv.unit === "WEEK" || iv.unit === "MONTH" || iv.unit === "YEAR";
  return isDateOnly(d) && dayUnit ? formatDate(r) : formatDateTime(r);
}

function substring(s: string, pos: number, len: number | null): string {
  const cs = chars(s);
  if (pos === 0) return "";
  const start = pos > 0 ? pos - 1 : cs.length + pos;
  if (start < 0 || start >= cs.length) return "";
  if (len !== null && len <= 0) return "";
  return cs.slice(start, len === null ? undefined : start + len).join("");
}

function pad(s: string, len: number, padStr: string, left: boolean, env: FnEnv): string | null {
  if (len < 0) return null;
  if (len > env.limits.maxOutputLength) throw new MappingError("LIMIT", `_function 结果长度超过上限 ${env.limits.maxOutputLength}`);
  const cs = chars(s);
  if (cs.length >= len) return cs.slice(0, len).join("");
  const pc = chars(padStr);
  if (pc.length === 0) return null;
  const need = len - cs.length;
  const fill: string[] = [];
  for (let i = 0; i < need; i++) fill.push(pc[i % pc.length]);
  return left ? fill.join("") + s : s + fill.join("");
}

/** Eager functions. Arguments are already evaluated; NULL handling follows MySQL. */
export function callFunction(fn: string, args: (Val | IntervalVal)[], env: FnEnv): Val {
  const a = args as Val[];
  const s = (i: number) => toStr(a[i]);
  switch (fn) {
    case "CONCAT": {
      let out = "";
      for (const v of a) {
        const t = toStr(v);
        if (t === null) return null;
        out += t;
        cap(out, env);
      }
      return out;
    }
    case "CONCAT_WS": {
      const sep = s(0);
      if (sep === null) return null;
      const parts: string[] = [];
      for (const v of a.slice(1)) {
        const t = toStr(v);
        if (t !== null) parts.push(t);
      }
      return cap(parts.join(sep), env);
    }
    case "NULLIF":
      return compare(a[0], a[1]) === 0 ? null : a[0];
    case "FROM_UNIXTIME": {
      const n = toNum(a[0]);
      if (n === null) return null;
      // CHOICE: values ≥ 1e11 are read as milliseconds (DingTalk), smaller ones as seconds (MySQL).
      const ms = Math.abs(n) >= 1e11 ? Math.trunc(n) : Math.trunc(n * 1000);
      if (a.length === 1) return formatDateTime(ms);
      const f = s(1);
      return f === null ? null : cap(mysqlDateFormat(ms, f), env);
    }
    case "UNIX_TIMESTAMP": {
      if (a.length === 0) return Math.floor(env.nowMs / 1000);
      const ms = toMs(a[0], fn);
      return ms === null ? null : Math.floor(ms / 1000);
    }
    case "DATE_FORMAT": {
      const ms = toMs(a[0], fn);
      const f = s(1);
      return ms === null || f === null ? null : cap(mysqlDateFormat(ms, f), env);
    }
    case "DATE": {
      const ms = toMs(a[0], fn);
      return ms === null ? null : formatDate(ms);
    }
    case "NOW":
      return formatDateTime(env.nowMs);
    case "CURDATE":
      return formatDate(env.nowMs);
    case "DATE_ADD":
    case "DATE_SUB": {
      const iv = args[1];
      if (iv === null || typeof iv !== "object" || !("interval" in iv))
        throw new MappingError("EXPR_EVAL", `${fn} 的第二个参数应为 INTERVAL n 单位`);
      return dateArith(a[0], iv, fn === "DATE_ADD" ? 1 : -1, fn);
    }
    case "ROUND": {
      const x = toNum(a[0]);
      const d = a.length > 1 ? int(a[1], "ROUND 位数") : 0;
      if (x === null || d === null) return null;
      return roundHalfAway(x, Math.max(-30, Math.min(30, d)));
    }
    case "TRUNCATE": {
      const x = toNum(a[0]);
      const d = int(a[1], "TRUNCATE 位数");
      if (x === null || d === null) return null;
      return truncateDec(x, Math.max(-30, Math.min(30, d)));
    }
    case "FLOOR": {
      const x = toNum(a[0]);
      return x === null ? null : Math.floor(x);
    }
    case "CEIL":
    case "CEILING": {
      const x = toNum(a[0]);
      return x === null ? null : Math.ceil(x);
    }
    case "ABS": {
      const x = toNum(a[0]);
      return x === null ? null : Math.abs(x);
    }
    case "MOD": {
      const x = toNum(a[0]);
      const y = toNum(a[1]);
      if (x === null || y === null || y === 0) return null;
      return clean(x % y);
    }
    case "GREATEST":
    case "LEAST": {
      if (a.some((v) => v === null)) return null;
      let best = a[0];
      for (const v of a.slice(1)) {
        const c = compare(v, best) as number;
        if (fn === "GREATEST" ? c > 0 : c < 0) best = v;
      }
      return best;
    }
    case "SUBSTRING":
    case "SUBSTR": {
      const str = s(0);
      const pos = int(a[1], "SUBSTRING 位置");
      const len = a.length > 2 ? int(a[2], "SUBSTRING 长度") : null;
      if (str === null || pos === null || (a.length > 2 && len === null)) return null;
      return substring(str, pos, len);
    }
    case "LEFT":
    case "RIGHT": {
      const str = s(0);
      const n = int(a[1], `${fn} 长度`);
      if (str === null || n === null) return null;
      if (n <= 0) return "";
      const cs = chars(str);
      return (fn === "LEFT" ? cs.slice(0, n) : cs.slice(Math.max(0, cs.length - n))).join("");
    }
    case "REPLACE": {
      const str = s(0);
      const from = s(1);
      const to = s(2);
      if (str === null || from === null || to === null) return null;
      if (from === "") return str;
      const count = str.split(from).length - 1;
      if (str.length + count * (to.length - from.length) > env.limits.maxOutputLength)
        throw new MappingError("LIMIT", `_function 结果长度超过上限 ${env.limits.maxOutputLength}`);
      return str.split(from).join(to);
    }
    case "UPPER":
    case "UCASE": {
      const str = s(0);
      return str === null ? null : str.toUpperCase();
    }
    case "LOWER":
    case "LCASE": {
      const str = s(0);
      return str === null ? null : str.toLowerCase();
    }
    case "TRIM":
    case "LTRIM":
    case "RTRIM": {
      const str = s(0);
      if (str === null) return null;
      // MySQL trims spaces only
      return fn === "TRIM" ? str.replace(/^ +| +$/g, "") : fn === "LTRIM" ? str.replace(/^ +/, "") : str.replace(/ +$/, "");
    }
    case "LENGTH": {
      const str = s(0);
      // CHOICE: LENGTH is UTF-8 bytes as in MySQL (中 = 3); CHAR_LENGTH counts characters.
      return str === null ? null : Buffer.byteLength(str, "utf8");
    }
    case "CHAR_LENGTH": {
      const str = s(0);
      return str === null ? null : chars(str).length;
    }
    case "LPAD":
    case "RPAD": {
      const str = s(0);
      const n = int(a[1], `${fn} 长度`);
      const p = s(2);
      if (str === null || n === null || p === null) return null;
      return pad(str, n, p, fn === "LPAD", env);
    }
    case "INSTR":
    case "LOCATE": {
      const hay = fn === "INSTR" ? s(0) : s(1);
      const needle = fn === "INSTR" ? s(1) : s(0);
      if (hay === null || needle === null) return null;
      const start = fn === "LOCATE" && a.length > 2 ? int(a[2], "LOCATE 位置") : 1;
      if (start === null) return null;
      const hc = chars(hay);
      if (start < 1 || start > hc.length + 1) return 0;
      const hs = hc.slice(start - 1).join("");
      const at = hs.indexOf(needle);
      if (at < 0) return 0;
      return chars(hs.slice(0, at)).length + start;
    }
    case "REPEAT": {
      const str = s(0);
      const n = int(a[1], "REPEAT 次数");
      if (str === null || n === null) return null;
      if (n <= 0) return "";
      if (str.length * n > env.limits.maxOutputLength)
        throw new MappingError("LIMIT", `_function 结果长度超过上限 ${env.limits.maxOutputLength}`);
      return str.repeat(n);
    }
    case "CAST_SIGNED": {
      const x = toNum(a[0]);
      // CHOICE: CAST(x AS SIGNED) rounds half away from zero (MySQL does so for decimals).
      return x === null ? null : roundHalfAway(x, 0);
    }
    case "CAST_DECIMAL": {
      const x = toNum(a[0]);
      const scale = a.length > 2 ? int(a[2], "DECIMAL 小数位") : 0;
      if (x === null || scale === null) return null;
      return roundHalfAway(x, Math.max(0, Math.min(30, scale)));
    }
    case "CAST_CHAR":
      return s(0);
  }
  throw new MappingError("EXPR_UNSUPPORTED", `_function 不支持函数 ${fn}`);
}

