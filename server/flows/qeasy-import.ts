/**
 * Qeasy (轻易云) scheme → Shuqiao flow document (issue #8).
 *
 * Why this exists: companies moving from Qeasy have their schemes as source/target metadata JSON
 * (源码视图). `importQeasy` turns such a pair (plus an optional separate mapping file) into a FlowDoc
 * the designer can open and the engine can run: source node (connector api, params, id/number,
 * page size, idCheck), flatten/split nodes (beatFlat, splitArray), the DingTalk form step, a filter
 * node (condition), the mapper (target `request` descriptors, parsers and templates kept verbatim —
 * our mapping language is Qeasy-compatible) and the target node (FormId, save flags, batch size).
 *
 * Nothing is dropped silently: every key that is not translated exactly is listed in `report` with
 * its JSON path (e.g. `target.operation.method`), a level and a reason:
 * - `untranslated` — behaviour Shuqiao cannot reproduce from this config (must be fixed by hand),
 * - `assumed` — translated under a documented assumption (the fact sheet says "unconfirmed"),
 * - `ignored` — metadata with no effect here (labels of response fields, paging parameters the
 *   connector handles itself, disabled `condition_bk` …),
 * - `problem` — the produced document still fails the flow compiler (path inside the document).
 * Malformed input throws QeasyImportError (see qeasy-schema.ts) with paths; nothing is imported then.
 */
import { listApis, type ApiCatalogueEntry } from "@/server/connectors";
import { ConditionLogic, listParsers, normalizeParsers, templateVariables, type FieldMapping, type ParserRef } from "@/server/mapping";
import { SANDBOX_NAMES } from "@/server/runs/connections";
import { compileFlow } from "./compile";
import { FLOW_SCHEMA_VERSION, FlowDoc, FlowSettings, type FlowEdge, type FlowNode } from "./flow.schema";
import {
  parseQeasyInput,
  QeasyImportError,
  type QeasyConditionClause,
  type QeasyFieldDescriptor,
  type QeasyIssue,
  type QeasyMapping,
  type QeasySourceConfig,
  type QeasyTargetConfig,
} from "./qeasy-schema";

export type QeasyReportLevel = "untranslated" | "assumed" | "ignored" | "problem";

export interface QeasyReportEntry {
  /** JSON path in the Qeasy input (`source.…`, `target.…`, `mapping.…`) or, for `problem`, `document.…` */
  path: string;
  level: QeasyReportLevel;
  /** "中文说明 (English explanation)" */
  message: string;
}

export type QeasyVendor = "guanyi" | "dingtalk" | "kingdee";

export interface QeasyImportInput {
  source: unknown;
  target: unknown;
  mapping?: unknown;
  /** flow name; default derived from the source api and the target form */
  name?: string;
  /** connection (id or name) per vendor; defaults are the sandbox connections 沙箱-管易云 / 沙箱-钉钉 / 沙箱-金蝶 */
  connections?: Partial<Record<QeasyVendor, string>>;
  /** Qeasy scheme id → Shuqiao flow id, for `_findCollection find … from <scheme id>` lookups */
  schemes?: Record<string, string>;
}

export interface QeasyImportResult {
  document: FlowDoc;
  report: QeasyReportEntry[];
}

const p = (zh: string, en: string) => `${zh} (${en})`;

// ---- api ids -----------------------------------------------------------------------------------

/** Qeasy source `api` → connector api id (null when no connector reads it). */
export function sourceApiId(api: string): string | null {
  const a = api.trim();
  if (/^gy\.erp\./i.test(a)) return `guanyi.${a}`;
  if (/processinstance/i.test(a)) return "dingtalk.processinstance";
  if (/(^|[./])executeBillQuery$/i.test(a)) return "kingdee.ExecuteBillQuery";
  return null;
}

/** Qeasy target `api` → connector api id (null when no connector writes it). */
export function targetApiId(api: string): string | null {
  const a = api.trim();
  if (/(^|[./])batchSave$/i.test(a)) return "kingdee.BatchSave";
  if (/(^|[./])save$/i.test(a)) return "kingdee.Save";
  return null;
}

function catalogueEntry(apiId: string): ApiCatalogueEntry | undefined {
  return listApis().find((e) => e.id === apiId);
}

function vendorOf(apiId: string): QeasyVendor | undefined {
  const v = apiId.split(".")[0];
  return v === "guanyi" || v === "dingtalk" || v === "kingdee" ? v : undefined;
}

/** Paging parameters each connector sets itself (never copied into params). */
const PAGING_KEYS: Record<QeasyVendor, string[]> = {
  guanyi: ["page_no", "page_size"],
  dingtalk: ["size", "cursor"],
  kingdee: ["StartRow", "Limit"],
};
const PAGE_SIZE_KEYS = new Set(["page_size", "size", "Limit"]);

/** Kingdee save flags accepted as target options, with their JSON type. */
const KINGDEE_FLAGS: Record<string, "boolean" | "array" | "string" | "number"> = {
  IsAutoSubmitAndAudit: "boolean",
  IsVerifyBaseDataField: "boolean",
  IsDeleteEntry: "boolean",
  IsEntryBatchFill: "boolean",
  ValidateFlag: "boolean",
  NumberSearch: "boolean",
  IgnoreInterationFlag: "boolean",
  IsControlPrecision: "boolean",
  ValidateRepeatJson: "boolean",
  NeedUpDateFields: "array",
  NeedReturnFields: "array",
  InterationFlags: "string",
  BatchCount: "number",
};

