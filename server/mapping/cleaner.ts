/**
 * compileCleaner — cleaning rules applied to source records before filtering and mapping:
 * drop empty / unknown fields, standardise dates, normalise whitespace and full-width characters,
 * flatten a DingTalk approval form by label, dedupe within a page by id.
 *
 * Why this exists: Chinese business data is messy in predictable ways (全角 digits and commas,
 * U+3000 spaces, `2024/3/1` dates); one ordered rule list fixes it before anything else sees it.
 * Records are copied, never mutated. The returned function takes a page (array) — or one record,
 * in which case page-level rules (dedupe) do nothing.
 */
import { dingtalkFormToRecord } from "./dingtalk";
import { MappingError } from "./errors";
import { setPath } from "./path";
import { CleanRule } from "./schema";
import { compileDateFormat, formatWith, toEpochMs } from "./time";

type Rec = Record<string, unknown>;
type RecFn = (r: Rec) => Rec;

const WS_RUN = /[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+/g;
const WS_EDGE = /^[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+|[\s\u3000\u00a0\u200b\u200c\u200d\ufeff]+$/g;

export function normalizeWhitespace(s: string): string {
  return s.replace(WS_EDGE, "").replace(WS_RUN, " ");
}

/** Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space → half-width. */
export function toHalfWidth(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += " ";
    else out += ch;
  }
  return out;
}

function deepStrings(v: unknown, f: (s: string) => string, depth = 0): unknown {
  if (typeof v === "string") return f(v);
  if (depth > 32 || v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => deepStrings(x, f, depth + 1));
  const out: Rec = {};
  for (const [k, x] of Object.entries(v as Rec)) setPath(out, k, deepStrings(x, f, depth + 1));
  return out;
}

function onFields(fields: string[] | undefined, f: (v: unknown) => unknown): RecFn {
  return (r) => {
    const out: Rec = { ...r };
    for (const k of fields ?? Object.keys(out)) if (Object.prototype.hasOwnProperty.call(out, k)) out[k] = f(out[k]);
    return out;
  };
}

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.replace(WS_RUN, "") === "") || (Array.isArray(v) && v.length === 0);

export interface Cleaner {
  (records: Rec[]): Rec[];
  (record: Rec): Rec;
}

export function compileCleaner(rules: CleanRule[] | unknown): Cleaner {
  const parsed = CleanRule.array().safeParse(rules ?? []);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `rules${i.path.map((p) => `[${String(p)}]`).join("")}: ${i.message}`).join("; ");
    throw new MappingError("INVALID_INPUT", `清洗规则格式错误: ${msg}`);
  }
  type Step = { kind: "record"; fn: RecFn } | { kind: "page"; fn: (rs: Rec[]) => Rec[] };
  const steps: Step[] = parsed.data.map((rule): Step => {
    switch (rule.type) {
      case "dropEmpty":
        return {
          kind: "record",
          fn: (r) => {
            const out: Rec = {};
            const only = rule.fields ? new Set(rule.fields) : null;
            for (const [k, v] of Object.entries(r)) if (!(isBlank(v) && (!only || only.has(k)))) setPath(out, k, v);
            return out;
          },
        };
      case "dropUnknown": {
        const keep = new Set(rule.keep);
        return {
          kind: "record",
          fn: (r) => {
            const out: Rec = {};
            for (const [k, v] of Object.entries(r)) if (keep.has(k)) setPath(out, k, v);
            return out;
          },
        };
      }
      case "standardizeDates": {
        const tokens = compileDateFormat(rule.format ?? "yyyy-MM-dd HH:mm:ss");
        // CHOICE: values that are not dates are left unchanged (validation reports them if needed).
        return {
          kind: "record",
          fn: onFields(rule.fields, (v) => {
            if (v === null || v === undefined || v === "" || typeof v === "boolean") return v;
            const ms = toEpochMs(v);
            return ms === undefined ? v : formatWith(ms, tokens);
          }),
        };
      }
      case "normalizeWhitespace":
        return { kind: "record", fn: onFields(rule.fields, (v) => deepStrings(v, normalizeWhitespace)) };
      case "fullWidthToHalfWidth":
        return { kind: "record", fn: onFields(rule.fields, (v) => deepStrings(v, toHalfWidth)) };
      case "dingtalkForm": {
        // CHOICE: existing record fields win over form labels of the same name (e.g. a label "title")
        const key = rule.field ?? "form_component_values";
        return {
          kind: "record",
          fn: (r) => {
            const inner = (r.process_instance ?? r) as Rec;
            const list = inner[key] ?? inner.formComponentValues ?? r[key];
            return { ...dingtalkFormToRecord(Array.isArray(list) ? list : [], { keys: rule.keys }), ...r };
          },
        };
      }
      case "dedupe": {
        const keepFirst = rule.keep === "first";
        const id = rule.idField;
        return {
          kind: "page",
          fn: (rs) => {
            const idx = new Map<string, number>();
            const out: (Rec | null)[] = [];
            for (const r of rs) {
              const v = r[id];
              if (v === undefined || v === null || v === "") {
                out.push(r);
                continue;
              }
              const k = typeof v === "object" ? JSON.stringify(v) : String(v);
              const at = idx.get(k);
              if (at === undefined) {
                idx.set(k, out.length);
                out.push(r);
              } else if (!keepFirst) {
                out[at] = null;
                idx.set(k, out.length);
                out.push(r);
              }
            }
            return out.filter((x): x is Rec => x !== null);
          },
        };
      }
    }
  });
  function clean(input: Rec[]): Rec[];
  function clean(input: Rec): Rec;
  function clean(input: Rec[] | Rec): Rec[] | Rec {
    if (!Array.isArray(input)) {
      let r = input ?? {};
      for (const s of steps) if (s.kind === "record") r = s.fn(r);
      return r;
    }
    let rs = input;
    for (const s of steps) rs = s.kind === "record" ? rs.map(s.fn) : s.fn(rs);
    return rs;
  }
  return clean as Cleaner;
}
