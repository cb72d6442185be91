/**
 * The canvas's editing operations as pure functions: where a new, pasted or dropped node may go
 * without covering another one, copy/paste payloads (new ids, kept edges), inserting a node after the
 * selected one, and the palette's search over every vendor API.
 *
 * Why this exists: these rules decide where things land on the analyst's canvas and what a paste
 * produces; keeping them free of React and React Flow lets them be tested directly and lets the
 * designer stay a thin layer of event handlers. Nothing here touches the browser.
 */
import type { Edge } from "@xyflow/react";
import { newNodeId, type AnyConfig, type CanvasNode, type NodeKind } from "./model";

/** A node card's size when React Flow has not measured it yet (w-48, title + summary + problem line). */
export const NODE_W = 192;
export const NODE_H = 90;
/** The column and row pitch of auto-layout (model.ts), reused so added nodes line up with laid-out ones. */
export const STEP_X = 250;
export const STEP_Y = 120;
/** Space kept free around every node. */
export const MARGIN = 16;
/** How far each paste attempt moves the group down-right. */
export const PASTE_STEP = 40;

export interface Point {
  x: number;
  y: number;
}
export interface Rect extends Point {
  w: number;
  h: number;
}
/** What placement needs of a node: React Flow nodes fit (measured sizes are used when present). */
export interface Placed {
  id: string;
  position: Point;
  measured?: { width?: number; height?: number };
  width?: number;
  height?: number;
}

export function rectOf(n: Placed): Rect {
  return { x: n.position.x, y: n.position.y, w: n.measured?.width ?? n.width ?? NODE_W, h: n.measured?.height ?? n.height ?? NODE_H };
}

export function overlaps(a: Rect, b: Rect, margin = MARGIN): boolean {
  return a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;
}

/**
 * The nearest free place for a node of `size` wanted at `want`: the spot itself when free, else
 * stepping down a row at a time (then a column right), so a node added "after" another stays in its
 * column. Always terminates: past the tries it goes below everything.
 */
export function freeSpot(want: Point, occupied: readonly Rect[], size: { w: number; h: number } = { w: NODE_W, h: NODE_H }): Point {
  const fits = (p: Point) => !occupied.some((r) => overlaps({ ...p, ...size }, r));
  for (let col = 0; col < 6; col++) {
    for (let row = 0; row < 12; row++) {
      const p = { x: want.x + col * STEP_X, y: want.y + row * STEP_Y };
      if (fits(p)) return p;
    }
  }
  const bottom = Math.max(want.y, ...occupied.map((r) => r.y + r.h));
  return { x: want.x, y: bottom + MARGIN + STEP_Y - NODE_H };
}

// ---- copy / paste -----------------------------------------------------------------------------------

/** The clipboard text's recognisable shape: `format` tells a Shuqiao canvas copy from any other text. */
export const CLIPBOARD_FORMAT = "shuqiao.canvas-nodes";
export interface ClipboardNode {
  id: string;
  type: NodeKind;
  position: Point;
  label?: string;
  data: AnyConfig;
  w?: number;
  h?: number;
}
export interface ClipboardPayload {
  format: typeof CLIPBOARD_FORMAT;
  version: 1;
  /** the scheme copied from (informational: pasting works in any scheme) */
  flowId?: string;
  nodes: ClipboardNode[];
  /** only edges whose both ends were copied */
  edges: { source: string; target: string }[];
}

