/**
 * compileMapper — field mappings → a fast `map(record, ctx)`.
 *
 * Why this exists: the engine maps every source record into a target document. Everything that can
 * be decided once (templates, expressions, parser params, custom JSONata) is compiled up front;
 * `map` then walks closures. Fields without lookups or custom parsers run fully synchronously (no
 * promise per field). Errors are data: each failing field adds a FieldError (path like
 * `FEntity[2].FAmount`) and is left out of the document; the other fields are still mapped.
 *
 * Per field: value → (empty? default) → required check → coerce to `type` → parser chain.
 * CHOICE: coercion runs before parsers, so `type:"string"` + ConvertObjectParser yields
 * `{"FNumber":"100"}` (the seed's shape); a field whose value is missing (undefined) and has no
 * default is omitted from the document; null is kept as null.
 */
import { MappingError, asMappingError } from "./errors";
import { coerce } from "./coerce";
import { tableRowsToRecords } from "./dingtalk";
import { resolveLimits, type Limits } from "./limits";
import { resolveParser, type ResolvedParser } from "./parsers/registry";
import type { ParserRuntime } from "./parsers/types";
import { FieldMapping as FieldMappingSchema, type CustomParsers, type FieldType } from "./schema";
import type { Scope } from "./scope";
import type { FieldError, FieldMapping, MapContext, MapResult } from "./types";
import { compileValue, evalValue, isAsyncValue, type CompiledValue, type ValueEnv } from "./value";

export interface CompileOptions {
  customParsers?: CustomParsers;
  limits?: Partial<Limits>;
}

interface CField {
  key: string;
  path: string;
  value: CompiledValue | null;
  def: CompiledValue | null;
  type?: FieldType;
  required: boolean;
  parsers: ResolvedParser[];
  mode: "scalar" | "rows" | "object";
  children: CField[];
  rowPrefixes?: string[];
  async: boolean;
}

const OMIT: unique symbol = Symbol("omit");
type Out = unknown | typeof OMIT;

