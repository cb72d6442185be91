/**
 * Shuqiao flow document → Qeasy (轻易云) source + target metadata (issue #8).
 *
 * Why this exists: a scheme designed or imported here can be taken back to Qeasy, handed to a Qeasy
 * consultant, or diffed against the original config. The output is the published Qeasy shape (see
 * reference/qeasy-metadata.md) and is exactly what `importQeasy` reads: import → export → import
 * gives the same document (tested as a property). What Qeasy metadata cannot express (validation and
 * cleaning nodes, schedules, retry/rate-limit overrides, connection choice …) is listed in `report`
 * with its path in the flow document.
 */
import type { Db } from "@/server/db";
import { DomainError } from "@/server/errors";
import type { FieldMapping, ParserRef } from "@/server/mapping";
import { type FlowDoc, type FlowNode, parseFlowDoc } from "./flow.schema";
import type { QeasyFieldDescriptor } from "./qeasy-schema";
import type { QeasyReportEntry } from "./qeasy-import";

export interface QeasyExportResult {
  source: Record<string, unknown>;
  target: Record<string, unknown>;
  /** paths are inside the flow document (`nodes.2.data.rules`, `settings.schedule`) */
  report: QeasyReportEntry[];
}

const p = (zh: string, en: string) => `${zh} (${en})`;

/** Parsers whose single parameter Qeasy writes positionally: `{"name":"ConvertObjectParser","params":"FNumber"}`. */
const POSITIONAL: Record<string, string> = {
  ConvertObjectParser: "key",
  StringToArray: "separator",
  ArrayToString: "separator",
  DateFormat: "format",
  NumberFormat: "precision",
  Case: "to",
  K3WiseHeiHuCustomParser: "keyName",
};

function parserOut(ref: ParserRef): Record<string, unknown> {
  const params = ref.params ?? {};
  const keys = Object.keys(params);
  if (ref.name.startsWith("Custom:")) return { name: "CustomParser", params: { ruleId: ref.name.slice(7), ...params } };
  if (!keys.length) return { name: ref.name };
  const pos = POSITIONAL[ref.name];
  if (pos && keys.length === 1 && keys[0] === pos && (typeof params[pos] === "string" || typeof params[pos] === "number"))
    return { name: ref.name, params: params[pos] };
  if (keys.every((k) => /^params\d+$/.test(k))) return { name: ref.name, ...params };
  return { name: ref.name, params };
}

/** ParserRef[] → Qeasy `parser`: one object, a comma chain of names, or (Shuqiao extension) a list. */
function parsersOut(refs: ParserRef[], path: string, report: QeasyReportEntry[]): unknown {
  if (refs.length === 1) return parserOut(refs[0]);
  if (refs.every((r) => !r.params || !Object.keys(r.params).length) && refs.every((r) => !r.name.includes(",") && !r.name.startsWith("Custom:")))
    return refs.map((r) => r.name).join(",");
  report.push({
    path,
    level: "assumed",
    message: p("多个带参数的解析器写成数组（轻易云只支持逗号串联无参数的解析器）", "several parsers with parameters are written as a list (Qeasy chains only parameterless parsers)"),
  });
  return refs.map(parserOut);
}

function fieldOut(f: FieldMapping, path: string, report: QeasyReportEntry[], parent: string | null): QeasyFieldDescriptor {
  // label/type only when set: the importer must read back exactly what was there
  const d: QeasyFieldDescriptor = { field: f.field };
  if (f.label !== undefined) d.label = f.label;
  if (f.type !== undefined) d.type = f.type;
  if (f.value !== undefined) d.value = f.value;
  if (f.required) d.is_required = true;
  if (parent) d.parent = parent;
  if (f.parsers?.length) d.parser = parsersOut(f.parsers, `${path}.parsers`, report) as QeasyFieldDescriptor["parser"];
  if (f.default !== undefined)
    report.push({ path: `${path}.default`, level: "untranslated", message: p(`默认值「${f.default}」轻易云没有对应写法，未导出`, "Qeasy has no default value; not exported") });
  if (f.children?.length) d.children = f.children.map((c, i) => fieldOut(c, `${path}.children.${i}`, report, f.field));
  return d;
}

