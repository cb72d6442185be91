/**
 * Date/time helpers in Asia/Shanghai.
 *
 * Why this exists: every Chinese business system here (管易云, 钉钉, 金蝶) exchanges naive local
 * times (`2024-03-01 09:06:01`) meaning Beijing time, plus Unix seconds or milliseconds. Templates
 * (`|datetime`), the DateFormat parser, `_function` FROM_UNIXTIME/DATE_FORMAT and cleaning rules all
 * need the same lenient parser and the same formatter.
 *
 * CHOICE: Asia/Shanghai is handled as a fixed UTC+08:00 offset (China has had no DST since 1991), so
 * results do not depend on the host's time zone or ICU data, and formatting is allocation-light.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

export interface DateParts {
  y: number;
  M: number; // 1-12
  d: number;
  H: number;
  m: number;
  s: number;
  S: number; // ms
  wd: number; // 0 = Sunday
}

export function partsOf(ms: number): DateParts {
  const t = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    M: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    H: t.getUTCHours(),
    m: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    S: t.getUTCMilliseconds(),
    wd: t.getUTCDay(),
  };
}

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));
const p4 = (n: number) => (n >= 0 && n < 1000 ? String(n).padStart(4, "0") : String(n));

/** `yyyy-MM-dd HH:mm:ss` in Shanghai time. */
export function formatDateTime(ms: number): string {
  const p = partsOf(ms);
  return `${p4(p.y)}-${p2(p.M)}-${p2(p.d)} ${p2(p.H)}:${p2(p.m)}:${p2(p.s)}`;
}

export function formatDate(ms: number): string {
  const p = partsOf(ms);
  return `${p4(p.y)}-${p2(p.M)}-${p2(p.d)}`;
}

const FORMAT_TOKENS = ["yyyy", "YYYY", "SSS", "yy", "YY", "MM", "dd", "DD", "HH", "hh", "mm", "ss", "M", "d", "D", "H", "h", "m", "s", "A", "a"];

export type FormatToken = { lit: string } | { tok: string };

/**
 * Compile a Java/dayjs-style pattern (`yyyy-MM-dd HH:mm:ss`, `YYYY/M/D`, literal text in `[...]` or
 * `'...'`). CHOICE: both Java (`yyyy`, `dd`) and dayjs (`YYYY`, `DD`) spellings are accepted.
 */
export function compileDateFormat(fmt: string): FormatToken[] {
  const out: FormatToken[] = [];
  let i = 0;
  let lit = "";
  const flush = () => {
    if (lit) out.push({ lit });
    lit = "";
  };
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === "[" || c === "'") {
      const close = fmt.indexOf(c === "[" ? "]" : "'", i + 1);
      if (close < 0) {
        lit += fmt.slice(i + 1);
        break;
      }
      lit += fmt.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    const tok = FORMAT_TOKENS.find((t) => fmt.startsWith(t, i));
    if (tok) {
      flush();
      out.push({ tok });
      i += tok.length;
    } else {
      lit += c;
      i++;
    }
  }
  flush();
  return out;
}

export function formatWith(ms: number, tokens: readonly FormatToken[]): string {
  const p = partsOf(ms);
  let s = "";
  for (const t of tokens) {
    if ("lit" in t) {
      s += t.lit;
      continue;
    }
    switch (t.tok) {
      case "yyyy":
      case "YYYY":
        s += p4(p.y);
        break;
      case "yy":
      case "YY":
        s += p2(p.y % 100);
        break;
      case "MM":
        s += p2(p.M);
        break;
      case "M":
        s += p.M;
        break;
      case "dd":
      case "DD":
        s += p2(p.d);
        break;
      case "d":
      case "D":
        s += p.d;
        break;
      case "HH":
        s += p2(p.H);
        break;
      case "H":
        s += p.H;
        break;
      case "hh":
        s += p2(p.H % 12 === 0 ? 12 : p.H % 12);
        break;
      case "h":
        s += p.H % 12 === 0 ? 12 : p.H % 12;
        break;
      case "mm":
        s += p2(p.m);
        break;
      case "m":
        s += p.m;
        break;
      case "ss":
        s += p2(p.s);
        break;
      case "s":
        s += p.s;
        break;
      case "SSS":
        s += p3(p.S);
        break;
      case "A":
        s += p.H < 12 ? "AM" : "PM";
        break;
      case "a":
        s += p.H < 12 ? "am" : "pm";
        break;
    }
  }
  return s;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysIn(y: number, M: number): number {
  if (M === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) return 29;
  return DAYS_IN_MONTH[M - 1];
}

/** ms since epoch for a Shanghai wall-clock time; undefined when the parts are out of range. */
export function fromParts(y: number, M: number, d: number, H = 0, m = 0, s = 0, S = 0): number | undefined {
  if (M < 1 || M > 12 || d < 1 || d > daysIn(y, M) || H > 23 || m > 59 || s > 59) return undefined;
  return Date.UTC(y, M - 1, d, H, m, s, S) - SHANGHAI_OFFSET_MS;
}

// Bounded input (≤ 40 chars) and a linear pattern: safe.
const DATE_RE =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;

export type EpochUnit = "auto" | "s" | "ms";

/**
 * Lenient parse to epoch ms. Accepts Date, unix seconds or ms (numbers or digit strings),
 * `2024-3-1 9:06:01`, `2024/03/01`, `2024年3月1日`, ISO with `T`/`Z`/offset, `20240301[090601]`.
 * Naive times are Shanghai time. Returns undefined when the value is not a date.
 *
 * CHOICE: with unit "auto", a number whose absolute value is below 1e11 is seconds, else ms
 * (1e11 s is year 5138; 1e11 ms is 1973) — so 8-digit `20240301` strings are read as a date, not seconds.
 */
export function toEpochMs(v: unknown, unit: EpochUnit = "auto"): number | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return undefined;
    const ms = unit === "ms" ? v : unit === "s" ? v * 1000 : Math.abs(v) < 1e11 ? v * 1000 : v;
    return Math.abs(ms) <= 8.64e15 ? Math.trunc(ms) : undefined;
  }
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (s === "" || s.length > 40) return undefined;
  let m = COMPACT_RE.exec(s);
  if (m) return fromParts(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
  if (/^-?\d+(\.\d+)?$/.test(s)) return toEpochMs(Number(s), unit);
  m = DATE_RE.exec(s);
  if (!m) return undefined;
  const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  const local = fromParts(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, frac);
  if (local === undefined) return undefined;
  const tz = m[8];
  if (!tz) return local;
  // explicit zone: convert from that zone instead of Shanghai
  let offMin = 0;
  if (tz !== "Z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    offMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  return local + SHANGHAI_OFFSET_MS - offMin * 60_000;
}
