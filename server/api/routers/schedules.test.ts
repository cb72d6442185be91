/**
 * The schedules router on SQLite and PostgreSQL: preview (next five times in Asia/Shanghai + a
 * sentence in Chinese and English), set / pause / resume / remove, and agreement with the engine's
 * scheduler: what this router stores is what scheduleTick runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleTick } from "@/server/queue/scheduler";
import { appRouter } from "../root";
import { createCallerFactory } from "../trpc";
import { createTestDb, requirePostgres, type Provider, type TestDb } from "../../testing/db";
import { previewCron } from "./schedules";
import example from "@/examples/guanyi-shops-to-kingdee-customers.json";
import { asAdmin } from "@/server/testing/auth";

const createCaller = createCallerFactory(appRouter);
const pgOk = await requirePostgres();

describe("cron preview", () => {
  it("lists the next five times in Asia/Shanghai and describes the expression", () => {
    const from = new Date("2026-03-01T00:00:00Z"); // 08:00 in Shanghai
    const p = previewCron("0 2 * * *", "Asia/Shanghai", 5, from);
    expect(p.ok).toBe(true);
    // 02:00 Shanghai = 18:00 UTC the day before
    expect(p.next.map((d) => d.toISOString())).toEqual(["2026-03-01T18:00:00.000Z", "2026-03-02T18:00:00.000Z", "2026-03-03T18:00:00.000Z", "2026-03-04T18:00:00.000Z", "2026-03-05T18:00:00.000Z"]);
    expect(p.description?.zh).toContain("02:00");
    expect(p.description?.en).toContain("02:00");
    const secs = previewCron("*/5 * * * * *", "Asia/Shanghai", 3, from);
    expect(secs.next.map((d) => d.getTime() - from.getTime())).toEqual([5000, 10000, 15000]);
    expect(secs.description?.zh).toBe("每隔 5 秒");
    const bad = previewCron("61 * * * *");
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/定时表达式无效/);
  });
});

for (const provider of ["sqlite", "postgres"] as Provider[]) {
  describe.skipIf(provider === "postgres" && !pgOk)(`schedules router on ${provider}`, () => {
    let t: TestDb;
    let api: ReturnType<typeof createCaller>;
    let flowId: string;
    beforeAll(async () => {
      t = await createTestDb(provider);
      api = createCaller(asAdmin(t.db));
      flowId = (await api.flows.create({ name: "定时方案" })).id;
    });
    afterAll(async () => t?.drop());

    it("previews an expression without saving it, and explains a bad one", async () => {
      const p = await api.schedules.preview({ cron: "0 */30 * * * *" });
      expect(p.ok).toBe(true);
      expect(p.next).toHaveLength(5);
      expect(p.next[1].getTime() - p.next[0].getTime()).toBe(30 * 60_000);
      expect(p.description?.zh).toBe("每隔 30 分钟");
      expect((await api.schedules.preview({ cron: "* * *" })).error).toMatch(/5 段/);
      expect((await api.schedules.preview({ cron: "0 2 * * *", timezone: "Mars/Olympus" })).error).toMatch(/时区/);
      expect((await api.schedules.get({ flowId })).cron).toBeNull();
    });

    it("sets, pauses, resumes and removes a schedule on the columns the scheduler reads", async () => {
      const before = Date.now();
      const set = await api.schedules.set({ flowId, cron: "0 2 * * *" });
      expect(set).toMatchObject({ cron: "0 2 * * *", timezone: "Asia/Shanghai", paused: false, active: true });
      expect(set.next).toHaveLength(5);
      expect(set.nextRunAt!.getTime()).toBeGreaterThan(before);
      const row = await t.db.flow.findUniqueOrThrow({ where: { id: flowId } });
      expect(row).toMatchObject({ schedule: "0 2 * * *", scheduleTz: "Asia/Shanghai", schedulePaused: false });
      expect(row.nextRunAt?.getTime()).toBe(set.next[0].getTime());

      const paused = await api.schedules.pause({ flowId });
      expect(paused).toMatchObject({ paused: true, active: false, nextRunAt: null, next: [] });
      const resumed = await api.schedules.resume({ flowId });
      expect(resumed).toMatchObject({ paused: false, active: true });
      expect(resumed.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

      await expect(api.schedules.set({ flowId, cron: "0 25 * * *" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(api.schedules.set({ flowId, cron: "every day" })).rejects.toThrow(/5 段/);
      await expect(api.schedules.set({ flowId: "missing", cron: "0 2 * * *" })).rejects.toMatchObject({ code: "NOT_FOUND" });

      const removed = await api.schedules.remove({ flowId });
      expect(removed).toMatchObject({ cron: null, active: false });
      await expect(api.schedules.pause({ flowId })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    });

    it("a schedule set here is run by the engine's scheduler when due, and not while paused", async () => {
      const { id } = await api.flows.create({ name: "每五秒", document: example });
      await api.schedules.set({ flowId: id, cron: "*/5 * * * * *" });
      const queue: string[] = [];
      const enqueue = async (runId: string) => void queue.push(runId);
      const due = new Date(Date.now() + 6_000);
      await api.schedules.pause({ flowId: id });
      expect(await scheduleTick(t.db, { enqueue }, due)).toEqual([]);
      await api.schedules.resume({ flowId: id });
      const created = await scheduleTick(t.db, { enqueue }, due);
      expect(created).toHaveLength(1);
      expect(queue).toEqual(created);
      const run = await t.db.run.findUniqueOrThrow({ where: { id: created[0] } });
      expect(run).toMatchObject({ flowId: id, trigger: "schedule", status: "queued" });
      const s = await api.schedules.get({ flowId: id });
      expect(s.lastScheduledRun?.id).toBe(created[0]);
      expect((await api.runs.list({ trigger: "schedule" })).items.map((r) => r.id)).toContain(created[0]);
    });
  });
}