/** The payload for `ids` (default: the selected nodes); null when there is nothing to copy. */
export function copyNodes(nodes: readonly CanvasNode[], edges: readonly Edge[], ids?: ReadonlySet<string>, flowId?: string): ClipboardPayload | null {
  const picked = nodes.filter((n) => (ids ? ids.has(n.id) : n.selected));
  if (!picked.length) return null;
  const inside = new Set(picked.map((n) => n.id));
  return {
    format: CLIPBOARD_FORMAT,
    version: 1,
    ...(flowId ? { flowId } : {}),
    nodes: picked.map((n) => {
      const r = rectOf(n);
      return {
        id: n.id,
        type: n.type as NodeKind,
        position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        ...(n.data.label ? { label: n.data.label } : {}),
        data: JSON.parse(JSON.stringify(n.data.config ?? {})) as AnyConfig,
        w: r.w,
        h: r.h,
      };
    }),
    edges: edges.filter((e) => inside.has(e.source) && inside.has(e.target)).map((e) => ({ source: e.source, target: e.target })),
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** Reads clipboard text back; anything that is not a well-formed payload of known node kinds is null. */
export function parseClipboard(text: string | null | undefined, kinds: ReadonlySet<string>): ClipboardPayload | null {
  if (!text || !text.includes(CLIPBOARD_FORMAT)) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null; // someone else's text that happens to mention the format name
  }
  if (!isObj(v) || v.format !== CLIPBOARD_FORMAT || v.version !== 1 || !Array.isArray(v.nodes) || !v.nodes.length) return null;
  const nodes: ClipboardNode[] = [];
  for (const n of v.nodes as unknown[]) {
    if (!isObj(n) || typeof n.id !== "string" || typeof n.type !== "string" || !kinds.has(n.type) || !isObj(n.position) || !isObj(n.data)) return null;
    const x = Number(n.position.x);
    const y = Number(n.position.y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    nodes.push({
      id: n.id,
      type: n.type as NodeKind,
      position: { x, y },
      ...(typeof n.label === "string" && n.label ? { label: n.label } : {}),
      data: n.data,
      ...(typeof n.w === "number" && n.w > 0 ? { w: n.w } : {}),
      ...(typeof n.h === "number" && n.h > 0 ? { h: n.h } : {}),
    });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges = (Array.isArray(v.edges) ? (v.edges as unknown[]) : [])
    .filter((e): e is { source: string; target: string } => isObj(e) && typeof e.source === "string" && typeof e.target === "string")
    .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
    .map((e) => ({ source: e.source, target: e.target }));
  return { format: CLIPBOARD_FORMAT, version: 1, ...(typeof v.flowId === "string" ? { flowId: v.flowId } : {}), nodes, edges };
}

export function uniqueEdgeId(source: string, target: string, taken: Set<string>): string {
  let id = `e-${source}-${target}`;
  for (let i = 2; taken.has(id); i++) id = `e-${source}-${target}-${i}`;
  taken.add(id);
  return id;
}

/**
 * The nodes and edges a paste adds: fresh ids (kind-1, kind-2 … never taken in this scheme), data
 * deep-copied, edges between copied nodes re-pointed to the new ids, and the group moved down-right
 * in steps until none of its nodes covers an existing one (at its original place when that is free,
 * e.g. in another scheme). The new nodes come selected.
 */
export function pasteNodes(payload: ClipboardPayload, existing: readonly Placed[], existingEdgeIds: Iterable<string> = []): { nodes: CanvasNode[]; edges: Edge[] } {
  const taken = new Set(existing.map((n) => n.id));
  const idMap = new Map<string, string>();
  for (const n of payload.nodes) {
    const id = newNodeId(n.type, taken);
    taken.add(id);
    idMap.set(n.id, id);
  }
  const occupied = existing.map(rectOf);
  const rects = payload.nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.w ?? NODE_W, h: n.h ?? NODE_H }));
  const free = (dx: number, dy: number) => rects.every((r) => !occupied.some((o) => overlaps({ ...r, x: r.x + dx, y: r.y + dy }, o)));
  let dx = 0;
  let dy = 0;
  let k = 0;
  for (; k < 60 && !free(k * PASTE_STEP, k * PASTE_STEP); k++);
  if (k < 60) {
    dx = dy = k * PASTE_STEP;
  } else {
    // crowded canvas: below everything, keeping the group's own layout
    const top = Math.min(...rects.map((r) => r.y));
    const bottom = Math.max(0, ...occupied.map((o) => o.y + o.h));
    dy = bottom + MARGIN * 2 - top;
  }
  const nodes = payload.nodes.map(
    (n) =>
      ({
        id: idMap.get(n.id) as string,
        type: n.type,
        position: { x: n.position.x + dx, y: n.position.y + dy },
        selected: true,
        data: { config: JSON.parse(JSON.stringify(n.data)) as AnyConfig, ...(n.label ? { label: n.label } : {}) },
      }) as CanvasNode,
  );
  const edgeIds = new Set(existingEdgeIds);
  const edges: Edge[] = payload.edges.map((e) => {
    const source = idMap.get(e.source) as string;
    const target = idMap.get(e.target) as string;
    return { id: uniqueEdgeId(source, target, edgeIds), source, target };
  });
  return { nodes, edges };
}

