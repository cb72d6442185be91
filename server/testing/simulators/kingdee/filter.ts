/**
 * Tokenizer, parser and evaluator for Kingdee's ExecuteBillQuery `FilterString` subset.
 *
 * Why this exists: connectors query Kingdee by business key (dedupe, "was this row written?")
 * and by date windows; the simulator must understand the SQL-like filter the real server takes,
 * with real parse errors, not a few regexes. Supported: = <> != < <= > >=, [NOT] IN (…),
 * [NOT] LIKE with % and _, IS [NOT] NULL, [NOT] BETWEEN a AND b, NOT, AND / OR, parentheses,
 * 'strings' ('' escapes, N'…'), numbers, field keys with dots (FCreateOrgId.FNumber).
 */

export class FilterSyntaxError extends Error {}

type Tok =
  | { t: "id"; v: string; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "num"; v: number; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "kw"; v: string; pos: number }
  | { t: "eof"; pos: number };

const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL", "BETWEEN"]);

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if ((c === "N" || c === "n") && src[i + 1] === "'") {
      i++;
      continue; // N'…' unicode literal: the string follows
    }
    if (c === "'") {
      let v = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterSyntaxError(`unterminated string at ${start}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: "str", v, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? "") && !isValueTok(out.at(-1)))) {
      const m = /^-?\d+(?:\.\d+)?/.exec(src.slice(i));
      if (!m) throw new FilterSyntaxError(`bad number at ${i}`);
      i += m[0].length;
      out.push({ t: "num", v: Number(m[0]), pos: start });
      continue;
    }
    if (/[A-Za-z_\u4e00-\u9fa5]/.test(c)) {
      const m = /^[A-Za-z_\u4e00-\u9fa5][A-Za-z0-9_.\u4e00-\u9fa5]*/.exec(src.slice(i));
      const word = (m as RegExpExecArray)[0];
      i += word.length;
      const up = word.toUpperCase();
      if (KEYWORDS.has(up)) out.push({ t: "kw", v: up, pos: start });
      else out.push({ t: "id", v: word, pos: start });
      continue;
    }
    if (c === "[") {
      const end = src.indexOf("]", i);
      if (end < 0) throw new FilterSyntaxError(`unterminated [ at ${i}`);
      out.push({ t: "id", v: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "<>" || two === "!=" || two === "<=" || two === ">=") {
      out.push({ t: "op", v: two === "!=" ? "<>" : two, pos: start });
      i += 2;
      continue;
    }
    if ("=<>(),".includes(c)) {
      out.push({ t: "op", v: c, pos: start });
      i++;
      continue;
    }
    throw new FilterSyntaxError(`unexpected character '${c}' at ${i}`);
  }
  out.push({ t: "eof", pos: src.length });
  return out;
}

function isValueTok(t: Tok | undefined): boolean {
  return !!t && (t.t === "id" || t.t === "num" || t.t === "str" || (t.t === "op" && t.v === ")"));
}

export type Operand = { k: "field"; name: string } | { k: "lit"; v: string | number | null };

export type FilterNode =
  | { k: "and" | "or"; a: FilterNode; b: FilterNode }
  | { k: "not"; a: FilterNode }
  | { k: "cmp"; op: string; l: Operand; r: Operand }
  | { k: "in"; not: boolean; l: Operand; list: Operand[] }
  | { k: "like"; not: boolean; l: Operand; pattern: Operand }
  | { k: "null"; not: boolean; l: Operand }
  | { k: "between"; not: boolean; l: Operand; lo: Operand; hi: Operand };

export function parseFilter(src: string): FilterNode | null {
  if (src.trim() === "") return null;
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    throw new FilterSyntaxError(`${msg} at ${peek().pos}`);
  };
  const isKw = (v: string) => {
    const t = peek();
    return t.t === "kw" && t.v === v;
  };
  const isOp = (v: string) => {
    const t = peek();
    return t.t === "op" && t.v === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) fail(`expected '${v}'`);
    p++;
  };
  const operand = (): Operand => {
    const t = peek();
    if (t.t === "id") {
      p++;
      return { k: "field", name: t.v };
    }
    if (t.t === "str" || t.t === "num") {
      p++;
      return { k: "lit", v: t.v };
    }
    if (t.t === "kw" && t.v === "NULL") {
      p++;
      return { k: "lit", v: null };
    }
    return fail("expected a field or a value");
  };
  const predicate = (): FilterNode => {
    const l = operand();
    let not = false;
    if (isKw("IS")) {
      p++;
      if (isKw("NOT")) {
        p++;
        not = true;
      }
      if (!isKw("NULL")) fail("expected NULL");
      p++;
      return { k: "null", not, l };
    }
    if (isKw("NOT")) {
      p++;
      not = true;
      if (!isKw("IN") && !isKw("LIKE") && !isKw("BETWEEN")) fail("expected IN, LIKE or BETWEEN after NOT");
    }
    if (isKw("IN")) {
      p++;
      expectOp("(");
      const list: Operand[] = [operand()];
      while (isOp(",")) {
        p++;
        list.push(operand());
      }
      expectOp(")");
      return { k: "in", not, l, list };
    }
    if (isKw("LIKE")) {
      p++;
      return { k: "like", not, l, pattern: operand() };
    }
    if (isKw("BETWEEN")) {
      p++;
      const lo = operand();
      if (!isKw("AND")) fail("expected AND in BETWEEN");
      p++;
      return { k: "between", not, l, lo, hi: operand() };
    }
    const t = peek();
    if (t.t === "op" && ["=", "<>", "<", "<=", ">", ">="].includes(t.v)) {
      p++;
      return { k: "cmp", op: t.v, l, r: operand() };
    }
    return fail("expected a comparison operator");
  };
  const primary = (): FilterNode => {
    if (isKw("NOT")) {
      p++;
      return { k: "not", a: primary() };
    }
    if (isOp("(")) {
      p++;
      const e = orExpr();
      expectOp(")");
      return e;
    }
    return predicate();
  };
  const andExpr = (): FilterNode => {
    let a = primary();
    while (isKw("AND")) {
      p++;
      a = { k: "and", a, b: primary() };
    }
    return a;
  };
  const orExpr = (): FilterNode => {
    let a = andExpr();
    while (isKw("OR")) {
      p++;
      a = { k: "or", a, b: andExpr() };
    }
    return a;
  };
  const root = orExpr();
  if (peek().t !== "eof") fail("unexpected token");
  return root;
}

/** Every field key referenced by a filter. */
export function filterFields(n: FilterNode | null, out = new Set<string>()): Set<string> {
  if (!n) return out;
  const op = (o: Operand) => {
    if (o.k === "field") out.add(o.name);
  };
  switch (n.k) {
    case "and":
    case "or":
      filterFields(n.a, out);
      filterFields(n.b, out);
      break;
    case "not":
      filterFields(n.a, out);
      break;
    case "cmp":
      op(n.l);
      op(n.r);
      break;
    case "in":
      op(n.l);
      n.list.forEach(op);
      break;
    case "like":
      op(n.l);
      op(n.pattern);
      break;
    case "null":
      op(n.l);
      break;
    case "between":
      op(n.l);
      op(n.lo);
      op(n.hi);
      break;
  }
  return out;
}

/** A typed value of a field in one row: dates as ms, booleans, numbers, strings, or null. */
export type Typed = { type: "date" | "number" | "bool" | "string"; v: string | number | boolean } | null;

const dateLitCache = new Map<string, number>();

function coerce(ref: Typed, lit: string | number | null): number | boolean | string | null {
  if (lit === null) return null;
  if (!ref) return lit;
  if (ref.type === "date") {
    const key = String(lit);
    let v = dateLitCache.get(key);
    if (v === undefined) {
      v = coerceAs("date", lit) as number;
      if (dateLitCache.size > 1000) dateLitCache.clear();
      dateLitCache.set(key, v);
    }
    return v;
  }
  return coerceAs(ref.type, lit);
}

function coerceAs(type: NonNullable<Typed>["type"], lit: string | number): number | boolean | string {
  switch (type) {
    case "date": {
      const s = String(lit).trim();
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/.exec(s);
      if (!m) return NaN;
      return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) - 8 * 3600_000;
    }
    case "number":
      return Number(lit);
    case "bool": {
      const s = String(lit).toLowerCase();
      return s === "1" || s === "true";
    }
    case "string":
      return String(lit);
  }
}

function cmp(a: number | boolean | string, b: number | boolean | string): number {
  if (typeof a === "string" || typeof b === "string") {
    // CHOICE: string comparisons (=, <>, <, IN, LIKE) are case-sensitive, so that an indexed
    // lookup by FNumber and a full scan always agree.
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export type FieldReader = (name: string) => Typed;

function val(o: Operand, read: FieldReader, ref: Typed): Typed | { lit: number | boolean | string | null } {
  if (o.k === "field") return read(o.name);
  return { lit: coerce(ref, o.v) };
}

function plain(x: Typed | { lit: number | boolean | string | null }): number | boolean | string | null {
  if (x === null) return null;
  if ("lit" in x) return x.lit;
  return x.v;
}

const likeCache = new Map<string, RegExp>();

function likeRegex(pattern: string): RegExp {
  const hit = likeCache.get(pattern);
  if (hit) return hit;
  if (likeCache.size > 500) likeCache.clear();
  const rx = compileLike(pattern);
  likeCache.set(pattern, rx);
  return rx;
}

function compileLike(pattern: string): RegExp {
  const re = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
  return new RegExp(`^${re}$`, "s");
}

/** Evaluates a parsed filter against one row (SQL three-valued logic collapsed to false). */
export function evalFilter(n: FilterNode | null, read: FieldReader): boolean {
  if (!n) return true;
  switch (n.k) {
    case "and":
      return evalFilter(n.a, read) && evalFilter(n.b, read);
    case "or":
      return evalFilter(n.a, read) || evalFilter(n.b, read);
    case "not":
      return !evalFilter(n.a, read);
    case "null": {
      const v = n.l.k === "field" ? read(n.l.name) : n.l.v === null ? null : { type: "string" as const, v: n.l.v };
      // CHOICE: IS NULL is true for absent values and empty strings.
      const isNull = v === null || v.v === "";
      return n.not ? !isNull : isNull;
    }
    case "cmp": {
      const lRef = n.l.k === "field" ? read(n.l.name) : null;
      const rRef = n.r.k === "field" ? read(n.r.name) : null;
      const a = plain(val(n.l, read, rRef));
      const b = plain(val(n.r, read, lRef));
      if (a === null || b === null) return false;
      if (typeof a === "number" && Number.isNaN(a)) return false;
      if (typeof b === "number" && Number.isNaN(b)) return false;
      const c = cmp(a, b);
      switch (n.op) {
        case "=":
          return c === 0;
        case "<>":
          return c !== 0;
        case "<":
          return c < 0;
        case "<=":
          return c <= 0;
        case ">":
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case "in": {
      const lRef = n.l.k === "field" ? read(n.l.name) : null;
      const a = plain(val(n.l, read, null));
      if (a === null) return false;
      const hit = n.list.some((o) => {
        const b = plain(val(o, read, lRef));
        return b !== null && cmp(a, b) === 0;
      });
      return n.not ? !hit : hit;
    }
    case "like": {
      const a = plain(val(n.l, read, null));
      const pat = plain(val(n.pattern, read, null));
      if (a === null || pat === null) return false;
      const hit = likeRegex(String(pat)).test(String(a));
      return n.not ? !hit : hit;
    }
    case "between": {
      const lRef = n.l.k === "field" ? read(n.l.name) : null;
      const a = plain(val(n.l, read, null));
      const lo = plain(val(n.lo, read, lRef));
      const hi = plain(val(n.hi, read, lRef));
      if (a === null || lo === null || hi === null) return false;
      const hit = cmp(a, lo) >= 0 && cmp(a, hi) <= 0;
      return n.not ? !hit : hit;
    }
  }
}
