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
  type NodeChange,
} from "@xyflow/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { useI18n } from "../i18n/provider";
import { useTRPC } from "../trpc/client";
import { Badge, Button, Dialog, ErrorState, LoadingState } from "../ui/primitives";
import { useCatalogue } from "./catalogue";
import { CleanInspector, DingtalkFormInspector, FilterInspector, findConnection, SettingsInspector, SourceInspector, StructuralInspector, TargetInspector, ValidateInspector } from "./inspectors";
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

function Editor({ flow, reload }: { flow: FlowRecord; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const rf = useReactFlow<CanvasNode, Edge>();
  const { connections, variables } = useCatalogue();
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
  const onBeforeDelete = useCallback(async () => {
    record();
    return true;
  }, [record]);
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

  const addNode = useCallback(
    (kind: NodeKind, position?: { x: number; y: number }) => {
      record();
      const taken = new Set(latest.current.nodes.map((n) => n.id));
      const id = newNodeId(kind, taken);
      let pos = position;
      if (!pos) {
        const el = document.querySelector(".react-flow") as HTMLElement | null;
        const r = el?.getBoundingClientRect();
        const c = r ? rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 100, y: 100 };
        const k = latest.current.nodes.length % 5;
        pos = { x: c.x - 104 + k * 24, y: c.y - 30 + k * 24 };
      }
      const node = { id, type: kind, position: pos, selected: true, data: { config: NODE_KINDS[kind].defaults() } } as CanvasNode;
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      setPanel("inspector");
      changed();
    },
    [record, rf, setNodes, changed],
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
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const k = e.key.toLowerCase();
      if (k === "s") {
        e.preventDefault();
        void saveRef.current();
      } else if (k === "z" && !isTyping(e.target)) {
        e.preventDefault();
        if (e.shiftKey) redo();
        else undo();
      } else if (k === "y" && !isTyping(e.target)) {
        e.preventDefault();
        redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

  const targetForm = typeof targetNode?.data.config.formId === "string" ? targetNode.data.config.formId : undefined;
  const sampleFields = sample?.fields ?? [];
  const wide = panel === "inspector" && selected?.type === "mapper";
  const nodeProblems = selected ? problems.filter((p) => p.nodeId === selected.id) : [];
  const nodeRefs = new Map(nodes.map((n) => [n.id, n] as const));
  const fieldErrors = selected ? new Map([...problemsByField(problems, selected.id)].map(([k, ps]) => [k, ps.map((p) => formatProblem(p, t, nodeRefs)).join("；")])) : new Map<string, string>();
  const flowProblems = problems.filter((p) => !p.nodeId);

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
          <ToolButton label={t("designer.undo")} shortcut="Ctrl+Z" onClick={undo} disabled={!histCounts.past} icon="↶" testId="undo" />
          <ToolButton label={t("designer.redo")} shortcut="Ctrl+Shift+Z" onClick={redo} disabled={!histCounts.future} icon="↷" testId="redo" />
          <span className="mx-1 h-5 w-px bg-slate-200" aria-hidden />
          <ToolButton label={t("designer.layout")} onClick={layout} icon="⊞" testId="auto-layout" />
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
          <Button variant="ghost" onClick={() => void exportFile()} data-testid="export-flow" title={dirty ? t("designer.exportSavedOnly") : undefined}>
            {t("designer.export")}
          </Button>
          <Button onClick={() => void doSave()} disabled={save.isPending} data-testid="save-flow" title="Ctrl+S">
            {save.isPending ? t("designer.saving") : t("common.save")}
          </Button>
          <Button variant="primary" onClick={() => void runNow()} disabled={start.isPending || save.isPending || problems.length > 0} data-testid="run-flow" title={problems.length ? t("designer.runBlocked") : undefined}>
            ▶ {t("designer.run")}
            {sandbox ? <span className="ml-1 rounded bg-white/25 px-1 text-[10px] font-semibold" data-testid="run-sandbox">{t("connections.sandbox")}</span> : null}
          </Button>
        </div>
      </header>
      {notice || start.isError || save.isError ? (
        <div className={`border-b px-4 py-1.5 text-xs ${start.isError || (save.isError && !conflict) ? "border-red-200 bg-red-50 text-red-700" : "border-emerald-200 bg-emerald-50 text-emerald-800"}`} role="status" data-testid="designer-notice">
          {start.isError ? start.error.message : save.isError && !conflict ? save.error.message : notice}
        </div>
      ) : null}
      <div className="flex min-h-0 flex-1">
        <Palette onAdd={addNode} compact={wide} />
        <div className="relative min-w-0 flex-1" aria-label={t("designer.canvasLabel")} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
          <ReactFlow<CanvasNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onBeforeDelete={onBeforeDelete}
            onNodeDragStart={onNodeDragStart}
            isValidConnection={isValidConnection}
            defaultEdgeOptions={defaultEdgeOptions}
            deleteKeyCode={deleteKeys}
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
                  value={selected.data.label ?? ""}
                  placeholder={t(NODE_KINDS[selected.type as NodeKind].title)}
                  onChange={(e) => updateNode(selected.id, { label: e.target.value })}
                  className="min-w-0 flex-1 rounded border-0 px-1.5 py-1 text-sm font-semibold text-slate-900 ring-0 hover:ring-1 hover:ring-slate-200 focus:ring-2 focus:ring-brand-500"
                />
                <span className="font-mono text-[10px] text-slate-400">{selected.id}</span>
                <button
                  type="button"
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
              <SettingsInspector meta={meta} setMeta={setMeta} setSettings={setSettings} />
            </div>
          )}
        </aside>
      </div>
      <datalist id="designer-variables">
        {variables.flatMap((v) => (v === "LAST_SYNC_TIME" || v === "CURRENT_TIME" ? [`{{${v}}}`, `{{${v}|datetime}}`, `{{${v}|timestamp_ms}}`] : [`{{${v}}}`])).map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
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

function Palette({ onAdd, compact }: { onAdd: (kind: NodeKind) => void; compact: boolean }) {
  const { t } = useI18n();
  return (
    <nav className={`shrink-0 overflow-y-auto border-r border-slate-200 bg-white py-3 ${compact ? "w-14 px-1.5" : "w-40 px-2"}`} aria-label={t("palette.title")}>
      <h2 className={`mb-2 px-1 text-xs font-semibold uppercase tracking-wide text-slate-500 ${compact ? "sr-only" : ""}`}>{t("palette.title")}</h2>
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
                aria-label={compact ? t(k.title) : undefined}
                data-testid={`palette-${kind}`}
                className={`flex w-full cursor-grab items-center gap-2 rounded-md border border-slate-200 bg-white py-1.5 text-left text-sm text-slate-700 shadow-sm hover:border-brand-300 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-500 active:cursor-grabbing ${compact ? "justify-center px-1" : "px-2"}`}
              >
                <span className={`flex h-6 w-6 shrink-0 items-center justify-center rounded text-xs font-bold text-white ${k.accent}`} aria-hidden>
                  {k.icon}
                </span>
                <span className={compact ? "sr-only" : "min-w-0"}>
                  <span className="block truncate font-medium">{t(k.title)}</span>
                  <span className="block truncate text-[10px] text-slate-400">{t(k.hint)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {compact ? null : <p className="mt-3 px-1 text-[11px] leading-snug text-slate-400">{t("palette.help")}</p>}
    </nav>
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
