/**
 * Parser registry: built-ins, custom (JSONata) parsers, chain normalisation and UI metadata.
 *
 * Why this exists: the mapper resolves `ParserRef`s here (validating params with each parser's zod
 * schema at compile/save time); the designer lists parsers with labels and parameter descriptions;
 * the Qeasy importer turns `"parser":{"name":"ConvertObjectParser","params":"FNumber"}`,
 * `{name, params1, params2}`, `"StringToArray,ArrayUnique"` and `CustomParser {ruleId}` into ParserRef[].
 */
import { z } from "zod";
import { MappingError } from "../errors";
import type { Limits } from "../limits";
import { CustomParserDef, type CustomParsers, type ParserRef } from "../schema";
import { arrayToStringParser } from "./array-to-string";
import { arrayUniqueParser } from "./array-unique";
import { caseParser } from "./case";
import { convertJsonParser } from "./convert-json";
import { convertObjectParser } from "./convert-object";
import { convertTwoStageObjectParser } from "./convert-two-stage-object";
import { CUSTOM_PREFIX, compileCustomParser } from "./custom";
import { dateFormatParser } from "./date-format";
import { dictionaryParser } from "./dictionary";
import { k3WiseHeiHuParser } from "./k3wise-heihu";
import { numberFormatParser } from "./number-format";
import { regexReplaceParser } from "./regex-replace";
import { stringToArrayParser } from "./string-to-array";
import { substringParser } from "./substring";
import { trimParser } from "./trim";
import type { ParserDef, ParserFn, ParserParamInfo } from "./types";
import { workflowRequestTableFieldsParser } from "./workflow-request-table-fields";

const BUILTINS: ParserDef<unknown>[] = [
  convertObjectParser,
  convertTwoStageObjectParser,
  stringToArrayParser,
  arrayToStringParser,
  convertJsonParser,
  arrayUniqueParser,
  dateFormatParser,
  numberFormatParser,
  trimParser,
  caseParser,
  dictionaryParser,
  substringParser,
  regexReplaceParser,
  k3WiseHeiHuParser,
  workflowRequestTableFieldsParser,
];

const BY_NAME = new Map(BUILTINS.map((p) => [p.name, p]));

export interface ParserInfo {
  name: string;
  label: { zh: string; en: string };
  description: string;
  params: ParserParamInfo[];
  /** JSON Schema of the params (serialisable for the designer) */
  paramsJsonSchema: unknown;
  /** the zod schema itself (server-side use) */
  paramsSchema: z.ZodType<unknown>;
  custom?: boolean;
}

let cachedInfo: ParserInfo[] | null = null;

export function listParsers(customParsers?: CustomParsers): ParserInfo[] {
  if (!cachedInfo)
    cachedInfo = BUILTINS.map((p) => ({
      name: p.name,
      label: p.label,
      description: p.description,
      params: p.params,
      paramsJsonSchema: safeJsonSchema(p.paramsSchema),
      paramsSchema: p.paramsSchema,
    }));
  const custom: ParserInfo[] = Object.entries(customParsers ?? {}).map(([id, def]) => ({
    name: `${CUSTOM_PREFIX}${id}`,
    label: { zh: def.label ?? id, en: def.label ?? id },
    description: def.description ?? def.expression,
    params: Object.keys(def.params ?? {}).map((k) => ({ name: k, label: { zh: k, en: k } })),
    paramsJsonSchema: { type: "object" },
    paramsSchema: z.record(z.string(), z.unknown()) as z.ZodType<unknown>,
    custom: true,
  }));
  return [...cachedInfo, ...custom];
}

function safeJsonSchema(s: z.ZodType<unknown>): unknown {
  try {
    return z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
  } catch {
    return { type: "object" };
  }
}

export function getParserDef(name: string): ParserDef<unknown> | undefined {
  return BY_NAME.get(name);
}