// ---- insert after the selected node -----------------------------------------------------------------

export interface InsertPlan {
  position: Point;
  /** edges to add (ids filled in by the caller's taken set) */
  connect: { source: string; target: string }[];
  /** edge ids to remove (the selected node's outgoing edges, now leaving the new node instead) */
  remove: string[];
  /** nodes moved one column right to make room */
  moved: Map<string, Point>;
}

/**
 * Where a node added "after" `afterId` goes and how it is wired: one column right of it, connected
 * from it; when it already had a successor and the new node has an output, the new node goes in
 * between (after → new → successor) and everything downstream moves one column right. Without
 * ports to connect, it is only placed. Never on top of another node.
 */
export function planInsertAfter(
  afterId: string,
  newId: string,
  ports: { afterHasOutput: boolean; newHasInput: boolean; newHasOutput: boolean },
  nodes: readonly Placed[],
  edges: readonly Pick<Edge, "id" | "source" | "target">[],
): InsertPlan | null {
  const after = nodes.find((n) => n.id === afterId);
  if (!after) return null;
  const connect: InsertPlan["connect"] = [];
  const remove: string[] = [];
  const moved = new Map<string, Point>();
  if (ports.afterHasOutput && ports.newHasInput) {
    connect.push({ source: afterId, target: newId });
    const outgoing = edges.filter((e) => e.source === afterId);
    if (ports.newHasOutput && outgoing.length) {
      for (const e of outgoing) {
        remove.push(e.id);
        connect.push({ source: newId, target: e.target });
      }
      // everything reachable from the old successors moves one column right
      const down = new Set<string>();
      const stack = outgoing.map((e) => e.target);
      while (stack.length) {
        const id = stack.pop() as string;
        if (down.has(id) || id === afterId) continue;
        down.add(id);
        for (const e of edges) if (e.source === id) stack.push(e.target);
      }
      for (const n of nodes) if (down.has(n.id)) moved.set(n.id, { x: n.position.x + STEP_X, y: n.position.y });
    }
  }
  const occupied = nodes.filter((n) => n.id !== newId).map((n) => ({ ...rectOf(n), ...(moved.get(n.id) ?? {}) }));
  const position = freeSpot({ x: after.position.x + STEP_X, y: after.position.y }, occupied);
  return { position, connect, remove, moved };
}

// ---- palette search over the API catalogue ------------------------------------------------------------

type L = { zh: string; en: string };
export interface ApiLike {
  id: string;
  vendor: string;
  kind: "source" | "target";
  label: L;
  maxPageSize: number | null;
  idField: string | null;
  numberField: string | null;
  defaultOptions: Record<string, unknown>;
}
export interface FormLike {
  formId: string;
  label: L;
  businessKeyField: string;
}
/** One line of the palette search: a source API, or a target API writing one form (金蝶 客户 保存). */
export interface ApiPick {
  key: string;
  node: "source" | "target";
  apiId: string;
  vendor: string;
  formId?: string;
  label: L;
}

/** "金蝶云星空 批量保存（BatchSave）" + 客户 → "金蝶云星空 客户 批量保存（BatchSave）" (vendor first, then the form). */
function withForm(label: string, form: string): string {
  const i = label.indexOf(" ");
  return i > 0 ? `${label.slice(0, i)} ${form} ${label.slice(i + 1)}` : `${form} ${label}`;
}