function typeOf(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "number";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  if (v && typeof v === "object") return "object";
  return "string";
}

function desc(field: string, value: unknown, label?: string): QeasyFieldDescriptor {
  return { field, label: label ?? field, type: typeOf(value), value };
}

/** Connector api id → Qeasy `api`. */
function sourceApi(apiId: string): string {
  if (apiId.startsWith("guanyi.")) return apiId.slice("guanyi.".length);
  if (apiId === "dingtalk.processinstance") return "topapi/processinstance/get";
  if (apiId === "kingdee.ExecuteBillQuery") return "ExecuteBillQuery";
  return apiId.replace(/^qeasy\./, "");
}

function targetApi(apiId: string): string {
  if (apiId === "kingdee.BatchSave") return "batchSave";
  if (apiId === "kingdee.Save") return "save";
  return apiId.replace(/^qeasy\./, "");
}

/** AND of several OR-of-AND conditions → one OR-of-AND (distributes). */
function andConditions(list: unknown[][][]): unknown[][] {
  return list.reduce<unknown[][]>((acc, c) => acc.flatMap((a) => c.map((g) => [...a, ...g])), [[]]);
}

function normCondition(c: unknown): unknown[][] {
  if (!Array.isArray(c) || !c.length) return [];
  const flat = c.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
  return (flat ? [c] : c) as unknown[][];
}

