/**
 * Custom parsers: `Custom:<id>` — a named, saved JSONata expression with parameters.
 *
 * Why this exists: analysts need rules the built-ins do not cover (Qeasy's `CustomParser {ruleId}`)
 * without writing code. JSONata is a data-only language (no access to JavaScript, the file system or
 * the network); it is evaluated with a time budget, a stack limit, a sequence limit, regex literals
 * checked like RegexReplace patterns and `$pad` width capped. The caller passes the registry
 * (`customParsers: Record<id, {expression, params}>`), e.g. loaded from the database.
 *
 * Bindings: input (`$`) and `$value` = the value; `$record` = the source record (row in entries);
 * `$vars` = context variables; `$params` = merged params, and each param also as `$<name>`.
 */
import jsonata from "jsonata";
import { MappingError } from "../errors";
import type { Limits } from "../limits";
import { assertSafePattern } from "../safe-regex";
import type { CustomParserDef } from "../schema";
import type { ParserFn } from "./types";

export const CUSTOM_PREFIX = "Custom:";

function checkAst(node: unknown, depth: number): void {
  if (depth > 200 || node === null || typeof node !== "object") return;
  if (node instanceof RegExp) {
    assertSafePattern(node.source);
    return;
  }
  if (Array.isArray(node)) {
    for (const n of node) checkAst(n, depth + 1);
    return;
  }
  for (const v of Object.values(node as Record<string, unknown>)) checkAst(v, depth + 1);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileCustomParser(id: string, def: CustomParserDef, params: Record<string, unknown> | undefined, limits: Limits): ParserFn {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(def.expression, { timeout: limits.customTimeoutMs, stack: limits.customMaxStack, sequence: 100_000 });
  } catch (e) {
    const err = e as { message?: string; position?: number };
    throw new MappingError("PARSER_PARAMS", `自定义解析器 ${id} 的表达式有误${err.position !== undefined ? `（位置 ${err.position}）` : ""}: ${err.message ?? String(e)}`);
  }
  checkAst(expr.ast(), 0);
  const merged: Record<string, unknown> = { ...(def.params ?? {}), ...(params ?? {}) };
  for (const k of Object.keys(merged))
    if (!IDENT.test(k)) throw new MappingError("PARSER_PARAMS", `自定义解析器 ${id} 的参数名 '${k}' 无效`);
  const maxLen = limits.maxOutputLength;
  const safePad = (s: unknown, width: number, ch?: string) => {
    if (Math.abs(width) > maxLen) throw new MappingError("LIMIT", `$pad 宽度超过上限 ${maxLen}`);
    const str = s === undefined ? "" : String(s);
    const fill = ch === undefined || ch === "" ? " " : ch;
    const need = Math.abs(width) - Array.from(str).length;
    if (need <= 0) return str;
    const padding = fill.repeat(Math.ceil(need / fill.length)).slice(0, need);
    return width > 0 ? str + padding : padding + str;
  };
  return async (value, rt) => {
    const bindings: Record<string, unknown> = {
      ...merged,
      value,
      record: rt.record,
      vars: rt.vars,
      params: merged,
      pad: safePad,
    };
    let out: unknown;
    try {
      out = await expr.evaluate(value, bindings);
    } catch (e) {
      if (e instanceof MappingError) throw e;
      const err = e as { code?: string; message?: string };
      const code = err.code === "D1011" || err.code === "D1012" || err.code === "D2014" ? "LIMIT" : "PARSER_FAILED";
      throw new MappingError(code, `自定义解析器 ${id} 执行失败: ${err.message ?? String(e)}`);
    }
    if (typeof out === "string" && out.length > rt.limits.maxOutputLength)
      throw new MappingError("LIMIT", `自定义解析器 ${id} 结果长度超过上限 ${rt.limits.maxOutputLength}`);
    // JSONata sequences are arrays with extra flags; hand back plain data
    return out === undefined ? null : Array.isArray(out) ? Array.from(out) : out;
  };
}
