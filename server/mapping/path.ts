/**
 * Field paths: `name`, `details_list.goods_no`, `rows[0].qty`, `金额`.
 *
 * Why this exists: templates, filters, validation and cleaning rules all address source fields by
 * path. One implementation keeps them consistent: own properties only (no `__proto__`/`constructor`
 * surprises), numeric segments index arrays, and a non-numeric segment applied to an array maps over
 * its rows (`details_list.goods_no` on a whole record → array of goods_no).
 */
import { MappingError } from "./errors";

export type PathSegment = string | number;

const hasOwn = Object.prototype.hasOwnProperty;

/** Parse `a.b[0].c` into segments. Throws MappingError(TEMPLATE_SYNTAX) on malformed paths. */
export function parsePath(path: string): PathSegment[] {
  const segs: PathSegment[] = [];
  let i = 0;
  let cur = "";
  const n = path.length;
  const pushCur = () => {
    const t = cur.trim();
    if (t === "") throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 含空字段名`);
    segs.push(t);
    cur = "";
  };
  let afterBracket = false;
  while (i < n) {
    const c = path[i];
    if (c === ".") {
      if (afterBracket) afterBracket = false;
      else pushCur();
      i++;
      if (i >= n) throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 以 '.' 结尾`);
    } else if (c === "[") {
      if (!afterBracket) {
        if (cur.trim() !== "") pushCur();
        else if (segs.length === 0) throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 以 '[' 开头`);
      }
      const close = path.indexOf("]", i);
      if (close < 0) throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 缺少 ']'`);
      const idx = path.slice(i + 1, close).trim();
      if (!/^\d{1,9}$/.test(idx)) throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 的下标 '${idx}' 不是非负整数`);
      segs.push(Number(idx));
      i = close + 1;
      afterBracket = true;
      if (i < n && path[i] !== "." && path[i] !== "[")
        throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 在 ']' 后应为 '.' 或 '['`);
    } else {
      if (afterBracket) throw new MappingError("TEMPLATE_SYNTAX", `路径 '${path}' 在 ']' 后应为 '.' 或 '['`);
      cur += c;
      i++;
    }
  }
  if (!afterBracket) pushCur();
  return segs;
}

/** Read one segment of a value (own properties only; arrays by index, or mapped for names). */
function step(v: unknown, seg: PathSegment): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (typeof seg === "number") return v[seg];
    if (/^\d+$/.test(seg)) return v[Number(seg)];
    // CHOICE: a field name applied to an array maps over its rows (Qeasy `details_list.goods_no`).
    const out: unknown[] = [];
    for (const row of v) {
      const r = step(row, seg);
      if (r !== undefined) out.push(r);
    }
    return out;
  }
  if (typeof v === "object") {
    const key = String(seg);
    return hasOwn.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return undefined;
}

export function getPath(value: unknown, segs: readonly PathSegment[]): unknown {
  let v = value;
  for (let i = 0; i < segs.length; i++) {
    v = step(v, segs[i]);
    if (v === undefined) return undefined;
  }
  return v;
}

/** Compile a path into a fast getter. Keys that literally contain dots (`FCreateOrgId.FNumber`) win. */
export function compilePath(path: string): (v: unknown) => unknown {
  const segs = parsePath(path);
  if (segs.length === 1) {
    const k = String(segs[0]);
    return (v) =>
      v !== null && typeof v === "object" && !Array.isArray(v) && hasOwn.call(v, k)
        ? (v as Record<string, unknown>)[k]
        : Array.isArray(v)
          ? step(v, segs[0])
          : undefined;
  }
  const whole = path.trim();
  return (v) => {
    // CHOICE: a key that literally equals the dotted path (K3Cloud `FCreateOrgId.FNumber` columns) wins.
    if (v !== null && typeof v === "object" && !Array.isArray(v) && hasOwn.call(v, whole))
      return (v as Record<string, unknown>)[whole];
    return getPath(v, segs);
  };
}

export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__" || key === "constructor" || key === "prototype") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}