/** Exports a (valid) flow document to Qeasy source + target metadata and a report of what Qeasy cannot hold. */
export function exportQeasy(doc: FlowDoc): QeasyExportResult {
  const report: QeasyReportEntry[] = [];
  const add = (path: string, level: QeasyReportEntry["level"], zh: string, en: string) => report.push({ path, level, message: p(zh, en) });
  const idx = new Map(doc.nodes.map((n, i) => [n, i] as const));
  const byType = <T extends FlowNode["type"]>(t: T) => doc.nodes.filter((n): n is Extract<FlowNode, { type: T }> => n.type === t);

  // ---- source ----
  const srcNode = byType("source")[0];
  const source: Record<string, unknown> = {};
  if (!srcNode) add("nodes", "untranslated", "方案没有来源节点", "the flow has no source node");
  else {
    const base = `nodes.${idx.get(srcNode)}.data`;
    const d = srcNode.data;
    const vendor = d.apiId.split(".")[0];
    source.api = sourceApi(d.apiId);
    source.type = "QUERY";
    source.method = "POST";
    source.id = d.idField;
    if (d.numberField) source.number = d.numberField;
    source.idCheck = d.idCheck ?? doc.settings.idCheck;
    if (d.pageSize !== undefined) source.pagination = { pageSize: d.pageSize };
    const opts = { ...d.options } as Record<string, unknown>;
    const params: Record<string, unknown> = { ...((opts.params as Record<string, unknown> | undefined) ?? {}), ...d.params };
    delete opts.params;
    const request: QeasyFieldDescriptor[] = [];
    const other: QeasyFieldDescriptor[] = [];
    if (vendor === "guanyi") {
      for (const [k, v] of Object.entries(params)) request.push(desc(k, v));
      other.push(desc("page_size", "{{PAGINATION_PAGE_SIZE}}", "分页大小"), desc("page_no", "{{PAGINATION_START_PAGE}}", "页号"));
    } else if (vendor === "dingtalk") {
      if (opts.processCode !== undefined) request.push(desc("process_code", String(opts.processCode), "审批流的唯一码"));
      delete opts.processCode;
      if (opts.startTime !== undefined && params.start_time === undefined) params.start_time = String(opts.startTime);
      if (opts.endTime !== undefined && params.end_time === undefined) params.end_time = String(opts.endTime);
      delete opts.startTime;
      delete opts.endTime;
      if (opts.useridList !== undefined) request.push(desc("userid_list", Array.isArray(opts.useridList) ? opts.useridList.join(",") : String(opts.useridList), "发起人"));
      delete opts.useridList;
      for (const [k, v] of Object.entries(params)) request.push(desc(k, v));
      request.push(desc("size", "{{PAGINATION_PAGE_SIZE}}", "分页参数，每页大小"), desc("cursor", "0", "分页查询的游标"));
    } else if (vendor === "kingdee") {
      if (opts.formId !== undefined) other.push(desc("FormId", String(opts.formId), "业务对象表单Id"));
      if (opts.fieldKeys !== undefined) other.push(desc("FieldKeys", Array.isArray(opts.fieldKeys) ? opts.fieldKeys.join(",") : String(opts.fieldKeys), "需查询的字段key集合"));
      const filter = params.FilterString ?? opts.filterString;
      delete params.FilterString;
      if (filter !== undefined && filter !== "") other.push(desc("FilterString", filter, "过滤条件"));
      if (opts.orderString !== undefined) other.push(desc("OrderString", String(opts.orderString), "排序字段"));
      if (opts.topRowCount !== undefined) other.push(desc("TopRowCount", opts.topRowCount, "返回总行数"));
      for (const k of ["formId", "fieldKeys", "filterString", "orderString", "topRowCount"]) delete opts[k];
      for (const [k, v] of Object.entries(params)) request.push(desc(k, v));
      other.push(desc("Limit", "{{PAGINATION_PAGE_SIZE}}", "最大行数"), desc("StartRow", "{{PAGINATION_START_ROW}}", "开始行索引"));
    } else {
      for (const [k, v] of Object.entries(params)) request.push(desc(k, v));
      add(`${base}.apiId`, "untranslated", `接口 ${d.apiId} 没有对应的轻易云适配器`, `api ${d.apiId} has no Qeasy adapter`);
    }
    if (opts.pageSize !== undefined && d.pageSize === undefined) source.pagination = { pageSize: opts.pageSize };
    delete opts.pageSize;
    for (const k of Object.keys(opts))
      add(`${base}.options.${k}`, "untranslated", `来源设置「${k}」轻易云元数据无法表达，未导出`, `source option "${k}" cannot be expressed in Qeasy metadata`);
    if (d.rateLimit) add(`${base}.rateLimit`, "untranslated", "限流覆盖未导出", "rate-limit override not exported");
    if (d.retry) add(`${base}.retry`, "untranslated", "重试覆盖未导出", "retry override not exported");
    add(`${base}.connectionId`, "ignored", `连接「${d.connectionId}」不属于轻易云元数据`, `connection "${d.connectionId}" is not part of Qeasy metadata`);
    source.request = request;
    if (other.length) source.otherRequest = other;

    // structural and filter steps
    const flat = byType("flatten");
    if (flat.length) {
      source.beatFlat = flat.map((n) => n.data.path);
      for (const n of flat)
        if (Object.keys(n.data.options ?? {}).length)
          add(`nodes.${idx.get(n)}.data.options`, "untranslated", "展开节点的选项轻易云无法表达，未导出", "flatten options cannot be expressed in Qeasy");
    }
    const splits = byType("split");
    if (splits.length) {
      source.operation = { method: "splitArray", arrayKey: splits[0].data.path };
      if (splits[0].data.size !== undefined)
        add(`nodes.${idx.get(splits[0])}.data.size`, "untranslated", "按块拆分（size）轻易云无法表达，导出为逐元素拆分", "chunked split (size) cannot be expressed; exported as a per-element split");
      if (Object.keys(splits[0].data.options ?? {}).length)
        add(`nodes.${idx.get(splits[0])}.data.options`, "untranslated", "拆分节点的选项未导出", "split options not exported");
      for (const n of splits.slice(1))
        add(`nodes.${idx.get(n)}`, "untranslated", "轻易云只有一个 splitArray，多余的拆分节点未导出", "Qeasy has one splitArray; extra split nodes were not exported");
    } else source.operation = { method: "none" };
    const filters = byType("filter");
    if (filters.length) {
      const cond = andConditions(filters.map((n) => normCondition(n.data.condition)));
      if (cond.length && cond.some((g) => g.length)) source.condition = cond;
    }
    for (const n of byType("dingtalkForm")) {
      if (vendor !== "dingtalk" || n.data.target !== "form" || n.data.keys !== "label")
        add(`nodes.${idx.get(n)}`, "untranslated", "钉钉表单节点只在默认设置（form、按名称）下可由导入重建", "the DingTalk form node is recreated on import only with its defaults (form, by label)");
    }
    for (const n of [...byType("validate"), ...byType("clean")])
      add(`nodes.${idx.get(n)}`, "untranslated", `轻易云没有${n.type === "validate" ? "校验" : "清洗"}节点，${describeNode(n)}未导出`, `Qeasy has no ${n.type} node; ${n.id} was not exported`);
  }

  // ---- target ----
  const tgtNode = byType("target")[0];
  const mapper = byType("mapper")[0];
  const target: Record<string, unknown> = {};
  if (!tgtNode) add("nodes", "untranslated", "方案没有目标节点", "the flow has no target node");
  else {
    const base = `nodes.${idx.get(tgtNode)}.data`;
    const d = tgtNode.data;
    target.api = targetApi(d.apiId);
    target.type = "EXECUTE";
    target.method = "POST";
    target.idCheck = srcNode?.data.idCheck ?? doc.settings.idCheck;
    target.operation = d.batchSize !== undefined ? { method: "batchArraySave", rowsKey: "array", rows: d.batchSize } : { method: "none" };
    const mpath = mapper ? `nodes.${idx.get(mapper)}.data.fields` : "nodes";
    const fields = (mapper?.data.fields ?? []) as FieldMapping[];
    target.request = fields.map((f, i) => fieldOut(f, `${mpath}.${i}`, report, null));
    const other: QeasyFieldDescriptor[] = [];
    if (d.formId) other.push(desc("FormId", d.formId, "业务对象表单Id"));
    if (d.apiId.startsWith("kingdee.")) other.push(desc("Operation", d.apiId === "kingdee.Save" ? "Save" : "BatchSave", "执行的操作"));
    for (const [k, v] of Object.entries(d.options)) {
      if (k === "retry" || k === "rateLimit") {
        add(`${base}.options.${k}`, "untranslated", `目标设置「${k}」未导出`, `target option "${k}" not exported`);
        continue;
      }
      other.push(desc(k, Array.isArray(v) ? v.join(",") : v));
      if (Array.isArray(v)) other[other.length - 1].type = "array";
    }
    target.otherRequest = other;
    for (const k of ["concurrency", "businessKeyField", "rateLimit", "retry"] as const)
      if (d[k] !== undefined) add(`${base}.${k}`, "untranslated", `目标设置「${k}」轻易云元数据无法表达，未导出`, `target setting "${k}" cannot be expressed in Qeasy metadata`);
    add(`${base}.connectionId`, "ignored", `连接「${d.connectionId}」不属于轻易云元数据`, `connection "${d.connectionId}" is not part of Qeasy metadata`);
  }

  if (doc.settings.schedule) add("settings.schedule", "untranslated", "定时设置在轻易云方案列表中配置，不在元数据里，未导出", "the schedule lives outside Qeasy metadata; not exported");
  return { source, target, report };
}