type MaybePromise<T> = T | Promise<T>;
const isPromise = (v: unknown): v is Promise<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
function then<T, R>(v: MaybePromise<T>, f: (x: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromise(v) ? (v as Promise<T>).then(f) : f(v as T);
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "";

/** Compile fields; every problem goes to `errors` (field paths like `FEntity.FAmount`). */
export function compileFields(
  fields: readonly FieldMapping[],
  opts: { customParsers?: CustomParsers; limits: Limits },
  errors: FieldError[],
  parentPath = "",
  depth = 0,
  parentPrefixes: readonly string[] = [],
): CField[] {
  const out: CField[] = [];
  if (depth > opts.limits.maxDepth) {
    errors.push({ field: parentPath, message: `children 嵌套超过 ${opts.limits.maxDepth} 层` });
    return out;
  }
  for (const f of fields) {
    const path = parentPath ? `${parentPath}.${f.field}` : f.field;
    let ok = true;
    const fail = (e: unknown) => {
      ok = false;
      const me = asMappingError(e, "INVALID_MAPPING");
      errors.push({ field: path, message: me.reason });
    };
    let value: CompiledValue | null = null;
    let def: CompiledValue | null = null;
    if (f.value !== undefined && f.value !== "") {
      try {
        value = compileValue(f.value, opts.limits);
      } catch (e) {
        fail(e);
      }
    }
    if (f.default !== undefined) {
      try {
        def = compileValue(f.default, opts.limits);
        if (isAsyncValue(def)) {
          def = null;
          fail(new MappingError("INVALID_MAPPING", "默认值不能包含 _findCollection"));
        }
      } catch (e) {
        fail(e);
      }
    }
    const parsers: ResolvedParser[] = [];
    for (const ref of f.parsers ?? []) {
      try {
        parsers.push(resolveParser(ref, opts.customParsers, opts.limits));
      } catch (e) {
        fail(e);
      }
    }
    let mode: CField["mode"] = "scalar";
    let children: CField[] = [];
    let rowPrefixes: string[] | undefined;
    if (f.children && f.children.length > 0) {
      mode = f.type === "object" || !value ? "object" : "rows";
      if (value && value.kind === "template" && value.t.single && value.t.single.pipes.length === 0) {
        const p = value.t.single.ref.path;
        // a nested entry can be addressed relative to its row (`lines.g`) or from the top (`orders.lines.g`)
        rowPrefixes = [p, ...parentPrefixes.map((pp) => `${pp}.${p}`)];
      }
      children = compileFields(f.children, opts, errors, path, depth + 1, rowPrefixes ?? parentPrefixes);
    }
    if (!ok) continue;
    const async =
      (value !== null && isAsyncValue(value)) || parsers.some((p) => p.async) || children.some((c) => c.async);
    out.push({ key: f.field, path, value, def, type: f.type, required: f.required === true, parsers, mode, children, rowPrefixes, async });
  }
  return out;
}

const asyncCache = new WeakMap<CField[], boolean>();
function anyAsync(fields: CField[]): boolean {
  let a = asyncCache.get(fields);
  if (a === undefined) asyncCache.set(fields, (a = fields.some((f) => f.async)));
  return a;
}

class Runner {
  constructor(
    private readonly limits: Limits,
    private readonly fields: CField[],
  ) {}

  map(record: Record<string, unknown>, ctx: MapContext): MaybePromise<MapResult> {
    const errors: FieldError[] = [];
    const env: ValueEnv = { vars: ctx.vars ?? {}, findCollection: ctx.findCollection };
    const doc = this.object(this.fields, { record }, env, errors, "");
    return then(doc, (d) => ({ doc: d, errors }));
  }

  private object(fields: CField[], scope: Scope, env: ValueEnv, errors: FieldError[], prefix: string): MaybePromise<Record<string, unknown>> {
    const doc: Record<string, unknown> = {};
    if (!anyAsync(fields)) {
      for (const cf of fields) {
        const v = this.field(cf, scope, env, errors, prefix);
        if (v !== OMIT) doc[cf.key] = v;
      }
      return doc;
    }
    // with async fields: errors are collected per field and merged in field order (deterministic reports)
    const perField: FieldError[][] = [];
    const pending: Promise<void>[] = [];
    fields.forEach((cf, i) => {
      const errs: FieldError[] = (perField[i] = []);
      const v = this.field(cf, scope, env, errs, prefix);
      if (isPromise(v)) {
        doc[cf.key] = undefined; // reserve the slot: key order follows the mapping
        pending.push(
          (v as Promise<Out>).then((x) => {
            if (x === OMIT) delete doc[cf.key];
            else doc[cf.key] = x;
          }),
        );
      } else if (v !== OMIT) doc[cf.key] = v;
    });
    return Promise.all(pending).then(() => {
      for (const errs of perField) errors.push(...errs);
      return doc;
    });
  }

  private field(cf: CField, scope: Scope, env: ValueEnv, errors: FieldError[], prefix: string): MaybePromise<Out> {
    if (!cf.async) {
      // hot path: no closures, no promises
      try {
        const raw = cf.value ? evalValue(cf.value, scope, env, this.limits) : undefined;
        return this.finish(cf, raw, scope, env, errors, prefix) as Out;
      } catch (e) {
        return this.fail(e, cf, errors, prefix);
      }
    }
    try {
      const raw = cf.value ? evalValue(cf.value, scope, env, this.limits) : undefined;
      const r = then(raw, (v) => this.finish(cf, v, scope, env, errors, prefix));
      return isPromise(r) ? (r as Promise<Out>).catch((e: unknown) => this.fail(e, cf, errors, prefix)) : r;
    } catch (e) {
      return this.fail(e, cf, errors, prefix);
    }
  }

  private fail(e: unknown, cf: CField, errors: FieldError[], prefix: string): Out {
    const me = asMappingError(e, "PARSER_FAILED");
    errors.push({ field: prefix ? `${prefix}.${cf.key}` : cf.key, message: me.reason });
    return OMIT;
  }

  private finish(cf: CField, raw: unknown, scope: Scope, env: ValueEnv, errors: FieldError[], prefix: string): MaybePromise<Out> {
    let v = raw;
    if (isEmpty(v) && cf.def) v = evalValue(cf.def, scope, env, this.limits);
    if (cf.mode !== "scalar") return this.nested(cf, v, scope, env, errors, prefix ? `${prefix}.${cf.key}` : cf.key);
    if (v === undefined && !cf.required) return OMIT;
    if (cf.type && v !== undefined) v = coerce(v, cf.type);
    if (cf.required && isEmpty(v)) throw new MappingError("REQUIRED", "必填，但值为空");
    if (cf.parsers.length === 0) return v;
    const rt: ParserRuntime = { field: prefix ? `${prefix}.${cf.key}` : cf.key, record: scope.record, vars: env.vars, limits: this.limits };
    return this.chain(cf.parsers, 0, v, rt);
  }

  private nested(cf: CField, v: unknown, scope: Scope, env: ValueEnv, errors: FieldError[], path: string): MaybePromise<Out> {
    if (cf.mode === "rows") return this.rows(cf, v, scope, env, errors, path);
    let inner = scope;
    if (cf.value) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) {
        if (cf.required) throw new MappingError("REQUIRED", "必填，但值为空");
        if (v === undefined || v === null) return OMIT;
        throw new MappingError("COERCE", "应为对象");
      }
      inner = { record: v, rowPrefixes: cf.rowPrefixes, parent: scope };
    }
    return this.object(cf.children, inner, env, errors, path);
  }

  private chain(ps: ResolvedParser[], i: number, v: unknown, rt: ParserRuntime): MaybePromise<unknown> {
    for (let j = i; j < ps.length; j++) {
      const p = ps[j];
      if (isEmpty(v) && !p.handlesEmpty) continue;
      const out = p.fn(v, rt);
      if (isPromise(out)) return (out as Promise<unknown>).then((x) => this.chain(ps, j + 1, x, rt));
      v = out;
    }
    return v;
  }

  private rows(cf: CField, v: unknown, scope: Scope, env: ValueEnv, errors: FieldError[], path: string): MaybePromise<Out> {
    let rows: unknown[] | undefined;
    if (Array.isArray(v)) rows = tableRowsToRecords(v) ?? v;
    else if (typeof v === "string") {
      if (v.trim() === "") rows = [];
      else {
        rows = tableRowsToRecords(v);
        if (!rows) {
          try {
            const parsed: unknown = JSON.parse(v);
            rows = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === "object" ? [parsed] : undefined;
          } catch {
            rows = undefined;
          }
          if (!rows) throw new MappingError("COERCE", "明细来源应为数组或 JSON 数组文本");
        }
      }
    } else if (v !== null && typeof v === "object") rows = [v];
    else if (v === undefined || v === null) rows = undefined;
    else throw new MappingError("COERCE", "明细来源应为数组");
    if (!rows || rows.length === 0) {
      if (cf.required) throw new MappingError("REQUIRED", "明细必填，但没有行");
      return rows ? [] : OMIT;
    }
    if (rows.length > this.limits.maxRows) throw new MappingError("LIMIT", `明细行数 ${rows.length} 超过上限 ${this.limits.maxRows}`);
    const out: MaybePromise<Record<string, unknown>>[] = rows.map((row, i) =>
      this.object(cf.children, { record: row, rowPrefixes: cf.rowPrefixes, parent: scope }, env, errors, `${path}[${i}]`),
    );
    return out.some(isPromise) ? Promise.all(out) : out;
  }
}