const SOURCE_KEYS = new Set([
  "api", "type", "effect", "method", "id", "number", "idCheck", "pagination", "request", "otherRequest",
  "response", "otherResponse", "operation", "condition", "condition_bk", "beatFlat",
]);
const TARGET_KEYS = new Set(["api", "type", "effect", "method", "idCheck", "request", "otherRequest", "operation", "autoCheck", "response"]);
const DESCRIPTOR_KEYS = new Set(["field", "label", "type", "value", "describe", "is_required", "parent", "id", "parser", "children"]);

const FIELD_TYPES: Record<string, FieldMapping["type"]> = {
  string: "string", str: "string", text: "string", varchar: "string", char: "string",
  int: "int", integer: "int", long: "int", bigint: "int",
  number: "number", float: "number", double: "number", decimal: "number", numeric: "number", money: "number",
  boolean: "boolean", bool: "boolean",
  object: "object", json: "object",
  array: "array", list: "array",
  datetime: "datetime", date: "datetime", time: "datetime", timestamp: "datetime",
};

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

function truthy(v: unknown): boolean | undefined {
  if (v === true || v === 1 || v === "true" || v === "1" || v === "TRUE" || v === "True") return true;
  if (v === false || v === 0 || v === "false" || v === "0" || v === "FALSE" || v === "False") return false;
  return undefined;
}

function asInt(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function show(v: unknown): string {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 77) + "…" : s;
}

function hasLastSync(v: unknown): boolean {
  if (typeof v === "string") return v.includes("LAST_SYNC_TIME");
  if (Array.isArray(v)) return v.some(hasLastSync);
  if (v && typeof v === "object") return Object.values(v).some(hasLastSync);
  return false;
}

// ---- the importer --------------------------------------------------------------------------------

class Importer {
  constructor(private readonly schemes: Record<string, string> = {}) {}
  readonly report: QeasyReportEntry[] = [];
  readonly issues: QeasyIssue[] = [];
  /** top-level mapping values with their input paths (for source-specific checks) */
  readonly values: { value: string; path: string }[] = [];

  add(path: string, level: QeasyReportLevel, zh: string, en: string): void {
    this.report.push({ path, level, message: p(zh, en) });
  }

  unknownKeys(obj: Record<string, unknown>, known: Set<string>, path: string): void {
    for (const k of Object.keys(obj))
      if (!known.has(k)) this.add(`${path}.${k}`, "untranslated", `未知的键「${k}」，未导入`, `unknown key "${k}" was not imported`);
  }

  // ---- source ----

