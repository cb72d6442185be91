"use client";
/**
 * 方案设计器: the React Flow canvas showing a scheme's current version.
 */
import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node } from "@xyflow/react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { ErrorState, LoadingState } from "../ui/primitives";
import { nodeTypes, type FlowNodeData, type NodeKind } from "./node-registry";

export function Designer({ flowId }: { flowId: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const flow = useQuery(trpc.flows.byId.queryOptions({ id: flowId }));
  const { nodes, edges } = useMemo(() => {
    const doc = flow.data?.document;
    const nodes: Node<FlowNodeData, NodeKind>[] = (doc?.nodes ?? []).map((n) => ({ id: n.id, type: n.type as NodeKind, position: n.position, data: n.data as FlowNodeData }));
    const edges: Edge[] = (doc?.edges ?? []).map((e) => ({ id: e.id, source: e.source, target: e.target }));
    return { nodes, edges };
  }, [flow.data]);

  if (flow.isPending) return <LoadingState />;
  if (flow.isError) return <ErrorState message={flow.error.data?.code === "NOT_FOUND" ? t("designer.notFound") : flow.error.message} />;

  return (
    <div className="flex h-full flex-col">
      <header className="flex items-center gap-4 border-b border-slate-200 bg-white px-6 py-3">
        <Link href="/flows" className="text-sm text-slate-500 hover:text-slate-800" aria-label={t("designer.back")}>
          ← {t("nav.flows")}
        </Link>
        <h1 className="text-base font-semibold text-slate-900" data-testid="designer-title">
          {flow.data.name}
        </h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">{t("designer.version", { n: flow.data.version.number })}</span>
      </header>
      <div className="min-h-[480px] flex-1" aria-label={t("designer.canvasLabel")}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView fitViewOptions={{ maxZoom: 1 }} proOptions={{ hideAttribution: true }}>
          <Background gap={16} color="#cbd5e1" />
          <Controls />
          <MiniMap pannable zoomable className="!bg-white" nodeColor="#93c5fd" nodeStrokeColor="#1d63e0" />
        </ReactFlow>
      </div>
    </div>
  );
}
