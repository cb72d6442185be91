/**
 * The canvas's editing rules: a paste gets fresh ids, keeps the edges between copied nodes and never
 * covers another node; a copied scheme pasted into an empty one compiles like the original; inserting
 * after a node wires it in between; the palette search finds vendor APIs by their Chinese names
 * (管易云店铺查询, 钉钉审批实例, 金蝶客户保存) from the real catalogue router.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { TEMPLATES } from "@/server/api/routers/flows";
import { createCallerFactory } from "@/server/api/trpc";
import { compileFlow } from "@/server/flows/compile";
import { createTestDb, type TestDb } from "@/server/testing/db";
import {
  apiPicks,
  CLIPBOARD_FORMAT,
  configForPick,
  copyNodes,
  defaultConnection,
  freeSpot,
  overlaps,
  parseClipboard,
  pasteNodes,
  pickTitle,
  planInsertAfter,
  rectOf,
  searchPicks,
  STEP_X,
  type ApiLike,
  type FormLike,
} from "./canvas-ops";
import { toCanvas, toDocument, type CanvasNode, type FlowDocument } from "./model";
import { asAdmin } from "@/server/testing/auth";

const KINDS = new Set(["source", "flatten", "split", "dingtalkForm", "filter", "validate", "clean", "mapper", "target"]);
const template = () => toCanvas(TEMPLATES[0].document as FlowDocument);
const noOverlap = (nodes: readonly CanvasNode[]) => {
  const rs = nodes.map(rectOf);
  for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) if (overlaps(rs[i], rs[j], 0)) return `${nodes[i].id} covers ${nodes[j].id}`;
  return null;
};

describe("copy and paste", () => {
  it("a paste into the same scheme gets new ids, keeps the inner edges and lands on free space", () => {
    const { nodes, edges } = template();
    const ids = new Set(nodes.filter((n) => n.type !== "source").map((n) => n.id));
    const payload = copyNodes(nodes, edges, ids, "flow-1");
    expect(payload?.nodes).toHaveLength(ids.size);
    // only edges with both ends copied travel (source → mapper does not)
    expect(payload?.edges.every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
    expect(payload?.edges.length).toBe(edges.filter((e) => ids.has(e.source) && ids.has(e.target)).length);

    const text = JSON.stringify(payload);
    const back = parseClipboard(text, KINDS);
    expect(back).toEqual(payload);
    const first = pasteNodes(back!, nodes, edges.map((e) => e.id));
    const all1 = [...nodes, ...first.nodes];
    expect(new Set(all1.map((n) => n.id)).size).toBe(all1.length);
    expect(first.nodes.every((n) => !nodes.some((o) => o.id === n.id) && n.selected)).toBe(true);
    expect(noOverlap(all1)).toBeNull();
    // edges re-pointed to the pasted copies, in the same shape
    const map = new Map(back!.nodes.map((n, i) => [n.id, first.nodes[i].id]));
    expect(first.edges.map((e) => [e.source, e.target])).toEqual(back!.edges.map((e) => [map.get(e.source), map.get(e.target)]));
    expect(new Set([...edges, ...first.edges].map((e) => e.id)).size).toBe(edges.length + first.edges.length);
    // the data is a copy, not shared
    expect(first.nodes[0].data.config).toEqual(back!.nodes[0].data);
    expect(first.nodes[0].data.config).not.toBe(back!.nodes[0].data);

    // pasting again lands on free space again, with ids still unique
    const second = pasteNodes(back!, all1, [...edges, ...first.edges].map((e) => e.id));
    const all2 = [...all1, ...second.nodes];
    expect(new Set(all2.map((n) => n.id)).size).toBe(all2.length);
    expect(noOverlap(all2)).toBeNull();
  });

  it("a whole scheme copied into an empty one keeps its positions and compiles without problems", async () => {
    const { nodes, edges } = template();
    const payload = parseClipboard(JSON.stringify(copyNodes(nodes, edges, new Set(nodes.map((n) => n.id)))), KINDS)!;
    const pasted = pasteNodes(payload, []);
    expect(pasted.nodes.map((n) => n.position)).toEqual(nodes.map((n) => ({ x: Math.round(n.position.x), y: Math.round(n.position.y) })));
    expect(pasted.edges).toHaveLength(edges.length);
    const resolveConnection = async (ref: string) => (/管易云|guanyi/i.test(ref) ? { vendor: "guanyi" } : /金蝶|kingdee/i.test(ref) ? { vendor: "kingdee" } : undefined);
    const original = await compileFlow(toDocument(nodes, edges, { settings: {} }), { resolveConnection });
    const copy = await compileFlow(toDocument(pasted.nodes, pasted.edges, { settings: {} }), { resolveConnection });
    expect(copy.problems.map((p) => p.code)).toEqual(original.problems.map((p) => p.code));
    expect(original.ok).toBe(true);
    expect(copy.ok).toBe(true);
  });

  it("reads only its own payload shape back", () => {
    expect(parseClipboard("hello", KINDS)).toBeNull();
    expect(parseClipboard(`{"format":"${CLIPBOARD_FORMAT}"`, KINDS)).toBeNull();
    expect(parseClipboard(JSON.stringify({ format: CLIPBOARD_FORMAT, version: 1, nodes: [] }), KINDS)).toBeNull();
    const evil = { format: CLIPBOARD_FORMAT, version: 1, nodes: [{ id: "x", type: "script", position: { x: 0, y: 0 }, data: {} }], edges: [] };
    expect(parseClipboard(JSON.stringify(evil), KINDS)).toBeNull();
    const ok = { format: CLIPBOARD_FORMAT, version: 1, nodes: [{ id: "a", type: "filter", position: { x: 1, y: 2 }, data: { condition: [[]] } }], edges: [{ source: "a", target: "gone" }] };
    expect(parseClipboard(JSON.stringify(ok), KINDS)?.edges).toEqual([]);
  });

  it("a crowded canvas still finds room (below everything)", () => {
    const crowd = Array.from({ length: 400 }, (_, i) => ({ id: `n${i}`, position: { x: (i % 20) * 40, y: Math.floor(i / 20) * 40 } }));
    const payload = copyNodes([{ id: "n0", type: "filter", position: { x: 0, y: 0 }, selected: true, data: { config: {} } } as CanvasNode], []);
    const { nodes } = pasteNodes(payload!, crowd);
    expect(crowd.some((c) => overlaps(rectOf(c), rectOf(nodes[0])))).toBe(false);
  });
});

describe("placement", () => {
  it("a drop on a node moves down to the next free row", () => {
    const occupied = [rectOf({ id: "a", position: { x: 100, y: 100 } })];
    const p = freeSpot({ x: 110, y: 110 }, occupied);
    expect(p.x).toBe(110);
    expect(overlaps({ ...p, w: 192, h: 90 }, occupied[0])).toBe(false);
    expect(freeSpot({ x: 600, y: 100 }, occupied)).toEqual({ x: 600, y: 100 });
  });

  it("add after the selected node: one column right and connected; in between when it had a successor", () => {
    const nodes = [
      { id: "source", position: { x: 0, y: 0 } },
      { id: "mapper", position: { x: STEP_X, y: 0 } },
      { id: "target", position: { x: 2 * STEP_X, y: 0 } },
    ];
    const edges = [
      { id: "e1", source: "source", target: "mapper" },
      { id: "e2", source: "mapper", target: "target" },
    ];
    const plan = planInsertAfter("source", "filter-1", { afterHasOutput: true, newHasInput: true, newHasOutput: true }, nodes, edges)!;
    expect(plan.connect).toEqual([
      { source: "source", target: "filter-1" },
      { source: "filter-1", target: "mapper" },
    ]);
    expect(plan.remove).toEqual(["e1"]);
    expect(plan.moved.get("mapper")).toEqual({ x: 2 * STEP_X, y: 0 });
    expect(plan.moved.get("target")).toEqual({ x: 3 * STEP_X, y: 0 });
    expect(plan.position).toEqual({ x: STEP_X, y: 0 });

    // after the last node (a target has no output): placed, not connected
    const last = planInsertAfter("target", "mapper-2", { afterHasOutput: false, newHasInput: true, newHasOutput: true }, nodes, edges)!;
    expect(last.connect).toEqual([]);
    expect(last.position).toEqual({ x: 3 * STEP_X, y: 0 });
    // a target added after the mapper takes the next free row when the column is full
    const t2 = planInsertAfter("mapper", "target-2", { afterHasOutput: true, newHasInput: true, newHasOutput: false }, nodes, edges)!;
    expect(t2.connect).toEqual([{ source: "mapper", target: "target-2" }]);
    expect(t2.remove).toEqual([]);
    expect(t2.position.x).toBe(2 * STEP_X);
    expect(t2.position.y).toBeGreaterThan(0);
  });
});

describe("palette search over the real catalogue", () => {
  let t: TestDb;
  let apis: ApiLike[];
  let forms: FormLike[];
  beforeAll(async () => {
    t = await createTestDb("sqlite");
    const caller = createCallerFactory(appRouter)(asAdmin(t.db));
    apis = await caller.catalogue.apis();
    forms = await caller.catalogue.forms();
  });
  afterAll(async () => t?.drop());

  it("finds 管易云店铺查询, 钉钉审批实例 and 金蝶客户保存 by their Chinese names, and English ones", () => {
    const picks = apiPicks(apis, forms);
    // every API of the catalogue is offered (targets once per Kingdee form)
    for (const a of apis) expect(picks.some((p) => p.apiId === a.id), a.id).toBe(true);
    expect(searchPicks(picks, "管易云店铺查询")[0]).toMatchObject({ node: "source", apiId: "guanyi.gy.erp.shop.get" });
    expect(searchPicks(picks, "钉钉审批实例")[0]).toMatchObject({ node: "source", apiId: "dingtalk.processinstance" });
    const save = searchPicks(picks, "金蝶客户保存");
    expect(save.length).toBeGreaterThan(0);
    expect(save.every((p) => p.node === "target" && p.formId === "BD_Customer")).toBe(true);
    expect(searchPicks(picks, "kingdee supplier batch")[0]).toMatchObject({ apiId: "kingdee.BatchSave", formId: "BD_Supplier" });
    expect(searchPicks(picks, "gy.erp.trade")[0].apiId).toBe("guanyi.gy.erp.trade.get");
    expect(searchPicks(picks, "  ")).toEqual([]);
    expect(searchPicks(picks, "完全不存在的接口")).toEqual([]);
    expect(pickTitle(searchPicks(picks, "管易云店铺查询")[0].label.zh)).toBe("管易云 店铺查询");
    expect(pickTitle(save[0].label.zh)).toBe("金蝶云星空 客户 批量保存");
  });

  it("a pick starts its node with the API's defaults, the form's business key and an unambiguous connection", () => {
    const picks = apiPicks(apis, forms);
    const shop = searchPicks(picks, "管易云店铺查询")[0];
    const conns = [
      { id: "1", vendor: "guanyi", sandbox: true, name: "沙箱-管易云" },
      { id: "2", vendor: "kingdee", sandbox: false, name: "金蝶正式" },
      { id: "3", vendor: "kingdee", sandbox: false, name: "金蝶测试" },
    ];
    expect(defaultConnection(conns, "guanyi")?.name).toBe("沙箱-管易云");
    expect(defaultConnection(conns, "kingdee")).toBeUndefined();
    expect(configForPick(shop, apis.find((a) => a.id === shop.apiId), "沙箱-管易云")).toMatchObject({ connectionId: "沙箱-管易云", apiId: "guanyi.gy.erp.shop.get", idField: "id", numberField: "code", pageSize: 100 });
    const save = searchPicks(picks, "金蝶客户保存")[0];
    expect(configForPick(save, undefined, "", forms.find((f) => f.formId === save.formId))).toEqual({ connectionId: "", apiId: save.apiId, formId: "BD_Customer", businessKeyField: "FNumber", options: {} });
  });
});
