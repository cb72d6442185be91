"use client";
/**
 * The one registry of canvas node kinds: title, icon, colours, default data, ports, and which part of
 * the server's flow schema validates it; plus the node component React Flow renders.
 *
 * Why this exists: the palette, the canvas, the inspectors and auto-layout all ask "what is a mapper
 * node" in one place. `nodeTypes` is built once at module level (React Flow re-mounts every node when
 * that object changes identity). The node component is memoised and reads only its own data, so
 * dragging one node in a 200-node scheme re-renders one node.
 */
import { Handle, Position, type NodeProps, type NodeTypes } from "@xyflow/react";
import { memo } from "react";
import type { MessageKey } from "../i18n/messages";
import { useT } from "../i18n/provider";
import type { AnyConfig, CanvasNode, NodeKind } from "./model";

export interface NodeKindInfo {
  title: MessageKey;
  hint: MessageKey;
  icon: string;
  /** accent classes: icon tile and the node's top border */
  accent: string;
  border: string;
  inputs: boolean;
  outputs: boolean;
  /** shown in the palette (split / DingTalk form also appear in templates and imports) */
  palette: boolean;
  /** the zod schema in server/flows/flow.schema.ts that validates this node's data on the server */
  schema: string;
  defaults: () => AnyConfig;
}

export const NODE_KINDS: Record<NodeKind, NodeKindInfo> = {
  source: { title: "node.source", hint: "palette.source.hint", icon: "⇣", accent: "bg-emerald-500", border: "border-t-emerald-500", inputs: false, outputs: true, palette: true, schema: "SourceData", defaults: () => ({ connectionId: "", apiId: "", params: {}, idField: "", options: {} }) },
  flatten: { title: "node.flatten", hint: "palette.flatten.hint", icon: "⇶", accent: "bg-indigo-500", border: "border-t-indigo-500", inputs: true, outputs: true, palette: true, schema: "FlattenData", defaults: () => ({ path: "", options: {} }) },
  split: { title: "node.split", hint: "palette.split.hint", icon: "⋔", accent: "bg-indigo-400", border: "border-t-indigo-400", inputs: true, outputs: true, palette: false, schema: "SplitData", defaults: () => ({ path: "", options: {} }) },
  dingtalkForm: { title: "node.dingtalkForm", hint: "palette.dingtalkForm.hint", icon: "▤", accent: "bg-cyan-500", border: "border-t-cyan-500", inputs: true, outputs: true, palette: false, schema: "DingtalkFormData", defaults: () => ({ target: "form", keys: "label" }) },
  filter: { title: "node.filter", hint: "palette.filter.hint", icon: "⧩", accent: "bg-sky-500", border: "border-t-sky-500", inputs: true, outputs: true, palette: true, schema: "FilterData", defaults: () => ({ condition: [[]] }) },
  validate: { title: "node.validate", hint: "palette.validate.hint", icon: "✓", accent: "bg-amber-500", border: "border-t-amber-500", inputs: true, outputs: true, palette: true, schema: "ValidateData", defaults: () => ({ rules: [] }) },
  clean: { title: "node.clean", hint: "palette.clean.hint", icon: "✧", accent: "bg-teal-500", border: "border-t-teal-500", inputs: true, outputs: true, palette: true, schema: "CleanData", defaults: () => ({ rules: [] }) },
  mapper: { title: "node.mapper", hint: "palette.mapper.hint", icon: "⇄", accent: "bg-violet-500", border: "border-t-violet-500", inputs: true, outputs: true, palette: true, schema: "MapperData", defaults: () => ({ fields: [] }) },
  target: { title: "node.target", hint: "palette.target.hint", icon: "⇡", accent: "bg-rose-500", border: "border-t-rose-500", inputs: true, outputs: false, palette: true, schema: "TargetData", defaults: () => ({ connectionId: "", apiId: "kingdee.BatchSave", formId: "", options: {} }) },
};

export const PALETTE_ORDER: NodeKind[] = ["source", "flatten", "filter", "validate", "clean", "mapper", "target"];

