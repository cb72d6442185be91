/**
 * Structural record operations: `beatFlat` (flatten an array into rows) and `splitArray`.
 *
 * Why this exists: Qeasy sources flatten detail arrays (`beatFlat: ["details_list"]`) so one stored
 * record = one detail row, or split a record into one record per element (`splitArray`).
 *
 * CHOICEs (Qeasy leaves these unconfirmed):
 * - flatten: each row = parent fields + element fields prefixed `<key>_` (`details_list_goods_no`)
 *   + `<key>` set to the element itself (so `{{details_list.goods_no}}` still works); the id field
 *   (default `id`) is suffixed `-<n>` with n starting at 1 (option `indexBase`). A record whose
 *   array is missing or empty is kept unchanged.
 * - splitArray: one record per element = parent fields (without the array) overlaid by the element's
 *   fields; id = the element's own `idField` when present, else `<parent id>-<n>`. With `size`, the
 *   array is cut into chunks of `size` elements instead (each output keeps the array key).
 */
import { MappingError } from "./errors";
import { compilePath, setPath } from "./path";

type Rec = Record<string, unknown>;

const MAX_ROWS = 1_000_000;

export interface FlattenOptions {
  path: string;
  idField?: string;
  indexBase?: 0 | 1;
}

function flattenOne(records: Rec[], o: FlattenOptions): Rec[] {
  const get = compilePath(o.path);
  const key = o.path;
  const flatKey = key.replace(/\./g, "_");
  const idField = o.idField ?? "id";
  const base = o.indexBase ?? 1;
  const out: Rec[] = [];
  for (const r of records) {
    const arr = get(r);
    if (!Array.isArray(arr) || arr.length === 0) {
      out.push(r);
      continue;
    }
    arr.forEach((el, i) => {
      const row: Rec = { ...r };
      if (el !== null && typeof el === "object" && !Array.isArray(el))
        for (const [k, v] of Object.entries(el as Rec)) setPath(row, `${flatKey}_${k}`, v);
      else row[flatKey] = el;
      if (!key.includes(".")) row[key] = el;
      const id = r[idField];
      if (id !== undefined && id !== null && id !== "") row[idField] = `${String(id)}-${i + base}`;
      out.push(row);
      if (out.length > MAX_ROWS) throw new MappingError("LIMIT", `展开后记录数超过上限 ${MAX_ROWS}`);
    });
  }
  return out;
}

/** `beatFlat`: flatten each named array in turn. Accepts `["details_list"]`, `"details_list"` or `{path, idField, indexBase}`. */
export function flattenRecords(records: Rec[], beatFlat: string[] | string | FlattenOptions, opts: Omit<FlattenOptions, "path"> = {}): Rec[] {
  const specs: FlattenOptions[] =
    typeof beatFlat === "string"
      ? [{ ...opts, path: beatFlat }]
      : Array.isArray(beatFlat)
        ? beatFlat.map((p) => ({ ...opts, path: p }))
        : [{ ...opts, ...beatFlat }];
  let rs = records;
  for (const s of specs) rs = flattenOne(rs, s);
  return rs;
}

export interface SplitOptions {
  path: string;
  idField?: string;
  size?: number;
  indexBase?: 0 | 1;
}

/** `splitArray` (Qeasy 加工厂). Accepts records or one record, and `arrayKey` or `{path, idField, size}`. */
export function splitArray(records: Rec[] | Rec, arrayKey: string | SplitOptions, idField?: string): Rec[] {
  const o: SplitOptions = typeof arrayKey === "string" ? { path: arrayKey, idField } : { idField, ...arrayKey };
  const list = Array.isArray(records) ? records : [records];
  const get = compilePath(o.path);
  const idKey = o.idField ?? "id";
  const base = o.indexBase ?? 1;
  const out: Rec[] = [];
  for (const r of list) {
    const arr = get(r);
    if (!Array.isArray(arr) || arr.length === 0) {
      out.push(r);
      continue;
    }
    if (o.size !== undefined) {
      const size = Math.max(1, Math.floor(o.size));
      for (let i = 0; i < arr.length; i += size) out.push({ ...r, [o.path]: arr.slice(i, i + size) });
      continue;
    }
    const parent: Rec = { ...r };
    delete parent[o.path];
    arr.forEach((el, i) => {
      const row: Rec = { ...parent };
      if (el !== null && typeof el === "object" && !Array.isArray(el)) for (const [k, v] of Object.entries(el as Rec)) setPath(row, k, v);
      else row[o.path] = el;
      const own = el !== null && typeof el === "object" ? (el as Rec)[idKey] : undefined;
      if (own === undefined || own === null || own === "") {
        const pid = r[idKey];
        if (pid !== undefined && pid !== null && pid !== "") row[idKey] = `${String(pid)}-${i + base}`;
      }
      out.push(row);
    });
    if (out.length > MAX_ROWS) throw new MappingError("LIMIT", `拆分后记录数超过上限 ${MAX_ROWS}`);
  }
  return out;
}