function describeNode(n: FlowNode): string {
  return n.label ? `「${n.label}」` : `「${n.id}」`;
}

/**
 * A saved scheme version → Qeasy metadata (the designer's 导出到轻易云 and `cli export-qeasy <flowId>`).
 * A version that is not a complete flow document cannot be exported: PRECONDITION_FAILED naming why.
 */
export async function exportSavedFlow(db: Db, flowId: string, version?: number): Promise<QeasyExportResult & { flowName: string; version: number }> {
  const flow = await db.flow.findFirst({ where: { id: flowId, deletedAt: null } });
  if (!flow) throw new DomainError("NOT_FOUND", `方案不存在或已删除 (scheme ${flowId} not found)`);
  const number = version ?? flow.currentVersion;
  const row = await db.flowVersion.findUnique({ where: { flowId_number: { flowId: flow.id, number } } });
  if (!row) throw new DomainError("NOT_FOUND", `方案版本 v${number} 不存在 (version not found)`);
  return { ...exportFlowDocument(row.document, `方案 v${number}`), flowName: flow.name, version: number };
}

/** A flow document (a saved version's or a flow file's) → Qeasy metadata; incomplete documents are refused with every problem. */
export function exportFlowDocument(document: unknown, what: string): QeasyExportResult {
  const parsed = parseFlowDoc(document);
  if (!parsed.ok)
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${what} 还不完整，无法导出：${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")} (incomplete; cannot be exported)`,
    );
  return exportQeasy(parsed.doc);
}
