/**
 * AST of `_function` expressions (MySQL dialect subset).
 *
 * Why this exists: the parser, the evaluator and save-time validation share one node shape.
 */
import type { FindSpec } from "../find";
import type { CompiledTemplate, Placeholder } from "../template";

export type IntervalUnit = "SECOND" | "MINUTE" | "HOUR" | "DAY" | "WEEK" | "MONTH" | "YEAR";

export type Expr =
  | { k: "lit"; v: string | number | boolean | null }
  | { k: "str"; t: CompiledTemplate }
  | { k: "ph"; p: Placeholder }
  | { k: "find"; i: number }
  | { k: "neg"; a: Expr }
  | { k: "not"; a: Expr }
  | { k: "bin"; op: "+" | "-" | "*" | "/" | "DIV" | "%"; a: Expr; b: Expr }
  | { k: "cmp"; op: "=" | "<=>" | "!=" | "<" | "<=" | ">" | ">="; a: Expr; b: Expr }
  | { k: "and" | "or" | "xor"; a: Expr; b: Expr }
  | { k: "is"; a: Expr; what: null | true | false; not: boolean }
  | { k: "in"; a: Expr; list: Expr[]; not: boolean }
  | { k: "between"; a: Expr; lo: Expr; hi: Expr; not: boolean }
  | { k: "like"; a: Expr; pat: Expr; not: boolean }
  | { k: "case"; base: Expr | null; whens: [Expr, Expr][]; else: Expr | null }
  | { k: "call"; fn: string; args: Expr[] }
  | { k: "interval"; n: Expr; unit: IntervalUnit };

export interface CompiledExpression {
  source: string;
  ast: Expr;
  finds: FindSpec[];
  placeholders: Placeholder[];
  functions: string[];
}
