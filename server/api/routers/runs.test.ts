/**
 * The runs router on SQLite and PostgreSQL through tRPC's caller: keyset paging with filters (no gaps,
 * no repeats, even with equal timestamps), a run's header with parent and reruns, paged events, and the
 * failed/invalid records a run left with their reasons and what became of them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logBus } from "@/server/runs/log-bus";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`runs router on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    let flowA: string;
    let flowB: string;
    let versionA: string;
    let versionB: string;
    beforeAll(async () => {
      t = await createTestDb(provider);
      api = createCaller(asAdmin(t.db));
      flowA = (await api.flows.create({ name: "管易云店铺 → 金蝶客户" })).id;
      flowB = (await api.flows.create({ name: "钉钉备用金 → 金蝶费用申请" })).id;
      versionA = (await t.db.flowVersion.findFirstOrThrow({ where: { flowId: flowA } })).id;
      versionB = (await t.db.flowVersion.findFirstOrThrow({ where: { flowId: flowB } })).id;
    });
    afterAll(async () => t?.drop());

    it("pages through every run exactly once, newest first, also when timestamps tie", async () => {
      const base = Date.UTC(2026, 0, 1);
      const data = Array.from({ length: 23 }, (_, i) => ({
        flowId: i % 2 ? flowA : flowB,
        flowVersionId: i % 2 ? versionA : versionB,
        trigger: ["manual", "schedule", "rerun", "api"][i % 4],
        status: i % 5 === 0 ? "failed" : "succeeded",
        countRead: i,
        // three runs share each timestamp
        createdAt: new Date(base + Math.floor(i / 3) * 1000),
      }));
      await t.db.run.createMany({ data });
      const seen: number[] = [];
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const p = await api.runs.list({ limit: 4, cursor });
        seen.push(...p.items.map((r) => r.countRead));
        for (let i = 1; i < p.items.length; i++) expect(p.items[i - 1].createdAt.getTime()).toBeGreaterThanOrEqual(p.items[i].createdAt.getTime());
        cursor = p.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(6);
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
      expect(new Set(seen).size).toBe(23);

      const failedA = await api.runs.list({ flowId: flowA, status: "failed" });
      expect(failedA.items.every((r) => r.flowId === flowA && r.status === "failed")).toBe(true);
      expect(failedA.items.map((r) => r.countRead).sort((a, b) => a - b)).toEqual([5, 15]);
      expect((await api.runs.list({ trigger: "api" })).items.map((r) => r.countRead).sort((a, b) => a - b)).toEqual([3, 7, 11, 15, 19]);
      const window = await api.runs.list({ from: new Date(base + 2000), to: new Date(base + 3000) });
      expect(window.items.map((r) => r.countRead).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10, 11]);
      expect(window.items[0]).toMatchObject({ flowName: expect.any(String), version: 1 });
      await expect(api.runs.list({ cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      expect((await api.runs.activeCount()).count).toBe(0);
    });

    it("shows a run's header with its parent and its reruns", async () => {
      const parent = await t.db.run.create({ data: { flowId: flowA, flowVersionId: versionA, trigger: "manual", status: "partial", countRead: 10, countWritten: 8, countFailed: 2, startedAt: new Date(Date.now() - 5000), finishedAt: new Date(), options: { sandbox: true } } });
      const child = await t.db.run.create({ data: { flowId: flowA, flowVersionId: versionA, trigger: "rerun", mode: "failed_only", status: "running", parentRunId: parent.id, startedAt: new Date() } });
      const p = await api.runs.byId({ id: parent.id });
      expect(p).toMatchObject({ status: "partial", version: 1, currentVersion: 1, sandbox: true, countFailed: 2, parentRun: null });
      expect(p.children.map((c) => c.id)).toEqual([child.id]);
      expect(p.durationMs).toBeGreaterThanOrEqual(4000);
      const c = await api.runs.byId({ id: child.id });
      expect(c.parentRun?.id).toBe(parent.id);
      expect(c.finishedAt).toBeNull();
      expect((await api.runs.activeCount()).count).toBe(1);
      await expect(api.runs.byId({ id: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("reads events in sequence pages, filtered by level and type", async () => {
      const run = await t.db.run.create({ data: { flowId: flowB, flowVersionId: versionB, trigger: "manual", status: "succeeded" } });
      await t.db.runEvent.createMany({
        data: Array.from({ length: 1200 }, (_, i) => ({
          runId: run.id,
          seq: i + 1,
          level: i % 100 === 99 ? "error" : "info",
          type: i === 0 ? "run.started" : i % 100 === 99 ? "record.failed" : "page.fetched",
          message: `事件 ${i + 1}`,
          data: { page: i },
        })),
      });
      const first = await api.runs.events({ runId: run.id });
      expect(first.items).toHaveLength(500);
      expect(first.items[0]).toMatchObject({ seq: 1, type: "run.started", data: { page: 0 } });
      expect(first.nextAfterSeq).toBe(500);
      const rest = await api.runs.events({ runId: run.id, afterSeq: 1000 });
      expect(rest.items.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => 1001 + i));
      expect(rest.nextAfterSeq).toBeNull();
      const errors = await api.runs.events({ runId: run.id, levels: ["error"] });
      expect(errors.items.map((e) => e.seq)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
      expect((await api.runs.events({ runId: run.id, types: ["run.started"] })).items).toHaveLength(1);
    });

    it("streams events in batches: backfill from any id, then live ones in order, ending after run.finished", async () => {
      const run = await t.db.run.create({ data: { flowId: flowB, flowVersionId: versionB, trigger: "manual", status: "running" } });
      const mk = (seq: number, type = "page.fetched") => ({ runId: run.id, seq, level: "info", type, message: `事件 ${seq}`, data: { page: seq }, createdAt: new Date() });
      await t.db.runEvent.createMany({ data: Array.from({ length: 2500 }, (_, i) => mk(i + 1)) });
      const stream = await api.runs.eventBatches({ runId: run.id, lastEventId: "100" });
      const it = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const next = async () => {
        const r = await it.next();
        if (r.done) return null;
        const [id, data] = r.value as [string, { seq: number; type: string }[]];
        return { id, seqs: data.map((e) => e.seq), types: data.map((e) => e.type) };
      };
      const b1 = await next();
      expect(b1?.seqs[0]).toBe(101);
      expect(b1?.seqs).toHaveLength(2000);
      expect(b1?.id).toBe("2100");
      const b2 = await next();
      expect(b2?.seqs).toEqual(Array.from({ length: 400 }, (_, i) => 2101 + i));
      // live: stored, then published (as the engine does); arrives as one batch
      const live = [2501, 2502, 2503].map((s) => mk(s, "batch.written"));
      await t.db.runEvent.createMany({ data: live });
      for (const e of live) logBus().publish({ ...e, data: e.data });
      const started = Date.now();
      const b3 = await next();
      expect(b3?.seqs).toEqual([2501, 2502, 2503]);
      expect(Date.now() - started).toBeLessThan(900); // woken by the bus, not the 1 s poll
      // stored by another process without a bus message: found by the poll
      await t.db.runEvent.create({ data: mk(2504, "run.finished") });
      const b4 = await next();
      expect(b4?.types).toEqual(["run.finished"]);
      expect(await next()).toBeNull();
    });

    it("lists the records a run left failed or invalid, with the reason and what became of them", async () => {
      const run = await t.db.run.create({ data: { flowId: flowA, flowVersionId: versionA, trigger: "manual", status: "partial" } });
      const retry = await t.db.run.create({ data: { flowId: flowA, flowVersionId: versionA, trigger: "rerun", mode: "failed_only", parentRunId: run.id, status: "succeeded" } });
      await t.db.syncRecord.createMany({
        data: [
          { flowId: flowA, sourceId: "1", number: "G001", status: "written", lastRunId: retry.id, attempts: 2, targetResponse: { Id: 1 } },
          { flowId: flowA, sourceId: "2", number: "G002", status: "failed", lastRunId: run.id, attempts: 1, lastError: "客户编码已存在", targetResponse: { Message: "客户编码已存在" } },
          { flowId: flowA, sourceId: "3", number: null, status: "invalid", lastRunId: run.id },
          { flowId: flowA, sourceId: "4", number: "G004", status: "written", lastRunId: run.id },
        ],
      });
      await t.db.syncRecordHistory.createMany({
        data: [
          { flowId: flowA, sourceId: "1", runId: run.id, status: "failed", message: "组织不存在" },
          { flowId: flowA, sourceId: "2", runId: run.id, status: "failed", message: "客户编码已存在" },
          { flowId: flowA, sourceId: "3", runId: run.id, status: "invalid", message: "店铺代码为空" },
          { flowId: flowA, sourceId: "4", runId: run.id, status: "written" },
          { flowId: flowA, sourceId: "1", runId: retry.id, status: "written" },
        ],
      });
      const all = await api.runs.problems({ runId: run.id });
      expect(all.items.map((p) => [p.sourceId, p.status, p.reason, p.currentStatus]).sort()).toEqual([
        ["1", "failed", "组织不存在", "written"],
        ["2", "failed", "客户编码已存在", "failed"],
        ["3", "invalid", "店铺代码为空", "invalid"],
      ]);
      expect(all.items.find((p) => p.sourceId === "1")?.currentRunId).toBe(retry.id);
      expect(all.items.find((p) => p.sourceId === "2")?.vendorResponse).toEqual({ Message: "客户编码已存在" });
      const invalid = await api.runs.problems({ runId: run.id, status: "invalid" });
      expect(invalid.items.map((p) => p.sourceId)).toEqual(["3"]);
      const p1 = await api.runs.problems({ runId: run.id, limit: 2 });
      const p2 = await api.runs.problems({ runId: run.id, limit: 2, cursor: p1.nextCursor });
      expect([...p1.items, ...p2.items].map((p) => p.sourceId).sort()).toEqual(["1", "2", "3"]);
      expect(p2.nextCursor).toBeNull();
      expect((await api.runs.problems({ runId: retry.id })).items).toEqual([]);
      // "retry failed" would re-send only what is failed still: record 1 was written by the retry
      expect(await api.runs.retryable({ runId: run.id })).toEqual({ failed: 1, failedInRun: 2 });
      expect(await api.runs.retryable({ runId: retry.id })).toEqual({ failed: 0, failedInRun: 0 });
    });
  });
}
