/**
 * validateMapping / templateVariables / resolveTemplate — save-time checks and request templates.
 *
 * Why this exists: the designer and the flow compiler must reject a broken mapping when it is saved
 * (unknown parser, bad params, unsupported `_function`, unknown variable), not in the middle of a run;
 * connectors need the same template language for request parameters (sync, no lookups).
 */
import { MappingError } from "./errors";
import { resolveLimits, type Limits } from "./limits";
import { compileFields, parseFields } from "./mapper";
import type { CustomParsers } from "./schema";
import type { FieldError, FieldMapping, MapContext } from "./types";
import { compileValue, evalValue, valuePlaceholders, type CompiledValue } from "./value";

export interface ValidateOptions {
  /** source field names (top-level); when given, references to other names are reported */
  knownFields?: string[];
  /** context variables available (LAST_SYNC_TIME, …); when given, UPPER_SNAKE names outside it are reported */
  knownVars?: string[];
  customParsers?: CustomParsers;
  limits?: Partial<Limits>;
}

const VAR_LIKE = /^[A-Z][A-Z0-9_]*$/;

export function validateMapping(fields: FieldMapping[], opts: ValidateOptions = {}): FieldError[] {
  const limits = resolveLimits(opts.limits);
  const parsed = parseFields(fields);
  if (parsed.errors.length) return parsed.errors;
  fields = parsed.fields;
  const errors: FieldError[] = [];
  compileFields(fields, { customParsers: opts.customParsers, limits }, errors);
  const fieldSet = opts.knownFields ? new Set(opts.knownFields) : null;
  const varSet = opts.knownVars ? new Set(opts.knownVars) : null;
  const walk = (list: readonly FieldMapping[], parent: string, inRows: boolean) => {
    const seen = new Set<string>();
    for (const f of list) {
      const path = parent ? `${parent}.${f.field}` : f.field;
      if (seen.has(f.field)) errors.push({ field: path, message: `目标字段 ${f.field} 重复` });
      seen.add(f.field);
      for (const src of [f.value, f.default]) {
        if (src === undefined || src === "") continue;
        let cv: CompiledValue;
        try {
          cv = compileValue(src, limits);
        } catch {
          continue; // already reported by compileFields
        }
        for (const ph of valuePlaceholders(cv)) {
          const root = ph.ref.root;
          if (varSet && varSet.has(root)) continue;
          if (fieldSet && !inRows) {
            if (!fieldSet.has(root) && !fieldSet.has(ph.ref.path))
              errors.push({ field: path, message: `未知${VAR_LIKE.test(root) && varSet ? "变量" : "字段"} ${ph.raw}` });
          } else if (varSet && VAR_LIKE.test(root) && !(fieldSet?.has(root) ?? false)) {
            errors.push({ field: path, message: `未知变量 ${ph.raw}（可用: ${[...varSet].join(", ")}）` });
          }
        }
      }
      if (f.children?.length) walk(f.children, path, inRows || (f.value !== undefined && f.value !== "" && f.type !== "object"));
    }
  };
  walk(fields, "", false);
  return errors;
}

/** Names (paths) a template / expression references, in order, without duplicates. [] when it does not compile. */
export function templateVariables(template: string): string[] {
  let cv: CompiledValue;
  try {
    cv = compileValue(template, resolveLimits());
  } catch {
    return [];
  }
  return [...new Set(valuePlaceholders(cv).map((p) => p.ref.path))];
}

const cache = new Map<string, CompiledValue>();

/**
 * Resolve a request-parameter template or `_function` expression against a record and the context.
 * Synchronous; `_findCollection` is not allowed here. Throws MappingError.
 */
export function resolveTemplate(template: string, record: Record<string, unknown>, ctx: MapContext): unknown {
  const limits = resolveLimits();
  let cv = cache.get(template);
  if (!cv) {
    cv = compileValue(template, limits);
    if (cache.size > 2000) cache.clear();
    cache.set(template, cv);
  }
  const v = evalValue(cv, { record: record ?? {} }, { vars: ctx?.vars ?? {} }, limits);
  if (v instanceof Promise) {
    v.catch(() => undefined);
    throw new MappingError("INVALID_MAPPING", "请求参数模板不支持 _findCollection");
  }
  return v;
}
