/**
 * Preview: the first page from the real source (the Guanyi simulator over HTTP, through the
 * connectors and the resolved connection), and mapping sample records through the scheme's steps and
 * mapper with per-field errors and dropped records. (Its speed is measured in server/bench/preview/.)
 */
process.env.SHUQIAO_SECRET_KEY ??= "33".repeat(32);
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import guanyi from "@/examples/guanyi-shops-to-kingdee-customers.json";
import dingtalk from "@/examples/dingtalk-pettycash-to-kingdee.json";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, type TestDb } from "../../testing/db";
import { startSimulators, type Simulators } from "../../testing/simulators";
import { ensureSandboxConnections } from "../../runs/connections";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

describe("preview", () => {
  let t: TestDb;
  let sims: Simulators;
  let api: ReturnType<typeof createCaller>;
  beforeAll(async () => {
    sims = await startSimulators();
    t = await createTestDb("sqlite");
    await ensureSandboxConnections(t.db, sims);
    api = createCaller(asAdmin(t.db));
  });
  afterAll(async () => {
    await t?.drop();
    await sims?.close();
  });

  it("fetches the first page from the source through the connection and maps it like a run", async () => {
    const sample = await api.preview.sample({ document: guanyi, limit: 20 });
    expect(sample.records).toHaveLength(20);
    expect(sample.total).toBeGreaterThan(20);
    expect(sample.fields).toEqual(expect.arrayContaining(["code", "name"]));
    // the first call warms up the compilers (JIT, parser registry); editing calls map again and again
    await api.preview.map({ document: guanyi, records: sample.records });
    // (its speed is a benchmark, not a test: server/bench/preview/)
    const res = await api.preview.map({ document: guanyi, records: sample.records });
    const first = res.results.find((r) => r.status === "mapped");
    expect(first?.doc).toMatchObject({ FCreateOrgId: { FNumber: "100" }, FUseOrgId: { FNumber: "100" } });
    expect(first?.doc?.FNumber).toBe((first?.record as { code: string }).code);
    expect(res.counts.input).toBe(20);
  });

  it("reports per-field errors, invalid and filtered records, and keeps mapping the good fields", async () => {
    const doc = structuredClone(guanyi) as unknown as { nodes: { id: string; type: string; data: Record<string, unknown> }[]; edges: { id: string; source: string; target: string }[] };
    const mapper = doc.nodes.find((n) => n.id === "mapper")!;
    mapper.data.fields = [
      { field: "FName", value: "{{name}}", required: true },
      { field: "FCreditAmount", type: "number", value: "{{credit}}" },
      { field: "FBad", value: "{{name", parsers: [] },
      { field: "FUseOrgId", value: "100", parsers: [{ name: "ConvertObjectParser", params: { key: "FNumber" } }] },
    ];
    const records = [
      { id: "1", code: "S1", name: "旗舰店", credit: "12.5" },
      { id: "2", code: "S2", name: "", credit: "abc" },
      { id: "3", code: "", name: "无编码" },
    ];
    const res = await api.preview.map({ document: doc, records });
    expect(res.configErrors.map((e) => e.field)).toContain("FBad");
    const [a, b, c] = res.results;
    expect(a.doc).toMatchObject({ FName: "旗舰店", FCreditAmount: 12.5, FUseOrgId: { FNumber: "100" } });
    expect(a.errors.map((e) => e.field)).toEqual(["FBad"]);
    // the validate node's rule (name required) marks record 2 invalid before mapping
    expect(b.status).toBe("invalid");
    expect(b.reasons.join(" ")).toMatch(/名称/);
    expect(c.status).toBe("invalid");
    expect(c.reasons.join(" ")).toMatch(/代码/);

    // a filter drops records; the preview says which
    doc.nodes.splice(1, 0, { id: "f", type: "filter", position: { x: 0, y: 0 }, data: { condition: [[{ field: "code", logic: "neq", value: "S1" }]] } } as never);
    doc.edges = [
      { id: "e0", source: "source", target: "f" },
      { id: "e1", source: "f", target: "validate" },
      ...doc.edges.filter((e) => e.source !== "source"),
    ];
    const filtered = await api.preview.map({ document: doc, records });
    expect(filtered.results[0].status).toBe("filtered");
    expect(filtered.counts.filtered).toBe(1);
  });

  it("previews the DingTalk scenario with its form step, entry table and the sandbox", async () => {
    const sample = await api.preview.sample({ document: dingtalk, sandbox: true, limit: 10 });
    expect(sample.records.length).toBeGreaterThan(0);
    const res = await api.preview.map({ document: dingtalk, records: sample.records });
    const ok = res.results.find((r) => r.status === "mapped");
    expect(ok?.doc).toMatchObject({ FIsBorrow: true, FOrgID: { FNumber: "100" } });
    expect(Array.isArray(ok?.doc?.FEntity)).toBe(true);
    expect(res.fields).toEqual(expect.arrayContaining(["business_id"]));
  });

  it("says what to do when the source is not configured", async () => {
    const doc = { schemaVersion: 1, nodes: [{ id: "s", type: "source", position: { x: 0, y: 0 }, data: {} }], edges: [] };
    await expect(api.preview.sample({ document: doc })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const res = await api.preview.map({ document: doc, records: [{ a: 1 }] });
    expect(res.results[0].status).toBe("mapped");
  });
});
