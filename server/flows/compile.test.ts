import { describe, expect, it } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import dingtalk from "@/examples/dingtalk-pettycash-to-kingdee.json";
import { compileFlow } from "./compile";
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
