/**
 * The canvas's view of a flow document: React Flow nodes/edges ⇄ the saved document, a layered
 * auto-layout, and the types every designer component shares.
 *
 * Why this exists: the canvas edits exactly the server's flow document (server/flows/flow.schema.ts)
 * and nothing else. A canvas node carries the document node's `data` untouched in `config`, plus
 * what only the screen needs (label, problem messages for the badge); `toDocument` strips the screen
 * parts again, so saving never invents fields. Types come from the router's output and the schema's
 * inferred types — never written twice.
 */
import type { Edge, Node } from "@xyflow/react";
import type { CleanData, DingtalkFormData, FilterData, FlattenData, MapperData, SourceData, SplitData, TargetData, ValidateData } from "@/server/flows/flow.schema";
import type { RouterOutputs } from "../trpc/client";

export type FlowRecord = RouterOutputs["flows"]["byId"];
export type FlowDocument = FlowRecord["document"];
export type DocNode = FlowDocument["nodes"][number];
export type NodeKind = DocNode["type"];
export type Problem = FlowRecord["problems"][number];

/** What a canvas node holds: the document node's data (a draft may be incomplete) and screen-only bits. */
export type CanvasData<T> = { config: Partial<T>; label?: string; problems?: string[] };

export type SourceNode = Node<CanvasData<SourceData>, "source">;
export type FilterNode = Node<CanvasData<FilterData>, "filter">;
export type ValidateNode = Node<CanvasData<ValidateData>, "validate">;
export type CleanNode = Node<CanvasData<CleanData>, "clean">;
export type FlattenNode = Node<CanvasData<FlattenData>, "flatten">;
export type SplitNode = Node<CanvasData<SplitData>, "split">;
export type DingtalkFormNode = Node<CanvasData<DingtalkFormData>, "dingtalkForm">;
export type MapperNode = Node<CanvasData<MapperData>, "mapper">;
export type TargetNode = Node<CanvasData<TargetData>, "target">;
export type CanvasNode = SourceNode | FilterNode | ValidateNode | CleanNode | FlattenNode | SplitNode | DingtalkFormNode | MapperNode | TargetNode;
export type AnyConfig = Record<string, unknown>;

export interface DocMeta {
  name?: string;
  description?: string;
  settings: Record<string, unknown>;
}

export function problemsByNode(problems: readonly Problem[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of problems) if (p.nodeId) m.set(p.nodeId, [...(m.get(p.nodeId) ?? []), p.message]);
  return m;
}

export function toCanvas(doc: FlowDocument, problems: readonly Problem[] = []): { nodes: CanvasNode[]; edges: Edge[] } {
  const byNode = problemsByNode(problems);
  const nodes = doc.nodes.map(
    (n) =>
      ({
        id: n.id,
        type: n.type,
        position: { ...n.position },
        data: { config: n.data as AnyConfig, label: n.label, problems: byNode.get(n.id) },
      }) as CanvasNode,
  );
  const edges: Edge[] = doc.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));
  return { nodes, edges };
}

export function toDocument(nodes: readonly CanvasNode[], edges: readonly Edge[], meta: DocMeta): FlowDocument {
  return {
    schemaVersion: 1,
    ...(meta.name ? { name: meta.name } : {}),
    ...(meta.description ? { description: meta.description } : {}),
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.type as NodeKind,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      ...(n.data.label ? { label: n.data.label } : {}),
      data: n.data.config as AnyConfig,
    })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    settings: meta.settings,
  };
}

/**
 * Layered layout over the DAG: each node's column is its longest distance from a root; nodes of a
 * column are stacked and centred. Cycles (a draft may have one) are broken by visiting order.
 */
export function autoLayout<N extends { id: string; position: { x: number; y: number } }>(nodes: readonly N[], edges: readonly { source: string; target: string }[], gapX = 250, gapY = 120): N[] {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
    indeg.set(e.target, (indeg.get(e.target) ?? 0) + 1);
  }
  const layer = new Map<string, number>();
  const queue = nodes.filter((n) => (indeg.get(n.id) ?? 0) === 0).map((n) => n.id);
  for (const id of queue) layer.set(id, 0);
  const remaining = new Map(indeg);
  while (queue.length) {
    const id = queue.shift() as string;
    for (const next of out.get(id) ?? []) {
      layer.set(next, Math.max(layer.get(next) ?? 0, (layer.get(id) ?? 0) + 1));
      remaining.set(next, (remaining.get(next) ?? 1) - 1);
      if (remaining.get(next) === 0) queue.push(next);
    }
  }
  // nodes on a cycle: place after their placed predecessors
  for (const n of nodes) if (!layer.has(n.id)) layer.set(n.id, 0);
  const columns = new Map<number, N[]>();
  for (const n of nodes) {
    const l = layer.get(n.id) ?? 0;
    columns.set(l, [...(columns.get(l) ?? []), n]);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const placed = new Map<string, { x: number; y: number }>();
  for (const [l, col] of columns) {
    const offset = ((tallest - col.length) * gapY) / 2;
    col.sort((a, b) => a.position.y - b.position.y).forEach((n, i) => placed.set(n.id, { x: 60 + l * gapX, y: 60 + offset + i * gapY }));
  }
  return nodes.map((n) => ({ ...n, position: placed.get(n.id) ?? n.position }));
}

export function newNodeId(kind: string, taken: ReadonlySet<string>): string {
  for (let i = 1; i < 10_000; i++) {
    const id = `${kind}-${i}`;
    if (!taken.has(id)) return id;
  }
  return `${kind}-${Date.now().toString(36)}`;
}
