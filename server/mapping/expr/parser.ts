/**
 * Parser of `_function` expressions (MySQL dialect subset): a lexer plus a Pratt parser.
 *
 * Why this exists: Qeasy schemes compute values with MySQL expressions (`({{LAST_SYNC_TIME}}-86400)*1000`,
 * `CASE '{{FOrgId}}' WHEN '100' THEN … END`, `FROM_UNIXTIME(…, '%Y-%m-%d')`). Qeasy pastes
 * placeholder text into SQL; here placeholders are tokens of the grammar: outside quotes a placeholder
 * is a literal of the value's own type (number, string, NULL), inside quotes it interpolates text. So a
 * value can never change the expression's structure (no injection), and nothing is ever `eval`ed.
 * Unknown functions and identifiers are rejected here, i.e. at save time.
 */
import { MappingError } from "../errors";
import { parseFind, type FindSpec } from "../find";
import type { Limits } from "../limits";
import { DEFAULT_LIMITS } from "../limits";
import { compileTemplate, type Placeholder } from "../template";
import type { CompiledExpression, Expr, IntervalUnit } from "./ast";
import { FUNCTION_ARITY, SUPPORTED_FUNCTIONS } from "./functions-meta";

type Tok =
  | { t: "num"; v: number; pos: number }
  | { t: "str"; v: string; pos: number }
  | { t: "ph"; raw: string; pos: number }
  | { t: "find"; text: string; pos: number }
  | { t: "id"; v: string; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "eof"; pos: number };

const OPS = ["<=>", "<=", ">=", "<>", "!=", "||", "&&", "=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", ","];
const IDENT_PATH = /^[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}\p{N}_$]+|\[\d+\])*(?:\|[a-z_]+)*$/u;
const MAX_AST_DEPTH = 400;

function syntax(src: string, pos: number, why: string): MappingError {
  const at = src.slice(Math.max(0, pos - 20), pos + 20);
  return new MappingError("EXPR_SYNTAX", `_function 语法错误，位置 ${pos}（…${at}…）: ${why}`);
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const pos = i;
    if (c === "{" && src[i + 1] === "{") {
      const close = src.indexOf("}}", i + 2);
      if (close < 0) throw syntax(src, pos, "未闭合的 '{{'");
      toks.push({ t: "ph", raw: src.slice(i, close + 2), pos });
      i = close + 2;
      continue;
    }
    if (c === "{") {
      const close = src.indexOf("}", i + 1);
      const inner = close > 0 ? src.slice(i + 1, close).trim() : "";
      if (close < 0 || !IDENT_PATH.test(inner)) throw syntax(src, pos, "意外的 '{'");
      toks.push({ t: "ph", raw: `{{${inner}}}`, pos });
      i = close + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let v = "";
      i++;
      let closed = false;
      while (i < n) {
        const ch = src[i];
        if (ch === "\\" && i + 1 < n) {
          const e = src[i + 1];
          // MySQL escapes; \% and \_ keep the backslash (LIKE patterns)
          v += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === "0" ? "\0" : e === "%" || e === "_" ? `\\${e}` : e === "{" || e === "}" ? `\\${e}` : e;
          i += 2;
          continue;
        }
        if (ch === c) {
          if (src[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        v += ch;
        i++;
      }
      if (!closed) throw syntax(src, pos, "字符串缺少结束引号");
      toks.push({ t: "str", v, pos });
      continue;
    }
    if ((c >= "0" && c <= "9") || (c === "." && src[i + 1] >= "0" && src[i + 1] <= "9")) {
      let j = i;
      while (j < n && src[j] >= "0" && src[j] <= "9") j++;
      if (src[j] === ".") {
        j++;
        while (j < n && src[j] >= "0" && src[j] <= "9") j++;
      }
      if ((src[j] === "e" || src[j] === "E") && /[0-9+-]/.test(src[j + 1] ?? "")) {
        let k = j + 1;
        if (src[k] === "+" || src[k] === "-") k++;
        if (src[k] >= "0" && src[k] <= "9") {
          while (k < n && src[k] >= "0" && src[k] <= "9") k++;
          j = k;
        }
      }
      const text = src.slice(i, j);
      if (/[A-Za-z_]/.test(src[j] ?? "")) throw syntax(src, pos, `无效数字 '${text}${src[j]}'`);
      if (!Number.isFinite(Number(text))) throw syntax(src, pos, `数字 '${text}' 超出范围`);
      toks.push({ t: "num", v: Number(text), pos });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j])) j++;
      const word = src.slice(i, j);
      if (word === "_findCollection") {
        const lower = src.toLowerCase();
        const end = lower.indexOf("_endfind", j);
        // CHOICE: a nested lookup ends at `_endFind`; without it, it runs to the end of the expression.
        const text = src.slice(j, end < 0 ? n : end);
        toks.push({ t: "find", text, pos });
        i = end < 0 ? n : end + "_endFind".length;
        continue;
      }
      toks.push({ t: "id", v: word.toUpperCase(), pos });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw syntax(src, pos, `意外的字符 '${c}'`);
    toks.push({ t: "op", v: op, pos });
    i += op.length;
  }
  toks.push({ t: "eof", pos: n });
  return toks;
}

