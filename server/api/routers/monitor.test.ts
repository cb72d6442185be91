/**
 * The monitor's aggregates against real databases: runs by outcome within the period, records moved,
 * the ledger's outstanding rows, and the runs needing attention.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`monitor on ${provider}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(provider);
    });
    afterAll(async () => t?.drop());

    it("aggregates runs, records and the ledger per scheme within the period", async () => {
      const api = createCaller(asAdmin(t.db));
      const a = await api.flows.create({ name: "甲方案" });
      const b = await api.flows.create({ name: "乙方案" });
      const va = await t.db.flowVersion.findFirstOrThrow({ where: { flowId: a.id } });
      const vb = await t.db.flowVersion.findFirstOrThrow({ where: { flowId: b.id } });
      const now = Date.now();
      const run = (flowId: string, flowVersionId: string, status: string, agoMs: number, c: { read?: number; written?: number; failed?: number; invalid?: number } = {}, error?: string) =>
        t.db.run.create({
          data: {
            flowId,
            flowVersionId,
            trigger: "manual",
            status,
            error,
            countRead: c.read ?? 0,
            countWritten: c.written ?? 0,
            countFailed: c.failed ?? 0,
            countInvalid: c.invalid ?? 0,
            createdAt: new Date(now - agoMs),
            finishedAt: status === "running" ? null : new Date(now - agoMs + 1000),
          },
        });
      await run(a.id, va.id, "succeeded", 3_600_000, { read: 100, written: 100 });
      await run(a.id, va.id, "partial", 1_800_000, { read: 50, written: 47, failed: 2, invalid: 1 }, "2 条被金蝶拒绝");
      await run(a.id, va.id, "running", 1000, { read: 10 });
      await run(b.id, vb.id, "failed", 600_000, {}, "管易云签名校验失败");
      await run(b.id, vb.id, "succeeded", 3 * 86_400_000, { read: 999, written: 999 }); // outside 24h, inside 7d
      for (const [sourceId, status] of [["1", "written"], ["2", "written"], ["3", "failed"], ["4", "invalid"], ["5", "sending"]] as const) {
        await t.db.syncRecord.create({ data: { flowId: a.id, sourceId, status } });
      }
      // a batch of 3 sent with no stored outcome yet (an interrupted run's open intent)
      await t.db.syncIntent.create({ data: { id: "b-open", flowId: a.id, runId: "r", size: 3, rows: "[]" } });

      const day = await api.monitor.overview({ range: "24h" });
      expect(day.totals).toMatchObject({ runs: 4, succeeded: 1, partial: 1, failed: 1, active: 1, read: 160, written: 147, failedRows: 2, invalidRows: 1 });
      expect(day.totals.successRate).toBeCloseTo(1 / 3);
      const fa = day.flows.find((f) => f.id === a.id)!;
      expect(fa).toMatchObject({ runs: 3, succeeded: 1, partial: 1, active: 1, ledger: { total: 5, written: 2, failed: 1, invalid: 1, unsettled: 4 } });
      expect(fa.successRate).toBeCloseTo(0.5);
      expect(fa.lastSuccessAt).not.toBeNull();
      const fb = day.flows.find((f) => f.id === b.id)!;
      expect(fb).toMatchObject({ runs: 1, failed: 1, successRate: 0, ledger: { total: 0 } });
      // last success is all-time, not limited to the period
      expect(fb.lastSuccessAt).not.toBeNull();
      expect(day.attention.map((r) => [r.flowName, r.status])).toEqual([
        ["乙方案", "failed"],
        ["甲方案", "partial"],
      ]);
      expect(day.attention[0].error).toContain("签名");

      const week = await api.monitor.overview({ range: "7d" });
      expect(week.totals.runs).toBe(5);
      expect(week.flows.find((f) => f.id === b.id)?.successRate).toBeCloseTo(0.5);
    });

    it("a run that wrote nothing but failed records counts as failed, also when stored as partial before that rule", async () => {
      const api = createCaller(asAdmin(t.db));
      const c = await api.flows.create({ name: "丙方案" });
      const vc = await t.db.flowVersion.findFirstOrThrow({ where: { flowId: c.id } });
      const mk = (status: string, counts: { written?: number; skipped?: number; failed?: number }) =>
        t.db.run.create({
          data: {
            flowId: c.id,
            flowVersionId: vc.id,
            trigger: "manual",
            status,
            countRead: 1000,
            countWritten: counts.written ?? 0,
            countSkipped: counts.skipped ?? 0,
            countFailed: counts.failed ?? 0,
            finishedAt: new Date(),
          },
        });
      await mk("partial", { failed: 1000 }); // legacy: 0 written + 1,000 failed was labelled 部分成功
      await mk("partial", { written: 999, failed: 1 });
      await mk("partial", { skipped: 999, failed: 1 }); // unchanged records are at the target
      await mk("succeeded", { written: 1000 });
      const day = await api.monitor.overview({ range: "24h" });
      const fc = day.flows.find((f) => f.id === c.id)!;
      expect(fc).toMatchObject({ runs: 4, succeeded: 1, partial: 2, failed: 1 });
      expect(fc.successRate).toBeCloseTo(1 / 4);
    });
  });
}