/** A one-line summary of what the node does, from its data (API, form, rule counts). */
function summary(type: NodeKind, c: AnyConfig, t: ReturnType<typeof useT>): string {
  switch (type) {
    case "source":
      return String(c.apiId || "").replace(/^(guanyi|dingtalk|kingdee|http)\./, "") || t("node.unconfigured");
    case "target":
      return [String(c.apiId || "").replace(/^kingdee\./, ""), c.formId].filter(Boolean).join(" · ") || t("node.unconfigured");
    case "mapper":
      return t("node.summary.fields", { n: Array.isArray(c.fields) ? c.fields.length : 0 });
    case "filter":
      return t("node.summary.conditions", { n: Array.isArray(c.condition) ? (c.condition as unknown[][]).flat().length : 0 });
    case "validate":
    case "clean":
      return t("node.summary.rules", { n: Array.isArray(c.rules) ? c.rules.length : 0 });
    case "flatten":
    case "split":
      return c.path ? String(c.path) : t("node.unconfigured");
    case "dingtalkForm":
      return `→ ${String(c.target ?? "form")}`;
  }
}

function FlowNodeCard({ id, data, type, selected }: NodeProps<CanvasNode>) {
  const t = useT();
  const kind = NODE_KINDS[type as NodeKind] ?? NODE_KINDS.filter;
  const problems = data.problems ?? [];
  return (
    <div
      className={`w-48 rounded-lg border border-t-4 bg-white shadow-sm transition-shadow in-focus-visible:outline-2 in-focus-visible:outline-offset-2 in-focus-visible:outline-brand-500 ${kind.border} ${selected ? `border-x-brand-500 border-b-brand-500 shadow-md ring-2 ${problems.length ? "ring-red-200" : "ring-brand-200"}` : problems.length ? "border-x-red-400 border-b-red-400 ring-1 ring-red-200" : "border-x-slate-200 border-b-slate-200"}`}
      data-problems={problems.length || undefined}
      data-testid={`node-${type}`}
      data-node-id={id}
    >
      {kind.inputs ? <Handle type="target" position={Position.Left} className="!h-3 !w-3 !border-2 !border-white !bg-slate-400" data-testid={`handle-in-${id}`} /> : null}
      <div className="flex items-center gap-2 px-3 pb-1 pt-2">
        <span className={`flex h-6 w-6 shrink-0 items-center justify-center rounded text-xs font-bold text-white ${kind.accent}`} aria-hidden>
          {kind.icon}
        </span>
        <span className="text-xs font-semibold tracking-wide text-slate-500">{t(kind.title)}</span>
        {problems.length ? (
          <span
            className="ml-auto inline-flex h-5 min-w-5 items-center justify-center rounded-full bg-red-500 px-1.5 text-[11px] font-semibold text-white"
            title={problems.map((p) => `⚠ ${p}`).join("\n")}
            aria-label={t("node.problems", { n: problems.length })}
            data-testid="node-badge"
          >
            {problems.length}
          </span>
        ) : (
          <span className="ml-auto h-2 w-2 rounded-full bg-emerald-400" title={t("node.ok")} aria-label={t("node.ok")} />
        )}
      </div>
      <div className="px-3 pb-2.5">
        <p className="truncate text-sm font-medium text-slate-900">{data.label || t(kind.title)}</p>
        <p className="mt-0.5 truncate font-mono text-[11px] text-slate-500">{summary(type as NodeKind, data.config as AnyConfig, t)}</p>
        {problems.length ? (
          <p className="mt-1 truncate text-[11px] text-red-600" title={problems.join("\n")} data-testid="node-problem">
            ⚠ {problems[0]}
          </p>
        ) : null}
      </div>
      {kind.outputs ? <Handle type="source" position={Position.Right} className="!h-3 !w-3 !border-2 !border-white !bg-slate-400" data-testid={`handle-out-${id}`} /> : null}
    </div>
  );
}

const MemoCard = memo(FlowNodeCard);
export const nodeTypes: NodeTypes = Object.fromEntries(Object.keys(NODE_KINDS).map((k) => [k, MemoCard]));
