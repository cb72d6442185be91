/**
 * Checks a flow document and turns it into the engine's plan.
 *
 * Why this exists: a person who saves a broken scheme must learn everything that is wrong at once —
 * which node, which field, what to do — before a run starts and fails half-way. Every problem of a
 * draft comes out of one pass: the schema problems of every node (one node's missing field never hides
 * another node's, nor the graph's problems) and the graph/semantic ones. Each carries a stable `code`
 * with its data (node id, field key, params) that the designer words in the user's language
 * (components/flow/problems.ts); `path` and `message` are the technical detail, which the CLI and run
 * logs print as they are. The engine then receives a plan it can trust: one linear chain
 * source → (flatten/split) → (filter/validate/clean)* → mapper → target, with defaults filled in.
 */
import { createHash } from "node:crypto";
import { compileCleaner, compileFilter, compileValidator, templateVariables, validateMapping } from "@/server/mapping";
import type { Plan, PlanStep, StepKind } from "@/server/engine/types";
import type { FieldMapping } from "@/server/mapping/types";
import { type FlowDoc, FlowDoc as FlowDocSchema, FlowEdge, FlowNode as FlowNodeSchema, type FlowNode, FlowSettings, migrateFlowDoc } from "./flow.schema";

export interface CompileProblem {
  nodeId?: string;
  /** JSON path inside the document, e.g. "nodes.3.data.fields.1.value" */
  path: string;
  /** "中文说明 (English explanation)" — the technical detail, printed as is by the CLI and run logs */
  message: string;
}

