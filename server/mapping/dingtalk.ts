/**
 * DingTalk approval form → flat record by label.
 *
 * Why this exists: `process_instance.form_component_values` is a list of `{name, value, id,
 * component_type}` whose values are all strings; analysts want to map `{{金额}}`, `{{事由}}`.
 * Table (明细) components carry a JSON string of rows `[{rowValue:[{label,key,value}]}]`; they become
 * arrays of flat row records (`[{"费用类型":"差旅","金额":"100.00"}]`) usable as entry `children`.
 * Handles the old oapi (snake_case) and the v1.0 API (camelCase) shapes.
 */
import { setPath } from "./path";

export interface DingTalkFormOptions {
  /** CHOICE: default "label" — keys are the Chinese labels; "both" adds component ids too */
  keys?: "label" | "id" | "both";
}

const hasOwn = Object.prototype.hasOwnProperty;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Rows of a TableField value (JSON text or already-parsed array) → flat records; undefined if not a table. */
export function tableRowsToRecords(value: unknown, opts: DingTalkFormOptions = {}): Record<string, unknown>[] | undefined {
  let rows: unknown = value;
  if (typeof value === "string") {
    const t = value.trim();
    if (!t.startsWith("[")) return undefined;
    try {
      rows = JSON.parse(t);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(rows)) return undefined;
  const isTable = rows.every((r) => r !== null && typeof r === "object" && Array.isArray((r as { rowValue?: unknown }).rowValue));
  if (!isTable) return undefined;
  const keys = opts.keys ?? "label";
  return rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const cell of (r as { rowValue: unknown[] }).rowValue) {
      if (cell === null || typeof cell !== "object") continue;
      const c = cell as Record<string, unknown>;
      const label = str(c.label) ?? str(c.name);
      const key = str(c.key) ?? str(c.id);
      const v = normalizeValue(c.value, c.componentType ?? c.component_type);
      if (keys !== "id" && label && !hasOwn.call(out, label)) setPath(out, label, v);
      if (keys !== "label" && key && !hasOwn.call(out, key)) setPath(out, key, v);
      if (keys === "label" && !label && key && !hasOwn.call(out, key)) setPath(out, key, v);
    }
    return out;
  });
}

function normalizeValue(v: unknown, componentType: unknown): unknown {
  // CHOICE: DingTalk sends the text "null" for empty optional components; it becomes null.
  if (v === "null") return null;
  if (componentType === "TableField") return tableRowsToRecords(v) ?? v;
  if (typeof v === "string" && v.trimStart().startsWith("[{") && v.includes("rowValue")) return tableRowsToRecords(v) ?? v;
  return v;
}

/**
 * `form_component_values` (or `formComponentValues`) → `{ "报销金额": "100.00", "明细": [{…}], … }`.
 * Accepts the list itself or a process instance / detail response that contains it.
 * CHOICE: when two components share a label, the first wins (the id key still reaches the second with keys "both").
 */
export function dingtalkFormToRecord(input: unknown, opts: DingTalkFormOptions = {}): Record<string, unknown> {
  let list: unknown = input;
  if (list !== null && typeof list === "object" && !Array.isArray(list)) {
    const o = list as Record<string, unknown>;
    list = undefined;
    // the instance itself (whose own `result` is "agree"), an oapi response, or a v1.0 response
    for (const cand of [o, o.process_instance, o.result]) {
      if (cand === null || typeof cand !== "object" || Array.isArray(cand)) continue;
      const c = cand as Record<string, unknown>;
      const l = c.form_component_values ?? c.formComponentValues;
      if (Array.isArray(l)) {
        list = l;
        break;
      }
    }
  }
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  const keys = opts.keys ?? "label";
  for (const item of list) {
    if (item === null || typeof item !== "object") continue;
    const c = item as Record<string, unknown>;
    const label = str(c.name) ?? str(c.label);
    const id = str(c.id);
    const v = normalizeValue(c.value, c.component_type ?? c.componentType);
    if (keys !== "id" && label && !hasOwn.call(out, label)) setPath(out, label, v);
    if ((keys !== "label" || !label) && id && !hasOwn.call(out, id)) setPath(out, id, v);
  }
  return out;
}
