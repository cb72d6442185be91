/**
 * Evaluator of parsed `_function` expressions.
 *
 * Why this exists: evaluation is synchronous and pure; `_findCollection` sub-lookups are resolved
 * beforehand (in order, by the mapper) and passed in as `findResults`, so the tree walk itself needs
 * no async machinery and is bounded by the parser's depth limit.
 */
import { MappingError } from "../errors";
import type { Limits } from "../limits";
import type { EvalEnv, Scope } from "../scope";
import { evalPlaceholder, renderTemplate, toText } from "../template";
import type { CompiledExpression, Expr } from "./ast";
import { callFunction, dateArith, type FnEnv, type IntervalVal } from "./functions";
import { clean, compare, like, sqlValue, toNum, toStr, truth, type Val } from "./values";

type V = Val | IntervalVal;

interface Ctx {
  scope: Scope;
  env: EvalEnv;
  finds: readonly unknown[];
  fn: FnEnv;
}

const bool = (b: boolean | null): Val => (b === null ? null : b ? 1 : 0);

function scalar(v: V, what: string): Val {
  if (v !== null && typeof v === "object") throw new MappingError("EXPR_EVAL", `INTERVAL 不能用于${what}`);
  return v;
}

function ev(e: Expr, c: Ctx): V {
  switch (e.k) {
    case "lit":
      return e.v;
    case "str":
      return toText(renderTemplate(e.t, c.scope, c.env, c.fn.limits));
    case "ph":
      return sqlValue(evalPlaceholder(e.p, c.scope, c.env));
    case "find":
      return sqlValue(c.finds[e.i]);
    case "neg": {
      const x = toNum(scalar(ev(e.a, c), "取负"));
      return x === null ? null : -x + 0;
    }
    case "not":
      return bool(notOf(truth(scalar(ev(e.a, c), "NOT"))));
    case "bin": {
      const av = ev(e.a, c);
      const bv = ev(e.b, c);
      if (bv !== null && typeof bv === "object" && (e.op === "+" || e.op === "-"))
        return dateArith(scalar(av, "日期"), bv, e.op === "+" ? 1 : -1, e.op);
      if (av !== null && typeof av === "object" && e.op === "+") return dateArith(scalar(bv, "日期"), av, 1, "+");
      const x = toNum(scalar(av, e.op));
      const y = toNum(scalar(bv, e.op));
      if (x === null || y === null) return null;
      return finite(arith(e.op, x, y));
    }
    case "cmp": {
      const a = scalar(ev(e.a, c), "比较");
      const b = scalar(ev(e.b, c), "比较");
      if (e.op === "<=>") return a === null || b === null ? bool(a === b) : bool(compare(a, b) === 0);
      const r = compare(a, b);
      if (r === null) return null;
      switch (e.op) {
        case "=":
          return bool(r === 0);
        case "!=":
          return bool(r !== 0);
        case "<":
          return bool(r < 0);
        case "<=":
          return bool(r <= 0);
        case ">":
          return bool(r > 0);
        case ">=":
          return bool(r >= 0);
      }
      return null;
    }
    case "and": {
      const a = truth(scalar(ev(e.a, c), "AND"));
      if (a === false) return 0;
      const b = truth(scalar(ev(e.b, c), "AND"));
      if (b === false) return 0;
      return a === null || b === null ? null : 1;
    }
    case "or": {
      const a = truth(scalar(ev(e.a, c), "OR"));
      if (a === true) return 1;
      const b = truth(scalar(ev(e.b, c), "OR"));
      if (b === true) return 1;
      return a === null || b === null ? null : 0;
    }
    case "xor": {
      const a = truth(scalar(ev(e.a, c), "XOR"));
      const b = truth(scalar(ev(e.b, c), "XOR"));
      return a === null || b === null ? null : bool(a !== b);
    }
    case "is": {
      const v = scalar(ev(e.a, c), "IS");
      const r = e.what === null ? v === null : truth(v) === e.what;
      return bool(e.not ? !r : r);
    }
    case "in": {
      const v = scalar(ev(e.a, c), "IN");
      if (v === null) return null;
      let sawNull = false;
      for (const item of e.list) {
        const w = scalar(ev(item, c), "IN");
        const r = compare(v, w);
        if (r === null) sawNull = true;
        else if (r === 0) return bool(!e.not);
      }
      return sawNull ? null : bool(e.not);
    }
    case "between": {
      const v = scalar(ev(e.a, c), "BETWEEN");
      const lo = compare(v, scalar(ev(e.lo, c), "BETWEEN"));
      const hi = compare(v, scalar(ev(e.hi, c), "BETWEEN"));
      if (lo === null || hi === null) return null;
      const r = lo >= 0 && hi <= 0;
      return bool(e.not ? !r : r);
    }
    case "like": {
      const t = toStr(scalar(ev(e.a, c), "LIKE"));
      const p = toStr(scalar(ev(e.pat, c), "LIKE"));
      if (t === null || p === null) return null;
      const r = like(t, p);
      return bool(e.not ? !r : r);
    }
    case "case": {
      const base = e.base ? scalar(ev(e.base, c), "CASE") : undefined;
      for (const [w, th] of e.whens) {
        const wv = scalar(ev(w, c), "CASE");
        const hit = base === undefined ? truth(wv) === true : compare(base, wv) === 0;
        if (hit) return ev(th, c);
      }
      return e.else ? ev(e.else, c) : null;
    }
    case "interval": {
      const n = toNum(scalar(ev(e.n, c), "INTERVAL"));
      if (n === null) return null;
      return { interval: true, n: Math.trunc(n), unit: e.unit };
    }
    case "call": {
      // lazy functions: only the chosen branch is evaluated
      if (e.fn === "IF") {
        const t = truth(scalar(ev(e.args[0], c), "IF"));
        return ev(t === true ? e.args[1] : e.args[2], c);
      }
      if (e.fn === "IFNULL") {
        const v = ev(e.args[0], c);
        return v === null ? ev(e.args[1], c) : v;
      }
      if (e.fn === "COALESCE") {
        for (const a of e.args) {
          const v = ev(a, c);
          if (v !== null) return v;
        }
        return null;
      }
      const args: V[] = [];
      for (const a of e.args) args.push(ev(a, c));
      return callFunction(e.fn, args, c.fn);
    }
  }
}

