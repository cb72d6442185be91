import { describe, expect, it } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import dingtalk from "@/examples/dingtalk-pettycash-to-kingdee.json";
import { compileFlow, PROBLEM_CODES } from "./compile";
import { FlowDoc, migrateFlowDoc, parseFlowDoc } from "./flow.schema";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Doc = { nodes: { id: string; type: string; data: Record<string, unknown> }[]; edges: { id: string; source: string; target: string }[]; settings: Record<string, unknown> };

const known = async (id: string) => (id === "沙箱-管易云" ? { vendor: "guanyi" } : id === "沙箱-金蝶" ? { vendor: "kingdee" } : id === "沙箱-钉钉" ? { vendor: "dingtalk" } : undefined);

describe("flow schema", () => {
  it("both examples parse and compile to linear plans", async () => {
    for (const ex of [guanyi, dingtalk]) {
      const r = await compileFlow(ex, { resolveConnection: known, flowId: "f", flowVersion: 3 });
      expect(r.problems).toEqual([]);
      if (!r.ok) continue;
      expect(r.plan.flowVersion).toBe(3);
      expect(r.plan.target.apiId).toBe("kingdee.BatchSave");
    }
    const r = await compileFlow(dingtalk, { resolveConnection: known });
    expect(r.ok && r.plan.steps.map((s) => s.kind)).toEqual(["dingtalkForm", "filter", "validate"]);
    expect(r.ok && r.plan.source.pageSize).toBe(20);
  });

  it("fills defaults and keeps unknown-version documents loading (migrateFlowDoc)", () => {
    const old = { nodes: clone(guanyi.nodes), edges: clone(guanyi.edges), idCheck: false, batchSize: 50, schedule: "*/5 * * * *" };
    const migrated = migrateFlowDoc(old) as Record<string, unknown>;
    expect(migrated.schemaVersion).toBe(1);
    const p = parseFlowDoc(old);
    expect(p.ok).toBe(true);
    if (p.ok) {
      expect(p.doc.settings.idCheck).toBe(false);
      expect(p.doc.settings.batchSize).toBe(50);
      expect(p.doc.settings.schedule?.cron).toBe("*/5 * * * *");
      expect(p.doc.settings.schedule?.timezone).toBe("Asia/Shanghai");
    }
    expect(FlowDoc.safeParse({ schemaVersion: 1, nodes: [] }).success).toBe(true);
  });
});

describe("compileFlow reports every problem with node and path", () => {
  it("cycle, dangling edge, mapper without target, unknown variable, missing connection — all at once", async () => {
    const doc = clone(guanyi) as unknown as Doc;
    doc.nodes.find((n) => n.type === "source")!.data.connectionId = "生产-管易云";
    doc.nodes.find((n) => n.type === "source")!.data.params = { modify_start_date: "{{LAST_SYNC}}" };
    doc.edges = doc.edges.filter((e) => e.target !== "target"); // mapper → target removed
    doc.edges.push({ id: "loop", source: "mapper", target: "validate" }); // validate → mapper → validate
    doc.edges.push({ id: "dangling", source: "mapper", target: "nowhere" });
    const r = await compileFlow(doc, { resolveConnection: known });
    expect(r.ok).toBe(false);
    const text = r.problems.map((p) => `${p.nodeId ?? ""}|${p.path}|${p.message}`).join("\n");
    expect(text).toMatch(/有环.*cycle/);
    expect(text).toMatch(/edges\.\d+\.target\|连线 dangling 的终点节点「nowhere」不存在/);
    expect(text).toMatch(/mapper\|.*没有连到目标节点.*not connected to a target/);
    expect(text).toMatch(/source\|nodes\.0\.data\.params\.modify_start_date\|.*未知变量 \{\{LAST_SYNC\}\}/);
    expect(text).toMatch(/source\|nodes\.0\.data\.connectionId\|.*连接「生产-管易云」不存在.*does not exist/);
    expect(r.problems.length).toBeGreaterThanOrEqual(5);
  });

  it("upper-case record fields in a mapper (Kingdee keys such as FDEPTID) are fields, but a mistyped context variable is caught", async () => {
    const doc = clone(guanyi) as unknown as Doc;
    const mapper = doc.nodes.find((n) => n.type === "mapper")!;
    (mapper.data.fields as Record<string, unknown>[]).push({ field: "FDeptId", value: "{{FDEPTID}}" });
    expect((await compileFlow(doc)).ok).toBe(true);
    (mapper.data.fields as Record<string, unknown>[]).push({ field: "FDate", value: "{{LAST_SYNC_TIM|datetime}}" });
    const r = await compileFlow(doc);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/未知变量 \{\{LAST_SYNC_TIM\}\}/);
  });

  it("schema errors name the path; mapping errors name the field", async () => {
    const bad = clone(guanyi) as unknown as Doc;
    delete bad.nodes[0].data.apiId;
    const r1 = await compileFlow(bad);
    expect(r1.ok).toBe(false);
    expect(r1.problems[0].path).toBe("nodes.0.data.apiId");

    const doc = clone(guanyi) as unknown as Doc;
    const mapper = doc.nodes.find((n) => n.type === "mapper")!;
    (mapper.data.fields as Record<string, unknown>[]).push({ field: "FX", value: "_function NO_SUCH_FN({{code}})" });
    const r2 = await compileFlow(doc);
    expect(r2.ok).toBe(false);
    expect(r2.problems.some((p) => p.nodeId === "mapper" && /FX/.test(p.message))).toBe(true);
  });

  it("flatten must follow the source; steps after the mapper are refused", async () => {
    const doc = clone(guanyi) as unknown as Doc;
    doc.nodes.push({ id: "flat", type: "flatten", data: { path: "items" } } as never);
    doc.edges = [
      { id: "a", source: "source", target: "validate" },
      { id: "b", source: "validate", target: "flat" },
      { id: "c", source: "flat", target: "mapper" },
      { id: "d", source: "mapper", target: "target" },
    ];
    const r = await compileFlow(doc);
    expect(r.problems.map((p) => p.message).join("\n")).toMatch(/必须紧跟在来源节点之后/);
  });
});

