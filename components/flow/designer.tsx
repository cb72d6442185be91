"use client";
/**
 * 方案设计器: the canvas where a scheme is drawn and configured — palette, React Flow canvas, inspector,
 * undo/redo, save with conflict handling, node badges, versions, run with live events.
 *
 * Why this exists: business analysts build integration schemes here without writing code. The canvas
 * edits the server's flow document and nothing else (model.ts converts both ways); the server checks
 * every draft (`flows.check`) and its problems become node badges; saving creates an immutable version
 * and is refused — never silently overwritten — when someone else saved since this editor opened.
 *
 * State: React Flow's node/edge arrays plus the document's meta (name, settings). Undo/redo keeps
 * snapshots of those three (cheap: arrays are replaced, never mutated); typing in one field within a
 * second coalesces into one undo step. Dragging records one step at drag start.
 */
import {
  addEdge,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  MarkerType,
  type Connection,
  type Edge,
  type EdgeChange,
  type EdgeMouseHandler,
  type NodeChange,
  type NodeMouseHandler,
  type OnBeforeDelete,
} from "@xyflow/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useCan } from "../auth/session";
import { useTRPC } from "../trpc/client";
import { Badge, Button, Dialog, ErrorState, LoadingState } from "../ui/primitives";
import {
  apiPicks,
  configForPick,
  copyNodes,
  defaultConnection,
  freeSpot,
  parseClipboard,
  pasteNodes,
  pickTitle,
  planInsertAfter,
  rectOf,
  searchPicks,
  uniqueEdgeId,
  type ApiPick,
  type ClipboardPayload,
  type Rect,
} from "./canvas-ops";
import { pick, useCatalogue } from "./catalogue";
import { CleanInspector, connectionRef, DingtalkFormInspector, FilterInspector, findConnection, SettingsInspector, SourceInspector, StructuralInspector, TargetInspector, ValidateInspector } from "./inspectors";
import { MapperEditor, type Sample } from "./mapper-editor";
import { autoLayout, newNodeId, toCanvas, toDocument, type AnyConfig, type CanvasNode, type DocMeta, type FlowRecord, type NodeKind, type Problem } from "./model";
import { NODE_KINDS, nodeTypes, PALETTE_ORDER } from "./node-registry";
import { formatProblem, ProblemList, problemsByField } from "./problems";
import { RunPanel } from "./run-panel";
import { VersionsPanel } from "./versions-panel";

const DND_TYPE = "application/x-shuqiao-node";
const defaultEdgeOptions = { type: "default", markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: "#94a3b8" }, style: { strokeWidth: 1.5, stroke: "#94a3b8" } };
const fitViewOptions = { maxZoom: 1, padding: 0.2 };
const proOptions = { hideAttribution: true };
const deleteKeys = ["Delete", "Backspace"];