const INTERVAL_UNITS: IntervalUnit[] = ["SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "YEAR"];
const CMP_OPS = new Set(["=", "<=>", "!=", "<>", "<", "<=", ">", ">="]);

class Parser {
  private i = 0;
  private depth = 0;
  readonly finds: FindSpec[] = [];
  readonly placeholders: Placeholder[] = [];
  readonly functions = new Set<string>();
  private readonly depthOf = new WeakMap<Expr, number>();

  constructor(
    private readonly src: string,
    private readonly toks: Tok[],
    private readonly limits: Limits,
  ) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private next(): Tok {
    return this.toks[this.i++];
  }
  private isId(v: string, off = 0): boolean {
    const t = this.toks[this.i + off];
    return t !== undefined && t.t === "id" && t.v === v;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === "op" && t.v === v;
  }
  private expectOp(v: string): void {
    const t = this.next();
    if (t.t !== "op" || t.v !== v) throw syntax(this.src, t.pos, `此处应为 '${v}'`);
  }
  private expectId(v: string): void {
    const t = this.next();
    if (t.t !== "id" || t.v !== v) throw syntax(this.src, t.pos, `此处应为 ${v}`);
  }

  private mk(node: Expr, ...kids: (Expr | null)[]): Expr {
    let d = 0;
    for (const k of kids) if (k) d = Math.max(d, this.depthOf.get(k) ?? 1);
    if (d + 1 > MAX_AST_DEPTH) throw new MappingError("LIMIT", `_function 表达式嵌套过深（超过 ${MAX_AST_DEPTH} 层）`);
    this.depthOf.set(node, d + 1);
    return node;
  }

  parseAll(): Expr {
    if (this.peek().t === "eof") throw syntax(this.src, 0, "表达式为空");
    const e = this.expr(0);
    const t = this.peek();
    if (t.t !== "eof") throw syntax(this.src, t.pos, "表达式后有多余内容");
    return e;
  }

  private infixBp(): number {
    const t = this.peek();
    if (t.t === "op") {
      if (t.v === "||") return 10; // CHOICE: `||` is OR (MySQL default sql_mode), not string concatenation
      if (t.v === "&&") return 30;
      if (CMP_OPS.has(t.v)) return 50;
      if (t.v === "+" || t.v === "-") return 70;
      if (t.v === "*" || t.v === "/" || t.v === "%") return 80;
      return -1;
    }
    if (t.t === "id") {
      switch (t.v) {
        case "OR":
          return 10;
        case "XOR":
          return 20;
        case "AND":
          return 30;
        case "IS":
        case "LIKE":
        case "IN":
        case "BETWEEN":
          return 50;
        case "NOT":
          return this.isId("IN", 1) || this.isId("LIKE", 1) || this.isId("BETWEEN", 1) ? 50 : -1;
        case "DIV":
        case "MOD":
          return 80;
      }
    }
    return -1;
  }

  private expr(minBp: number): Expr {
    if (++this.depth > this.limits.maxDepth)
      throw new MappingError("LIMIT", `_function 表达式嵌套过深（超过 ${this.limits.maxDepth} 层）`);
    let left = this.prefix();
    for (;;) {
      const bp = this.infixBp();
      if (bp <= minBp) break;
      const t = this.next() as Extract<Tok, { t: "op" | "id" }>;
      const op = t.v;
      if (op === "OR" || op === "||") left = this.mk({ k: "or", a: left, b: this.expr(bp) }, left);
      else if (op === "XOR") left = this.mk({ k: "xor", a: left, b: this.expr(bp) }, left);
      else if (op === "AND" || op === "&&") left = this.mk({ k: "and", a: left, b: this.expr(bp) }, left);
      else if (CMP_OPS.has(op)) {
        const b = this.expr(bp);
        const cop = (op === "<>" ? "!=" : op) as "=" | "<=>" | "!=" | "<" | "<=" | ">" | ">=";
        left = this.mk({ k: "cmp", op: cop, a: left, b }, left, b);
      } else if (op === "+" || op === "-" || op === "*" || op === "/" || op === "%" || op === "DIV" || op === "MOD") {
        const b = this.expr(bp);
        const bop = op === "MOD" ? "%" : op;
        left = this.mk({ k: "bin", op: bop, a: left, b }, left, b);
      } else if (op === "IS") {
        let not = false;
        if (this.isId("NOT")) {
          this.next();
          not = true;
        }
        const w = this.next();
        if (w.t !== "id" || (w.v !== "NULL" && w.v !== "TRUE" && w.v !== "FALSE"))
          throw syntax(this.src, w.pos, "IS 后应为 NULL / TRUE / FALSE");
        left = this.mk({ k: "is", a: left, what: w.v === "NULL" ? null : w.v === "TRUE", not }, left);
      } else {
        let not = false;
        let kw = op;
        if (op === "NOT") {
          not = true;
          kw = (this.next() as { v: string }).v;
        }
        if (kw === "LIKE") {
          const pat = this.expr(bp);
          left = this.mk({ k: "like", a: left, pat, not }, left, pat);
        } else if (kw === "IN") {
          this.expectOp("(");
          const list: Expr[] = [this.expr(0)];
          while (this.isOp(",")) {
            this.next();
            list.push(this.expr(0));
          }
          this.expectOp(")");
          left = this.mk({ k: "in", a: left, list, not }, left, ...list);
        } else {
          const lo = this.expr(bp);
          this.expectId("AND");
          const hi = this.expr(bp);
          left = this.mk({ k: "between", a: left, lo, hi, not }, left, lo, hi);
        }
      }
    }
    this.depth--;
    return left;
  }

  private prefix(): Expr {
    const t = this.next();
    switch (t.t) {
      case "num":
        return this.mk({ k: "lit", v: t.v });
      case "str": {
        const tpl = compileTemplate(t.v, this.limits);
        this.placeholders.push(...tpl.placeholders);
        return this.mk(tpl.constant !== null ? { k: "lit", v: tpl.constant } : { k: "str", t: tpl });
      }
      case "ph": {
        const tpl = compileTemplate(t.raw, this.limits);
        if (!tpl.single) throw syntax(this.src, t.pos, `无效占位符 ${t.raw}`);
        this.placeholders.push(tpl.single);
        return this.mk({ k: "ph", p: tpl.single });
      }
      case "find": {
        const spec = parseFind(t.text, this.limits);
        for (const w of spec.where) this.placeholders.push(...w.value.placeholders);
        this.finds.push(spec);
        return this.mk({ k: "find", i: this.finds.length - 1 });
      }
      case "eof":
        throw syntax(this.src, t.pos, "表达式意外结束");
      case "op": {
        if (t.v === "(") {
          const e = this.expr(0);
          this.expectOp(")");
          return e;
        }
        if (t.v === "-") {
          const a = this.expr(85);
          return this.mk({ k: "neg", a }, a);
        }
        if (t.v === "+") return this.expr(85);
        if (t.v === "!") {
          const a = this.expr(85);
          return this.mk({ k: "not", a }, a);
        }
        throw syntax(this.src, t.pos, `意外的 '${t.v}'`);
      }
      case "id":
        return this.word(t);
    }
  }

  private word(t: { v: string; pos: number }): Expr {
    switch (t.v) {
      case "NULL":
        return this.mk({ k: "lit", v: null });
      case "TRUE":
        return this.mk({ k: "lit", v: true });
      case "FALSE":
        return this.mk({ k: "lit", v: false });
      case "NOT": {
        const a = this.expr(40);
        return this.mk({ k: "not", a }, a);
      }
      case "CURRENT_TIMESTAMP":
        if (this.isOp("(")) {
          this.next();
          this.expectOp(")");
        }
        this.functions.add("NOW");
        return this.mk({ k: "call", fn: "NOW", args: [] });
      case "CASE":
        return this.caseExpr();
      case "INTERVAL": {
        const n = this.expr(70);
        const u = this.next();
        if (u.t !== "id" || !INTERVAL_UNITS.includes(u.v as IntervalUnit))
          throw syntax(this.src, u.pos, `INTERVAL 单位应为 ${INTERVAL_UNITS.join("/")}`);
        return this.mk({ k: "interval", n, unit: u.v as IntervalUnit }, n);
      }
      case "CAST":
        return this.cast();
    }
    if (!this.isOp("(")) throw new MappingError("EXPR_SYNTAX", `_function 位置 ${t.pos}: 未知标识符 ${t.v}（字段请写成 {{字段}}）`);
    const arity = FUNCTION_ARITY[t.v];
    if (!arity || t.v.startsWith("CAST_"))
      throw new MappingError("EXPR_UNSUPPORTED", `_function 不支持函数 ${t.v}（支持: ${SUPPORTED_FUNCTIONS.join(", ")}）`);
    this.next();
    const args: Expr[] = [];
    if (!this.isOp(")")) {
      args.push(this.expr(0));
      while (this.isOp(",")) {
        this.next();
        args.push(this.expr(0));
      }
    }
    this.expectOp(")");
    if (args.length < arity[0] || args.length > arity[1])
      throw new MappingError(
        "EXPR_SYNTAX",
        `_function 函数 ${t.v} 需要 ${arity[0] === arity[1] ? arity[0] : `${arity[0]}–${arity[1]}`} 个参数，实际 ${args.length} 个`,
      );
    this.functions.add(t.v);
    return this.mk({ k: "call", fn: t.v, args }, ...args);
  }

  private cast(): Expr {
    this.expectOp("(");
    const a = this.expr(0);
    this.expectId("AS");
    const ty = this.next();
    if (ty.t !== "id") throw syntax(this.src, ty.pos, "CAST 类型应为 SIGNED / UNSIGNED / DECIMAL / CHAR");
    const args: Expr[] = [a];
    let fn: string;
    if (ty.v === "SIGNED" || ty.v === "UNSIGNED") {
      if (this.isId("INTEGER") || this.isId("INT")) this.next();
      fn = "CAST_SIGNED";
    } else if (ty.v === "DECIMAL") {
      fn = "CAST_DECIMAL";
      if (this.isOp("(")) {
        this.next();
        args.push(this.expr(0));
        if (this.isOp(",")) {
          this.next();
          args.push(this.expr(0));
        }
        this.expectOp(")");
      }
    } else if (ty.v === "CHAR") {
      fn = "CAST_CHAR";
      if (this.isOp("(")) {
        this.next();
        this.expr(0);
        this.expectOp(")");
      }
    } else throw syntax(this.src, ty.pos, `CAST 不支持类型 ${ty.v}`);
    this.expectOp(")");
    this.functions.add("CAST");
    return this.mk({ k: "call", fn, args }, ...args);
  }

  private caseExpr(): Expr {
    let base: Expr | null = null;
    if (!this.isId("WHEN")) base = this.expr(0);
    const whens: [Expr, Expr][] = [];
    const kids: Expr[] = base ? [base] : [];
    while (this.isId("WHEN")) {
      this.next();
      const w = this.expr(0);
      this.expectId("THEN");
      const th = this.expr(0);
      whens.push([w, th]);
      kids.push(w, th);
    }
    if (whens.length === 0) throw syntax(this.src, this.peek().pos, "CASE 至少需要一个 WHEN");
    let els: Expr | null = null;
    if (this.isId("ELSE")) {
      this.next();
      els = this.expr(0);
      kids.push(els);
    }
    this.expectId("END");
    return this.mk({ k: "case", base, whens, else: els }, ...kids);
  }
}

/** Parse the body of a `_function` value (the text after `_function`). */
export function parseExpression(source: string, limits: Limits = DEFAULT_LIMITS): CompiledExpression {
  if (source.length > limits.maxExpressionLength)
    throw new MappingError("LIMIT", `_function 表达式长度 ${source.length} 超过上限 ${limits.maxExpressionLength}`);
  const p = new Parser(source, lex(source), limits);
  const ast = p.parseAll();
  return { source, ast, finds: p.finds, placeholders: p.placeholders, functions: [...p.functions] };
}
