/**
 * qeasy.import / qeasy.export through tRPC's caller on a real SQLite database: the designer's path
 * (import → flows.create → export) and the error codes a person sees.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qeasyFixture } from "../../flows/qeasy-fixtures";
import { importQeasy } from "../../flows/qeasy-import";
import { createTestDb, type TestDb } from "../../testing/db";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

describe("qeasy router", () => {
  let t: TestDb;
  let api: ReturnType<typeof createCaller>;
  beforeAll(async () => {
    t = await createTestDb("sqlite");
    api = createCaller(asAdmin(t.db));
  });
  afterAll(async () => t?.drop());

  it("imports without saving, the designer saves with flows.create, export gives Qeasy metadata back", async () => {
    const before = (await api.flows.list()).length;
    const res = await api.qeasy.import({ ...qeasyFixture("dingtalk-pettycash-expense"), name: "钉钉备用金导入", connections: { kingdee: "沙箱-金蝶" } });
    expect(res.document.name).toBe("钉钉备用金导入");
    expect(res.document.nodes.map((n) => n.type)).toEqual(["source", "dingtalkForm", "filter", "mapper", "target"]);
    expect(res.report.some((r) => r.path === "target.operation.rows")).toBe(true);
    expect((await api.flows.list()).length).toBe(before);

    const { id } = await api.flows.create({ name: res.document.name!, document: res.document });
    const out = await api.qeasy.export({ flowId: id });
    expect(out.source).toMatchObject({ api: "topapi/processinstance/get", id: "process_instance_id", number: "business_id" });
    expect(out.target).toMatchObject({ api: "batchSave", operation: { method: "batchArraySave", rows: 20 } });
    // what the designer stored, exported and imported again, is the same document
    const again = await importQeasy({ source: out.source, target: out.target, name: "钉钉备用金导入", connections: { kingdee: "沙箱-金蝶" } });
    expect(again.document).toEqual(res.document);
    expect((await api.qeasy.export({ flowId: id, version: 1 })).target).toEqual(out.target);
  });

  it("accepts pasted JSON text, and says where pasted text is broken", async () => {
    const fx = qeasyFixture("guanyi-shop-customer");
    const res = await api.qeasy.import({ source: JSON.stringify(fx.source, null, 2), target: JSON.stringify(fx.target) });
    expect(res.document.nodes.map((n) => n.type)).toEqual(["source", "mapper", "target"]);
    const broken = api.qeasy.import({ source: '{\n  "api": "gy.erp.shop.get",\n  "id" "id"\n}', target: JSON.stringify(fx.target) });
    await expect(broken).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(broken).rejects.toThrow(/source: JSON 格式错误 \(invalid JSON\): 第 3 行/);
  });

  it("malformed Qeasy JSON is a BAD_REQUEST naming the paths", async () => {
    const bad = api.qeasy.import({ source: { api: "gy.erp.shop.get", request: [{ label: "x" }] }, target: { request: [] } });
    await expect(bad).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(bad).rejects.toThrow(/source\.request\.0\.field/);
    await expect(bad).rejects.toThrow(/target\.api/);
  });

  it("export: unknown flow is NOT_FOUND, an incomplete draft is PRECONDITION_FAILED", async () => {
    await expect(api.qeasy.export({ flowId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const { id } = await api.flows.create({ name: "草稿" });
    await expect(api.qeasy.export({ flowId: id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(api.qeasy.export({ flowId: id, version: 9 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
