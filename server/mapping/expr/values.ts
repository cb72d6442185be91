/**
 * Value semantics of `_function` (MySQL-like, made stricter where MySQL silently guesses).
 *
 * Why this exists: arithmetic, comparison, truthiness and text conversion are needed by the
 * evaluator and by every function; keeping them in one place keeps the rules consistent.
 */
import { MappingError, showValue } from "../errors";
import { formatDateTime } from "../time";

export type Val = null | number | string | boolean;

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Placeholder value → SQL value. Objects and arrays become JSON text. */
export function sqlValue(v: unknown): Val {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return formatDateTime(v.getTime());
  try {
    return JSON.stringify(v) ?? null;
  } catch {
    return String(v);
  }
}

/**
 * CHOICE: numeric conversion is strict: '' → 0 (as MySQL), numeric text → its number, anything
 * else is an error ("'12a' 不是有效数字") instead of MySQL's silent 12 / 0.
 */
export function toNum(v: Val): number | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const s = v.trim();
  if (s === "") return 0;
  if (NUM_RE.test(s)) return Number(s);
  throw new MappingError("EXPR_EVAL", `${showValue(v)} 不是有效数字`);
}

export function isNumeric(v: Val): boolean {
  return typeof v === "number" || (typeof v === "string" && NUM_RE.test(v.trim()));
}

/** Remove binary floating-point noise (0.1+0.2 → 0.3). */
export function clean(n: number): number {
  if (!Number.isFinite(n)) return n;
  return Number.isInteger(n) ? n : Number(n.toPrecision(15));
}

export function numToStr(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(clean(n));
}

/** Text form (MySQL: TRUE is 1). */
export function toStr(v: Val): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return numToStr(v);
  return v ? "1" : "0";
}

/**
 * CHOICE: truthiness: numbers ≠ 0; booleans as is; strings 'true'/'false' by name, numeric text by
 * value, any other text false (MySQL reads 'abc' as 0); NULL is unknown (null).
 */
export function truth(v: Val): boolean | null {
  if (v === null) return null;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  const s = v.trim().toLowerCase();
  if (s === "true") return true;
  if (s === "false" || s === "") return false;
  return NUM_RE.test(s) ? Number(s) !== 0 : false;
}

/** Compare: negative/0/positive, or null when either side is NULL. */
export function compare(a: Val, b: Val): number | null {
  if (a === null || b === null) return null;
  if (typeof a === "boolean" || typeof b === "boolean") {
    const x = truth(a) ? 1 : 0;
    const y = truth(b) ? 1 : 0;
    return x - y;
  }
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === "number" && isNumeric(b)) || (typeof b === "number" && isNumeric(a))) {
    const x = Number(typeof a === "string" ? a.trim() : a);
    const y = Number(typeof b === "string" ? b.trim() : b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  // CHOICE: text comparison is binary (case-sensitive), not MySQL's default case-insensitive collation.
  const x = toStr(a) as string;
  const y = toStr(b) as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SQL LIKE with % and _ and backslash escape; iterative, O(n·m) worst case (no regex). */
export function like(text: string, pattern: string): boolean {
  const t = Array.from(text);
  const p: { c: string; wild: "%" | "_" | null }[] = [];
  const pc = Array.from(pattern);
  for (let i = 0; i < pc.length; i++) {
    if (pc[i] === "\\" && i + 1 < pc.length) {
      p.push({ c: pc[++i], wild: null });
    } else if (pc[i] === "%" || pc[i] === "_") p.push({ c: pc[i], wild: pc[i] as "%" | "_" });
    else p.push({ c: pc[i], wild: null });
  }
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi].wild !== "%" && (p[pi].wild === "_" || p[pi].c === t[ti])) {
      ti++;
      pi++;
    } else if (pi < p.length && p[pi].wild === "%") {
      starP = pi++;
      starT = ti;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else return false;
  }
  while (pi < p.length && p[pi].wild === "%") pi++;
  return pi === p.length;
}
