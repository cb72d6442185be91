"use client";
/**
 * The one registry of canvas node kinds: title key, colour, icon and the React Flow component.
 * `nodeTypes` is built once at module level (React Flow re-mounts nodes when it changes identity).
 */
import { Handle, Position, type Node, type NodeProps, type NodeTypes } from "@xyflow/react";
import { useT } from "../i18n/provider";
import type { MessageKey } from "../i18n/messages";

export type NodeKind = "source" | "filter" | "validate" | "clean" | "flatten" | "mapper" | "target";
export type FlowNodeData = { label?: string; [key: string]: unknown };

export const NODE_KINDS: Record<NodeKind, { title: MessageKey; accent: string; icon: string; inputs: boolean; outputs: boolean }> = {
  source: { title: "node.source", accent: "bg-emerald-500", icon: "⇣", inputs: false, outputs: true },
  filter: { title: "node.filter", accent: "bg-sky-500", icon: "⧩", inputs: true, outputs: true },
  validate: { title: "node.validate", accent: "bg-amber-500", icon: "✓", inputs: true, outputs: true },
  clean: { title: "node.clean", accent: "bg-teal-500", icon: "✧", inputs: true, outputs: true },
  flatten: { title: "node.flatten", accent: "bg-indigo-500", icon: "⇶", inputs: true, outputs: true },
  mapper: { title: "node.mapper", accent: "bg-violet-500", icon: "⇄", inputs: true, outputs: true },
  target: { title: "node.target", accent: "bg-rose-500", icon: "⇡", inputs: true, outputs: false },
};

function FlowNodeCard({ data, type, selected }: NodeProps<Node<FlowNodeData, NodeKind>>) {
  const t = useT();
  const kind = NODE_KINDS[type as NodeKind] ?? NODE_KINDS.filter;
  return (
    <div
      className={`w-56 rounded-lg border bg-white shadow-sm transition ${selected ? "border-brand-500 ring-2 ring-brand-200" : "border-slate-200"}`}
      data-testid={`node-${type}`}
    >
      {kind.inputs ? <Handle type="target" position={Position.Left} className="!h-3 !w-3 !border-2 !border-white !bg-slate-400" /> : null}
      <div className="flex items-center gap-2 border-b border-slate-100 px-3 py-2">
        <span className={`flex h-6 w-6 items-center justify-center rounded text-xs font-bold text-white ${kind.accent}`} aria-hidden>
          {kind.icon}
        </span>
        <span className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t(kind.title)}</span>
      </div>
      <div className="px-3 py-2">
        <p className="truncate text-sm font-medium text-slate-900">{data.label || t("node.unconfigured")}</p>
        {type === "source" ? <p className="mt-0.5 text-xs text-slate-500">{t("node.source.hint")}</p> : null}
      </div>
      {kind.outputs ? <Handle type="source" position={Position.Right} className="!h-3 !w-3 !border-2 !border-white !bg-slate-400" /> : null}
    </div>
  );
}

export const nodeTypes: NodeTypes = Object.fromEntries(Object.keys(NODE_KINDS).map((k) => [k, FlowNodeCard]));