describe("compileFlow reports every layer of problems in one pass, as codes with data", () => {
  it("a fresh canvas draft (empty target, empty mapper, unconnected node) gets schema, semantic and graph problems together", async () => {
    // what the designer sends after dropping a source, a mapper and a target and connecting only source → mapper
    const draft = {
      schemaVersion: 1,
      nodes: [
        { id: "source", type: "source", position: { x: 0, y: 0 }, data: { connectionId: "沙箱-管易云", apiId: "guanyi.gy.erp.shop.get", params: { modify_start_date: "{{LAST_SYNC}}" }, idField: "id", options: {} } },
        { id: "mapper-1", type: "mapper", label: "客户映射", position: { x: 0, y: 0 }, data: { fields: [] } },
        { id: "target-1", type: "target", position: { x: 0, y: 0 }, data: { connectionId: "", apiId: "kingdee.BatchSave", formId: "", options: {} } },
      ],
      edges: [{ id: "e1", source: "source", target: "mapper-1" }],
    };
    const r = await compileFlow(draft, { resolveConnection: known });
    expect(r.ok).toBe(false);
    const got = r.problems.map((p) => `${p.code}|${p.nodeId ?? ""}|${p.field ?? ""}`);
    // schema layer: the target's empty connection is "not filled in", tied to the node and the field
    expect(got).toContain("field.required|target-1|connectionId");
    // semantic layer, although the target's schema failed: the empty mapper and the unknown variable
    expect(got).toContain("mapper.empty|mapper-1|fields");
    expect(got).toContain("template.unknownVariable|source|params.modify_start_date");
    // graph layer: the mapper leads nowhere, the target has no input and is off the path
    expect(got).toContain("mapper.noTarget|mapper-1|");
    expect(got).toContain("node.notConnected|target-1|");
    expect(got).toContain("chain.offPath|target-1|");
    const unknown = r.problems.find((p) => p.code === "template.unknownVariable");
    expect(unknown?.params).toMatchObject({ name: "LAST_SYNC" });
    // the technical detail stays beside the code (the CLI prints it)
    expect(r.problems.find((p) => p.code === "field.required")?.path).toBe("nodes.2.data.connectionId");
    for (const p of r.problems) expect(p.message).toBeTruthy();
  });

  it("two broken nodes both report their fields; a missing field is 'required', a number out of range 'tooLarge'", async () => {
    const doc = clone(guanyi) as unknown as Doc;
    delete doc.nodes.find((n) => n.type === "source")!.data.idField;
    doc.nodes.find((n) => n.type === "target")!.data.batchSize = 5000;
    const r = await compileFlow(doc, { resolveConnection: known });
    const got = r.problems.map((p) => `${p.code}|${p.nodeId}|${p.field}`);
    expect(got).toContain("field.required|source|idField");
    expect(got).toContain("field.tooLarge|target|batchSize");
    expect(r.problems.find((p) => p.field === "batchSize")?.params).toMatchObject({ max: 1000 });
  });

  it("an unknown node type and a broken settings value are named, and the rest of the graph is still checked", async () => {
    const doc = clone(guanyi) as unknown as Doc;
    doc.nodes.push({ id: "odd", type: "teleport", data: {} } as never);
    doc.settings = { ...doc.settings, batchSize: -1 };
    doc.edges = doc.edges.filter((e) => e.target !== "target");
    const r = await compileFlow(doc, { resolveConnection: known });
    const codes = r.problems.map((p) => `${p.code}|${p.nodeId ?? ""}|${p.field ?? ""}`);
    expect(codes).toContain("node.unknownType|odd|");
    expect(codes).toContain("settings.invalid||batchSize");
    expect(codes).toContain("mapper.noTarget|mapper|");
  });

  it("a valid draft has no problems, and every code is one of PROBLEM_CODES", async () => {
    expect((await compileFlow(guanyi, { resolveConnection: known })).problems).toEqual([]);
    const doc = clone(guanyi) as unknown as Doc;
    doc.edges.push({ id: "loop", source: "mapper", target: "validate" }, { id: "x", source: "mapper", target: "nowhere" });
    const r = await compileFlow(doc, { resolveConnection: known });
    expect(r.problems.length).toBeGreaterThan(2);
    for (const p of r.problems) expect(PROBLEM_CODES).toContain(p.code);
    expect(r.problems.find((p) => p.code === "graph.cycle")?.nodes).toEqual(["validate", "mapper", "validate"]);
  });
});
