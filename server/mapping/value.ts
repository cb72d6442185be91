/**
 * Mapping values: constant, template, `_function` expression or `_findCollection` lookup.
 *
 * Why this exists: one compile step decides what a `value` string is, so the mapper, request
 * parameters (resolveTemplate) and save-time validation agree; the compiled form is evaluated per
 * record without re-parsing. Only values containing a lookup are asynchronous.
 */
import { MappingError } from "./errors";
import type { CompiledExpression } from "./expr/ast";
import { evaluateExpression } from "./expr/evaluate";
import { parseExpression } from "./expr/parser";
import { parseFind, runFind, type FindFn, type FindSpec } from "./find";
import type { Limits } from "./limits";
import type { EvalEnv, Scope } from "./scope";
import { compileTemplate, renderTemplate, type CompiledTemplate, type Placeholder } from "./template";

export type CompiledValue =
  | { kind: "const"; value: string }
  | { kind: "template"; t: CompiledTemplate }
  | { kind: "function"; e: CompiledExpression }
  | { kind: "find"; spec: FindSpec };

export interface ValueEnv extends EvalEnv {
  findCollection?: FindFn;
}

function keyword(s: string, kw: string): string | null {
  const t = s.trimStart();
  if (!t.startsWith(kw)) return null;
  const rest = t.slice(kw.length);
  if (rest !== "" && !/^\s/.test(rest)) return null;
  return rest;
}

export function compileValue(source: string, limits: Limits): CompiledValue {
  const fn = keyword(source, "_function");
  if (fn !== null) return { kind: "function", e: parseExpression(fn.trim(), limits) };
  const find = keyword(source, "_findCollection");
  if (find !== null) {
    const end = find.toLowerCase().lastIndexOf("_endfind");
    return { kind: "find", spec: parseFind(end >= 0 ? find.slice(0, end) : find, limits) };
  }
  if (keyword(source, "_mongoQuery") !== null)
    throw new MappingError("EXPR_UNSUPPORTED", "_mongoQuery 不受支持，请改用 _findCollection");
  const t = compileTemplate(source, limits);
  return t.constant !== null ? { kind: "const", value: t.constant } : { kind: "template", t };
}

export function valuePlaceholders(cv: CompiledValue): Placeholder[] {
  switch (cv.kind) {
    case "const":
      return [];
    case "template":
      return cv.t.placeholders;
    case "function":
      return cv.e.placeholders;
    case "find":
      return cv.spec.where.flatMap((w) => w.value.placeholders);
  }
}

export function isAsyncValue(cv: CompiledValue): boolean {
  return cv.kind === "find" || (cv.kind === "function" && cv.e.finds.length > 0);
}

/** CHOICE: "now" for NOW()/UNIX_TIMESTAMP() is ctx.vars.CURRENT_TIME (unix seconds) when given, so one run is consistent. */
export function nowOf(env: EvalEnv): number {
  const ct = env.vars?.CURRENT_TIME;
  const n = typeof ct === "number" ? ct : typeof ct === "string" && /^\d+$/.test(ct) ? Number(ct) : NaN;
  if (Number.isFinite(n)) return n < 1e11 ? n * 1000 : n;
  return Date.now();
}

/** Evaluate; returns a Promise only for values that contain a lookup. Throws MappingError. */
export function evalValue(cv: CompiledValue, scope: Scope, env: ValueEnv, limits: Limits): unknown {
  switch (cv.kind) {
    case "const":
      return cv.value;
    case "template":
      return renderTemplate(cv.t, scope, env, limits);
    case "find":
      return runFind(cv.spec, scope, env, env.findCollection);
    case "function": {
      if (cv.e.finds.length === 0) return evaluateExpression(cv.e, scope, env, [], limits, nowOf(env));
      return (async () => {
        const results: unknown[] = [];
        for (const f of cv.e.finds) results.push(await runFind(f, scope, env, env.findCollection));
        return evaluateExpression(cv.e, scope, env, results, limits, nowOf(env));
      })();
    }
  }
}