function normalizeOne(raw: unknown, where: string): ParserRef[] {
  if (typeof raw === "string") {
    return raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((name) => ({ name }));
  }
  if (raw === null || typeof raw !== "object") throw new MappingError("PARSER_PARAMS", `${where}: 解析器应为名称或 {name, params}`);
  const o = raw as Record<string, unknown>;
  const name = typeof o.name === "string" ? o.name.trim() : "";
  if (!name) throw new MappingError("PARSER_PARAMS", `${where}: 解析器缺少 name`);
  // Qeasy: {"name":"CustomParser","params":{"ruleId":"orgRule"}}
  if (name === "CustomParser") {
    const p = (o.params ?? {}) as Record<string, unknown>;
    const ruleId = typeof p === "object" && p !== null ? p.ruleId : undefined;
    if (typeof ruleId !== "string" || !ruleId) throw new MappingError("PARSER_PARAMS", `${where}: CustomParser 缺少 params.ruleId`);
    const rest = { ...p };
    delete rest.ruleId;
    return [{ name: `${CUSTOM_PREFIX}${ruleId}`, ...(Object.keys(rest).length ? { params: rest } : {}) }];
  }
  let params: Record<string, unknown> | undefined;
  if (o.params !== undefined && o.params !== null && typeof o.params === "object" && !Array.isArray(o.params))
    params = { ...(o.params as Record<string, unknown>) };
  else if (o.params !== undefined && o.params !== null && o.params !== "") {
    const def = BY_NAME.get(name);
    const key = def?.positional ?? "value";
    params = { [key]: o.params };
  }
  for (const k of Object.keys(o)) if (/^params\d+$/.test(k)) (params ??= {})[k] = o[k];
  // a comma list in name ("StringToArray,ArrayUnique") with params applies the params to the first
  if (name.includes(",")) {
    const refs = normalizeOne(name, where);
    if (params) refs[0] = { ...refs[0], params };
    return refs;
  }
  return [params ? { name, params } : { name }];
}

/**
 * Normalise every accepted parser notation into ParserRef[]:
 * `"A,B"`, `{name, params}` (object or positional string), `{name, params1, params2}`,
 * `{name:"CustomParser", params:{ruleId}}`, or an array of these.
 */
export function normalizeParsers(raw: unknown): ParserRef[] {
  if (raw === undefined || raw === null || raw === "") return [];
  if (Array.isArray(raw)) return raw.flatMap((r, i) => normalizeOne(r, `parsers[${i}]`));
  return normalizeOne(raw, "parser");
}

export interface ResolvedParser {
  name: string;
  fn: ParserFn;
  handlesEmpty: boolean;
  async: boolean;
}

/** Resolve and compile one ParserRef; throws MappingError (PARSER_UNKNOWN / PARSER_PARAMS). */
export function resolveParser(ref: ParserRef, customParsers: CustomParsers | undefined, limits: Limits): ResolvedParser {
  if (ref.name.startsWith(CUSTOM_PREFIX) || ref.name === "CustomParser") {
    const id = ref.name === "CustomParser" ? String(ref.params?.ruleId ?? "") : ref.name.slice(CUSTOM_PREFIX.length);
    const def = customParsers && Object.prototype.hasOwnProperty.call(customParsers, id) ? customParsers[id] : undefined;
    if (!def) throw new MappingError("PARSER_UNKNOWN", `未找到自定义解析器 '${id}'`);
    const shape = CustomParserDef.safeParse(def);
    if (!shape.success)
      throw new MappingError("PARSER_PARAMS", `自定义解析器 ${id} 定义无效: ${shape.error.issues.map((i) => `${i.path.join(".") || "定义"}: ${i.message}`).join("; ")}`);
    const params = ref.name === "CustomParser" ? { ...(ref.params ?? {}) } : ref.params;
    if (params && ref.name === "CustomParser") delete params.ruleId;
    return { name: ref.name, fn: compileCustomParser(id, shape.data, params, limits), handlesEmpty: true, async: true };
  }
  const def = BY_NAME.get(ref.name);
  if (!def)
    throw new MappingError(
      "PARSER_UNKNOWN",
      `未知解析器 '${ref.name}'（可用: ${BUILTINS.map((p) => p.name).join(", ")}，或 Custom:<id>）`,
    );
  let raw: unknown = ref.params ?? {};
  // tolerate Qeasy's positional {value: "FNumber"} when the parser has a positional param
  if (def.positional && raw && typeof raw === "object" && "value" in (raw as object) && !(def.positional in (raw as object))) {
    const r = { ...(raw as Record<string, unknown>) };
    r[def.positional] = r.value;
    delete r.value;
    raw = r;
  }
  const parsed = def.paramsSchema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "params"}: ${i.message}`).join("; ");
    throw new MappingError("PARSER_PARAMS", `解析器 ${ref.name} 参数无效: ${msg}`);
  }
  return { name: def.name, fn: def.create(parsed.data, limits), handlesEmpty: def.handlesEmpty === true, async: false };
}
