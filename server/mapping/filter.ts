/**
 * compileFilter — Qeasy `condition`: OR of AND-groups of `{field, logic, value}` clauses.
 *
 * Why this exists: sources return more than the scheme wants (e.g. only COMPLETED + agree approvals);
 * the filter runs after fetching, before validation and mapping. Compiled once into closures.
 *
 * Semantics (Qeasy documents the operator names only, so these are CHOICEs):
 * - `eq`: loose — numeric when both sides are numeric ("1.0" eq 1), else text equality; missing = "".
 * - `eqv2`: exact text equality, no numeric normalisation ("1.0" ≠ "1").
 * - `in`/`notin`: value is an array or a comma-separated string; membership uses `eq`.
 * - `gt`/`egt`/`lt`/`elt`: numeric if both numeric, else dates if both parse as dates, else text.
 * - `like`: SQL LIKE with `%`/`_` when the pattern has wildcards, else "contains".
 * - `isNull`: undefined, null or ""; `notNull` the opposite.
 * - A field that resolves to an array (path over rows) matches when any element matches
 *   (for `neq`/`notin`: when no element equals).
 * An empty condition accepts every record.
 */
import { MappingError } from "./errors";
import { like } from "./expr/values";
import { compilePath } from "./path";
import { Condition, type ConditionClause } from "./schema";
import { toText } from "./template";
import { toEpochMs } from "./time";

const NUM_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const asNum = (v: unknown): number | undefined =>
  typeof v === "number" ? v : typeof v === "string" && NUM_RE.test(v.trim()) ? Number(v.trim()) : undefined;

export function looseEq(a: unknown, b: unknown): boolean {
  const x = asNum(a);
  const y = asNum(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (typeof a === "boolean" || typeof b === "boolean") return toText(a).toLowerCase() === toText(b).toLowerCase();
  return toText(a) === toText(b);
}

function order(a: unknown, b: unknown): number | undefined {
  if (a === undefined || a === null || a === "") return undefined;
  const x = asNum(a);
  const y = asNum(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === "string" && typeof b === "string") {
    const da = toEpochMs(a);
    const db = toEpochMs(b);
    if (da !== undefined && db !== undefined) return da - db;
  }
  const s = toText(a);
  const t = toText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function listOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return v.split(",").map((s) => s.trim());
  return v === undefined ? [] : [v];
}

type Pred = (v: unknown) => boolean;

function clausePred(c: ConditionClause): { pred: Pred; negative: boolean } {
  const want = c.value;
  switch (c.logic) {
    case "eq":
      return { pred: (v) => looseEq(v ?? "", want ?? ""), negative: false };
    case "eqv2": {
      const w = toText(want);
      return { pred: (v) => toText(v) === w, negative: false };
    }
    case "neq":
      return { pred: (v) => looseEq(v ?? "", want ?? ""), negative: true };
    case "in": {
      const list = listOf(want);
      return { pred: (v) => list.some((w) => looseEq(v ?? "", w)), negative: false };
    }
    case "notin": {
      const list = listOf(want);
      return { pred: (v) => list.some((w) => looseEq(v ?? "", w)), negative: true };
    }
    case "gt":
      return { pred: (v) => (order(v, want) ?? -Infinity) > 0, negative: false };
    case "egt":
      return { pred: (v) => (order(v, want) ?? -Infinity) >= 0, negative: false };
    case "lt":
      return { pred: (v) => (order(v, want) ?? Infinity) < 0, negative: false };
    case "elt":
      return { pred: (v) => (order(v, want) ?? Infinity) <= 0, negative: false };
    case "like": {
      const p = toText(want);
      const wild = /[%_]/.test(p);
      return { pred: (v) => (v === undefined || v === null ? false : wild ? like(toText(v), p) : toText(v).includes(p)), negative: false };
    }
    case "isNull":
      return { pred: (v) => v === undefined || v === null || v === "", negative: false };
    case "notNull":
      return { pred: (v) => v === undefined || v === null || v === "", negative: true };
  }
}

export function compileFilter(condition: Condition | unknown): (record: Record<string, unknown>) => boolean {
  const parsed = Condition.safeParse(condition ?? []);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `condition${i.path.map((p) => `[${String(p)}]`).join("")}: ${i.message}`).join("; ");
    throw new MappingError("INVALID_INPUT", `过滤条件格式错误: ${msg}`);
  }
  const groups = parsed.data.map((g) =>
    g.map((c) => {
      const get = compilePath(c.field);
      const { pred, negative } = clausePred(c);
      return (r: Record<string, unknown>): boolean => {
        const v = get(r);
        if (Array.isArray(v) && c.field.includes(".")) {
          const any = v.some(pred);
          return negative ? !any : any;
        }
        if (Array.isArray(v) && (c.logic === "isNull" || c.logic === "notNull")) return negative ? v.length > 0 : v.length === 0;
        const hit = pred(v);
        return negative ? !hit : hit;
      };
    }),
  );
  if (groups.length === 0) return () => true;
  return (record) => {
    const r = record ?? {};
    for (const g of groups) {
      let ok = true;
      for (const c of g)
        if (!c(r)) {
          ok = false;
          break;
        }
      if (ok) return true;
    }
    return false;
  };
}