/** Every kind of problem the compiler reports; the designer has one translated sentence per code. */
export const PROBLEM_CODES = [
  "doc.invalid",
  "settings.invalid",
  "node.duplicateId",
  "node.unknownType",
  "field.required",
  "field.invalid",
  "field.tooLarge",
  "field.tooSmall",
  "edge.unknownSource",
  "edge.unknownTarget",
  "graph.cycle",
  "graph.sourceCount",
  "graph.targetCount",
  "graph.mapperCount",
  "mapper.noTarget",
  "node.branching",
  "node.merging",
  "source.hasIncoming",
  "target.hasOutgoing",
  "node.notConnected",
  "template.invalid",
  "template.unknownVariable",
  "node.misconfigured",
  "mapper.empty",
  "mapper.fieldError",
  "connection.missing",
  "connection.vendorMismatch",
  "chain.afterMapper",
  "chain.structuralNotFirst",
  "chain.targetNeedsMapper",
  "chain.offPath",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** A problem as data: what (code), where (node, field) and the values a sentence needs (params). */
export interface FlowProblem extends CompileProblem {
  code: ProblemCode;
  /** key inside the node's data ("connectionId", "params.modify_start_date", "fields") or, without nodeId, inside settings */
  field?: string;
  params?: Record<string, string | number>;
  /** other nodes the problem names, in order (the nodes of a cycle) */
  nodes?: string[];
}

export interface ConnectionInfo {
  vendor: string;
}

export interface CompileOptions {
  flowId?: string;
  flowVersion?: number;
  /** looks a connection up by id or name; undefined = does not exist. Absent resolver = not checked. */
  resolveConnection?: (idOrName: string) => Promise<ConnectionInfo | undefined>;
}

export type CompileResult = { ok: true; plan: Plan; doc: FlowDoc; problems: [] } | { ok: false; problems: FlowProblem[]; doc?: FlowDoc };

/** Context variables a template may name (besides record fields in the mapper). */
export const CONTEXT_VARIABLES = [
  "LAST_SYNC_TIME",
  "CURRENT_TIME",
  "RUN_ID",
  "FLOW_ID",
  "PAGINATION_PAGE_SIZE",
  "PAGINATION_START_PAGE",
  "WINDOW_START",
  "WINDOW_END",
] as const;
const CONTEXT_SET = new Set<string>(CONTEXT_VARIABLES);
const CONTEXT_PREFIX = /^(LAST|CURRENT|RUN|FLOW|PAGINATION|WINDOW)_[A-Z0-9_]*$/;

const STRUCTURAL: ReadonlySet<string> = new Set(["flatten", "split"]);
const STEP_KINDS: ReadonlySet<string> = new Set(["filter", "validate", "clean", "flatten", "split", "dingtalkForm"]);

function p(zh: string, en: string): string {
  return `${zh} (${en})`;
}

function describe(node: FlowNode): string {
  return node.label ? `「${node.label}」(${node.id})` : `「${node.id}」`;
}

function stringsIn(value: unknown, path: string, out: { path: string; text: string }[]): void {
  if (typeof value === "string") out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${path}.${i}`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) stringsIn(v, `${path}.${k}`, out);
}

function safeVariables(text: string): { names: string[]; error?: string } {
  try {
    return { names: templateVariables(text) };
  } catch (e) {
    return { names: [], error: e instanceof Error ? e.message : String(e) };
  }
}

function errorText(e: unknown): string {
  if (e && typeof e === "object" && "errors" in e && Array.isArray((e as { errors?: unknown }).errors)) {
    const list = (e as { errors: { field?: string; message?: string }[] }).errors;
    if (list.length) return list.map((x) => (x.field ? `${x.field}: ${x.message}` : String(x.message))).join("; ");
  }
  return e instanceof Error ? e.message : String(e);
}

function fingerprint(doc: FlowDoc, mapperFields: unknown[], target: FlowNode & { type: "target" }): string {
  const steps = doc.nodes.filter((n) => n.type !== "source" && n.type !== "target" && n.type !== "mapper").map((n) => ({ t: n.type, d: n.data }));
  return createHash("sha1")
    .update(JSON.stringify({ m: mapperFields, s: steps, f: target.data.formId ?? "", a: target.data.apiId }))
    .digest("hex")
    .slice(0, 16);
}

const NODE_TYPES: ReadonlySet<string> = new Set(FlowNodeSchema.options.map((o) => o.shape.type.value));

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** A schema issue that only says "nothing there": an absent value or an empty required string. */
function isMissing(issue: { code: string; message: string; input?: unknown; origin?: string; minimum?: unknown }): boolean {
  if (issue.code === "invalid_type") return issue.input === undefined || /received undefined/.test(issue.message);
  return issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1;
}

/** A field's schema issue as a code: not filled in, a number out of range, or otherwise invalid. */
function fieldProblem(issue: { code: string; message: string; origin?: string; minimum?: unknown; maximum?: unknown }, message: string): Pick<FlowProblem, "code" | "params"> {
  if (isMissing(issue)) return { code: "field.required", params: { detail: message } };
  if (issue.origin === "number" && issue.code === "too_big") return { code: "field.tooLarge", params: { max: Number(issue.maximum), detail: message } };
  if (issue.origin === "number" && issue.code === "too_small") return { code: "field.tooSmall", params: { min: Number(issue.minimum), detail: message } };
  return { code: "field.invalid", params: { detail: message } };
}

/**
 * The document as far as it can be read, with the schema's problems: every node that parses is used as
 * parsed; one that does not is kept with its raw data (so the graph checks still see it) and listed in
 * `broken`, whose data-level checks are skipped (its schema problems already say what is wrong).
 */
function readDraft(raw: unknown): { doc?: FlowDoc; loose?: FlowDoc; broken: Set<string>; problems: FlowProblem[] } {
  const migrated = migrateFlowDoc(raw);
  const full = FlowDocSchema.safeParse(migrated);
  if (full.success) return { doc: full.data, loose: full.data, broken: new Set(), problems: [] };
  const rawDoc = isObject(migrated) ? migrated : {};
  const rawNodes = Array.isArray(rawDoc.nodes) ? rawDoc.nodes : [];
  const problems: FlowProblem[] = [];
  const broken = new Set<string>();
  for (const issue of full.error.issues) {
    const path = issue.path.map(String);
    const pathText = path.join(".") || "(根 root)";
    const message = issue.message;
    if (path[0] === "nodes" && path.length >= 2) {
      const rawNode = rawNodes[Number(path[1])];
      const nodeId = isObject(rawNode) && typeof rawNode.id === "string" && rawNode.id ? rawNode.id : undefined;
      if (nodeId) broken.add(nodeId);
      const type = isObject(rawNode) ? rawNode.type : undefined;
      if (typeof type !== "string" || !NODE_TYPES.has(type)) {
        problems.push({ code: "node.unknownType", ...(nodeId ? { nodeId } : {}), params: { type: String(type ?? "") }, path: pathText, message: p(`节点类型「${String(type ?? "")}」不认识`, `unknown node type "${String(type ?? "")}"`) });
        continue;
      }
      const field = path[2] === "data" ? path.slice(3).join(".") : path.slice(2).join(".");
      problems.push({ ...fieldProblem(issue, message), ...(nodeId ? { nodeId } : {}), ...(field ? { field } : {}), path: pathText, message });
    } else if (path[0] === "settings" && path.length >= 2) {
      problems.push({ code: "settings.invalid", field: path.slice(1).join("."), params: { detail: message }, path: pathText, message });
    } else problems.push({ code: "doc.invalid", params: { detail: message }, path: pathText, message: p(`文档格式错误：${message}`, `invalid document at ${pathText}`) });
  }
  // The readable part, for the graph and the other nodes' checks.
  const nodes: FlowNode[] = [];
  for (const n of rawNodes) {
    const parsed = FlowNodeSchema.safeParse(n);
    if (parsed.success) nodes.push(parsed.data);
    else if (isObject(n) && typeof n.id === "string" && n.id && typeof n.type === "string" && NODE_TYPES.has(n.type))
      nodes.push({ id: n.id, type: n.type, label: typeof n.label === "string" ? n.label : undefined, position: { x: 0, y: 0 }, data: isObject(n.data) ? n.data : {} } as FlowNode);
  }
  const edges = (Array.isArray(rawDoc.edges) ? rawDoc.edges : []).flatMap((e) => {
    const r = FlowEdge.safeParse(e);
    return r.success ? [r.data] : [];
  });
  const settings = FlowSettings.safeParse(rawDoc.settings ?? {});
  const loose = { schemaVersion: 1, nodes, edges, settings: settings.success ? settings.data : FlowSettings.parse({}) } as FlowDoc;
  return { loose, broken, problems };
}

/** Validates the document and builds the plan; returns every problem found, never just the first. */
export async function compileFlow(raw: unknown, opts: CompileOptions = {}): Promise<CompileResult> {
  const read = readDraft(raw);
  const problems: FlowProblem[] = read.problems;
  if (!read.loose) return { ok: false, problems };
  const doc = read.loose;
  const indexOf = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (indexOf.has(n.id)) problems.push({ code: "node.duplicateId", nodeId: n.id, params: { id: n.id }, path: `nodes.${i}.id`, message: p(`节点 id「${n.id}」重复`, `duplicate node id "${n.id}"`) });
    indexOf.set(n.id, i);
  });
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));

  // Edges: dangling ends, self loops, branching.
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  doc.edges.forEach((e, i) => {
    let ok = true;
    if (!byId.has(e.source)) {
      problems.push({ code: "edge.unknownSource", params: { edge: e.id, node: e.source }, path: `edges.${i}.source`, message: p(`连线 ${e.id} 的起点节点「${e.source}」不存在`, `edge ${e.id} starts at unknown node "${e.source}"`) });
      ok = false;
    }
    if (!byId.has(e.target)) {
      problems.push({ code: "edge.unknownTarget", params: { edge: e.id, node: e.target }, path: `edges.${i}.target`, message: p(`连线 ${e.id} 的终点节点「${e.target}」不存在`, `edge ${e.id} ends at unknown node "${e.target}"`) });
      ok = false;
    }
    if (!ok) return;
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    inc.set(e.target, [...(inc.get(e.target) ?? []), e.source]);
  });

  // Cycles (DFS colouring).
  const colour = new Map<string, 0 | 1 | 2>();
  const cycleNodes = new Set<string>();
  const visit = (id: string, stack: string[]): void => {
    colour.set(id, 1);
    for (const next of out.get(id) ?? []) {
      const c = colour.get(next) ?? 0;
      if (c === 1) {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        if (!cycleNodes.has(next)) {
          loop.forEach((n) => cycleNodes.add(n));
          problems.push({ code: "graph.cycle", nodeId: next, nodes: loop, path: `nodes.${indexOf.get(next)}`, message: p(`流程中有环：${loop.join(" → ")}`, `the flow has a cycle: ${loop.join(" -> ")}`) });
        }
      } else if (c === 0) visit(next, [...stack, next]);
    }
    colour.set(id, 2);
  };
  for (const n of doc.nodes) if (!colour.get(n.id)) visit(n.id, [n.id]);

  const sources = doc.nodes.filter((n) => n.type === "source");
  const targets = doc.nodes.filter((n) => n.type === "target");
  const mappers = doc.nodes.filter((n) => n.type === "mapper");
  if (sources.length !== 1)
    problems.push({ code: "graph.sourceCount", params: { n: sources.length }, path: "nodes", message: p(`方案需要且只能有一个来源节点，现有 ${sources.length} 个`, `a scheme needs exactly one source node, found ${sources.length}`) });
  if (targets.length !== 1)
    problems.push({ code: "graph.targetCount", params: { n: targets.length }, path: "nodes", message: p(`方案需要且只能有一个目标节点，现有 ${targets.length} 个`, `a scheme needs exactly one target node, found ${targets.length}`) });
  if (mappers.length !== 1)
    problems.push({ code: "graph.mapperCount", params: { n: mappers.length }, path: "nodes", message: p(`方案需要且只能有一个映射节点，现有 ${mappers.length} 个`, `a scheme needs exactly one mapper node, found ${mappers.length}`) });
  for (const m of mappers) {
    if (!(out.get(m.id) ?? []).some((t) => byId.get(t)?.type === "target"))
      problems.push({ code: "mapper.noTarget", nodeId: m.id, path: `nodes.${indexOf.get(m.id)}`, message: p(`映射节点 ${describe(m)} 没有连到目标节点`, `mapper ${m.id} is not connected to a target`) });
  }
  for (const n of doc.nodes) {
    const i = indexOf.get(n.id);
    if ((out.get(n.id) ?? []).length > 1)
      problems.push({ code: "node.branching", nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 有多条出线，暂不支持分支`, `node ${n.id} has several outgoing edges; branching is not supported`) });
    if ((inc.get(n.id) ?? []).length > 1)
      problems.push({ code: "node.merging", nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 有多条入线，暂不支持合并`, `node ${n.id} has several incoming edges; merging is not supported`) });
    if (n.type === "source" && (inc.get(n.id) ?? []).length)
      problems.push({ code: "source.hasIncoming", nodeId: n.id, path: `nodes.${i}`, message: p(`来源节点 ${describe(n)} 不能有入线`, `source ${n.id} cannot have incoming edges`) });
    if (n.type === "target" && (out.get(n.id) ?? []).length)
      problems.push({ code: "target.hasOutgoing", nodeId: n.id, path: `nodes.${i}`, message: p(`目标节点 ${describe(n)} 不能有出线`, `target ${n.id} cannot have outgoing edges`) });
    if (n.type !== "source" && !(inc.get(n.id) ?? []).length)
      problems.push({ code: "node.notConnected", nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 没有连入任何上游节点`, `node ${n.id} is not connected to anything upstream`) });
  }

  // Node-level checks.
  const checkTemplates = (node: FlowNode, value: unknown, basePath: string, dataPath: string, onlyContext: boolean) => {
    const strings: { path: string; text: string }[] = [];
    stringsIn(value, basePath, strings);
    for (const s of strings) {
      if (!s.text.includes("{")) continue;
      const field = s.path.slice(dataPath.length + 1);
      const { names, error } = safeVariables(s.text);
      if (error) {
        problems.push({ code: "template.invalid", nodeId: node.id, field, params: { detail: error }, path: s.path, message: p(`节点 ${describe(node)} 模板写法有误：${error}`, `bad template at ${s.path}`) });
        continue;
      }
      for (const name of names) {
        const root = name.split(/[.[|]/)[0];
        // In mappers a name is a record field unless it is shaped like one of our context variables:
        // Kingdee keys such as FDEPTID are upper-case too, but a typo like LAST_SYNC_TIM must still be caught.
        const looksContext = CONTEXT_PREFIX.test(root);
        if ((onlyContext || looksContext) && !CONTEXT_SET.has(root))
          problems.push({
            code: "template.unknownVariable",
            nodeId: node.id,
            field,
            params: { name: root, available: CONTEXT_VARIABLES.join(", ") },
            path: s.path,
            message: p(`节点 ${describe(node)} 的模板引用了未知变量 {{${root}}}（可用：${CONTEXT_VARIABLES.join("、")}）`, `template names unknown variable "${root}"`),
          });
      }
    }
  };

  for (const n of doc.nodes) {
    const i = indexOf.get(n.id);
    const base = `nodes.${i}.data`;
    if (!read.broken.has(n.id)) {
      try {
        switch (n.type) {
          case "source":
            checkTemplates(n, n.data.params, `${base}.params`, base, true);
            break;
          case "filter":
            compileFilter(n.data.condition);
            break;
          case "validate":
            compileValidator(n.data.rules);
            break;
          case "clean":
            compileCleaner(n.data.rules);
            break;
          case "mapper": {
            if (!n.data.fields.length)
              problems.push({ code: "mapper.empty", nodeId: n.id, field: "fields", path: `${base}.fields`, message: p(`映射节点 ${describe(n)} 没有任何字段映射`, `mapper ${n.id} has no field mappings`) });
            const errs = validateMapping(n.data.fields as FieldMapping[]);
            for (const e of errs)
              problems.push({
                code: "mapper.fieldError",
                nodeId: n.id,
                field: "fields",
                params: { target: e.field ?? "", detail: e.message },
                path: `${base}.fields${e.field ? "." + e.field : ""}`,
                message: p(`映射节点 ${describe(n)} 字段 ${e.field}：${e.message}`, `mapping error in field ${e.field}`),
              });
            checkTemplates(n, n.data.fields, `${base}.fields`, base, false);
            break;
          }
          default:
            break;
        }
      } catch (e) {
        const field = n.type === "filter" ? "condition" : n.type === "validate" || n.type === "clean" ? "rules" : undefined;
        problems.push({ code: "node.misconfigured", nodeId: n.id, ...(field ? { field } : {}), params: { detail: errorText(e) }, path: base, message: p(`节点 ${describe(n)} 配置有误：${errorText(e)}`, `node ${n.id} is misconfigured`) });
      }
    }
    const connectionId = (n.data as { connectionId?: unknown }).connectionId;
    if ((n.type === "source" || n.type === "target") && opts.resolveConnection && typeof connectionId === "string" && connectionId) {
      const info = await opts.resolveConnection(connectionId);
      const apiId = typeof n.data.apiId === "string" ? n.data.apiId : "";
      if (!info)
        problems.push({
          code: "connection.missing",
          nodeId: n.id,
          field: "connectionId",
          params: { connection: connectionId },
          path: `${base}.connectionId`,
          message: p(`节点 ${describe(n)} 引用的连接「${connectionId}」不存在`, `connection "${connectionId}" does not exist`),
        });
      else {
        const vendor = apiId.split(".")[0];
        if (vendor && info.vendor && vendor !== info.vendor)
          problems.push({
            code: "connection.vendorMismatch",
            nodeId: n.id,
            field: "apiId",
            params: { api: apiId, vendor: info.vendor },
            path: `${base}.apiId`,
            message: p(`节点 ${describe(n)} 的接口 ${apiId} 与连接的系统 ${info.vendor} 不一致`, `api ${apiId} does not belong to a ${info.vendor} connection`),
          });
      }
    }
  }

  // Chain order: walk from the source.
  const chain: FlowNode[] = [];
  if (sources.length === 1 && cycleNodes.size === 0) {
    let cur: FlowNode | undefined = sources[0];
    const seen = new Set<string>();
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      chain.push(cur);
      const nexts: string[] = out.get(cur.id) ?? [];
      cur = nexts.length === 1 ? byId.get(nexts[0]) : undefined;
    }
    let sawNonStructural = false;
    let sawMapper = false;
    for (const n of chain.slice(1)) {
      const i = indexOf.get(n.id);
      if (n.type === "mapper") sawMapper = true;
      else if (STEP_KINDS.has(n.type)) {
        if (sawMapper)
          problems.push({ code: "chain.afterMapper", nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 必须放在映射节点之前`, `node ${n.id} must come before the mapper`) });
        if (STRUCTURAL.has(n.type) && sawNonStructural)
          problems.push({
            code: "chain.structuralNotFirst",
            nodeId: n.id,
            path: `nodes.${i}`,
            message: p(`展开/拆分节点 ${describe(n)} 必须紧跟在来源节点之后`, `flatten/split node ${n.id} must come right after the source`),
          });
        if (!STRUCTURAL.has(n.type)) sawNonStructural = true;
      } else if (n.type === "target" && !sawMapper)
        problems.push({ code: "chain.targetNeedsMapper", nodeId: n.id, path: `nodes.${i}`, message: p(`目标节点 ${describe(n)} 之前需要一个映射节点`, `target ${n.id} needs a mapper before it`) });
    }
    for (const n of doc.nodes)
      if (!chain.includes(n) && n.type !== "source")
        problems.push({ code: "chain.offPath", nodeId: n.id, path: `nodes.${indexOf.get(n.id)}`, message: p(`节点 ${describe(n)} 不在来源到目标的链路上`, `node ${n.id} is not on the path from the source`) });
  }

  if (problems.length || !read.doc) return { ok: false, problems, ...(read.doc ? { doc: read.doc } : {}) };

  const source = sources[0] as FlowNode & { type: "source" };
  const target = targets[0] as FlowNode & { type: "target" };
  const mapper = mappers[0] as FlowNode & { type: "mapper" };
  const s = doc.settings;
  const steps: PlanStep[] = chain
    .filter((n) => STEP_KINDS.has(n.type))
    .map((n) => ({ nodeId: n.id, kind: n.type as StepKind, config: n.data as Record<string, unknown> }));
  const plan: Plan = {
    flowId: opts.flowId ?? "",
    flowVersion: opts.flowVersion ?? 0,
    source: {
      nodeId: source.id,
      connectionId: source.data.connectionId,
      apiId: source.data.apiId,
      params: source.data.params,
      idField: source.data.idField,
      numberField: source.data.numberField,
      pageSize: source.data.pageSize,
      concurrency: s.concurrency.source,
      options: source.data.options,
      rateLimit: source.data.rateLimit,
      retry: { ...s.retry, ...(source.data.retry ?? {}) },
      maxRecordBytes: source.data.maxRecordBytes,
    },
    steps,
    mapper: { nodeId: mapper.id, fields: mapper.data.fields },
    target: {
      nodeId: target.id,
      connectionId: target.data.connectionId,
      apiId: target.data.apiId,
      formId: target.data.formId,
      batchSize: target.data.batchSize ?? s.batchSize,
      concurrency: target.data.concurrency ?? s.concurrency.target,
      options: target.data.options,
      businessKeyField: target.data.businessKeyField,
      lookupExisting: target.data.lookupExisting ?? false,
      rateLimit: target.data.rateLimit,
      retry: { ...s.retry, ...(target.data.retry ?? {}) },
    },
    idCheck: source.data.idCheck ?? s.idCheck,
    incremental: s.incremental,
    mappingFingerprint: fingerprint(doc, mapper.data.fields, target),
  };
  return { ok: true, plan, doc, problems: [] };
}

/** One line per problem, for the CLI and logs. */
export function formatProblems(problems: CompileProblem[]): string {
  return problems.map((x) => `- ${x.nodeId ? `[${x.nodeId}] ` : ""}${x.path}: ${x.message}`).join("\n");
}
