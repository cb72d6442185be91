/**
 * A tiny placeholder resolver for request templates: `{{PAGINATION_PAGE_SIZE}}`, `{{params.code}}`,
 * `{{options.formId}}`, `{{DETAIL_ID}}`, with the pipes `|json` (JSON text) and `|csv` (join arrays).
 *
 * Why this exists: request bodies in definitions are data with holes; the full mapping language
 * (server/mapping) is for records, not for requests, and the connector layer must not depend on it.
 * A string that is exactly one placeholder keeps the value's type (numbers stay numbers); a string
 * with text around placeholders is interpolated; an unknown name resolves to undefined (then dropped).
 */
import { getPath } from "./json-path";

export type TemplateVars = Record<string, unknown>;

const WHOLE = /^\{\{\s*([^{}|]+?)\s*(?:\|\s*(\w+)\s*)?\}\}$/;
const ANY = /\{\{\s*([^{}|]+?)\s*(?:\|\s*(\w+)\s*)?\}\}/g;

function lookup(vars: TemplateVars, name: string): unknown {
  if (name in vars) return vars[name];
  const v = getPath(vars, name);
  if (v !== undefined) return v;
  // bare names fall back to request params (what a node sets in the designer)
  const params = vars.params;
  if (params && typeof params === "object") return getPath(params, name);
  return undefined;
}

function pipe(value: unknown, filter: string | undefined): unknown {
  if (!filter) return value;
  switch (filter) {
    case "json":
      return JSON.stringify(value ?? null);
    case "csv":
      return Array.isArray(value) ? value.join(",") : value;
    case "string":
      return value === undefined || value === null ? value : String(value);
    case "number":
      return value === undefined || value === null || value === "" ? value : Number(value);
    default:
      throw new Error(`unknown template pipe |${filter}`);
  }
}

function toText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function resolveString(template: string, vars: TemplateVars): unknown {
  const whole = WHOLE.exec(template);
  if (whole) return pipe(lookup(vars, whole[1]), whole[2]);
  if (!template.includes("{{")) return template;
  return template.replace(ANY, (_m, name: string, filter: string | undefined) => toText(pipe(lookup(vars, name), filter)));
}

/** Resolves every string in a JSON template tree. Object fields resolving to undefined are omitted. */
export function resolveTemplate(template: unknown, vars: TemplateVars): unknown {
  if (typeof template === "string") return resolveString(template, vars);
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, vars));
  if (template && typeof template === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, t] of Object.entries(template as Record<string, unknown>)) {
      const v = resolveTemplate(t, vars);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return template;
}

/** Removes top-level fields that are null, undefined or "" (Guanyi drops them before signing). */
export function dropEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== "") out[k] = v;
  return out;
}
