/**
 * Zod schemas of Qeasy (轻易云) integration-scheme metadata: the source (QUERY) config, the target
 * (EXECUTE) config, their field descriptors, and the optional separate mapping file.
 *
 * Why this exists: people bring their Qeasy 源码视图 JSON to Shuqiao (issue #8). Before translating
 * anything we check the shape and, when it is wrong, say where (`source.request.2.field`) and what
 * to fix. The schemas are lenient where the fact sheet (reference/qeasy-metadata.md) says
 * "unconfirmed": unknown keys pass through (the importer reports them), `effect` is a synonym of
 * `type`, `value` may be any JSON, `parser` may be a string, an object or a list.
 */
import { z } from "zod";
import { DomainError } from "@/server/errors";

const POS_INT = (k: string) => `${k} 应为正整数 (${k} must be a positive integer)`;

/** Any JSON value (descriptor values are usually strings, sometimes numbers, booleans or arrays). */
const JsonValue = z.unknown();

/** One item of `request`, `otherRequest`, `response` (§2 of the fact sheet). Unknown keys pass. */
export const QeasyFieldDescriptor: z.ZodType<QeasyFieldDescriptor> = z
  .object({
    field: z
      .string({ error: (iss) => (iss.input === undefined ? "缺少 field（字段名）(field name is required)" : "field 应为文本 (field must be a string)") })
      .min(1, "field 不能为空 (field must not be empty)"),
    label: z.string().nullish(),
    type: z.string().nullish(),
    value: JsonValue.optional(),
    describe: z.string().nullish(),
    is_required: z.union([z.boolean(), z.literal("true"), z.literal("false"), z.literal(0), z.literal(1)], { error: "is_required 应为 true 或 false (expected true or false)" }).nullish(),
    parent: z.string().nullish(),
    id: z.union([z.string(), z.number()], { error: "id 应为文本或数字 (expected a string or number)" }).nullish(),
    parser: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: 'parser 应为名称、{"name","params"} 或它们的数组 (expected a parser name, {name, params} or a list)',
      })
      .nullish(),
    get children() {
      return z.array(QeasyFieldDescriptor).nullish();
    },
  })
  .loose();
export interface QeasyFieldDescriptor {
  field: string;
  label?: string | null;
  type?: string | null;
  value?: unknown;
  describe?: string | null;
  is_required?: boolean | "true" | "false" | 0 | 1 | null;
  parent?: string | null;
  id?: string | number | null;
  parser?: string | Record<string, unknown> | unknown[] | null;
  children?: QeasyFieldDescriptor[] | null;
  [k: string]: unknown;
}

const DescriptorList = z.array(QeasyFieldDescriptor, { error: "应为字段描述数组 [{field, …}] (expected an array of field descriptors)" });

/** `operation` (加工厂). `method` is required; the other keys depend on it. */
export const QeasyOperation = z
  .object({
    method: z.string({ error: "operation 缺少 method（none / splitArray / batchArraySave / merge）(operation.method is required)" }).min(1),
    arrayKey: z.string().optional(),
    rowsKey: z.string().optional(),
    rows: z.union([z.number({ error: POS_INT("rows") }).int(POS_INT("rows")).positive(POS_INT("rows")), z.string().regex(/^\d+$/)], { error: "rows 应为正整数 (rows must be a positive integer)" }).optional(),
  })
  .loose();
export type QeasyOperation = z.infer<typeof QeasyOperation>;

/** One `condition` clause `{field, logic, value}`; `logic` is checked by the importer (it reports unknown ones). */
export const QeasyConditionClause = z
  .object({
    field: z.string({ error: "条件缺少 field (condition clause needs a field)" }).min(1),
    logic: z.string({ error: "条件缺少 logic（eq / neq / in / gt …）(condition clause needs a logic operator)" }).min(1),
    value: JsonValue.optional(),
  })
  .loose();
export type QeasyConditionClause = z.infer<typeof QeasyConditionClause>;

/** OR of AND-groups; a flat list of clauses is accepted as one AND-group (normalised by the importer). */
export const QeasyCondition = z.union([z.array(z.array(QeasyConditionClause)), z.array(QeasyConditionClause)], {
  error: "condition 应为 [[{field, logic, value}, …], …] (condition must be an array of AND-groups)",
});
export type QeasyCondition = z.infer<typeof QeasyCondition>;

