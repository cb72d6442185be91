/**
 * At most one queued/running run per scheme, enforced by the database: ten starts at once — through
 * the tRPC router (with the real embedded queue executing the run) and through the run service — give
 * exactly one run row; the others get CONFLICT with the active run's number, and no "failed" phantom
 * run is ever written. A run nobody executes any more (interrupted) is resumed instead of refused, and
 * the scheduler skips a busy scheme without an error. SQLite and PostgreSQL.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appRouter } from "@/server/api/root";
import { createCallerFactory } from "@/server/api/trpc";
import { setRunQueue } from "@/server/queue";
import { startEmbeddedQueue } from "@/server/queue/embedded";
import { scheduleTick } from "@/server/queue/scheduler";
import type { Simulators } from "@/server/testing/simulators";
import { createRun, RunConflictError, startRun } from "./service";
import { importExample, postgresDb, sqliteDb, startSandbox, type TestDb } from "./test-helpers";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);

for (const provider of ["sqlite", "postgres"] as const) {
  describe(`one active run per scheme (${provider})`, () => {
    let t: TestDb | null;
    let sims: Simulators;
    let flowId: string;

    beforeAll(async () => {
      t = provider === "sqlite" ? await sqliteDb() : await postgresDb();
      if (!t) return;
      sims = await startSandbox(t.db, { config: { guanyi: { shops: 30 } } });
      flowId = await importExample(t.db, "guanyi-shops-to-kingdee-customers.json");
    });
    afterAll(async () => {
      setRunQueue(undefined);
      await sims?.close();
      await t?.drop();
    });

    it("ten starts at once through the router: one run, nine CONFLICT, no phantom", async (ctx) => {
      if (!t) return ctx.skip();
      const { queue } = await startEmbeddedQueue(t.db, { concurrency: 4 });
      try {
        const api = createCaller(asAdmin(t.db));
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => api.runEvents.start({ flowId, sandbox: true })));
        const ok = results.filter((r) => r.status === "fulfilled");
        const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(ok).toHaveLength(1);
        expect(refused).toHaveLength(9);
        const runId = (ok[0] as PromiseFulfilledResult<{ runId: string }>).value.runId;
        for (const r of refused) {
          expect(r.reason).toBeInstanceOf(TRPCError);
          expect((r.reason as TRPCError).code).toBe("CONFLICT");
          expect((r.reason as TRPCError).message).toMatch(new RegExp(`^该方案(正在运行|已有排队中的运行)（运行 #${runId}），请等待其结束或先取消`));
        }
        await (queue as unknown as { idle(): Promise<void> }).idle();
        const runs = await t.db.run.findMany({ where: { flowId } });
        expect(runs.map((r) => [r.id, r.status])).toEqual([[runId, "succeeded"]]);
        // finished: the scheme can be started again
        const again = await api.runEvents.start({ flowId, sandbox: true });
        expect(again.runId).not.toBe(runId);
        await (queue as unknown as { idle(): Promise<void> }).idle();
      } finally {
        await queue.stop();
        setRunQueue(undefined);
      }
    });

    it("ten creates at once through the run service: one run row, nine RunConflictError", async (ctx) => {
      if (!t) return ctx.skip();
      const before = await t.db.run.count({ where: { flowId } });
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => createRun(t!.db, { flowId, options: { sandbox: true } })));
      const ok = results.filter((r): r is PromiseFulfilledResult<string> => r.status === "fulfilled");
      expect(ok).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(RunConflictError);
      expect(await t.db.run.count({ where: { flowId } })).toBe(before + 1);
      expect(await t.db.run.count({ where: { flowId, status: { in: ["queued", "running"] } } })).toBe(1);
      // a rerun is a run too: refused while that one is queued
      const parent = await t.db.run.findFirstOrThrow({ where: { flowId, status: "succeeded" } });
      await expect(startRun(t.db, { flowId, parentRunId: parent.id, mode: "failed_only" })).rejects.toThrow(RunConflictError);
      await t.db.run.update({ where: { id: ok[0].value }, data: { status: "cancelled" } });
    });

    it("an interrupted run is resumed, not refused; the scheduler skips a busy scheme quietly", async (ctx) => {
      if (!t) return ctx.skip();
      const id = await createRun(t.db, { flowId, options: { sandbox: true } });
      // its worker died long ago (another host, silent for an hour)
      await t.db.run.update({ where: { id }, data: { status: "running", startedAt: new Date(), workerId: "gone-host:1", heartbeatAt: new Date(Date.now() - 3_600_000) } });
      const count = await t.db.run.count({ where: { flowId } });
      expect(await startRun(t.db, { flowId, options: { sandbox: true } })).toEqual({ runId: id, resumed: true });
      expect(await t.db.run.count({ where: { flowId } })).toBe(count);

      // alive elsewhere: the scheduler's slot is skipped, no run row, no error logged
      await t.db.run.update({ where: { id }, data: { heartbeatAt: new Date() } });
      await t.db.flow.update({ where: { id: flowId }, data: { schedule: "*/5 * * * *", nextRunAt: new Date(Date.now() - 60_000) } });
      const errors = vi.spyOn(console, "error");
      try {
        const enqueued: string[] = [];
        expect(await scheduleTick(t.db, { enqueue: async (r) => void enqueued.push(r) })).toEqual([]);
        expect(enqueued).toEqual([]);
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
        await t.db.flow.update({ where: { id: flowId }, data: { schedule: null, nextRunAt: null } });
        await t.db.run.update({ where: { id }, data: { status: "cancelled" } });
      }
      expect(await t.db.run.count({ where: { flowId, status: "failed" } })).toBe(0);
    });
  });
}
