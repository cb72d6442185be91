/**
 * The designer's flow procedures on SQLite and PostgreSQL: draft checks with node-tied problems,
 * version history, compare, restore (as a new version, refused on a stale base), duplicate,
 * export → import round trip, and templates that create a runnable scheme in one call.
 */
process.env.SHUQIAO_SECRET_KEY ??= "44".repeat(32);
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileFlow } from "@/server/flows/compile";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { ensureSandboxConnections } from "../../runs/connections";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();
const fakeSims = {
  guanyi: { url: "http://127.0.0.1:1", credentials: { appkey: "a", secret: "s" } },
  dingtalk: { url: "http://127.0.0.1:2", credentials: { appkey: "a", appsecret: "s" } },
  kingdee: { url: "http://127.0.0.1:3", credentials: { acctId: "a", password: "p" } },
};

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`designer flow procedures on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    beforeAll(async () => {
      t = await createTestDb(provider);
      await ensureSandboxConnections(t.db, fakeSims);
      api = createCaller(asAdmin(t.db));
    });
    afterAll(async () => t?.drop());

    it("creates a runnable scheme from each template", async () => {
      const templates = await api.flows.templates();
      expect(templates.map((x) => x.name)).toEqual(["管易云店铺 → 金蝶客户", "钉钉备用金审批 → 金蝶"]);
      for (const tpl of templates) {
        const { id } = await api.flows.fromTemplate({ templateId: tpl.id });
        const flow = await api.flows.byId({ id });
        expect(flow.name).toBe(tpl.name);
        expect(flow.problems).toEqual([]);
        expect((await compileFlow(flow.document)).ok).toBe(true);
      }
      // a second one gets a free name
      const again = await api.flows.fromTemplate({ templateId: templates[0].id });
      expect((await api.flows.byId({ id: again.id })).name).toBe("管易云店铺 → 金蝶客户 (2)");
    });

    it("checks drafts and ties problems to their nodes", async () => {
      const { id } = await api.flows.create({ name: "草稿" });
      const flow = await api.flows.byId({ id });
      expect(flow.problems.some((p) => p.nodeId === "source" && p.path === "nodes.0.data.apiId")).toBe(true);
      const doc = {
        ...flow.document,
        nodes: [
          { id: "s", type: "source", position: { x: 0, y: 0 }, data: { connectionId: "沙箱-管易云", apiId: "guanyi.gy.erp.shop.get", idField: "id" } },
          { id: "m", type: "mapper", position: { x: 200, y: 0 }, data: { fields: [{ field: "FName", value: "{{name" }] } },
          { id: "t", type: "target", position: { x: 400, y: 0 }, data: { connectionId: "不存在", apiId: "kingdee.BatchSave", formId: "BD_Customer" } },
        ],
        edges: [
          { id: "e1", source: "s", target: "m" },
          { id: "e2", source: "m", target: "t" },
        ],
      };
      const { problems } = await api.flows.check({ document: doc });
      expect(problems.find((p) => p.nodeId === "m")?.message).toMatch(/FName/);
      expect(problems.find((p) => p.nodeId === "t")?.message).toMatch(/不存在/);
      expect(problems.some((p) => p.nodeId === "s")).toBe(false);
    });

    it("lists versions, compares two, restores one as a new version and refuses a stale restore", async () => {
      const tpl = (await api.flows.templates())[0];
      const { id } = await api.flows.fromTemplate({ templateId: tpl.id, name: "版本对比" });
      const v1 = await api.flows.byId({ id });
      const doc2 = structuredClone(v1.document);
      const mapper = doc2.nodes.find((n) => n.type === "mapper")!;
      const fields = mapper.data.fields as { field: string; value?: string }[];
      fields[0].value = "{{name}}-店";
      fields.push({ field: "FShortName", value: "{{code}}" });
      mapper.data.fields = fields.filter((f) => f.field !== "FDescription");
      doc2.nodes = doc2.nodes.filter((n) => n.type !== "validate");
      doc2.edges = [
        { id: "e1", source: "source", target: "mapper" },
        { id: "e3", source: "mapper", target: "target" },
      ];
      (doc2.nodes.find((n) => n.type === "target")!.data as { batchSize: number }).batchSize = 50;
      doc2.settings = { ...doc2.settings, idCheck: false };
      await api.flows.saveVersion({ id, baseVersion: 1, document: doc2, message: "改映射" });

      const versions = await api.flows.versions({ id });
      expect(versions.map((v) => [v.number, v.current])).toEqual([
        [2, true],
        [1, false],
      ]);
      expect(versions[0].message).toBe("改映射");

      const { diff } = await api.flows.compare({ id, from: 1, to: 2 });
      expect(diff.nodes.removed.map((n) => n.id)).toEqual(["validate"]);
      expect(diff.nodes.changed.find((n) => n.id === "target")?.changes).toEqual([{ path: "batchSize", before: 100, after: 50 }]);
      expect(diff.mappings.map((m) => [m.field, m.kind]).sort()).toEqual([
        ["FDescription", "removed"],
        ["FName", "changed"],
        ["FShortName", "added"],
      ]);
      expect(diff.edges.removed).toEqual(expect.arrayContaining([{ source: "source", target: "validate" }]));
      expect(diff.settings).toEqual([{ path: "idCheck", before: true, after: false }]);

      await expect(api.flows.restore({ id, version: 1, baseVersion: 1 })).rejects.toMatchObject({ code: "CONFLICT" });
      const restored = await api.flows.restore({ id, version: 1, baseVersion: 2 });
      expect(restored.version).toBe(3);
      const v3 = await api.flows.byId({ id });
      expect(v3.version.message).toMatch(/v1/);
      expect(v3.document.nodes).toEqual(v1.document.nodes);
      expect((await api.flows.compare({ id, from: 1, to: 3 })).diff.mappings).toEqual([]);
    });

    it("imports a Qeasy source + target pair with its report", async () => {
      const dir = path.resolve(__dirname, "../../flows/qeasy-fixtures/guanyi-shop-customer");
      const source = JSON.parse(fs.readFileSync(path.join(dir, "source.json"), "utf8"));
      const target = JSON.parse(fs.readFileSync(path.join(dir, "target.json"), "utf8"));
      const res = await api.flows.import({ data: { source, target }, name: "轻易云客户同步" });
      expect(Array.isArray(res.report)).toBe(true);
      const flow = await api.flows.byId({ id: res.id });
      expect(flow.name).toBe("轻易云客户同步");
      expect(flow.document.nodes.map((n) => n.type)).toEqual(expect.arrayContaining(["source", "mapper", "target"]));
    });

    it("duplicates, exports and imports a scheme unchanged", async () => {
      const tpl = (await api.flows.templates())[1];
      const { id } = await api.flows.fromTemplate({ templateId: tpl.id, name: "导出测试" });
      const dup = await api.flows.duplicate({ id });
      const dupFlow = await api.flows.byId({ id: dup.id });
      expect(dupFlow.name).toBe("导出测试 副本");
      const file = await api.flows.export({ id });
      expect(file.format).toBe("shuqiao.flow");
      const text = JSON.stringify(file);
      const imported = await api.flows.import({ data: JSON.parse(text) });
      const back = await api.flows.byId({ id: imported.id });
      expect(back.name).toBe("导出测试 (2)");
      expect(back.document.nodes).toEqual((await api.flows.byId({ id })).document.nodes);
      expect(back.document.settings).toEqual((await api.flows.byId({ id })).document.settings);
      // a bare document is accepted too; junk is refused with a sentence
      const bare = await api.flows.import({ data: file.document, name: "裸文档" });
      expect((await api.flows.byId({ id: bare.id })).name).toBe("裸文档");
      await expect(api.flows.import({ data: { hello: 1 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.flows.import({ data: { source: { type: "EXECUTE" }, target: {} } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.flows.import({ data: { schemaVersion: 1, nodes: [{ id: "a" }], edges: [] } })).rejects.toThrow(/nodes\.0/);
    });
  });
}
