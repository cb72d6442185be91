"use client";
/**
 * Draft problems in the user's language: the compiler sends a code with its data (node id, field key,
 * params); this module words it — naming nodes by their titles and fields by the labels the inspector
 * shows — and keeps the technical detail (JSON path, raw message, code) behind a "详情 / Details"
 * disclosure.
 *
 * Why this exists: the canvas badge, the inspector's list, the field under its input and the scheme's
 * problem list all say the same sentence; one function makes them agree. `problem.${code}` is checked
 * against the message table at compile time, so a new compiler code without a sentence fails typecheck.
 */
import type { MessageKey } from "../i18n/messages";
import { useI18n } from "../i18n/provider";
import type { Problem } from "./model";
import { NODE_KINDS } from "./node-registry";

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;
export interface NodeRef {
  id: string;
  type?: string;
  data?: { label?: string };
}

/** What the canvas shows as the node's title: its label, else its kind's name. */
export function nodeTitle(node: NodeRef | undefined, t: T): string {
  if (!node) return t("problem.field.node");
  const kind = NODE_KINDS[node.type as keyof typeof NODE_KINDS];
  return node.data?.label || (kind ? t(kind.title) : t("problem.field.node"));
}

/** The inspector's label for a field key of a node's data (or of the scheme settings). */
const FIELD_LABELS: Record<string, MessageKey> = {
  connectionId: "inspector.connection",
  apiId: "inspector.api",
  idField: "inspector.idField",
  numberField: "inspector.numberField",
  pageSize: "inspector.pageSize",
  idCheck: "inspector.idCheck",
  params: "inspector.params",
  rateLimit: "inspector.section.rate",
  formId: "inspector.formId",
  batchSize: "inspector.batchSize",
  concurrency: "inspector.concurrency",
  businessKeyField: "inspector.businessKey",
  lookupExisting: "inspector.lookupExisting",
  path: "flatten.path",
  size: "split.size",
  fields: "problem.field.fields",
  condition: "inspector.section.filter",
  target: "dingtalkForm.target",
  keys: "dingtalkForm.keys",
  incremental: "inspector.incremental",
};

export function fieldLabel(field: string | undefined, nodeType: string | undefined, t: T): string {
  if (!field) return "";
  const [head, ...rest] = field.split(".");
  let key = FIELD_LABELS[head];
  if (head === "apiId" && nodeType === "target") key = "inspector.operation";
  if (head === "rules") key = nodeType === "clean" ? "inspector.section.clean" : "inspector.section.validate";
  const label = key ? t(key) : head;
  // request parameters and options are named by the user's own keys: keep the key beside the label
  return rest.length && (head === "params" || head === "options") ? `${label} · ${rest.join(".")}` : label;
}

/** One problem as a sentence in the current language. */
export function formatProblem(p: Problem, t: T, nodes: ReadonlyMap<string, NodeRef>): string {
  const node = p.nodeId ? nodes.get(p.nodeId) : undefined;
  const params = (p.params ?? {}) as Record<string, string | number>;
  const vendor = typeof params.vendor === "string" ? params.vendor : "";
  const vars: Record<string, string | number> = {
    ...params,
    node: p.nodeId ? nodeTitle(node ?? { id: p.nodeId }, t) : t("problem.scheme"),
    field: fieldLabel(p.field, node?.type, t) || t("problem.field.node"),
    path: (p.nodes ?? []).map((id) => nodeTitle(nodes.get(id), t)).join(" → "),
    vendor: ["guanyi", "dingtalk", "kingdee", "http"].includes(vendor) ? t(`vendor.${vendor}` as MessageKey) : vendor,
  };
  if (!p.nodeId && p.code === "settings.invalid") vars.field = fieldLabel(p.field, undefined, t);
  const key: MessageKey = `problem.${p.code}`;
  return t(key, vars);
}

/** Problems of one node by the top-level field they concern ("connectionId", "params", …). */
export function problemsByField(problems: readonly Problem[], nodeId: string): Map<string, Problem[]> {
  const m = new Map<string, Problem[]>();
  for (const p of problems) {
    if (p.nodeId !== nodeId || !p.field) continue;
    const head = p.field.split(".")[0];
    m.set(head, [...(m.get(head) ?? []), p]);
  }
  return m;
}

/** A list of problems in words; each has its technical detail behind a disclosure. */
export function ProblemList({ problems, nodes, onSelect, testId, className }: { problems: readonly Problem[]; nodes: ReadonlyMap<string, NodeRef>; onSelect?: (nodeId: string) => void; testId?: string; className?: string }) {
  const { t } = useI18n();
  return (
    <ul className={`space-y-1 text-xs ${className ?? ""}`} data-testid={testId}>
      {problems.map((p, i) => {
        const text = formatProblem(p, t, nodes);
        return (
          <li key={i} data-testid="problem" data-code={p.code} data-node={p.nodeId}>
            {p.nodeId && onSelect ? (
              <button type="button" onClick={() => onSelect(p.nodeId as string)} className="text-left text-red-700 hover:underline">
                ⚠ {text}
              </button>
            ) : (
              <span className="text-red-700">⚠ {text}</span>
            )}
            <details className="ml-4 text-[11px] text-slate-500">
              <summary className="cursor-pointer select-none hover:text-slate-700">{t("problem.details")}</summary>
              <dl className="mt-0.5 grid grid-cols-[auto_1fr] gap-x-2 break-all">
                <dt>{t("problem.detailsPath")}</dt>
                <dd className="font-mono">{p.path}</dd>
                <dt>{t("problem.detailsCode")}</dt>
                <dd className="font-mono">{p.code}</dd>
              </dl>
              <p className="mt-0.5 break-all">{p.message}</p>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
