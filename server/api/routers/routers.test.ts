/**
 * The flows and runs routers against real databases — SQLite and PostgreSQL — through tRPC's caller,
 * so validation, the error formatter's codes and optimistic concurrency are exercised as the UI sees them.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`routers on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    beforeAll(async () => {
      t = await createTestDb(provider);
      api = createCaller(asAdmin(t.db));
    });
    afterAll(async () => t?.drop());

    it("creates a scheme with a first version holding a source node, and lists it", async () => {
      const { id, version } = await api.flows.create({ name: "管易云店铺 → 金蝶客户" });
      expect(version).toBe(1);
      const flow = await api.flows.byId({ id });
      expect(flow.name).toBe("管易云店铺 → 金蝶客户");
      expect(flow.version.number).toBe(1);
      expect(flow.document.nodes.map((n) => n.type)).toEqual(["source"]);
      // a fresh draft is savable but not runnable: its problems name the missing settings
      expect(flow.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["nodes.0.data.connectionId", "nodes.0.data.apiId"]));
      const list = await api.flows.list();
      expect(list.find((f) => f.id === id)?.lastRun).toBeNull();
      expect((await api.flows.list({ search: "金蝶" })).map((f) => f.id)).toContain(id);
      expect((await api.flows.list({ search: "不存在的名字" })).length).toBe(0);
    });

    it("saves immutable versions and refuses a save based on a stale version", async () => {
      const { id } = await api.flows.create({ name: "版本测试" });
      const v1 = await api.flows.byId({ id });
      const doc2 = { ...v1.document, nodes: [...v1.document.nodes, { id: "t", type: "target", position: { x: 400, y: 120 }, data: {} }] };
      expect(await api.flows.saveVersion({ id, baseVersion: 1, document: doc2 })).toEqual({ id, version: 2 });
      // A second editor still on v1 is told, not silently overwritten.
      const stale = api.flows.saveVersion({ id, baseVersion: 1, document: v1.document });
      await expect(stale).rejects.toMatchObject({ code: "CONFLICT" });
      await expect(stale).rejects.toThrow(/v2/);
      // v1 is unchanged and still readable
      expect((await api.flows.byId({ id, version: 1 })).document.nodes).toHaveLength(1);
      expect((await api.flows.byId({ id })).document.nodes).toHaveLength(2);
    });

    it("rejects bad input with a message naming the field", async () => {
      await expect(api.flows.create({ name: "   " })).rejects.toBeInstanceOf(TRPCError);
      const { id } = await api.flows.create({ name: "坏文档" });
      await expect(api.flows.saveVersion({ id, baseVersion: 1, document: { schemaVersion: 1, nodes: [{ id: "a" }], edges: [] } })).rejects.toThrow(/nodes\.0/);
      await expect(api.flows.byId({ id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("deletes softly: gone from lists and byId, runs kept", async () => {
      const { id } = await api.flows.create({ name: "待删除" });
      await api.flows.delete({ id });
      expect((await api.flows.list()).map((f) => f.id)).not.toContain(id);
      await expect(api.flows.byId({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(api.flows.delete({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("lists runs newest first with cursor pagination and filters", async () => {
      const { id } = await api.flows.create({ name: "运行列表" });
      const version = await t.db.flowVersion.findFirstOrThrow({ where: { flowId: id } });
      const base = Date.now() - 1_000_000;
      for (let i = 0; i < 7; i++) {
        await t.db.run.create({
          data: { flowId: id, flowVersionId: version.id, trigger: i % 2 ? "schedule" : "manual", status: i === 6 ? "failed" : "succeeded", countRead: i, createdAt: new Date(base + i * 1000), startedAt: new Date(base + i * 1000), finishedAt: new Date(base + i * 1000 + 500) },
        });
      }
      const page1 = await api.runs.list({ flowId: id, limit: 3 });
      expect(page1.items.map((r) => r.countRead)).toEqual([6, 5, 4]);
      expect(page1.items[0]).toMatchObject({ flowName: "运行列表", version: 1, durationMs: 500 });
      const page2 = await api.runs.list({ flowId: id, limit: 3, cursor: page1.nextCursor });
      const page3 = await api.runs.list({ flowId: id, limit: 3, cursor: page2.nextCursor });
      expect([...page2.items, ...page3.items].map((r) => r.countRead)).toEqual([3, 2, 1, 0]);
      expect(page3.nextCursor).toBeNull();
      expect((await api.runs.list({ flowId: id, status: "failed" })).items).toHaveLength(1);
      expect((await api.runs.list({ flowId: id, trigger: "schedule" })).items.map((r) => r.countRead)).toEqual([5, 3, 1]);
      const one = await api.runs.byId({ id: page1.items[0].id });
      expect(one.status).toBe("failed");
      expect((await api.flows.list()).find((f) => f.id === id)?.lastRun?.status).toBe("failed");
    });
  });
}
