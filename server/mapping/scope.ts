/**
 * Evaluation scope: which record (and parent records) a placeholder reads from.
 *
 * Why this exists: inside an entry table (`children`) a template such as `{{details_list.goods_no}}`
 * or `{{goods_no}}` must read the current row, while `{{code}}` may still read the header record.
 * A scope chain (row → header) with the row's array path as prefix gives both without copying records.
 */
import { compilePath, getPath, parsePath } from "./path";

export interface Scope {
  record: unknown;
  /**
   * paths of the array this row came from (e.g. ["details_list"], or ["lines", "orders.lines"] for a
   * nested entry), stripped from row-relative paths
   */
  rowPrefixes?: readonly string[];
  parent?: Scope;
}

export interface EvalEnv {
  vars: Record<string, unknown>;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A compiled reference to a field or context variable. */
export interface Ref {
  path: string;
  root: string;
  get: (v: unknown) => unknown;
  rest: ((v: unknown) => unknown) | null;
  /** getters for the part after a row prefix, compiled lazily per prefix */
  prefixed: Map<string, ((v: unknown) => unknown) | null>;
}

export function compileRef(path: string): Ref {
  const p = path.trim();
  const segs = parsePath(p);
  const root = String(segs[0]);
  const restSegs = segs.slice(1);
  return {
    path: p,
    root,
    get: compilePath(p),
    rest: restSegs.length > 0 ? (v: unknown) => getPath(v, restSegs) : null,
    prefixed: new Map(),
  };
}

function prefixedGetter(ref: Ref, prefix: string): ((v: unknown) => unknown) | null {
  let g = ref.prefixed.get(prefix);
  if (g !== undefined) return g;
  g = ref.path.startsWith(`${prefix}.`) ? compilePath(ref.path.slice(prefix.length + 1)) : null;
  if (ref.prefixed.size < 16) ref.prefixed.set(prefix, g);
  return g;
}

/**
 * Resolve a reference. CHOICE: a name defined in `ctx.vars` (LAST_SYNC_TIME, CURRENT_TIME,
 * PAGINATION_*) wins over a record field of the same name; otherwise the innermost scope that has
 * the value wins (row first, then header).
 */
export function lookup(ref: Ref, scope: Scope, env: EvalEnv): unknown {
  const vars = env.vars;
  if (vars && hasOwn.call(vars, ref.root)) {
    const v = vars[ref.root];
    return ref.rest ? ref.rest(v) : v;
  }
  let s: Scope | undefined = scope;
  while (s) {
    if (s.rowPrefixes) {
      for (const prefix of s.rowPrefixes) {
        if (ref.path === prefix) return s.record;
        const g = prefixedGetter(ref, prefix);
        if (g) {
          const v = g(s.record);
          if (v !== undefined) return v;
        }
      }
    }
    const v = ref.get(s.record);
    if (v !== undefined) return v;
    s = s.parent;
  }
  return undefined;
}