const BoolLike = z.union([z.boolean(), z.literal("true"), z.literal("false"), z.literal(0), z.literal(1)], {
  error: "应为 true 或 false (expected true or false)",
});

const common = {
  api: z.string({ error: "缺少 api（接口名，如 gy.erp.shop.get、batchSave）(api is required)" }).min(1, "api 不能为空 (api must not be empty)"),
  type: z.string().optional(),
  effect: z.string().optional(),
  method: z.string().optional(),
  request: DescriptorList.optional(),
  otherRequest: DescriptorList.optional(),
  operation: QeasyOperation.optional(),
  idCheck: BoolLike.optional(),
};

/** The source (QUERY) metadata. */
export const QeasySourceConfig = z
  .object({
    ...common,
    id: z.string().optional(),
    number: z.string().optional(),
    pagination: z
      .object({ pageSize: z.union([z.number().int(POS_INT("pageSize")).positive(POS_INT("pageSize")), z.string().regex(/^\d+$/)], { error: "pageSize 应为正整数 (pageSize must be a positive integer)" }).optional() })
      .loose()
      .optional(),
    response: DescriptorList.optional(),
    otherResponse: z.unknown().optional(),
    condition: QeasyCondition.optional(),
    condition_bk: z.unknown().optional(),
    beatFlat: z.union([z.string(), z.array(z.string())], { error: 'beatFlat 应为数组名或数组名列表，如 ["details"] (expected an array name or a list of them)' }).optional(),
  })
  .loose();
export type QeasySourceConfig = z.infer<typeof QeasySourceConfig>;

/** The target (EXECUTE) metadata. */
export const QeasyTargetConfig = z
  .object({
    ...common,
    autoCheck: z.unknown().optional(),
    response: DescriptorList.optional(),
  })
  .loose();
export type QeasyTargetConfig = z.infer<typeof QeasyTargetConfig>;

/**
 * The optional separate field-mapping file. CHOICE (Qeasy keeps the mapping inside the target's
 * `request`; a separate file's shape is not published): accepted as a descriptor array, as
 * `{request: [...]}`, or as a plain object `{targetField: "valueExpression"}`. Its entries replace the
 * target descriptors of the same field (or are appended).
 */
export const QeasyMapping = z.union(
  [
    DescriptorList,
    z.object({ request: DescriptorList }).loose(),
    z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()])),
  ],
  { error: "映射文件应为字段描述数组、{request: [...]} 或 {目标字段: 值表达式} (mapping must be a descriptor array, {request:[…]} or {targetField: value})" },
);
export type QeasyMapping = z.infer<typeof QeasyMapping>;

/** A problem with the input shape, at a JSON path such as `target.request.3.children.0.field`. */
export interface QeasyIssue {
  path: string;
  message: string;
}

/** The Qeasy JSON given is malformed; `issues` say where. Nothing is imported. */
export class QeasyImportError extends DomainError {
  constructor(readonly issues: QeasyIssue[]) {
    super(
      "BAD_REQUEST",
      "轻易云配置格式有误 (malformed Qeasy configuration):\n" + issues.map((i) => `- ${i.path}: ${i.message}`).join("\n"),
    );
  }
}

const ZH_TYPE: Record<string, string> = {
  string: "文本",
  number: "数字",
  boolean: "布尔值",
  array: "数组",
  object: "对象",
  null: "null",
  undefined: "空",
};

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** Bilingual messages for the generic zod issues (schema-level messages above take precedence). */
const errorMap = (iss: z.core.$ZodRawIssue): string | undefined => {
  if (iss.code === "invalid_type") {
    if (iss.input === undefined) return "缺少此项 (required)";
    const exp = String(iss.expected);
    const got = kindOf(iss.input);
    return `应为${ZH_TYPE[exp] ?? exp}，实际是${ZH_TYPE[got] ?? got} (expected ${exp}, received ${got})`;
  }
  if (iss.code === "too_small" && iss.origin === "string") return "不能为空 (must not be empty)";
  return undefined;
};