export function apiPicks(apis: readonly ApiLike[], forms: readonly FormLike[]): ApiPick[] {
  const out: ApiPick[] = [];
  for (const a of apis) {
    if (a.kind === "source") out.push({ key: a.id, node: "source", apiId: a.id, vendor: a.vendor, label: a.label });
    else if (a.vendor === "kingdee" && forms.length)
      for (const f of forms)
        out.push({ key: `${a.id}:${f.formId}`, node: "target", apiId: a.id, vendor: a.vendor, formId: f.formId, label: { zh: `${withForm(a.label.zh, f.label.zh)} · ${f.formId}`, en: `${withForm(a.label.en, f.label.en)} · ${f.formId}` } });
    else out.push({ key: a.id, node: "target", apiId: a.id, vendor: a.vendor, label: a.label });
  }
  return out;
}

const norm = (s: string) => s.toLowerCase().replace(/[\s·()（）,，:：]+/g, "");

/** Are the characters of `needle` in `hay` in order (so 金蝶客户保存 finds 金蝶云星空 客户 批量保存)? */
function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (const ch of hay) if (ch === needle[i] && ++i === needle.length) return true;
  return needle.length === 0;
}

/**
 * Picks matching `query` in either language or by API id: each word of the query must appear in
 * order (not necessarily adjacent); exact substrings rank first. Empty query: nothing.
 */
export function searchPicks(picks: readonly ApiPick[], query: string, limit = 30): ApiPick[] {
  const words = query.trim().split(/\s+/).map(norm).filter(Boolean);
  if (!words.length) return [];
  const scored: { p: ApiPick; score: number; i: number }[] = [];
  picks.forEach((p, i) => {
    const hay = norm(`${p.label.zh} ${p.label.en} ${p.apiId} ${p.formId ?? ""}`);
    if (!words.every((w) => subsequence(w, hay))) return;
    const score = words.reduce((s, w) => s + (hay.includes(w) ? 2 : 1), 0);
    scored.push({ p, score, i });
  });
  return scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.p);
}

/** The node data a pick starts with: its API and defaults (as the inspector's API picker sets them), its form, and the connection. */
export function configForPick(pick: ApiPick, api: ApiLike | undefined, connectionId: string, form?: FormLike): AnyConfig {
  if (pick.node === "target") {
    return { connectionId, apiId: pick.apiId, formId: pick.formId ?? "", ...(form ? { businessKeyField: form.businessKeyField } : {}), options: {} };
  }
  const defaults = { ...(api?.defaultOptions ?? {}) };
  const page = typeof defaults.pageSize === "number" ? defaults.pageSize : undefined;
  delete defaults.pageSize;
  delete defaults.params;
  return {
    connectionId,
    apiId: pick.apiId,
    params: {},
    idField: api?.idField ?? "",
    ...(api?.numberField ? { numberField: api.numberField } : {}),
    ...(page !== undefined ? { pageSize: Math.min(page, api?.maxPageSize ?? page) } : {}),
    options: defaults,
  };
}

/** A node title for a pick: its label without the trailing technical name, e.g. 管易云 店铺查询. */
export function pickTitle(label: string): string {
  return label.replace(/\s*·\s*[A-Za-z_]+$/, "").replace(/\s*[（(][^（）()]*[）)]\s*/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Which connection a pick starts with. CHOICE: only an unambiguous one — the vendor's single
 * connection, or its single sandbox connection when there are several; otherwise empty, and the
 * draft check asks the analyst to choose (silently picking production would be worse).
 */
export function defaultConnection<C extends { vendor: string; sandbox: boolean }>(connections: readonly C[], vendor: string): C | undefined {
  const mine = connections.filter((c) => c.vendor === vendor);
  if (mine.length === 1) return mine[0];
  const sandbox = mine.filter((c) => c.sandbox);
  return sandbox.length === 1 ? sandbox[0] : undefined;
}
