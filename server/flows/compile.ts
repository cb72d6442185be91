/**
 * Checks a flow document and turns it into the engine's plan.
 *
 * Why this exists: a person who saves a broken scheme must learn everything that is wrong at once —
 * which node, which field, what to do — in Chinese with the English beside it, before a run starts and
 * fails half-way. The engine then receives a plan it can trust: one linear chain
 * source → (flatten/split) → (filter/validate/clean)* → mapper → target, with defaults filled in.
 */
import { createHash } from "node:crypto";
import { compileCleaner, compileFilter, compileValidator, templateVariables, validateMapping } from "@/server/mapping";
import type { Plan, PlanStep, StepKind } from "@/server/engine/types";
import type { FieldMapping } from "@/server/mapping/types";
import { type FlowDoc, type FlowNode, parseFlowDoc } from "./flow.schema";

export interface CompileProblem {
  nodeId?: string;
  /** JSON path inside the document, e.g. "nodes.3.data.fields.1.value" */
  path: string;
  /** "中文说明 (English explanation)" */
  message: string;
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

export type CompileResult = { ok: true; plan: Plan; doc: FlowDoc; problems: [] } | { ok: false; problems: CompileProblem[]; doc?: FlowDoc };

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

/** Validates the document and builds the plan; returns every problem found, never just the first. */
export async function compileFlow(raw: unknown, opts: CompileOptions = {}): Promise<CompileResult> {
  const parsed = parseFlowDoc(raw);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.issues.map((i) => ({ path: i.path, message: p(`文档格式错误：${i.message}`, `invalid document at ${i.path}`) })),
    };
  }
  const doc = parsed.doc;
  const problems: CompileProblem[] = [];
  const indexOf = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (indexOf.has(n.id)) problems.push({ nodeId: n.id, path: `nodes.${i}.id`, message: p(`节点 id「${n.id}」重复`, `duplicate node id "${n.id}"`) });
    indexOf.set(n.id, i);
  });
  const byId = new Map(doc.nodes.map((n) => [n.id, n] as const));

  // Edges: dangling ends, self loops, branching.
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  doc.edges.forEach((e, i) => {
    let ok = true;
    if (!byId.has(e.source)) {
      problems.push({ path: `edges.${i}.source`, message: p(`连线 ${e.id} 的起点节点「${e.source}」不存在`, `edge ${e.id} starts at unknown node "${e.source}"`) });
      ok = false;
    }
    if (!byId.has(e.target)) {
      problems.push({ path: `edges.${i}.target`, message: p(`连线 ${e.id} 的终点节点「${e.target}」不存在`, `edge ${e.id} ends at unknown node "${e.target}"`) });
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
          problems.push({ nodeId: next, path: `nodes.${indexOf.get(next)}`, message: p(`流程中有环：${loop.join(" → ")}`, `the flow has a cycle: ${loop.join(" -> ")}`) });
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
    problems.push({ path: "nodes", message: p(`方案需要且只能有一个来源节点，现有 ${sources.length} 个`, `a scheme needs exactly one source node, found ${sources.length}`) });
  if (targets.length !== 1)
    problems.push({ path: "nodes", message: p(`方案需要且只能有一个目标节点，现有 ${targets.length} 个`, `a scheme needs exactly one target node, found ${targets.length}`) });
  if (mappers.length !== 1)
    problems.push({ path: "nodes", message: p(`方案需要且只能有一个映射节点，现有 ${mappers.length} 个`, `a scheme needs exactly one mapper node, found ${mappers.length}`) });
  for (const m of mappers) {
    if (!(out.get(m.id) ?? []).some((t) => byId.get(t)?.type === "target"))
      problems.push({ nodeId: m.id, path: `nodes.${indexOf.get(m.id)}`, message: p(`映射节点 ${describe(m)} 没有连到目标节点`, `mapper ${m.id} is not connected to a target`) });
  }
  for (const n of doc.nodes) {
    const i = indexOf.get(n.id);
    if ((out.get(n.id) ?? []).length > 1)
      problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 有多条出线，暂不支持分支`, `node ${n.id} has several outgoing edges; branching is not supported`) });
    if ((inc.get(n.id) ?? []).length > 1)
      problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 有多条入线，暂不支持合并`, `node ${n.id} has several incoming edges; merging is not supported`) });
    if (n.type === "source" && (inc.get(n.id) ?? []).length)
      problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`来源节点 ${describe(n)} 不能有入线`, `source ${n.id} cannot have incoming edges`) });
    if (n.type === "target" && (out.get(n.id) ?? []).length)
      problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`目标节点 ${describe(n)} 不能有出线`, `target ${n.id} cannot have outgoing edges`) });
    if (n.type !== "source" && !(inc.get(n.id) ?? []).length)
      problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 没有连入任何上游节点`, `node ${n.id} is not connected to anything upstream`) });
  }

  // Node-level checks.
  const checkTemplates = (node: FlowNode, value: unknown, basePath: string, onlyContext: boolean) => {
    const strings: { path: string; text: string }[] = [];
    stringsIn(value, basePath, strings);
    for (const s of strings) {
      if (!s.text.includes("{")) continue;
      const { names, error } = safeVariables(s.text);
      if (error) {
        problems.push({ nodeId: node.id, path: s.path, message: p(`节点 ${describe(node)} 模板写法有误：${error}`, `bad template at ${s.path}`) });
        continue;
      }
      for (const name of names) {
        const root = name.split(/[.[|]/)[0];
        // In mappers a name is a record field unless it is shaped like one of our context variables:
        // Kingdee keys such as FDEPTID are upper-case too, but a typo like LAST_SYNC_TIM must still be caught.
        const looksContext = CONTEXT_PREFIX.test(root);
        if ((onlyContext || looksContext) && !CONTEXT_SET.has(root))
          problems.push({
            nodeId: node.id,
            path: s.path,
            message: p(`节点 ${describe(node)} 的模板引用了未知变量 {{${root}}}（可用：${CONTEXT_VARIABLES.join("、")}）`, `template names unknown variable "${root}"`),
          });
      }
    }
  };

  for (const n of doc.nodes) {
    const i = indexOf.get(n.id);
    const base = `nodes.${i}.data`;
    try {
      switch (n.type) {
        case "source":
          checkTemplates(n, n.data.params, `${base}.params`, true);
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
            problems.push({ nodeId: n.id, path: `${base}.fields`, message: p(`映射节点 ${describe(n)} 没有任何字段映射`, `mapper ${n.id} has no field mappings`) });
          const errs = validateMapping(n.data.fields as FieldMapping[]);
          for (const e of errs)
            problems.push({ nodeId: n.id, path: `${base}.fields${e.field ? "." + e.field : ""}`, message: p(`映射节点 ${describe(n)} 字段 ${e.field}：${e.message}`, `mapping error in field ${e.field}`) });
          checkTemplates(n, n.data.fields, `${base}.fields`, false);
          break;
        }
        default:
          break;
      }
    } catch (e) {
      problems.push({ nodeId: n.id, path: base, message: p(`节点 ${describe(n)} 配置有误：${errorText(e)}`, `node ${n.id} is misconfigured`) });
    }
    if ((n.type === "source" || n.type === "target") && opts.resolveConnection) {
      const info = await opts.resolveConnection(n.data.connectionId);
      if (!info)
        problems.push({
          nodeId: n.id,
          path: `${base}.connectionId`,
          message: p(`节点 ${describe(n)} 引用的连接「${n.data.connectionId}」不存在`, `connection "${n.data.connectionId}" does not exist`),
        });
      else {
        const vendor = n.data.apiId.split(".")[0];
        if (vendor && info.vendor && vendor !== info.vendor)
          problems.push({
            nodeId: n.id,
            path: `${base}.apiId`,
            message: p(`节点 ${describe(n)} 的接口 ${n.data.apiId} 与连接的系统 ${info.vendor} 不一致`, `api ${n.data.apiId} does not belong to a ${info.vendor} connection`),
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
          problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`节点 ${describe(n)} 必须放在映射节点之前`, `node ${n.id} must come before the mapper`) });
        if (STRUCTURAL.has(n.type) && sawNonStructural)
          problems.push({
            nodeId: n.id,
            path: `nodes.${i}`,
            message: p(`展开/拆分节点 ${describe(n)} 必须紧跟在来源节点之后`, `flatten/split node ${n.id} must come right after the source`),
          });
        if (!STRUCTURAL.has(n.type)) sawNonStructural = true;
      } else if (n.type === "target" && !sawMapper)
        problems.push({ nodeId: n.id, path: `nodes.${i}`, message: p(`目标节点 ${describe(n)} 之前需要一个映射节点`, `target ${n.id} needs a mapper before it`) });
    }
    for (const n of doc.nodes)
      if (!chain.includes(n) && n.type !== "source")
        problems.push({ nodeId: n.id, path: `nodes.${indexOf.get(n.id)}`, message: p(`节点 ${describe(n)} 不在来源到目标的链路上`, `node ${n.id} is not on the path from the source`) });
  }

  if (problems.length) return { ok: false, problems, doc };

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