function issuesOf(error: z.ZodError, root: string): QeasyIssue[] {
  const out: QeasyIssue[] = [];
  for (const i of error.issues) {
    // unions: report the branch that got furthest (deepest path) instead of "invalid input"
    if (i.code === "invalid_union" && "errors" in i && Array.isArray(i.errors) && i.errors.length) {
      const best = (i.errors as z.core.$ZodIssue[][]).reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      if (deepest(best) > 0) {
        for (const sub of best) out.push({ path: [root, ...i.path, ...sub.path].map(String).join("."), message: sub.message });
        continue;
      }
    }
    out.push({ path: [root, ...i.path].map(String).join("."), message: i.message });
  }
  return out;
}

function deepest(list: z.core.$ZodIssue[]): number {
  return list.reduce((m, i) => Math.max(m, i.path.length), 0);
}

function notObject(root: string, raw: unknown): QeasyIssue[] {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return [{ path: root, message: `应为 JSON 对象，实际是 ${Array.isArray(raw) ? "数组" : raw === null ? "null" : typeof raw} (expected a JSON object)` }];
  return [];
}

const PARSE_FAILED = Symbol("unparsable JSON text");

/** Validates source, target and (optional) mapping together (each may also be JSON text); throws QeasyImportError with every issue. */
export function parseQeasyInput(input: { source: unknown; target: unknown; mapping?: unknown }): {
  source: QeasySourceConfig;
  target: QeasyTargetConfig;
  mapping?: QeasyMapping;
} {
  const issues: QeasyIssue[] = [];
  // pasted text (the designer's import dialog) is parsed here, with line:column on a syntax error
  const text = (root: string, raw: unknown): unknown => {
    if (typeof raw !== "string") return raw;
    try {
      return JSON.parse(raw.replace(/^\uFEFF/, ""));
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      let where = "";
      if (m) {
        const before = raw.slice(0, Number(m[1]));
        where = `第 ${before.split("\n").length} 行第 ${Number(m[1]) - before.lastIndexOf("\n")} 列 (line ${before.split("\n").length}, column ${Number(m[1]) - before.lastIndexOf("\n")}): `;
      }
      issues.push({ path: root, message: `JSON 格式错误 (invalid JSON): ${where}${(e as Error).message}` });
      return PARSE_FAILED;
    }
  };
  input = { source: text("source", input.source), target: text("target", input.target), mapping: text("mapping", input.mapping) };
  const s = input.source === PARSE_FAILED ? [] : notObject("source", input.source);
  const t = input.target === PARSE_FAILED ? [] : notObject("target", input.target);
  issues.push(...s, ...t);
  const sr = s.length || input.source === PARSE_FAILED ? undefined : QeasySourceConfig.safeParse(input.source, { error: errorMap });
  const tr = t.length || input.target === PARSE_FAILED ? undefined : QeasyTargetConfig.safeParse(input.target, { error: errorMap });
  const mr = input.mapping === undefined || input.mapping === null || input.mapping === PARSE_FAILED ? undefined : QeasyMapping.safeParse(input.mapping, { error: errorMap });
  if (sr && !sr.success) issues.push(...issuesOf(sr.error, "source"));
  if (tr && !tr.success) issues.push(...issuesOf(tr.error, "target"));
  if (mr && !mr.success) issues.push(...issuesOf(mr.error, "mapping"));
  // a swapped pair is the commonest mistake: say so plainly
  const kind = (o: unknown) => {
    const r = (o ?? {}) as Record<string, unknown>;
    return String(r.type ?? r.effect ?? "").toUpperCase();
  };
  if (kind(input.source) === "EXECUTE")
    issues.push({ path: "source.type", message: "来源配置的 type 是 EXECUTE：来源与目标是否放反了？(the source config is an EXECUTE config — are source and target swapped?)" });
  if (kind(input.target) === "QUERY")
    issues.push({ path: "target.type", message: "目标配置的 type 是 QUERY：来源与目标是否放反了？(the target config is a QUERY config — are source and target swapped?)" });
  if (issues.length) {
    const rank = (p: string) => ["source", "target", "mapping"].indexOf(p.split(".")[0]);
    throw new QeasyImportError(issues.map((i, n) => ({ i, n })).sort((a, b) => rank(a.i.path) - rank(b.i.path) || a.n - b.n).map((x) => x.i));
  }
  return { source: sr!.data!, target: tr!.data!, mapping: mr?.data };
}