export interface Mapper {
  map(record: Record<string, unknown>, ctx: MapContext): Promise<MapResult>;
  /** synchronous map when the mapping has no lookups / custom parsers (throws otherwise) */
  mapSync(record: Record<string, unknown>, ctx: MapContext): MapResult;
  readonly async: boolean;
}

/** Validate input shape with zod; issues become FieldErrors with paths like `[2].children[0].field`. */
export function parseFields(fields: unknown): { fields: FieldMapping[]; errors: FieldError[] } {
  const r = FieldMappingSchema.array().safeParse(fields);
  if (r.success) return { fields: r.data, errors: [] };
  return {
    fields: [],
    errors: r.error.issues.map((i) => ({
      field: i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, ""),
      message: `映射格式错误: ${i.message}`,
    })),
  };
}

/**
 * Compile once, map many. Throws MappingError(INVALID_MAPPING, { errors }) when the mapping itself is
 * invalid (the same problems validateMapping reports); per-record problems are returned as data.
 */
export function compileMapper(fields: FieldMapping[], opts: CompileOptions = {}): Mapper {
  const limits = resolveLimits(opts.limits);
  const parsed = parseFields(fields);
  const errors = parsed.errors;
  if (errors.length === 0) {
    const compiled = compileFields(parsed.fields, { customParsers: opts.customParsers, limits }, errors);
    if (errors.length === 0) {
      const runner = new Runner(limits, compiled);
      const async = compiled.some((c) => c.async);
      return {
        async,
        map(record, ctx) {
          try {
            return Promise.resolve(runner.map(record ?? {}, ctx ?? { vars: {} }));
          } catch (e) {
            return Promise.reject(asMappingError(e));
          }
        },
        mapSync(record, ctx) {
          const r = runner.map(record ?? {}, ctx ?? { vars: {} });
          if (isPromise(r)) throw new MappingError("INVALID_MAPPING", "此映射含 _findCollection 或自定义解析器，请使用 map()");
          return r as MapResult;
        },
      };
    }
  }
  throw new MappingError(
    "INVALID_MAPPING",
    `映射配置有 ${errors.length} 处错误: ${errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`).join("; ")}`,
    { errors },
  );
}