  source(src: QeasySourceConfig, connections: Partial<Record<QeasyVendor, string>>) {
    this.unknownKeys(src, SOURCE_KEYS, "source");
    const mapped = sourceApiId(src.api);
    let apiId: string;
    if (!mapped) {
      apiId = `qeasy.${src.api}`;
      this.add(
        "source.api",
        "untranslated",
        `没有连接器能读取接口「${src.api}」（支持 gy.erp.*、topapi/processinstance/*、ExecuteBillQuery），请在设计器中选择来源接口`,
        `no connector reads "${src.api}"; choose the source api in the designer`,
      );
    } else {
      apiId = mapped;
      if (!catalogueEntry(apiId))
        this.add("source.api", "untranslated", `接口目录中没有 ${apiId}，请在设计器中选择来源接口`, `the api catalogue has no ${apiId}; choose the source api in the designer`);
      else if (apiId === "dingtalk.processinstance" && !/processinstance\/(listids|get|list)$/i.test(src.api))
        this.add("source.api", "assumed", `「${src.api}」按审批实例列表 + 详情（listids + get）读取`, `"${src.api}" is read as approval ids + details`);
    }
    const entry = catalogueEntry(apiId);
    const vendor = vendorOf(apiId);
    const stype = src.type ?? src.effect;
    if (stype !== undefined && stype.toUpperCase() !== "QUERY")
      this.add(src.type !== undefined ? "source.type" : "source.effect", "ignored", `来源 type 应为 QUERY，实际为「${stype}」，按来源处理`, `source type should be QUERY; treated as the source`);
    if (src.method !== undefined && src.method.toUpperCase() !== "POST")
      this.add("source.method", "ignored", `HTTP 方法由连接器决定（${src.method} 未使用）`, `the HTTP method is the connector's (${src.method} not used)`);

    const data: Record<string, unknown> = {
      connectionId: (vendor && connections[vendor]) || (vendor ? SANDBOX_NAMES[vendor] : "") || "请选择连接",
      apiId,
      params: {} as Record<string, unknown>,
      idField: "",
      options: {} as Record<string, unknown>,
    };
    if (!vendor) this.add("source.api", "untranslated", "无法确定来源系统，请在设计器中选择来源连接", "cannot tell the source system; choose the source connection in the designer");
    const params = data.params as Record<string, unknown>;
    const options = data.options as Record<string, unknown>;

    if (src.id && src.id.trim()) data.idField = src.id.trim();
    else {
      data.idField = entry?.idField ?? "id";
      this.add("source.id", "assumed", `未填写 id，使用「${data.idField}」作为记录唯一标识`, `no id given; "${data.idField}" is used as the record key`);
    }
    if (src.number && src.number.trim()) data.numberField = src.number.trim();
    data.idCheck = src.idCheck === undefined ? true : truthy(src.idCheck);
    if (src.idCheck === undefined) this.add("source.idCheck", "assumed", "未填写 idCheck，按轻易云默认值 true（去重）", "idCheck not given; Qeasy's default true (dedupe) is used");

    // page size
    let pageSize: number | undefined;
    if (src.pagination) {
      for (const k of Object.keys(src.pagination))
        if (k !== "pageSize") this.add(`source.pagination.${k}`, "untranslated", `分页设置「${k}」未导入`, `pagination setting "${k}" was not imported`);
      if (src.pagination.pageSize !== undefined) pageSize = asInt(src.pagination.pageSize);
    }

    // request + otherRequest
    const flattenPaths: { path: string; from: string }[] = [];
    const descriptors: { d: QeasyFieldDescriptor; path: string }[] = [
      ...(src.request ?? []).map((d, i) => ({ d, path: `source.request.${i}` })),
      ...(src.otherRequest ?? []).map((d, i) => ({ d, path: `source.otherRequest.${i}` })),
    ];
    const paging = vendor ? PAGING_KEYS[vendor] : [];
    let displayOnly = 0;
    for (const { d, path } of descriptors) {
      const name = d.field;
      if (d.label || d.type || d.is_required !== undefined || d.id !== undefined) displayOnly++;
      for (const k of Object.keys(d))
        if (!DESCRIPTOR_KEYS.has(k)) this.add(`${path}.${k}`, "untranslated", `字段描述中未知的键「${k}」未导入`, `unknown descriptor key "${k}" was not imported`);
      if (name === "beatFlat") {
        const v = d.value;
        const list = Array.isArray(v) ? v.map(String) : typeof v === "string" && v.trim() ? v.split(",").map((s) => s.trim()).filter(Boolean) : [];
        if (!list.length) this.add(`${path}.value`, "untranslated", "beatFlat 没有给出要展开的数组名", "beatFlat names no array to flatten");
        for (const x of list) flattenPaths.push({ path: x, from: `${path}.value` });
        continue;
      }
      if (name === "detailApi" || (d.children && d.children.length)) {
        this.add(
          path,
          "untranslated",
          name === "detailApi"
            ? "管易云列表 + 详情模式（detailApi）暂不支持：连接器只读取列表接口，请改用包含明细的列表接口"
            : `嵌套参数「${name}」（children）暂不支持`,
          name === "detailApi" ? "Guanyi list+detail mode (detailApi) is not supported; the connector reads the list api only" : `nested parameter "${name}" (children) is not supported`,
        );
        continue;
      }
      const v = d.value;
      const isPaging = paging.includes(name) || (typeof v === "string" && /^\{?\{\s*PAGINATION_/.test(v.trim()));
      if (isPaging) {
        const n = asInt(v);
        if (PAGE_SIZE_KEYS.has(name) && n !== undefined && pageSize === undefined) {
          pageSize = n;
          this.add(path, "assumed", `分页参数 ${name}=${n} 用作每页条数，分页由连接器处理`, `paging parameter ${name}=${n} is used as the page size; the connector pages itself`);
        } else this.add(path, "ignored", `分页参数「${name}」由连接器自动处理`, `paging parameter "${name}" is handled by the connector`);
        continue;
      }
      if (d.parser !== undefined && d.parser !== null && d.parser !== "" && !(vendor === "kingdee" && name === "FieldKeys"))
        this.add(`${path}.parser`, "untranslated", `来源请求参数不支持解析器（${show(d.parser)}），参数按原值发送`, `source request parameters take no parser; the value is sent as is`);
      if (isBlank(v)) {
        this.add(path, "ignored", `参数「${name}」没有值，不发送`, `parameter "${name}" has no value and is not sent`);
        continue;
      }
      if (vendor === "dingtalk" && name === "process_code") options.processCode = String(v);
      else if (vendor === "dingtalk" && name === "userid_list") options.useridList = Array.isArray(v) ? v.map(String).join(",") : String(v);
      else if (vendor === "kingdee" && name === "FormId") options.formId = String(v);
      else if (vendor === "kingdee" && name === "FieldKeys") {
        options.fieldKeys = Array.isArray(v) ? v.map(String).join(",") : String(v);
        if (d.parser) this.add(`${path}.parser`, "ignored", "FieldKeys 的 ArrayToString 由连接器完成", "FieldKeys are joined by the connector (ArrayToString not needed)");
      } else if (vendor === "kingdee" && name === "FilterString") {
        // templates are resolved by the run only in params; literal filters stay a node option
        if (typeof v === "string" && v.includes("{")) params.FilterString = v;
        else options.filterString = String(v);
      } else if (vendor === "kingdee" && name === "OrderString") options.orderString = String(v);
      else if (vendor === "kingdee" && name === "TopRowCount") {
        const n = asInt(v);
        if (n === undefined) this.add(`${path}.value`, "untranslated", `TopRowCount 应为整数，实际为 ${show(v)}`, "TopRowCount must be an integer");
        else options.topRowCount = n;
      } else if (vendor === "kingdee" && name === "SubSystemId") {
        this.add(path, "ignored", "SubSystemId 由连接器发送", "SubSystemId is sent by the connector");
      } else {
        if (v !== null && typeof v === "object")
          this.add(`${path}.value`, "assumed", `参数「${name}」的值是 JSON ${Array.isArray(v) ? "数组" : "对象"}，原样发送`, `parameter "${name}" has a JSON value; it is sent as is`);
        params[name] = v;
      }
      if (d.describe && d.describe !== "_autoFillResponse")
        this.add(`${path}.describe`, "ignored", "参数说明文字未导入", "parameter description not imported");
    }
    if (displayOnly)
      this.add(
        "source.request",
        "ignored",
        `请求参数的 label/type/is_required/id 只用于轻易云界面显示，未导入（${displayOnly} 个参数）；参数按 value 原样发送`,
        `label/type/is_required/id of request parameters are display-only in Qeasy and not imported (${displayOnly} parameters); values are sent as given`,
      );
    if (vendor === "dingtalk" && !options.processCode)
      this.add("source.request", "untranslated", "缺少审批模板编码 process_code，请在来源节点中填写", "process_code is missing; fill it in on the source node");
    if (vendor === "kingdee") {
      if (!options.formId) this.add("source.otherRequest", "untranslated", "缺少 FormId（表单 ID），请在来源节点中填写", "FormId is missing; fill it in on the source node");
      if (!options.fieldKeys) this.add("source.otherRequest", "untranslated", "缺少 FieldKeys（查询字段），请在来源节点中填写", "FieldKeys are missing; fill them in on the source node");
    }

    if (pageSize !== undefined) {
      const max = entry?.maxPageSize;
      if (max && pageSize > max) {
        this.add("source.pagination.pageSize", "assumed", `每页条数 ${pageSize} 超过接口上限 ${max}，已改为 ${max}`, `page size ${pageSize} exceeds the api's maximum ${max}; ${max} is used`);
        pageSize = max;
      }
      data.pageSize = pageSize;
    }

    // top-level beatFlat
    if (src.beatFlat !== undefined) {
      const list = Array.isArray(src.beatFlat) ? src.beatFlat : [src.beatFlat];
      list.forEach((x, i) => {
        if (x.trim()) flattenPaths.push({ path: x.trim(), from: Array.isArray(src.beatFlat) ? `source.beatFlat.${i}` : "source.beatFlat" });
      });
    }
    if (flattenPaths.length)
      this.add(
        flattenPaths[0].from,
        "assumed",
        "beatFlat：每个数组元素一行，子字段加前缀「<数组名>_」，记录 id 追加「-1」「-2」…（轻易云的起始序号未确认）",
        "beatFlat: one row per element, child fields prefixed \"<array>_\", ids suffixed -1, -2 … (Qeasy's suffix base is unconfirmed)",
      );

    // operation (加工厂)
    let split: string | undefined;
    if (src.operation) {
      const m = src.operation.method;
      if (m === "none") {
        /* each record on its own: the default */
      } else if (m === "splitArray") {
        if (src.operation.arrayKey && src.operation.arrayKey.trim()) split = src.operation.arrayKey.trim();
        else this.add("source.operation.arrayKey", "untranslated", "splitArray 缺少 arrayKey（要拆分的数组）", "splitArray needs arrayKey (the array to split)");
      } else
        this.add("source.operation.method", "untranslated", `来源加工厂方法「${m}」暂不支持（支持 none、splitArray）`, `source operation "${m}" is not supported (none, splitArray are)`);
      for (const k of Object.keys(src.operation))
        if (k !== "method" && !(m === "splitArray" && k === "arrayKey"))
          this.add(`source.operation.${k}`, "untranslated", `加工厂参数「${k}」未导入`, `operation parameter "${k}" was not imported`);
    }

    // response descriptors are documentation of returned fields
    if (src.response?.length)
      this.add("source.response", "ignored", `返回字段说明（${src.response.length} 个）仅供参考，未导入；映射直接引用记录字段`, `response field descriptors (${src.response.length}) are documentation only; mappings reference record fields directly`);
    if (src.otherResponse !== undefined) this.add("source.otherResponse", "ignored", "otherResponse 未导入", "otherResponse was not imported");
    if (src.condition_bk !== undefined) this.add("source.condition_bk", "ignored", "condition_bk 是停用的条件备份，未导入", "condition_bk is a disabled backup of the condition; not imported");

    return { data, vendor, flattenPaths: flattenPaths.map((f) => f.path), split, incremental: hasLastSync(params) };
  }

  condition(src: QeasySourceConfig): { field: string; logic: string; value?: unknown }[][] | undefined {
    if (src.condition === undefined) return undefined;
    const raw = src.condition as unknown[];
    const flat = raw.length > 0 && raw.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
    const groups = (flat ? [raw] : raw) as QeasyConditionClause[][];
    const known = new Map(ConditionLogic.options.map((o) => [o.toLowerCase(), o] as const));
    const out: { field: string; logic: string; value?: unknown }[][] = [];
    groups.forEach((g, gi) => {
      const group: { field: string; logic: string; value?: unknown }[] = [];
      g.forEach((c, ci) => {
        const path = flat ? `source.condition.${ci}` : `source.condition.${gi}.${ci}`;
        const logic = known.get(c.logic.trim().toLowerCase());
        if (!logic) {
          this.add(
            `${path}.logic`,
            "untranslated",
            `条件运算符「${c.logic}」不支持（支持 ${ConditionLogic.options.join("、")}），该条件未导入，过滤比轻易云宽`,
            `operator "${c.logic}" is not supported; this clause was not imported, so the filter lets more records through`,
          );
          return;
        }
        for (const k of Object.keys(c))
          if (!["field", "logic", "value"].includes(k)) this.add(`${path}.${k}`, "untranslated", `条件中未知的键「${k}」未导入`, `unknown condition key "${k}" was not imported`);
        const clause: { field: string; logic: string; value?: unknown } = { field: c.field, logic };
        if (c.value !== undefined) clause.value = c.value;
        group.push(clause);
      });
      if (group.length) out.push(group);
      else if (g.length) this.add(flat ? "source.condition" : `source.condition.${gi}`, "untranslated", "该条件组全部未导入，已删除", "no clause of this group could be imported; the group was removed");
    });
    return out.length ? out : undefined;
  }

  // ---- target ----

  target(tgt: QeasyTargetConfig, mapping: QeasyMapping | undefined, connections: Partial<Record<QeasyVendor, string>>) {
    this.unknownKeys(tgt, TARGET_KEYS, "target");
    const apiId = targetApiId(tgt.api);
    if (!apiId)
      this.add("target.api", "untranslated", `没有连接器能写入接口「${tgt.api}」（支持金蝶 batchSave / save），请在设计器中选择目标接口`, `no connector writes "${tgt.api}"; choose the target api in the designer`);
    const vendor = apiId ? vendorOf(apiId) : undefined;
    const ttype = tgt.type ?? tgt.effect;
    if (ttype !== undefined && ttype.toUpperCase() !== "EXECUTE")
      this.add(tgt.type !== undefined ? "target.type" : "target.effect", "ignored", `目标 type 应为 EXECUTE，实际为「${ttype}」，按目标处理`, "target type should be EXECUTE; treated as the target");
    if (tgt.method !== undefined && tgt.method.toUpperCase() !== "POST")
      this.add("target.method", "ignored", `HTTP 方法由连接器决定（${tgt.method} 未使用）`, `the HTTP method is the connector's (${tgt.method} not used)`);
    const data: Record<string, unknown> = {
      connectionId: (vendor && connections[vendor]) || (vendor ? SANDBOX_NAMES[vendor] : "") || "请选择连接",
      apiId: apiId ?? `qeasy.${tgt.api}`,
      options: {} as Record<string, unknown>,
    };
    const options = data.options as Record<string, unknown>;

    // system parameters
    const sys = [
      ...(tgt.otherRequest ?? []).map((d, i) => ({ d, path: `target.otherRequest.${i}` })),
      ...(tgt.request ?? []).map((d, i) => ({ d, path: `target.request.${i}` })).filter((x) => x.d.field === "FormId"),
    ];
    for (const { d, path } of sys) {
      const name = d.field;
      const v = d.value;
      if (name === "FormId") {
        if (isBlank(v)) this.add(path, "untranslated", "FormId 没有值", "FormId has no value");
        else data.formId = String(v).trim();
      } else if (name === "Operation") {
        const expected = apiId === "kingdee.Save" ? "save" : "batchsave";
        if (typeof v === "string" && v.trim().toLowerCase() !== expected)
          this.add(path, "assumed", `Operation「${v}」与接口 ${tgt.api} 不一致，按接口 ${apiId ?? tgt.api} 写入`, `Operation "${v}" differs from api ${tgt.api}; the api decides`);
        else this.add(path, "ignored", "Operation 由目标接口决定", "Operation follows from the target api");
      } else if (name === "key") {
        this.add(path, "ignored", "批量保存的分组键（key）由连接器处理：单据放在 Model 数组中", "the batch key is handled by the connector: documents go into Model[]");
      } else if (vendor === "kingdee" && name in KINGDEE_FLAGS) {
        const kind = KINGDEE_FLAGS[name];
        if (isBlank(v)) {
          this.add(path, "ignored", `「${name}」没有值，使用默认`, `"${name}" has no value; the default applies`);
          continue;
        }
        if (kind === "boolean") {
          const b = truthy(v);
          if (b === undefined) this.add(`${path}.value`, "untranslated", `「${name}」应为 true/false，实际为 ${show(v)}`, `"${name}" must be true or false`);
          else options[name] = b;
        } else if (kind === "array") options[name] = Array.isArray(v) ? v.map(String) : String(v).split(",").map((s) => s.trim()).filter(Boolean);
        else if (kind === "number") {
          const n = asInt(v);
          if (n === undefined) this.add(`${path}.value`, "untranslated", `「${name}」应为整数，实际为 ${show(v)}`, `"${name}" must be an integer`);
          else options[name] = n;
        } else options[name] = String(v);
      } else this.add(path, "untranslated", `目标系统参数「${name}」暂不支持，未导入`, `target system parameter "${name}" is not supported and was not imported`);
    }
    if (vendor === "kingdee" && !data.formId)
      this.add("target.otherRequest", "untranslated", "缺少 FormId（表单 ID，如 BD_Customer），请在目标节点中填写", "FormId is missing (e.g. BD_Customer); fill it in on the target node");

    // operation (加工厂)
    if (tgt.operation) {
      const m = tgt.operation.method;
      if (m === "batchArraySave") {
        const rows = tgt.operation.rows === undefined ? undefined : asInt(tgt.operation.rows);
        if (rows !== undefined) {
          data.batchSize = Math.min(Math.max(rows, 1), 1000);
          this.add("target.operation.rows", "assumed", `batchArraySave 的 rows=${rows} 解释为每次写入的单据数（轻易云未确认）`, `batchArraySave rows=${rows} is taken as documents per write call (unconfirmed in Qeasy)`);
        } else this.add("target.operation", "assumed", "batchArraySave 未给 rows，每批单据数使用方案默认值", "batchArraySave without rows: the flow's default batch size applies");
        const rk = tgt.operation.rowsKey;
        if (rk !== undefined && rk !== "array")
          this.add("target.operation.rowsKey", "untranslated", `rowsKey「${rk}」（用记录内数组作为行）暂不支持，每条记录写一张单据`, `rowsKey "${rk}" (rows from an array inside the record) is not supported; each record becomes one document`);
      } else if (m === "none") {
        this.add("target.operation.method", "ignored", "none：逐条处理；数桥按批次写入、逐行记录结果，效果相同", "none: records are handled one by one; Shuqiao writes in batches with per-row outcomes, same effect");
      } else
        this.add(
          "target.operation.method",
          "untranslated",
          m === "merge" ? "merge（多行合并为一张单据）暂不支持，每条记录写一张单据" : `目标加工厂方法「${m}」暂不支持`,
          m === "merge" ? "merge (several rows into one document) is not supported; each record becomes one document" : `target operation "${m}" is not supported`,
        );
      for (const k of Object.keys(tgt.operation))
        if (!["method", "rows", "rowsKey"].includes(k)) this.add(`target.operation.${k}`, "untranslated", `加工厂参数「${k}」未导入`, `operation parameter "${k}" was not imported`);
    }
    if (tgt.autoCheck !== undefined) this.add("target.autoCheck", "untranslated", "autoCheck（写入后校验）暂不支持", "autoCheck (post-write verification) is not supported");
    if (tgt.idCheck !== undefined)
      this.add("target.idCheck", "ignored", "去重由来源节点的 idCheck（台账）决定", "dedupe is decided by the source node's idCheck (the ledger)");
    if (tgt.response?.length) this.add("target.response", "ignored", "目标返回字段说明未导入", "target response descriptors were not imported");

    // field mapping
    const request = (tgt.request ?? []).map((d, i) => ({ d, path: `target.request.${i}` })).filter((x) => x.d.field !== "FormId");
    const merged = this.mergeMapping(request, mapping);
    const fields = this.fields(this.nestByParent(merged), 0);
    if (!fields.length) this.add("target.request", "untranslated", "目标没有任何字段映射（request 为空）", "the target has no field mapping (request is empty)");
    return { data, vendor, fields };
  }

  mergeMapping(request: { d: QeasyFieldDescriptor; path: string }[], mapping: QeasyMapping | undefined) {
    if (mapping === undefined) return request;
    let entries: { d: QeasyFieldDescriptor; path: string }[];
    if (Array.isArray(mapping)) entries = mapping.map((d, i) => ({ d, path: `mapping.${i}` }));
    else if ("request" in mapping && Array.isArray((mapping as { request?: unknown }).request))
      entries = (mapping as { request: QeasyFieldDescriptor[] }).request.map((d, i) => ({ d, path: `mapping.request.${i}` }));
    else
      entries = Object.entries(mapping as Record<string, string | number | boolean>).map(([field, value]) => ({
        d: { field, value: String(value) },
        path: `mapping.${field}`,
      }));
    const out = [...request];
    for (const e of entries) {
      const i = out.findIndex((x) => x.d.field === e.d.field);
      if (i >= 0) {
        out[i] = { d: { ...out[i].d, ...e.d }, path: e.path };
        this.add(e.path, "assumed", `映射文件覆盖了目标字段「${e.d.field}」`, `the mapping file overrides target field "${e.d.field}"`);
      } else out.push(e);
    }
    return out;
  }

  /** Flat lists with `parent` references → children (a form some configs use instead of nesting). */
  nestByParent(list: { d: QeasyFieldDescriptor; path: string }[], outer?: string) {
    const byField = new Map(list.map((x) => [x.d.field, x] as const));
    const kids = new Map<string, { d: QeasyFieldDescriptor; path: string }[]>();
    const top: { d: QeasyFieldDescriptor; path: string; kids?: { d: QeasyFieldDescriptor; path: string }[] }[] = [];
    for (const x of list) {
      const parent = x.d.parent;
      if (parent && byField.has(parent) && parent !== x.d.field) {
        kids.set(parent, [...(kids.get(parent) ?? []), x]);
        this.add(`${x.path}.parent`, "assumed", `按 parent「${parent}」放入该字段的明细（children）`, `placed under "${parent}" as one of its children`);
      } else {
        if (parent && parent !== outer)
          this.add(`${x.path}.parent`, "ignored", `parent「${parent}」不是同级字段，忽略`, `parent "${parent}" is not a sibling field; ignored`);
        top.push(x);
      }
    }
    return top.map((x) => ({ ...x, kids: kids.get(x.d.field) }));
  }

  fields(list: { d: QeasyFieldDescriptor; path: string; kids?: { d: QeasyFieldDescriptor; path: string }[] }[], depth: number): FieldMapping[] {
    const out: FieldMapping[] = [];
    for (const { d, path, kids } of list) {
      const f: FieldMapping = { field: d.field };
      for (const k of Object.keys(d))
        if (!DESCRIPTOR_KEYS.has(k)) this.add(`${path}.${k}`, "untranslated", `字段描述中未知的键「${k}」未导入`, `unknown descriptor key "${k}" was not imported`);
      if (typeof d.label === "string" && d.label !== "") f.label = d.label;
      if (d.type !== undefined && d.type !== null && d.type !== "") {
        const t = FIELD_TYPES[d.type.trim().toLowerCase()];
        if (t) f.type = t;
        else this.add(`${path}.type`, "untranslated", `字段类型「${d.type}」未知，未导入（按原值写入）`, `unknown field type "${d.type}" was not imported (value written as is)`);
      }
      const v = d.value;
      if (typeof v === "string") {
        if (v !== "") f.value = v;
      } else if (typeof v === "number" || typeof v === "boolean") {
        f.value = String(v);
        if (!f.type) {
          f.type = typeof v === "number" ? (Number.isInteger(v) ? "int" : "number") : "boolean";
          this.add(`${path}.value`, "assumed", `值 ${v} 是 JSON ${typeof v === "number" ? "数字" : "布尔"}，类型设为 ${f.type}`, `value ${v} is a JSON ${typeof v}; type set to ${f.type}`);
        }
      } else if (v !== undefined && v !== null) {
        this.add(`${path}.value`, "untranslated", `值是 JSON ${Array.isArray(v) ? "数组" : "对象"}，映射值只能是文本/模板，未导入`, "the value is a JSON array/object; mapping values are text or templates, not imported");
      }
      if (f.value !== undefined) {
        f.value = this.checkValue(f.value, `${path}.value`);
        if (depth === 0) this.values.push({ value: f.value, path: `${path}.value` });
      }
      const req = d.is_required === undefined || d.is_required === null ? undefined : truthy(d.is_required);
      if (req) f.required = true;
      if (d.parser !== undefined && d.parser !== null && d.parser !== "") {
        let parsers: ParserRef[] = [];
        try {
          parsers = normalizeParsers(d.parser);
        } catch (e) {
          this.issues.push({ path: `${path}.parser`, message: e instanceof Error ? e.message : String(e) });
        }
        const known = new Set(listParsers().map((x) => x.name));
        for (const ref of parsers) {
          if (ref.name.startsWith("Custom:"))
            this.add(`${path}.parser`, "untranslated", `自定义解析器「${ref.name.slice(7)}」需要在数桥中定义（JSONata 表达式）后才能运行`, `custom parser "${ref.name.slice(7)}" must be defined in Shuqiao (a JSONata expression) before the flow can run`);
          else if (!known.has(ref.name))
            this.add(`${path}.parser`, "untranslated", `解析器「${ref.name}」数桥没有（可用：${[...known].join("、")}），已保留，运行前请替换`, `parser "${ref.name}" does not exist in Shuqiao; kept, replace it before running`);
        }
        if (parsers.length) f.parsers = parsers;
      }
      if (typeof d.describe === "string" && d.describe !== "" && d.describe !== "_autoFillResponse")
        this.add(`${path}.describe`, "ignored", "字段说明文字未导入", "field description not imported");
      if (d.id !== undefined && d.id !== null && String(d.id) !== d.field)
        this.add(`${path}.id`, "ignored", `描述 id「${d.id}」未导入`, `descriptor id "${d.id}" not imported`);
      const childList = [
        ...(d.children ?? []).map((c, i) => ({ d: c, path: `${path}.children.${i}` })),
        ...(kids ?? []),
      ];
      if (childList.length) {
        f.children = this.fields(this.nestByParent(childList, d.field), depth + 1);
        if (f.value === undefined && f.type !== "object") {
          const prefix = commonRowPrefix(f.children);
          if (prefix) {
            f.value = `{{${prefix}}}`;
            this.add(path, "assumed", `明细「${d.field}」未给出行来源，按子字段引用推断为 {{${prefix}}}`, `entry "${d.field}" names no row source; {{${prefix}}} inferred from its children`);
          } else if (f.type === "array")
            this.add(path, "untranslated", `明细「${d.field}」未给出行来源（value），将写成单个对象`, `entry "${d.field}" names no row source (value); it will be written as one object`);
        }
      }
      out.push(f);
    }
    return out;
  }

  /** Rewrites `_findCollection … from <Qeasy scheme id>` through `schemes`; reports ids it cannot map. */
  checkValue(v: string, path: string): string {
    const out = v.replace(/(_findCollection\s+find\s+\S+\s+from\s+)(\S+)/gi, (all, head: string, id: string) => {
      const mapped = Object.prototype.hasOwnProperty.call(this.schemes, id) ? this.schemes[id] : undefined;
      if (mapped) {
        this.add(path, "assumed", `_findCollection 的轻易云方案「${id}」换成数桥方案「${mapped}」`, `_findCollection: Qeasy scheme "${id}" replaced by Shuqiao flow "${mapped}"`);
        return head + mapped;
      }
      if (!Object.values(this.schemes).includes(id))
        this.add(
          path,
          "untranslated",
          `_findCollection 引用轻易云方案「${id}」：请改为数桥中对应方案的 ID（导入时可用 schemes 对照表），查找在该方案的台账中进行`,
          `_findCollection names Qeasy scheme "${id}"; replace it with the id of the Shuqiao flow holding that data (or pass a schemes map when importing)`,
        );
      return all;
    });
    if (/_mongoQuery/.test(v)) this.add(path, "untranslated", "_mongoQuery 暂不支持", "_mongoQuery is not supported");
    return out;
  }
}

/**
 * `{{details.goods_no}}`, `{{details.qty}}` → "details"; `{{form.费用明细.金额}}` … → "form.费用明细":
 * the longest dotted prefix every child placeholder shares, i.e. the array the rows come from.
 */
function commonRowPrefix(children: FieldMapping[]): string | undefined {
  let common: string[] | undefined;
  for (const c of children) {
    for (const m of (c.value ?? "").matchAll(/\{\{?\s*([^{}|\s]+)\s*(?:\|[^}]*)?\}\}?/gu)) {
      const segs = m[1].split(".");
      if (segs.length < 2) return undefined; // a child reads a top-level field: no common array
      const parent = segs.slice(0, -1);
      if (!common) common = parent;
      else {
        let i = 0;
        while (i < common.length && i < parent.length && common[i] === parent[i]) i++;
        common = common.slice(0, i);
      }
      if (!common.length) return undefined;
    }
  }
  return common?.length ? common.join(".") : undefined;
}

/** Top-level fields of a DingTalk approval instance (topapi/processinstance/get), plus the form step's `form`. */
const DINGTALK_INSTANCE_FIELDS = new Set([
  "process_instance_id", "title", "create_time", "finish_time", "originator_userid", "originator_dept_id", "originator_dept_name",
  "status", "result", "business_id", "approver_userids", "cc_userids", "form_component_values", "operation_records", "tasks",
  "biz_action", "biz_data", "attached_process_instance_ids", "main_process_instance_id", "form",
]);

const X0 = 80;
const DX = 240;

/** Translates a Qeasy source + target (+ mapping) into a flow document and a report. Throws QeasyImportError on malformed input. */
export async function importQeasy(input: QeasyImportInput): Promise<QeasyImportResult> {
  const parsed = parseQeasyInput(input);
  const im = new Importer(input.schemes);
  const connections = input.connections ?? {};
  const src = im.source(parsed.source, connections);
  const condition = im.condition(parsed.source);
  const tgt = im.target(parsed.target, parsed.mapping, connections);
  if (im.issues.length) throw new QeasyImportError(im.issues);

  const entry = catalogueEntry(String(src.data.apiId));
  const tEntry = catalogueEntry(String(tgt.data.apiId));
  const nodes: FlowNode[] = [];
  const push = (n: Omit<FlowNode, "position">) => nodes.push({ ...n, position: { x: X0 + DX * nodes.length, y: 160 } } as FlowNode);
  push({ id: "source", type: "source", label: entry?.label.zh ?? String(src.data.apiId), data: src.data } as FlowNode);
  src.flattenPaths.forEach((path, i) =>
    push({ id: src.flattenPaths.length > 1 ? `flatten-${i + 1}` : "flatten", type: "flatten", label: `展开 ${path}`, data: { path, options: {} } } as FlowNode),
  );
  if (src.split) push({ id: "split", type: "split", label: `拆分 ${src.split}`, data: { path: src.split, options: {} } } as FlowNode);
  if (src.vendor === "dingtalk") {
    push({ id: "form", type: "dingtalkForm", label: "展开审批表单", data: { target: "form", keys: "label" } } as FlowNode);
    im.add(
      "source.api",
      "assumed",
      "钉钉审批表单值放在记录的 form 下，按控件名称引用：{{form.备用金金额}}；明细表（TableField）为行数组",
      "DingTalk form values are put under `form`, keyed by component label: {{form.备用金金额}}; TableFields become row arrays",
    );
  }
  if (src.vendor === "dingtalk") {
    for (const { value, path } of im.values) {
      const roots = new Set(templateVariables(value).map((v) => v.split(/[.[|]/)[0]));
      for (const root of roots)
        if (!DINGTALK_INSTANCE_FIELDS.has(root) && !/^[A-Z][A-Z0-9_]*$/.test(root))
          im.add(
            path,
            "untranslated",
            `「${root}」不是钉钉审批实例的字段：若是表单控件，请写成 {{form.${root}}}`,
            `"${root}" is not a field of a DingTalk approval instance; if it is a form component, write {{form.${root}}}`,
          );
    }
  }
  if (condition) push({ id: "filter", type: "filter", label: "过滤条件", data: { condition } } as FlowNode);
  push({ id: "mapper", type: "mapper", label: "字段映射", data: { fields: tgt.fields } } as FlowNode);
  const formId = tgt.data.formId as string | undefined;
  push({ id: "target", type: "target", label: [tEntry?.label.zh ?? String(tgt.data.apiId), formId].filter(Boolean).join(" "), data: tgt.data } as FlowNode);
  const edges: FlowEdge[] = nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: n.id }));

  const settings = FlowSettings.parse({});
  if (src.incremental) {
    settings.incremental = { enabled: true, overlapSec: 0 };
    im.add(
      "source.request",
      "assumed",
      "请求参数引用 {{LAST_SYNC_TIME}}：开启增量同步，LAST_SYNC_TIME = 上次成功运行的窗口结束时间（无重叠；首次运行回看 30 天）",
      "request parameters use {{LAST_SYNC_TIME}}: incremental sync is on, LAST_SYNC_TIME = end of the last successful window (no overlap; the first run looks back 30 days)",
    );
  }
  const derivedName = `${entry?.label.zh.replace(/（.*）$/, "") ?? parsed.source.api} → ${formId ?? tEntry?.label.zh ?? parsed.target.api}`;
  const raw = {
    schemaVersion: FLOW_SCHEMA_VERSION,
    name: (input.name?.trim() || derivedName).slice(0, 100),
    description: "从轻易云方案导入 (imported from a Qeasy scheme)",
    nodes,
    edges,
    settings,
  };
  const docRes = FlowDoc.safeParse(raw);
  if (!docRes.success) {
    // the importer built something the flow schema refuses: a bug here, but say where
    throw new QeasyImportError(docRes.error.issues.map((i) => ({ path: `document.${i.path.join(".")}`, message: i.message })));
  }
  const document = docRes.data;
  const compiled = await compileFlow(document);
  if (!compiled.ok) for (const pr of compiled.problems) im.report.push({ path: `document.${pr.path}`, level: "problem", message: pr.message });
  return { document, report: im.report };
}
