/**
 * Templates: `{{name}}`, `{code}`, `客户-{{code}}-{{name}}`, `{{LAST_SYNC_TIME|datetime}}`.
 *
 * Why this exists: most mapping values and request parameters are templates. They are compiled once
 * (a hand-written scanner, no regex substitution) into literal parts and references; a template that
 * is exactly one placeholder keeps the value's type, mixed text yields a string.
 *
 * CHOICE: single braces `{x}` are a placeholder only when `x` is an identifier path (letters incl.
 * Chinese, digits, `_`, `$`, dots, `[n]`), optionally with pipes; anything else (`{"FNumber":"100"}`,
 * `{0}`, `{ a b }`) stays literal text. `\{` and `\}` are literal braces.
 */
import { MappingError, asMappingError } from "./errors";
import type { Limits } from "./limits";
import { DEFAULT_LIMITS } from "./limits";
import { compileRef, lookup, type EvalEnv, type Ref, type Scope } from "./scope";
import { formatDate, formatDateTime, toEpochMs } from "./time";

export const PIPES = ["datetime", "date", "timestamp_ms", "timestamp"] as const;
export type Pipe = (typeof PIPES)[number];

export interface Placeholder {
  ref: Ref;
  pipes: Pipe[];
  raw: string;
}

export type TemplatePart = string | Placeholder;

export interface CompiledTemplate {
  source: string;
  parts: TemplatePart[];
  /** the template is exactly one placeholder (type-preserving) */
  single: Placeholder | null;
  /** no placeholders: the literal text */
  constant: string | null;
  placeholders: Placeholder[];
}

const IDENT_PATH = /^[\p{L}_$][\p{L}\p{N}_$]*(?:\.[\p{L}\p{N}_$]+|\[\d+\])*$/u;

function parsePlaceholder(inner: string, raw: string, strict: boolean): Placeholder | null {
  const pieces = inner.split("|");
  const path = pieces[0].trim();
  if (strict && !IDENT_PATH.test(path)) return null;
  if (path === "") throw new MappingError("TEMPLATE_SYNTAX", `占位符 '${raw}' 缺少字段名`);
  if (/[{}]/.test(path)) throw new MappingError("TEMPLATE_SYNTAX", `占位符 '${raw}' 含多余的花括号`);
  const pipes: Pipe[] = [];
  for (const p of pieces.slice(1)) {
    const name = p.trim();
    if (!(PIPES as readonly string[]).includes(name)) {
      if (strict) return null;
      throw new MappingError("TEMPLATE_SYNTAX", `占位符 '${raw}' 的格式化 '${name}' 不支持（可用: ${PIPES.join(", ")}）`);
    }
    pipes.push(name as Pipe);
  }
  return { ref: compileRef(path), pipes, raw };
}

export function compileTemplate(source: string, limits: Limits = DEFAULT_LIMITS): CompiledTemplate {
  if (source.length > limits.maxTemplateLength)
    throw new MappingError("LIMIT", `模板长度 ${source.length} 超过上限 ${limits.maxTemplateLength}`);
  const parts: TemplatePart[] = [];
  const placeholders: Placeholder[] = [];
  let lit = "";
  let i = 0;
  const n = source.length;
  const push = (ph: Placeholder) => {
    if (lit) parts.push(lit);
    lit = "";
    parts.push(ph);
    placeholders.push(ph);
  };
  while (i < n) {
    const c = source[i];
    if (c === "\\" && (source[i + 1] === "{" || source[i + 1] === "}")) {
      lit += source[i + 1];
      i += 2;
      continue;
    }
    if (c === "{" && source[i + 1] === "{") {
      const close = source.indexOf("}}", i + 2);
      if (close < 0) throw new MappingError("TEMPLATE_SYNTAX", `模板 '${clip(source)}' 在位置 ${i} 有未闭合的 '{{'`);
      const raw = source.slice(i, close + 2);
      const inner = source.slice(i + 2, close);
      if (inner.includes("{{")) throw new MappingError("TEMPLATE_SYNTAX", `模板 '${clip(source)}' 在位置 ${i} 有嵌套的 '{{'`);
      const ph = parsePlaceholder(inner, raw, false);
      if (ph) push(ph);
      i = close + 2;
      continue;
    }
    if (c === "{") {
      const close = source.indexOf("}", i + 1);
      if (close > 0 && close - i <= 256) {
        const raw = source.slice(i, close + 1);
        const inner = source.slice(i + 1, close);
        if (!inner.includes("{")) {
          const ph = parsePlaceholder(inner, raw, true);
          if (ph) {
            push(ph);
            i = close + 1;
            continue;
          }
        }
      }
    }
    lit += c;
    i++;
  }
  if (lit) parts.push(lit);
  const single = parts.length === 1 && typeof parts[0] !== "string" ? parts[0] : null;
  const constant = placeholders.length === 0 ? parts.join("") : null;
  return { source, parts, single, constant, placeholders };
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function applyPipes(v: unknown, pipes: readonly Pipe[], raw: string): unknown {
  let out = v;
  for (const p of pipes) {
    if (out === undefined || out === null || out === "") return out;
    const ms = toEpochMs(out);
    if (ms === undefined) throw new MappingError("COERCE", `占位符 ${raw}: '${String(out)}' 不是有效时间`);
    switch (p) {
      case "datetime":
        out = formatDateTime(ms);
        break;
      case "date":
        out = formatDate(ms);
        break;
      case "timestamp_ms":
        out = ms;
        break;
      case "timestamp":
        out = Math.floor(ms / 1000);
        break;
    }
  }
  return out;
}

export function evalPlaceholder(ph: Placeholder, scope: Scope, env: EvalEnv): unknown {
  const v = lookup(ph.ref, scope, env);
  return ph.pipes.length ? applyPipes(v, ph.pipes, ph.raw) : v;
}

/** Text form of a value inside mixed text: null/undefined → "", objects → JSON. */
export function toText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v instanceof Date) return formatDateTime(v.getTime());
  try {
    return JSON.stringify(v) ?? "";
  } catch (e) {
    throw asMappingError(e, "COERCE");
  }
}

export function renderTemplate(t: CompiledTemplate, scope: Scope, env: EvalEnv, limits: Limits = DEFAULT_LIMITS): unknown {
  if (t.constant !== null) return t.constant;
  if (t.single) return evalPlaceholder(t.single, scope, env);
  let s = "";
  for (const part of t.parts) {
    s += typeof part === "string" ? part : toText(evalPlaceholder(part, scope, env));
    if (s.length > limits.maxOutputLength)
      throw new MappingError("LIMIT", `模板结果长度超过上限 ${limits.maxOutputLength}`);
  }
  return s;
}