export function Designer({ flowId }: { flowId: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [loadKey, setLoadKey] = useState(0);
  // Always read the scheme fresh when the designer opens (a cached copy may be an older version, and
  // editing it would end in a needless conflict); later refetches never reset the editor.
  const flow = useQuery({ ...trpc.flows.byId.queryOptions({ id: flowId }), staleTime: 0, refetchOnMount: "always", refetchOnWindowFocus: false });
  if (flow.isError) return <ErrorState message={flow.error.data?.code === "NOT_FOUND" ? t("designer.notFound") : flow.error.message} />;
  if (flow.isPending || !flow.isFetchedAfterMount) return <LoadingState />;
  return (
    <ReactFlowProvider key={loadKey}>
      <Editor
        flow={flow.data}
        reload={async () => {
          await flow.refetch();
          setLoadKey((k) => k + 1);
        }}
      />
    </ReactFlowProvider>
  );
}

interface Snapshot {
  nodes: CanvasNode[];
  edges: Edge[];
  meta: DocMeta;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
}

function sampleKey(flowId: string) {
  return `shuqiao.sample.${flowId}`;
}

// ---- the canvas clipboard ---------------------------------------------------------------------------
// Copies go to the system clipboard as JSON text of a recognisable shape (canvas-ops.ts), so they paste
// into another scheme, tab or window. A second copy stays in this tab (memory + sessionStorage) for when
// the clipboard is unavailable (no permission, insecure origin): the paste then falls back to it.
const CLIP_KEY = "shuqiao.canvas.clipboard";
const KIND_SET = new Set<string>(Object.keys(NODE_KINDS));
const clip = { text: null as string | null, systemOk: false };

function storeClip(text: string) {
  clip.text = text;
  clip.systemOk = false;
  try {
    sessionStorage.setItem(CLIP_KEY, text);
  } catch {
    /* storage blocked: memory only */
  }
}
function storedClip(): ClipboardPayload | null {
  let text = clip.text;
  if (!text) {
    try {
      text = sessionStorage.getItem(CLIP_KEY);
    } catch {
      text = null; // storage blocked
    }
  }
  return parseClipboard(text, KIND_SET);
}
/** What a paste uses: a Shuqiao payload on the system clipboard; other text there (copied since) wins over the stored copy only when our own copy reached the clipboard. */
function choosePaste(systemText: string | null | undefined): ClipboardPayload | null {
  const fromSystem = parseClipboard(systemText, KIND_SET);
  if (fromSystem) return fromSystem;
  if (systemText && clip.systemOk) return null;
  return storedClip();
}
function hasTextSelection(): boolean {
  const sel = typeof window === "undefined" ? null : window.getSelection();
  return !!sel && !sel.isCollapsed && sel.toString().length > 0;
}
const noSubscribe = () => () => {};
/** "⌘" on Apple keyboards, "Ctrl" elsewhere (and while rendering on the server). */
function useModKey(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => (/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘" : "Ctrl"),
    () => "Ctrl",
  );
}

function Editor({ flow, reload }: { flow: FlowRecord; reload: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const rf = useReactFlow<CanvasNode, Edge>();
  // Viewers see the scheme read-only: no palette, no dragging/connecting/deleting, inspectors disabled,
  // no save/run (the server refuses them anyway; components/auth/can.ts).
  const canEdit = useCan("flows.edit");
  const canRun = useCan("runs.operate");
  const canExport = useCan("flows.export");
  const { connections, variables, apis, forms } = useCatalogue();
  const initial = useMemo(() => toCanvas(flow.document, flow.problems), [flow]);
  const [nodes, setNodes, applyNodeChanges] = useNodesState<CanvasNode>(initial.nodes);
  const [edges, setEdges, applyEdgeChanges] = useEdgesState<Edge>(initial.edges);
  const [meta, setMetaState] = useState<DocMeta>(() => ({ name: flow.name, description: flow.description || flow.document.description, settings: flow.document.settings ?? {} }));
  const [baseVersion, setBaseVersion] = useState(flow.version.number);
  const [problems, setProblems] = useState<Problem[]>(flow.problems);
  const [sem, setSem] = useState(0);
  const [savedSem, setSavedSem] = useState(0);
  const [panel, setPanel] = useState<"inspector" | "run" | "versions">("inspector");
  const [runId, setRunId] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sample, setSampleState] = useState<Sample | null>(() => {
    if (typeof window === "undefined") return null;
    try {
      const raw = window.localStorage.getItem(sampleKey(flow.id));
      return raw ? { ...(JSON.parse(raw) as Sample), origin: "pinned" } : null;
    } catch {
      return null; // no pinned sample
    }
  });
  const dirty = sem !== savedSem;
  const setSample = useCallback(
    (s: Sample | null) => {
      setSampleState(s);
      try {
        if (s?.origin === "pinned") localStorage.setItem(sampleKey(flow.id), JSON.stringify(s));
        else localStorage.removeItem(sampleKey(flow.id));
      } catch {
        /* storage full or blocked: keep it in memory */
      }
    },
    [flow.id],
  );

  // ---- history --------------------------------------------------------------------------------
  const latest = useRef<Snapshot>({ nodes, edges, meta });
  useLayoutEffect(() => {
    latest.current = { nodes, edges, meta };
  });
  const hist = useRef<{ past: Snapshot[]; future: Snapshot[]; key: string; at: number }>({ past: [], future: [], key: "", at: 0 });
  const [histCounts, setHistCounts] = useState({ past: 0, future: 0 });
  const setHistTick = useCallback(() => setHistCounts({ past: hist.current.past.length, future: hist.current.future.length }), []);
  const record = useCallback((key = "") => {
    const h = hist.current;
    const now = Date.now();
    if (key && key === h.key && now - h.at < 1000) {
      h.at = now;
      return;
    }
    h.past.push(latest.current);
    if (h.past.length > 100) h.past.shift();
    h.future = [];
    h.key = key;
    h.at = now;
    setHistTick();
  }, [setHistTick]);
  const changed = useCallback(() => setSem((s) => s + 1), []);
  const restoreSnapshot = useCallback(
    (s: Snapshot) => {
      setNodes(s.nodes);
      setEdges(s.edges);
      setMetaState(s.meta);
      changed();
    },
    [setNodes, setEdges, changed],
  );
  const undo = useCallback(() => {
    const h = hist.current;
    const prev = h.past.pop();
    if (!prev) return;
    h.future.push(latest.current);
    h.key = "";
    restoreSnapshot(prev);
    setHistTick();
  }, [restoreSnapshot, setHistTick]);
  const redo = useCallback(() => {
    const h = hist.current;
    const next = h.future.pop();
    if (!next) return;
    h.past.push(latest.current);
    h.key = "";
    restoreSnapshot(next);
    setHistTick();
  }, [restoreSnapshot, setHistTick]);

  // ---- canvas events ----------------------------------------------------------------------------
  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      applyNodeChanges(changes);
      if (changes.some((c) => c.type === "remove" || c.type === "add" || (c.type === "position" && c.dragging === false))) changed();
    },
    [applyNodeChanges, changed],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      applyEdgeChanges(changes);
      if (changes.some((c) => c.type === "remove" || c.type === "add")) changed();
    },
    [applyEdgeChanges, changed],
  );
  // Deleting nodes asks first (in the app's dialog); connections alone go at once (cheap, and undoable).
  const [confirmDel, setConfirmDel] = useState<{ nodes: CanvasNode[]; edges: number; answer: (ok: boolean) => void } | null>(null);
  const confirmPending = useRef(false);
  const onBeforeDelete = useCallback<OnBeforeDelete<CanvasNode, Edge>>(
    ({ nodes: ns, edges: es }) => {
      if (!ns.length) {
        record();
        return Promise.resolve(true);
      }
      if (confirmPending.current) return Promise.resolve(false);
      confirmPending.current = true;
      return new Promise<boolean>((resolve) => {
        setConfirmDel({
          nodes: ns,
          edges: es.length,
          answer: (ok) => {
            confirmPending.current = false;
            setConfirmDel(null);
            if (ok) record();
            resolve(ok);
          },
        });
      });
    },
    [record],
  );
  const onConnect = useCallback(
    (c: Connection) => {
      record();
      setEdges((es) => addEdge({ ...c, id: `e-${c.source}-${c.target}-${Date.now().toString(36)}` }, es));
      changed();
    },
    [record, setEdges, changed],
  );
  const isValidConnection = useCallback((c: Connection | Edge) => c.source !== c.target && !latest.current.edges.some((e) => e.source === c.source && e.target === c.target), []);
  const onNodeDragStart = useCallback(() => record(), [record]);

  const canvasRef = useRef<HTMLDivElement>(null);
  /** Pans the least needed to show `rect` (flow coordinates) inside the visible canvas; centres it when it does not fit. */
  const reveal = useCallback(
    (rect: Rect) => {
      const box = canvasRef.current?.getBoundingClientRect();
      if (!box || !box.width || !box.height) return;
      const { x: vx, y: vy, zoom } = rf.getViewport();
      const pad = 8;
      const left = rect.x * zoom + vx;
      const top = rect.y * zoom + vy;
      const right = left + rect.w * zoom;
      const bottom = top + rect.h * zoom;
      if (rect.w * zoom + 2 * pad > box.width || rect.h * zoom + 2 * pad > box.height) {
        void rf.setCenter(rect.x + rect.w / 2, rect.y + rect.h / 2, { zoom, duration: 200 });
        return;
      }
      const dx = left < pad ? pad - left : right > box.width - pad ? box.width - pad - right : 0;
      const dy = top < pad ? pad - top : bottom > box.height - pad ? box.height - pad - bottom : 0;
      if (dx || dy) void rf.setViewport({ x: vx + dx, y: vy + dy, zoom }, { duration: 200 });
    },
    [rf],
  );
  const revealNodes = useCallback(
    (ns: readonly CanvasNode[]) => {
      if (!ns.length) return;
      const rs = ns.map(rectOf);
      const x = Math.min(...rs.map((r) => r.x));
      const y = Math.min(...rs.map((r) => r.y));
      reveal({ x, y, w: Math.max(...rs.map((r) => r.x + r.w)) - x, h: Math.max(...rs.map((r) => r.y + r.h)) - y });
    },
    [reveal],
  );

  /**
   * Adds a node: at `position` (a drop) moved to the nearest free place; otherwise after the single
   * selected node and connected to it (between it and its successor when it had one); otherwise in the
   * middle of the view. Never on top of another node.
   */
  const addNode = useCallback(
    (kind: NodeKind, position?: { x: number; y: number }, init?: { config?: Record<string, unknown>; label?: string }) => {
      record();
      const { nodes: cur, edges: curEdges } = latest.current;
      const taken = new Set(cur.map((n) => n.id));
      const id = newNodeId(kind, taken);
      const occupied = cur.map(rectOf);
      const sel = cur.filter((n) => n.selected);
      let pos = position ? freeSpot(position, occupied) : undefined;
      let plan: ReturnType<typeof planInsertAfter> = null;
      if (!pos && sel.length === 1) {
        const after = sel[0];
        plan = planInsertAfter(after.id, id, { afterHasOutput: NODE_KINDS[after.type as NodeKind].outputs, newHasInput: NODE_KINDS[kind].inputs, newHasOutput: NODE_KINDS[kind].outputs }, cur, curEdges);
        pos = plan?.position;
      }
      if (!pos) {
        const r = canvasRef.current?.getBoundingClientRect();
        const c = r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 100, y: 100 };
        pos = freeSpot({ x: c.x - 96, y: c.y - 45 }, occupied);
      }
      const node = { id, type: kind, position: pos, selected: true, data: { config: init?.config ?? NODE_KINDS[kind].defaults(), ...(init?.label ? { label: init.label } : {}) } } as CanvasNode;
      setNodes((ns) => [...ns.map((n) => (plan?.moved.has(n.id) ? { ...n, position: plan.moved.get(n.id) as { x: number; y: number }, selected: false } : n.selected ? { ...n, selected: false } : n)), node]);
      if (plan && (plan.connect.length || plan.remove.length)) {
        const p = plan;
        setEdges((es) => {
          const ids = new Set(es.map((e) => e.id));
          const kept = es.filter((e) => !p.remove.includes(e.id));
          return [...kept, ...p.connect.map((c) => ({ id: uniqueEdgeId(c.source, c.target, ids), source: c.source, target: c.target }))];
        });
      }
      setPanel("inspector");
      changed();
    },
    [record, rf, setNodes, setEdges, changed],
  );
  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DND_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DND_TYPE) as NodeKind;
      if (!kind || !NODE_KINDS[kind]) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(kind, { x: p.x - 104, y: p.y - 32 });
    },
    [rf, addNode],
  );

  // Palette search: every vendor API (targets once per Kingdee form); a pick adds its node pre-filled.
  const picks = useMemo(() => apiPicks(apis, forms), [apis, forms]);
  const addPick = useCallback(
    (p: ApiPick) => {
      const conn = defaultConnection(connections, p.vendor);
      const config = configForPick(p, apis.find((a) => a.id === p.apiId), conn ? connectionRef(conn) : "", forms.find((f) => f.formId === p.formId));
      addNode(p.node, undefined, { config, label: pickTitle(pick(p.label, locale)) });
    },
    [connections, apis, forms, addNode, locale],
  );

  // ---- copy / paste / duplicate / disconnect ----------------------------------------------------------
  const mod = useModKey();
  /** The nodes an action applies to: `id` with the selection when it is part of it, else the selection. */
  const targetIds = useCallback((id?: string): Set<string> => {
    const sel = latest.current.nodes.filter((n) => n.selected).map((n) => n.id);
    if (id && !sel.includes(id)) return new Set([id]);
    return new Set(sel);
  }, []);
  const paste = useCallback(
    (payload: ClipboardPayload | null) => {
      if (!payload) {
        setNotice(t("canvas.nothingToPaste", { mod }));
        return;
      }
      record();
      const { nodes: cur, edges: curEdges } = latest.current;
      const added = pasteNodes(payload, cur, curEdges.map((e) => e.id));
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added.nodes]);
      setEdges((es) => [...es.map((e) => (e.selected ? { ...e, selected: false } : e)), ...added.edges]);
      setPanel("inspector");
      changed();
      setNotice(t("canvas.pasted", { n: added.nodes.length }));
      requestAnimationFrame(() => revealNodes(added.nodes));
    },
    [record, setNodes, setEdges, changed, t, mod, revealNodes],
  );
  /** Copies to the tab's store and (best effort) the system clipboard; returns the text for a `copy` event. */
  const copy = useCallback(
    (ids: Set<string>): string | null => {
      const payload = copyNodes(latest.current.nodes, latest.current.edges, ids, flow.id);
      if (!payload) return null;
      const text = JSON.stringify(payload);
      storeClip(text);
      navigator.clipboard
        ?.writeText(text)
        .then(() => {
          if (clip.text === text) clip.systemOk = true;
        })
        .catch(() => {
          /* no clipboard permission: the tab's copy is used */
        });
      setNotice(t("canvas.copied", { n: payload.nodes.length, mod }));
      return text;
    },
    [flow.id, t, mod],
  );
  const duplicate = useCallback(
    (ids: Set<string>) => {
      const payload = copyNodes(latest.current.nodes, latest.current.edges, ids, flow.id);
      if (payload) paste(payload);
    },
    [flow.id, paste],
  );
  const disconnect = useCallback(
    (ids: Set<string>) => {
      if (!latest.current.edges.some((e) => ids.has(e.source) || ids.has(e.target))) return;
      record();
      setEdges((es) => es.filter((e) => !ids.has(e.source) && !ids.has(e.target)));
      changed();
    },
    [record, setEdges, changed],
  );
  const pasteFromMenu = useCallback(async () => {
    let text: string | null = null;
    try {
      text = (await navigator.clipboard?.readText()) ?? null;
    } catch {
      text = null; // reading needs permission; the tab's copy is used
    }
    paste(choosePaste(text));
  }, [paste]);

  // ---- context menu -------------------------------------------------------------------------------------
  const [menu, setMenu] = useState<{ kind: "node" | "edge" | "pane"; id?: string; x: number; y: number } | null>(null);
  const menuAt = useCallback((e: { clientX: number; clientY: number; preventDefault: () => void }, kind: "node" | "edge" | "pane", id?: string) => {
    e.preventDefault();
    const box = canvasRef.current?.getBoundingClientRect();
    // kept inside the canvas (the menu is about 12rem × 10rem)
    const x = e.clientX - (box?.left ?? 0);
    const y = e.clientY - (box?.top ?? 0);
    setMenu({ kind, id, x: box ? Math.max(4, Math.min(x, box.width - 196)) : x, y: box ? Math.max(4, Math.min(y, box.height - 168)) : y });
  }, []);
  const onNodeContextMenu = useCallback<NodeMouseHandler<CanvasNode>>(
    (e, node) => {
      if (!node.selected) setNodes((ns) => ns.map((n) => (n.selected === (n.id === node.id) ? n : { ...n, selected: n.id === node.id })));
      menuAt(e, "node", node.id);
    },
    [menuAt, setNodes],
  );
  const onEdgeContextMenu = useCallback<EdgeMouseHandler<Edge>>((e, edge) => menuAt(e, "edge", edge.id), [menuAt]);
  const onPaneContextMenu = useCallback((e: { clientX: number; clientY: number; preventDefault: () => void }) => menuAt(e, "pane"), [menuAt]);
  const closeMenu = useCallback(() => setMenu(null), []);

  const selected = nodes.find((n) => n.selected);
  const updateNode = useCallback(
    (id: string, patch: { config?: AnyConfig; label?: string }) => {
      record(`node:${id}:${Object.keys(patch.config ?? { label: 1 }).join(",")}`);
      setNodes((ns) =>
        ns.map((n) =>
          n.id === id ? ({ ...n, data: { ...n.data, ...(patch.config ? { config: { ...n.data.config, ...patch.config } } : {}), ...("label" in patch ? { label: patch.label || undefined } : {}) } } as CanvasNode) : n,
        ),
      );
      changed();
    },
    [record, setNodes, changed],
  );
  const setMeta = useCallback(
    (m: Partial<DocMeta>) => {
      record(`meta:${Object.keys(m).join(",")}`);
      setMetaState((cur) => ({ ...cur, ...m }));
      changed();
    },
    [record, changed],
  );
  const setSettings = useCallback(
    (patch: Record<string, unknown>) => {
      record(`settings:${Object.keys(patch).join(",")}`);
      setMetaState((cur) => ({ ...cur, settings: { ...cur.settings, ...patch } }));
      changed();
    },
    [record, changed],
  );
  const selectNode = useCallback((id: string) => setNodes((ns) => ns.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id }))), [setNodes]);
  const layout = useCallback(() => {
    record();
    setNodes((ns) => autoLayout(ns, latest.current.edges));
    changed();
    setTimeout(() => void rf.fitView(fitViewOptions), 50);
  }, [record, setNodes, changed, rf]);

  // ---- the document, draft checks and badges ---------------------------------------------------------
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed on semantic changes only (not on drag frames)
  const document_ = useMemo(() => toDocument(nodes, edges, meta), [sem, nodes.length]);
  const check = useMutation(trpc.flows.check.mutationOptions());
  const checkMutate = check.mutate;
  useEffect(() => {
    if (sem === 0) return;
    const h = setTimeout(() => checkMutate({ document: toDocument(latest.current.nodes, latest.current.edges, latest.current.meta) }, { onSuccess: (r) => setProblems(r.problems) }), 500);
    return () => clearTimeout(h);
  }, [sem, checkMutate]);
  // Badges carry the problems as sentences in the current language, naming nodes by their titles.
  useEffect(() => {
    setNodes((ns) => {
      const refs = new Map(ns.map((n) => [n.id, n] as const));
      const by = new Map<string, string[]>();
      for (const p of problems) if (p.nodeId) by.set(p.nodeId, [...(by.get(p.nodeId) ?? []), formatProblem(p, t, refs)]);
      return ns.map((n) => {
        const p = by.get(n.id);
        const cur = n.data.problems;
        if ((!p && !cur) || (p && cur && p.length === cur.length && p.every((x, i) => x === cur[i]))) return n;
        return { ...n, data: { ...n.data, problems: p } } as CanvasNode;
      });
    });
  }, [problems, setNodes, sem, t]);

  // ---- save, conflicts ------------------------------------------------------------------------
  const save = useMutation(trpc.flows.saveVersion.mutationOptions());
  const doSave = useCallback(
    async (base?: number): Promise<number | null> => {
      const at = sem;
      const { nodes: ns, edges: es, meta: m } = latest.current;
      try {
        const r = await save.mutateAsync({ id: flow.id, baseVersion: base ?? baseVersion, document: toDocument(ns, es, m), name: m.name?.trim() || undefined });
        setBaseVersion(r.version);
        setSavedSem(at);
        setConflict(null);
        setNotice(t("designer.saved", { n: r.version }));
        void qc.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.flows.versions.queryKey({ id: flow.id }) });
        // the cached scheme must follow, or reopening it later would start from an old base version
        void qc.invalidateQueries({ queryKey: trpc.flows.byId.queryKey({ id: flow.id }) });
        return r.version;
      } catch (e) {
        const err = e as { data?: { code?: string }; message?: string };
        if (err.data?.code === "CONFLICT") setConflict(err.message ?? "");
        else setNotice(null);
        return null;
      }
    },
    [sem, save, flow.id, baseVersion, qc, trpc, t],
  );
  const overwrite = async () => {
    const latestFlow = await qc.fetchQuery({ ...trpc.flows.byId.queryOptions({ id: flow.id }), staleTime: 0 });
    await doSave(latestFlow.version.number);
  };
  const saveAsCopy = useMutation(trpc.flows.create.mutationOptions({ onSuccess: (r) => router.push(`/flows/${r.id}`) }));

  useEffect(() => {
    if (!notice) return;
    const h = setTimeout(() => setNotice(null), 3000);
    return () => clearTimeout(h);
  }, [notice]);
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  // ---- run ------------------------------------------------------------------------------------
  const sourceNode = nodes.find((n) => n.type === "source");
  const targetNode = nodes.find((n) => n.type === "target");
  const usedConnections = [sourceNode?.data.config.connectionId, targetNode?.data.config.connectionId].filter(Boolean);
  const sandbox = usedConnections.length > 0 && usedConnections.every((ref) => findConnection(connections, ref)?.sandbox !== false);
  const start = useMutation(trpc.runEvents.start.mutationOptions());
  const runNow = async () => {
    if (dirty) {
      const v = await doSave();
      if (v === null) return;
    }
    try {
      const r = await start.mutateAsync({ flowId: flow.id, sandbox });
      setRunId(r.runId);
      setPanel("run");
      void qc.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
    } catch {
      /* shown below the toolbar */
    }
  };

  // ---- export -----------------------------------------------------------------------------------
  const exportFile = async () => {
    const file = await qc.fetchQuery({ ...trpc.flows.export.queryOptions({ id: flow.id }), staleTime: 0 });
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${file.name.replace(/[\\/:*?"<>|\s]+/g, "_")}.shuqiao.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  // ---- keyboard ---------------------------------------------------------------------------------
  const saveRef = useRef(doSave);
  useLayoutEffect(() => {
    saveRef.current = doSave;
  });
  // Copy and paste: the keydown does the work (so it also works where the browser sends no copy/paste
  // event); the copy/paste events that follow carry the text to and from the system clipboard.
  useEffect(() => {
    if (!canEdit) return; // read-only: no editing shortcuts, no Ctrl+S
    let copiedText: string | null = null;
    let pasteTimer: ReturnType<typeof setTimeout> | undefined;
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || e.altKey) return;
      const k = e.key.toLowerCase();
      const typing = isTyping(e.target);
      if (k === "s") {
        e.preventDefault();
        void saveRef.current();
      } else if (typing || document.querySelector("dialog[open]")) {
        return; // inputs keep their own shortcuts; nothing happens behind a dialog
      } else if (k === "z") {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (k === "y") {
        e.preventDefault();
        redo();
      } else if (k === "c" && !e.shiftKey && !hasTextSelection()) {
        copiedText = copy(targetIds());
        setTimeout(() => (copiedText = null), 0);
      } else if (k === "v" && !e.shiftKey) {
        clearTimeout(pasteTimer);
        // the paste event, when the browser sends one, arrives before this and cancels it
        pasteTimer = setTimeout(() => paste(storedClip()), 80);
      } else if (k === "d" && !e.shiftKey) {
        e.preventDefault(); // not the browser's bookmark dialog
        duplicate(targetIds());
      }
    };
    const onCopy = (e: ClipboardEvent) => {
      if (!copiedText || isTyping(e.target) || !e.clipboardData) return;
      e.clipboardData.setData("text/plain", copiedText);
      e.preventDefault();
      clip.systemOk = true;
      copiedText = null;
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target) || document.querySelector("dialog[open]")) return;
      clearTimeout(pasteTimer);
      pasteTimer = undefined;
      const text = e.clipboardData?.getData("text/plain");
      const payload = choosePaste(text);
      if (!payload && text) return; // someone else's text: not ours to paste
      e.preventDefault();
      paste(payload);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("copy", onCopy);
    window.addEventListener("paste", onPaste);
    return () => {
      clearTimeout(pasteTimer);
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("copy", onCopy);
      window.removeEventListener("paste", onPaste);
    };
  }, [undo, redo, copy, paste, duplicate, targetIds, canEdit]);


  const targetForm = typeof targetNode?.data.config.formId === "string" ? targetNode.data.config.formId : undefined;
  const sampleFields = sample?.fields ?? [];
  const wide = panel === "inspector" && selected?.type === "mapper";
  const nodeProblems = selected ? problems.filter((p) => p.nodeId === selected.id) : [];
  const nodeRefs = new Map(nodes.map((n) => [n.id, n] as const));
  const fieldErrors = selected ? new Map([...problemsByField(problems, selected.id)].map(([k, ps]) => [k, ps.map((p) => formatProblem(p, t, nodeRefs)).join("；")])) : new Map<string, string>();
  const flowProblems = problems.filter((p) => !p.nodeId);
  // The inspector never hides the selected node: when it opens or widens, pan the node into view.
  const selectedId = selected?.id;
  useEffect(() => {
    if (!selectedId) return;
    const h = requestAnimationFrame(() => {
      const n = latest.current.nodes.find((x) => x.id === selectedId);
      if (n && !n.dragging) reveal(rectOf(n));
    });
    return () => cancelAnimationFrame(h);
  }, [selectedId, panel, wide, reveal]);

  return (
    <div className="flex h-screen min-h-[600px] flex-col" data-testid="designer">
      <header className="flex items-center gap-2 border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/flows" className="rounded px-1.5 py-1 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-500" aria-label={t("designer.back")}>
          ←
        </Link>
        <div className="min-w-0">
          <h1 className="truncate text-sm font-semibold text-slate-900" data-testid="designer-title">
            {meta.name || flow.name}
          </h1>
          <p className="flex items-center gap-1.5 text-[11px] text-slate-500">
            <span data-testid="designer-version">{t("designer.version", { n: baseVersion })}</span>
            {dirty ? (
              <span className="text-amber-700" data-testid="designer-dirty">
                · {t("designer.unsaved")}
              </span>
            ) : (
              <span className="text-emerald-700">· {t("designer.allSaved")}</span>
            )}
            {problems.length ? (
              <button type="button" className="text-red-600 hover:underline" onClick={() => setNodes((ns) => ns.map((n) => (n.selected ? { ...n, selected: false } : n)))} data-testid="designer-problems">
                · {t("designer.problems", { n: problems.length })}
              </button>
            ) : (
              <span className="text-emerald-700">· {t("designer.ready")}</span>
            )}
          </p>
        </div>
        <div className="ml-auto flex items-center gap-1" role="toolbar" aria-label={t("designer.toolbar")}>
          {canEdit ? (
            <>
              <ToolButton label={t("designer.undo")} shortcut="Ctrl+Z" onClick={undo} disabled={!histCounts.past} icon="↶" testId="undo" />
              <ToolButton label={t("designer.redo")} shortcut="Ctrl+Shift+Z" onClick={redo} disabled={!histCounts.future} icon="↷" testId="redo" />
              <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
              <ToolButton label={t("designer.layout")} onClick={layout} icon="⊞" testId="auto-layout" />
            </>
          ) : (
            <span className="mr-2 rounded bg-slate-100 px-2 py-1 text-xs text-slate-600" data-testid="designer-read-only">
              {t("auth.readOnly")}
            </span>
          )}
          <ToolButton label={t("designer.fit")} onClick={() => void rf.fitView(fitViewOptions)} icon="⤢" testId="fit-view" />
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <Link
            href={`/flows/${flow.id}/records`}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500"
            data-testid="open-records"
          >
            {t("designer.dataAndSchedule")}
          </Link>
          <Button variant="ghost" onClick={() => setPanel(panel === "versions" ? "inspector" : "versions")} data-testid="open-versions" aria-pressed={panel === "versions"}>
            {t("designer.versions")}
          </Button>
          {canExport ? (
            <Button variant="ghost" onClick={() => void exportFile()} data-testid="export-flow" title={dirty ? t("designer.exportSavedOnly") : undefined}>
              {t("designer.export")}
            </Button>
          ) : null}
          {canEdit ? (
            <Button onClick={() => void doSave()} disabled={save.isPending} data-testid="save-flow" title="Ctrl+S">
              {save.isPending ? t("designer.saving") : t("common.save")}
            </Button>
          ) : null}
          {canEdit && canRun ? (
            <Button variant="primary" onClick={() => void runNow()} disabled={start.isPending || save.isPending || problems.length > 0} data-testid="run-flow" title={problems.length ? t("designer.runBlocked") : undefined}>
              ▶ {t("designer.run")}
              {sandbox ? <span className="ml-1 rounded bg-white/25 px-1 text-[10px] font-semibold" data-testid="run-sandbox">{t("connections.sandbox")}</span> : null}
            </Button>
          ) : null}
        </div>
      </header>
      {notice || start.isError || save.isError ? (
        <div className={`border-b px-4 py-1.5 text-xs ${start.isError || (save.isError && !conflict) ? "border-red-200 bg-red-50 text-red-700" : "border-emerald-200 bg-emerald-50 text-emerald-800"}`} role="status" data-testid="designer-notice">
          {start.isError ? start.error.message : save.isError && !conflict ? save.error.message : notice}
        </div>
      ) : null}
      <div className="flex min-h-0 flex-1">
        {canEdit ? <Palette onAdd={(kind) => addNode(kind)} onPick={addPick} picks={picks} mod={mod} /> : null}
        <div ref={canvasRef} className="relative min-w-0 flex-1" aria-label={t("designer.canvasLabel")} onDragOver={canEdit ? onDragOver : undefined} onDrop={canEdit ? onDrop : undefined} data-testid="canvas">
          <ReactFlow<CanvasNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onBeforeDelete={onBeforeDelete}
            onNodeDragStart={onNodeDragStart}
            nodesDraggable={canEdit}
            nodesConnectable={canEdit}
            edgesReconnectable={canEdit}
            onNodeContextMenu={canEdit ? onNodeContextMenu : undefined}
            onEdgeContextMenu={canEdit ? onEdgeContextMenu : undefined}
            onPaneContextMenu={canEdit ? onPaneContextMenu : undefined}
            onSelectionContextMenu={canEdit ? (e) => menuAt(e, "node") : undefined}
            onPaneClick={closeMenu}
            onMoveStart={closeMenu}
            isValidConnection={isValidConnection}
            defaultEdgeOptions={defaultEdgeOptions}
            deleteKeyCode={canEdit ? deleteKeys : null}
            fitView
            fitViewOptions={fitViewOptions}
            minZoom={0.15}
            onlyRenderVisibleElements
            proOptions={proOptions}
          >
            <Background gap={20} color="#cbd5e1" />
            <Controls showInteractive={false} position="bottom-left" />
            {wide ? null : <MiniMap pannable zoomable position="bottom-right" className="!bg-white" nodeColor="#c7d2fe" nodeStrokeColor="#6366f1" maskColor="rgba(241,245,249,0.7)" />}
          </ReactFlow>
          {menu ? (
            <CanvasMenu
              menu={menu}
              onClose={closeMenu}
              actions={
                menu.kind === "edge"
                  ? [{ key: "delete-edge", label: t("canvas.deleteEdge"), danger: true, run: () => void rf.deleteElements({ edges: [{ id: menu.id as string }] }) }]
                  : menu.kind === "pane"
                    ? [{ key: "paste", label: t("canvas.paste"), shortcut: `${mod}+V`, run: () => void pasteFromMenu() }]
                    : [
                        { key: "duplicate", label: t("canvas.duplicate"), shortcut: `${mod}+D`, run: () => duplicate(targetIds(menu.id)) },
                        { key: "copy", label: t("canvas.copy"), shortcut: `${mod}+C`, run: () => void copy(targetIds(menu.id)) },
                        { key: "disconnect", label: t("canvas.disconnect"), run: () => disconnect(targetIds(menu.id)) },
                        { key: "delete", label: t("canvas.delete"), shortcut: "Delete", danger: true, run: () => void rf.deleteElements({ nodes: [...targetIds(menu.id)].map((id) => ({ id })) }) },
                      ]
              }
              label={t(menu.kind === "edge" ? "canvas.edgeMenu" : menu.kind === "pane" ? "canvas.paneMenu" : "canvas.nodeMenu")}
            />
          ) : null}
          {nodes.length === 0 ? (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
              <p className="rounded-lg border border-dashed border-slate-300 bg-white/80 px-6 py-4 text-sm text-slate-500">{t("designer.emptyCanvas")}</p>
            </div>
          ) : null}
        </div>
        <aside className={`flex shrink-0 flex-col border-l border-slate-200 bg-white ${wide ? "w-[34rem]" : "w-[22rem]"}`} aria-label={t("designer.inspector")}>
          {panel === "run" && runId ? (
            <RunPanel key={runId} runId={runId} sandbox={sandbox} onClose={() => setPanel("inspector")} />
          ) : panel === "versions" ? (
            <VersionsPanel
              flowId={flow.id}
              baseVersion={baseVersion}
              dirty={dirty}
              onClose={() => setPanel("inspector")}
              onRestored={() => {
                void reload();
              }}
            />
          ) : selected ? (
            <div className="flex min-h-0 flex-1 flex-col" data-testid={`inspector-${selected.type}`}>
              <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2.5">
                <span className={`flex h-6 w-6 items-center justify-center rounded text-xs font-bold text-white ${NODE_KINDS[selected.type as NodeKind].accent}`} aria-hidden>
                  {NODE_KINDS[selected.type as NodeKind].icon}
                </span>
                <label htmlFor="node-label" className="sr-only">
                  {t("inspector.label")}
                </label>
                <input
                  id="node-label"
                  readOnly={!canEdit}
                  value={selected.data.label ?? ""}
                  placeholder={t(NODE_KINDS[selected.type as NodeKind].title)}
                  onChange={(e) => updateNode(selected.id, { label: e.target.value })}
                  className="min-w-0 flex-1 rounded border-0 px-1.5 py-1 text-sm font-semibold text-slate-900 ring-0 hover:ring-1 hover:ring-slate-200 focus:ring-2 focus:ring-brand-500"
                />
                <span className="font-mono text-[10px] text-slate-400">{selected.id}</span>
                <button
                  type="button"
                  hidden={!canEdit}
                  onClick={() => void rf.deleteElements({ nodes: [{ id: selected.id }] })}
                  className="rounded px-1.5 py-1 text-xs text-slate-400 hover:bg-red-50 hover:text-red-600 focus-visible:outline-2 focus-visible:outline-brand-500"
                  aria-label={t("inspector.deleteNode")}
                  data-testid="delete-node"
                >
                  <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
                    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
                  </svg>
                </button>
              </div>
              {nodeProblems.length ? <ProblemList problems={nodeProblems} nodes={nodeRefs} testId="inspector-problems" className="border-b border-red-100 bg-red-50 px-4 py-2" /> : null}
              <fieldset disabled={!canEdit} className="m-0 flex min-h-0 min-w-0 flex-1 flex-col border-0 p-0" data-testid="inspector-fieldset">
                <div className="min-h-0 flex-1 overflow-y-auto">
                  <NodeInspector
                    key={selected.id}
                    node={selected}
                    update={(config) => updateNode(selected.id, { config })}
                    meta={meta}
                    setSettings={setSettings}
                    sampleFields={sampleFields}
                    errors={fieldErrors}
                    mapper={{ formId: targetForm, document: document_, sample, setSample, sandbox }}
                  />
                </div>
              </fieldset>
            </div>
          ) : (
            <div className="min-h-0 flex-1 overflow-y-auto" data-testid="inspector-settings">
              <div className="border-b border-slate-200 px-4 py-2.5">
                <h2 className="text-sm font-semibold text-slate-900">{t("settings.title.scheme")}</h2>
                <p className="text-xs text-slate-500">{t("settings.hintSelect")}</p>
              </div>
              {problems.length ? (
                <div className="border-b border-slate-100 px-4 py-3">
                  <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-red-600">{t("designer.problems", { n: problems.length })}</h3>
                  <ProblemList problems={[...flowProblems, ...problems.filter((p) => p.nodeId)].slice(0, 50)} nodes={nodeRefs} onSelect={selectNode} testId="problem-list" />
                </div>
              ) : null}
              <fieldset disabled={!canEdit} className="m-0 min-w-0 border-0 p-0">
                <SettingsInspector meta={meta} setMeta={setMeta} setSettings={setSettings} />
              </fieldset>
            </div>
          )}
        </aside>
      </div>
      <datalist id="designer-variables">
        {variables.flatMap((v) => (v === "LAST_SYNC_TIME" || v === "CURRENT_TIME" ? [`{{${v}}}`, `{{${v}|datetime}}`, `{{${v}|timestamp_ms}}`] : [`{{${v}}}`])).map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      <ConfirmDelete pending={confirmDel} mod={mod} />
      <Dialog
        open={conflict !== null}
        onClose={() => setConflict(null)}
        title={t("conflict.title")}
        footer={
          <>
            <Button onClick={() => setConflict(null)}>{t("common.cancel")}</Button>
            <Button onClick={() => void reload()} data-testid="conflict-reload">
              {t("conflict.reload")}
            </Button>
            <Button onClick={() => saveAsCopy.mutate({ name: `${(meta.name || flow.name).slice(0, 80)} ${t("conflict.copySuffix")}`, document: toDocument(nodes, edges, meta) })} data-testid="conflict-copy">
              {t("conflict.saveCopy")}
            </Button>
            <Button variant="danger" onClick={() => void overwrite()} data-testid="conflict-overwrite">
              {t("conflict.overwrite")}
            </Button>
          </>
        }
      >
        <div data-testid="conflict-dialog">
          <p className="text-sm text-slate-700">{t("conflict.body")}</p>
          <p className="mt-2 rounded bg-amber-50 px-3 py-2 text-xs text-amber-900">{conflict}</p>
          <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-slate-600">
            <li>{t("conflict.help.reload")}</li>
            <li>{t("conflict.help.copy")}</li>
            <li>{t("conflict.help.overwrite")}</li>
          </ul>
        </div>
      </Dialog>
    </div>
  );
}

function ToolButton({ label, onClick, disabled, icon, shortcut, testId }: { label: string; onClick: () => void; disabled?: boolean; icon: string; shortcut?: string; testId: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-label={label}
      data-testid={testId}
      className="flex h-8 w-8 items-center justify-center rounded-md text-base text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500 disabled:text-slate-300 disabled:hover:bg-transparent"
    >
      {icon}
    </button>
  );
}

function Palette({ onAdd, onPick, picks, mod }: { onAdd: (kind: NodeKind) => void; onPick: (p: ApiPick) => void; picks: readonly ApiPick[]; mod: string }) {
  const { t, locale } = useI18n();
  const [query, setQuery] = useState("");
  const hits = useMemo(() => searchPicks(picks, query), [picks, query]);
  const results = useRef<HTMLUListElement>(null);
  const choose = (p: ApiPick) => {
    onPick(p);
    setQuery("");
  };
  const moveFocus = (e: ReactKeyboardEvent, step: number) => {
    const items = [...(results.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = items[i + step];
    if (next) next.focus();
    else if (step < 0) document.getElementById("palette-search")?.focus();
    e.preventDefault();
  };
  return (
    <nav className="w-44 shrink-0 overflow-y-auto border-r border-slate-200 bg-white px-2 py-3" aria-label={t("palette.title")}>
      <h2 className="mb-2 px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("palette.title")}</h2>
      <label htmlFor="palette-search" className="sr-only">
        {t("canvas.search")}
      </label>
      <input
        id="palette-search"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && hits[0]) {
            e.preventDefault();
            choose(hits[0]);
          } else if (e.key === "ArrowDown" && hits.length) moveFocus(e, 1);
          else if (e.key === "Escape") setQuery("");
        }}
        placeholder={t("canvas.searchPlaceholder")}
        title={hits.length ? t("canvas.searchHint") : undefined}
        autoComplete="off"
        data-testid="palette-search"
        className="mb-2 block w-full rounded-md border-0 px-2 py-1.5 text-xs text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-inset focus:ring-brand-500"
      />
      {query.trim() ? (
        hits.length ? (
          <ul
            ref={results}
            className="mb-3 space-y-1 border-b border-slate-100 pb-3"
            data-testid="palette-results"
            aria-label={t("canvas.search")}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") moveFocus(e, 1);
              else if (e.key === "ArrowUp") moveFocus(e, -1);
            }}
          >
            {hits.map((p) => {
              const k = NODE_KINDS[p.node];
              const label = pick(p.label, locale);
              return (
                <li key={p.key}>
                  <button
                    type="button"
                    onClick={() => choose(p)}
                    title={label}
                    data-testid={`palette-api-${p.key}`}
                    className="flex w-full items-start gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-xs text-slate-700 shadow-sm hover:border-brand-300 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-500"
                  >
                    <span className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded text-[10px] font-bold text-white ${k.accent}`} aria-hidden>
                      {k.icon}
                    </span>
                    <span className="min-w-0">
                      <span className="block font-medium leading-snug">{pickTitle(label)}</span>
                      <span className="block truncate font-mono text-[10px] text-slate-400">{p.formId ? `${p.formId} · ${p.apiId.replace(/^kingdee\./, "")}` : p.apiId}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        ) : (
          <p className="mb-3 px-1 text-xs text-slate-500" data-testid="palette-no-results">
            {t("canvas.searchEmpty")}
          </p>
        )
      ) : null}
      <ul className="space-y-1.5">
        {PALETTE_ORDER.map((kind) => {
          const k = NODE_KINDS[kind];
          return (
            <li key={kind}>
              <button
                type="button"
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(DND_TYPE, kind);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => onAdd(kind)}
                title={`${t(k.title)} · ${t(k.hint)}`}
                data-testid={`palette-${kind}`}
                className="flex w-full cursor-grab items-center gap-2 rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-sm text-slate-700 shadow-sm hover:border-brand-300 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-500 active:cursor-grabbing"
              >
                <span className={`flex h-6 w-6 shrink-0 items-center justify-center rounded text-xs font-bold text-white ${k.accent}`} aria-hidden>
                  {k.icon}
                </span>
                <span className="min-w-0">
                  <span className="block truncate font-medium">{t(k.title)}</span>
                  <span className="block truncate text-[10px] text-slate-400">{t(k.hint)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="mt-3 px-1 text-[11px] leading-snug text-slate-400">{t("palette.help")}</p>
      <p className="mt-2 px-1 text-[11px] leading-snug text-slate-400" data-testid="palette-shortcuts">
        {t("canvas.shortcuts", { mod })}
      </p>
    </nav>
  );
}

interface MenuAction {
  key: string;
  label: string;
  shortcut?: string;
  danger?: boolean;
  run: () => void;
}

/** The right-click menu on a node, a connection or the empty canvas: arrow keys move, Esc or a click elsewhere closes. */
function CanvasMenu({ menu, actions, onClose, label }: { menu: { x: number; y: number }; actions: MenuAction[]; onClose: () => void; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [menu]);
  useEffect(() => {
    const down = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("pointerdown", down, true);
    window.addEventListener("keydown", key);
    window.addEventListener("blur", onClose);
    return () => {
      window.removeEventListener("pointerdown", down, true);
      window.removeEventListener("keydown", key);
      window.removeEventListener("blur", onClose);
    };
  }, [onClose]);
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      data-testid="canvas-menu"
      style={{ left: menu.x, top: menu.y }}
      className="absolute z-20 min-w-48 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg"
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
        e.preventDefault();
        const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
        const i = items.indexOf(document.activeElement as HTMLButtonElement);
        items[(i + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length]?.focus();
      }}
    >
      {actions.map((a) => (
        <button
          key={a.key}
          type="button"
          role="menuitem"
          data-testid={`menu-${a.key}`}
          onClick={() => {
            onClose();
            a.run();
          }}
          className={`flex w-full items-center justify-between gap-4 px-3 py-1.5 text-left focus:outline-none ${a.danger ? "text-red-600 hover:bg-red-50 focus:bg-red-50" : "text-slate-700 hover:bg-slate-100 focus:bg-slate-100"}`}
        >
          <span>{a.label}</span>
          {a.shortcut ? <kbd className="font-sans text-[11px] text-slate-400">{a.shortcut}</kbd> : null}
        </button>
      ))}
    </div>
  );
}

/** Asks before nodes are deleted (Delete key, menu, inspector): names them and counts the connections that go with them. */
function ConfirmDelete({ pending, mod }: { pending: { nodes: CanvasNode[]; edges: number; answer: (ok: boolean) => void } | null; mod: string }) {
  const { t, locale } = useI18n();
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!pending) return;
    const h = requestAnimationFrame(() => body.current?.closest("dialog")?.querySelector<HTMLButtonElement>("[data-testid=confirm-delete-nodes]")?.focus());
    return () => cancelAnimationFrame(h);
  }, [pending]);
  const names = (pending?.nodes ?? []).map((n) => n.data.label || t(NODE_KINDS[n.type as NodeKind]?.title ?? "node.filter"));
  const shown = names.slice(0, 5).join(locale === "zh" ? "、" : ", ") + (names.length > 5 ? "…" : "");
  return (
    <Dialog
      open={pending !== null}
      onClose={() => pending?.answer(false)}
      title={t("canvas.confirmDelete.title")}
      footer={
        <>
          <Button onClick={() => pending?.answer(false)} data-testid="confirm-delete-cancel">
            {t("common.cancel")}
          </Button>
          <Button variant="danger" onClick={() => pending?.answer(true)} data-testid="confirm-delete-nodes">
            {t("canvas.confirmDelete.ok")}
          </Button>
        </>
      }
    >
      <div ref={body} className="space-y-2 text-sm text-slate-700" data-testid="confirm-delete-dialog">
        <p>{t("canvas.confirmDelete.body", { n: names.length, names: shown })}</p>
        {pending?.edges ? <p className="text-xs text-slate-500">{t("canvas.confirmDelete.edges", { n: pending.edges })}</p> : null}
        <p className="text-xs text-slate-500">{t("canvas.confirmDelete.undo", { mod })}</p>
      </div>
    </Dialog>
  );
}

function NodeInspector({
  node,
  update,
  meta,
  setSettings,
  sampleFields,
  errors,
  mapper,
}: {
  node: CanvasNode;
  update: (config: AnyConfig) => void;
  meta: DocMeta;
  setSettings: (p: Record<string, unknown>) => void;
  sampleFields: string[];
  errors: ReadonlyMap<string, string>;
  mapper: { formId?: string; document: ReturnType<typeof toDocument>; sample: Sample | null; setSample: (s: Sample | null) => void; sandbox: boolean };
}) {
  const props = { config: node.data.config as AnyConfig, set: update, meta, setSettings, sampleFields, errors };
  switch (node.type) {
    case "source":
      return <SourceInspector {...props} />;
    case "target":
      return <TargetInspector {...props} />;
    case "mapper":
      return <MapperEditor config={props.config} set={update} formId={mapper.formId} document={mapper.document} sample={mapper.sample} setSample={mapper.setSample} sandbox={mapper.sandbox} />;
    case "filter":
      return <FilterInspector {...props} />;
    case "validate":
      return <ValidateInspector {...props} />;
    case "clean":
      return <CleanInspector {...props} />;
    case "flatten":
    case "split":
      return <StructuralInspector {...props} kind={node.type} />;
    case "dingtalkForm":
      return <DingtalkFormInspector {...props} />;
    default:
      return <Badge>{String((node as { type?: string }).type)}</Badge>;
  }
}