function arith(op: "+" | "-" | "*" | "/" | "DIV" | "%", x: number, y: number): number | null {
  switch (op) {
    case "+":
      return clean(x + y);
    case "-":
      return clean(x - y);
    case "*":
      return clean(x * y);
    case "/":
      // MySQL: division by zero is NULL
      return y === 0 ? null : clean(x / y);
    case "DIV":
      return y === 0 ? null : Math.trunc(x / y);
    case "%":
      return y === 0 ? null : clean(x % y);
  }
}

function finite(n: number | null): number | null {
  if (n !== null && !Number.isFinite(n)) throw new MappingError("EXPR_EVAL", "数值溢出");
  return n;
}

function notOf(b: boolean | null): boolean | null {
  return b === null ? null : !b;
}

export function evaluateExpression(
  ce: CompiledExpression,
  scope: Scope,
  env: EvalEnv,
  finds: readonly unknown[],
  limits: Limits,
  nowMs: number,
): unknown {
  const v = ev(ce.ast, { scope, env, finds, fn: { limits, nowMs } });
  if (v !== null && typeof v === "object") throw new MappingError("EXPR_EVAL", "_function 结果不能是 INTERVAL");
  if (typeof v === "string" && v.length > limits.maxOutputLength)
    throw new MappingError("LIMIT", `_function 结果长度超过上限 ${limits.maxOutputLength}`);
  return v;
}
